// Bundles the extension (and the CLI) with esbuild; type checking is `npm run typecheck`.
// --tests transpiles src/ and test/ file by file into out/ for mocha (unit and integration).
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

/** Lists the .ts files under a folder, recursively. */
function tsFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Drops compiled tests whose source is gone (out/ is not wiped: parallel runs share it). */
function removeStaleOutputs(sources) {
  const expected = new Set(sources.map((s) => path.join('out', s.replace(/\.ts$/, '.js'))));
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (full !== path.join('out', 'test', 'fixtures')) walk(full);
      } else if (full.endsWith('.js') && !expected.has(full)) fs.rmSync(full);
    }
  };
  walk('out');
}

/**
 * axios touches Node's fetch when it is imported: its fetch adapter probes fetch, Request and Response, and
 * its utils read the global FormData; either loads Node's fetch implementation (undici, tens of ms of CPU).
 * We only use the `http` adapter (`adapter: 'http'` in src/node/httpTransport.ts) and never send FormData, so
 * the fetch and XHR adapters become empty modules and the FormData lookup is dropped (`isFormData` still
 * recognises form-data objects by their shape). The build fails if axios changes that line.
 */
const AXIOS_GLOBAL_FORM_DATA = "const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;";
const axiosHttpAdapterOnly = {
  name: 'axios-http-adapter-only',
  setup(build) {
    build.onResolve({ filter: /^\.\/(fetch|xhr)\.js$/ }, (args) =>
      /[\\/]axios[\\/]lib[\\/]adapters$/.test(args.resolveDir) ? { path: args.path, namespace: 'axios-unused-adapter' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'axios-unused-adapter' }, () => ({
      contents: 'export const getFetch = () => undefined;\nexport default undefined;\n',
      loader: 'js',
    }));
    build.onLoad({ filter: /[\\/]axios[\\/]lib[\\/]utils\.js$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      if (!source.includes(AXIOS_GLOBAL_FORM_DATA))
        throw new Error(`axios changed: "${AXIOS_GLOBAL_FORM_DATA}" is not in ${args.path}; review esbuild.js`);
      return { contents: source.replace(AXIOS_GLOBAL_FORM_DATA, 'const FormDataCtor = undefined;'), loader: 'js' };
    });
  },
};

/**
 * The command line is two bundles: `scan` (dist/cli.js) and the commands that talk to a server, `check` and
 * `tokens` (dist/cli-check.js, from src/cli/networkCommands.ts), which alone carries the HTTP client
 * (`scan --verify` loads it from there too). A scan in a commit hook then parses a quarter of the code: axios and its MIME
 * table were three quarters of one bundle, and compiling them cost every scan ~25 ms of start-up.
 */
const networkCommandsApart = {
  name: 'network-commands-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/networkCommands$/ }, (args) =>
      args.importer.endsWith(path.join('src', 'cli', 'run.ts')) || args.importer.endsWith(path.join('src', 'cli', 'scanCommand.ts'))
        ? { path: './cli-check.js', external: true }
        : undefined,
    );
  },
};

/**
 * The browser bundle's Jira client: the features take core's client over Node's transport from src/node/jira.ts,
 * which a browser's worker cannot run; src/web/jiraInBrowser.ts takes its place in that bundle only (every
 * other import of Node still fails the browser build).
 */
const jiraClientInBrowser = {
  name: 'jira-client-in-browser',
  setup(build) {
    const nodeJira = path.resolve('src', 'node', 'jira');
    build.onResolve({ filter: /(^|[\\/])jira$/ }, (args) =>
      path.resolve(args.resolveDir, args.path) === nodeJira ? { path: path.resolve('src', 'web', 'jiraInBrowser.ts') } : undefined,
    );
  },
};

const bundleTargets = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  {
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    external: [],
    banner: { js: '#!/usr/bin/env node' },
    plugins: [networkCommandsApart],
  },
  { entryPoints: ['src/cli/networkCommands.ts'], outfile: 'dist/cli-check.js', external: [] },
  // The browser entry (package.json `browser`: vscode.dev, github.dev, code-server's web worker). Built for the
  // browser, so a Node module reached from src/web/ fails the build instead of failing in the worker.
  {
    entryPoints: ['src/web/extension.ts'],
    outfile: 'dist/web/extension.js',
    external: ['vscode'],
    platform: 'browser',
    plugins: [jiraClientInBrowser],
  },
].filter((t) => fs.existsSync(t.entryPoints[0]));

/**
 * `node esbuild.js --committed-cli [DIR]`: the command line as the repository carries it, in bin/ (or DIR):
 * bin/cli.js and bin/cli-check.js, minified, no source map. The pre-commit hooks and the GitHub action run
 * these files straight from a checkout of the repository, so installing them builds nothing and needs no
 * development dependency. A unit test (test/unit/repo/committedCli.test.ts) builds them again into a temporary
 * folder and requires the committed files to be the same bytes: rebuild with this command after a change.
 */
async function buildCommittedCli(dir) {
  const cliTargets = bundleTargets.filter((t) => t.outfile.startsWith('dist/cli'));
  await Promise.all(
    cliTargets.map((t) =>
      esbuild.build({
        ...t,
        outfile: path.join(dir, path.basename(t.outfile)),
        bundle: true,
        format: 'cjs',
        platform: 'node',
        mainFields: ['module', 'main'],
        target: 'node18',
        minify: true,
        sourcemap: false,
        logLevel: 'warning',
        plugins: [axiosHttpAdapterOnly, ...(t.plugins ?? [])],
      }),
    ),
  );
  for (const t of cliTargets) if (t.banner) fs.chmodSync(path.join(dir, path.basename(t.outfile)), 0o755);
}

/**
 * `node esbuild.js --core-browser [FILE…]`: src/core/ (every file, so everything it exports) bundled for a
 * browser's extension host, with no Node polyfills: a Node module imported anywhere in core or in what it
 * imports fails the build, naming the module and the importer. Prints the size of core's public entry points
 * (the scanner and the Jira client) as one minified bundle. FILE…: extra entry points (a test's deliberate
 * violation). test/unit/repo/coreBrowser.test.ts runs this.
 */
const NODE_GLOBALS = ['Buffer', 'process', 'require', '__dirname', '__filename', 'setImmediate', 'global'];

async function buildCoreBrowser(extraEntries) {
  // Node's globals as free identifiers (also in a dependency) are marked, then looked for in the output.
  const define = Object.fromEntries(NODE_GLOBALS.map((name) => [name, `__node_global_${name}__`]));
  const common = { bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent', define };
  try {
    const { outputFiles } = await esbuild.build({
      ...common,
      entryPoints: [...tsFiles('src/core'), ...extraEntries],
      outdir: 'out/core-browser',
      splitting: true,
    });
    const used = new Set(outputFiles.flatMap((file) => [...file.text.matchAll(/__node_global_(\w+?)__/g)].map((m) => m[1])));
    if (used.size) throw new Error(`src/core does not run in a browser: it uses Node's ${[...used].join(', ')}`);
  } catch (error) {
    const errors = error.errors ?? [];
    if (!errors.length) throw error;
    for (const e of errors) console.error(`${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`);
    throw new Error(`src/core does not build for the browser: ${errors.length} error(s) (a Node import? see eslint.config.mjs)`);
  }
  const entries = { scanner: 'src/core/scanner/index.ts', jira: 'src/core/jira/index.ts' };
  const { outputFiles } = await esbuild.build({
    ...common,
    stdin: {
      contents: Object.entries(entries)
        .map(([name, file]) => `export * as ${name} from './${file}';`)
        .join('\n'),
      resolveDir: __dirname,
      loader: 'ts',
    },
    minify: true,
    outfile: 'out/core-browser/core.js',
  });
  const bytes = outputFiles[0].contents;
  const gzipped = require('zlib').gzipSync(bytes).length;
  console.log(
    `core for the browser: ${(bytes.length / 1024).toFixed(1)} KB minified, ${(gzipped / 1024).toFixed(1)} KB gzipped (${Object.values(entries).join(', ')}); no Node import`,
  );
}

async function main() {
  const coreBrowser = process.argv.indexOf('--core-browser');
  if (coreBrowser >= 0) {
    await buildCoreBrowser(process.argv.slice(coreBrowser + 1).filter((arg) => !arg.startsWith('--')));
    return;
  }
  const committed = process.argv.indexOf('--committed-cli');
  if (committed >= 0) {
    const next = process.argv[committed + 1];
    await buildCommittedCli(next && !next.startsWith('--') ? next : 'bin');
    return;
  }
  if (tests) {
    const sources = [...tsFiles('src'), ...tsFiles('test')];
    removeStaleOutputs(sources);
    await esbuild.build({
      entryPoints: sources,
      outdir: 'out',
      outbase: '.',
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      sourcemap: 'inline',
      logLevel: 'warning',
    });
    // Fixture files (certificates are made at run time; these are plain text trees) travel with the tests.
    if (fs.existsSync('test/fixtures')) fs.cpSync('test/fixtures', 'out/test/fixtures', { recursive: true });
  }
  const contexts = await Promise.all(
    bundleTargets.map((t) =>
      esbuild.context({
        ...t,
        bundle: true,
        format: 'cjs',
        platform: t.platform ?? 'node',
        // jsonc-parser's `main` is a UMD wrapper whose requires esbuild cannot follow: take its ES modules.
        mainFields: t.platform === 'browser' ? ['browser', 'module', 'main'] : ['module', 'main'],
        // VS Code 1.90's extension host runs Node 18; its browsers are those of 2024.
        target: t.platform === 'browser' ? 'es2022' : 'node18',
        minify: production,
        sourcemap: !production,
        sourcesContent: false,
        logLevel: 'warning',
        plugins: [axiosHttpAdapterOnly, ...(t.plugins ?? [])],
      }),
    ),
  );
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  for (const t of bundleTargets) if (t.banner) fs.chmodSync(t.outfile, 0o755);
}

main().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
