// The web extension host: the packaged extension with its manifest's `main` removed (only the `browser` entry
// left), installed into VS Code Server and run by the workbench in headless Chromium, where VS Code puts a
// browser-only extension: the web-worker extension host. A small driver extension (browser-only too, written
// here) is the extension under development; the workbench loads its extensionTestsPath, the bundle of
// test/web/*.test.ts with mocha's browser build, into the same worker. A worker cannot write files: the suite
// posts its report and totals to a loopback server this runner starts (with CORS headers, as the worker's
// origin differs). No totals means the suite did not run: that is a failure with its reason, never a pass.
const { spawnSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { runTestsInServer } = require('./server');
const { requestedServerHosts } = require('./server-install');

const repo = path.resolve(__dirname, '..', '..');
const DRIVER_ID = 'jtg-test.web-driver';
/** What the browser writes when an extension fails to activate (the worker's console, seen by the page). */
const ACTIVATION_FAILED =
  /Activating extension '?jira-token-guard\.jira-token-guard'? failed|jira-token-guard[^\n]*activate[^\n]*(error|failed)/i;

/**
 * The .vsix a browser gets: the repository's manifest without `main` (and without the prepublish build, done
 * already by esbuild.js), packaged by vsce from a temporary copy. Throws if the manifest has no `browser` entry.
 */
function packageWebOnly(dir) {
  const copy = path.join(dir, 'web-only');
  fs.mkdirSync(copy, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  if (!manifest.browser) throw new Error('package.json has no "browser" entry: there is no web extension to test');
  delete manifest.main;
  delete manifest.scripts;
  delete manifest.devDependencies;
  delete manifest.dependencies;
  fs.writeFileSync(path.join(copy, 'package.json'), JSON.stringify(manifest, null, 2));
  const bundle = path.join(repo, manifest.browser);
  if (!fs.existsSync(bundle)) throw new Error(`${manifest.browser} is missing: run node esbuild.js first`);
  for (const entry of ['.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media', manifest.browser]) {
    const from = path.join(repo, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(copy, entry), { recursive: true });
  }
  const vsix = path.join(dir, 'jira-token-guard-web.vsix');
  const result = spawnSync(
    path.join(repo, 'node_modules', '.bin', 'vsce'),
    ['package', '--no-dependencies', '--allow-missing-repository', '--out', vsix],
    { cwd: copy, encoding: 'utf8' },
  );
  if (result.status !== 0 || !fs.existsSync(vsix))
    throw new Error(`could not package the web-only .vsix:\n${result.stdout}${result.stderr}`);
  return vsix;
}

/** The extension under development whose extensionTestsPath is the suite: browser-only, so it runs in the worker. */
async function writeDriver(dir, controlUrl) {
  const driver = path.join(dir, 'driver');
  fs.mkdirSync(driver, { recursive: true });
  const [publisher, name] = DRIVER_ID.split('.');
  fs.writeFileSync(
    path.join(driver, 'package.json'),
    JSON.stringify({
      name,
      publisher,
      displayName: 'Web suite driver (test only)',
      version: '0.0.1',
      private: true,
      engines: { vscode: '^1.90.0' },
      browser: './extension.js',
      capabilities: { untrustedWorkspaces: { supported: true }, virtualWorkspaces: true },
    }),
  );
  fs.writeFileSync(path.join(driver, 'extension.js'), 'exports.activate = () => {};\n');
  const tests = fs
    .readdirSync(path.join(repo, 'test', 'web'))
    .filter((f) => f.endsWith('.test.ts'))
    .sort();
  if (!tests.length) throw new Error('test/web has no *.test.ts');
  const esbuild = require('esbuild');
  // index.ts first: it sets up mocha's globals before the test files call describe().
  const entry = ["export { run } from './index';", ...tests.map((f) => `import './${f.replace(/\.ts$/, '')}';`)].join('\n');
  await esbuild.build({
    stdin: { contents: entry, resolveDir: path.join(repo, 'test', 'web'), sourcefile: 'web-suite.ts', loader: 'ts' },
    outfile: path.join(driver, 'suite.js'),
    bundle: true,
    format: 'cjs',
    platform: 'browser',
    target: 'es2022',
    external: ['vscode'],
    define: {
      JTG_WEB_CONTROL: JSON.stringify(controlUrl),
      JTG_WEB_GREP: JSON.stringify(process.env.JTG_WEB_GREP ?? ''),
      // Generated for this run (test/support/tokens.ts needs Node's crypto, which the worker lacks).
      JTG_WEB_TOKENS: JSON.stringify(generatedTokens()),
    },
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return driver;
}

/** Tokens for the suite, made at run time by test/support/tokens.ts (compiled by esbuild.js --tests). */
function generatedTokens() {
  const { makeCloudToken, makeDataCenterPat } = require(path.join(repo, 'out', 'test', 'support', 'tokens.js'));
  return { cloud: makeCloudToken(), stored: makeCloudToken(), pat: makeDataCenterPat() };
}

/**
 * The loopback server the suite reports to: log lines are printed as they come, the totals kept. The suite
 * can also ask what the workbench shows (POST /page-text with a CSS selector: the texts of the matches), as a
 * user would see it; another extension has no API to read a tree view. Under /site-cors/ and /site-nocors/ it
 * plays a Jira Data Center site that allows any origin, or none (GET /credentials-seen: how many requests
 * carrying a credential each one received).
 */
function startControl() {
  const state = { results: undefined, lines: 0, page: undefined, siteRequests: 0, credentialsSeen: { cors: 0, nocors: 0 } };
  const server = http.createServer((req, res) => {
    // A fake Jira Data Center site, with and without CORS headers for the browser (test/web/checks.test.ts).
    if (req.url.startsWith('/site-cors/') || req.url.startsWith('/site-nocors/')) return fakeJira(req, res, state);
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
    res.setHeader('access-control-allow-headers', 'content-type');
    if (req.method === 'OPTIONS') return res.end();
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/log') {
        state.lines++;
        process.stdout.write(`${body}\n`);
      } else if (req.method === 'POST' && req.url === '/results') {
        state.results = JSON.parse(body);
      } else if (req.method === 'POST' && req.url === '/page-text' && state.page) {
        const selector = String(JSON.parse(body).selector);
        return void state.page
          .$$eval(selector, (all) => all.map((e) => e.textContent ?? ''))
          .then(
            (texts) => res.end(JSON.stringify(texts)),
            (error) => {
              res.statusCode = 500;
              res.end(String(error));
            },
          );
      } else if (req.method === 'GET' && req.url === '/credentials-seen') {
        return void res.end(JSON.stringify(state.credentialsSeen));
      } else res.statusCode = 404;
      res.end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}`, state })),
  );
}

/** A Data Center `myself` for any Bearer token; CORS headers only under /site-cors/. */
function fakeJira(req, res, state) {
  const cors = req.url.startsWith('/site-cors/');
  if (cors) {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-methods', 'GET, POST, DELETE');
    res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? 'authorization');
  }
  if (req.method === 'OPTIONS') return res.end();
  if (req.headers.authorization) state.credentialsSeen[cors ? 'cors' : 'nocors']++;
  res.setHeader('content-type', 'application/json');
  if (/\/rest\/api\/2\/myself$/.test(req.url) && /^Bearer /.test(req.headers.authorization ?? '')) {
    return res.end(JSON.stringify({ name: 'web.user', key: 'web.user', displayName: 'Web User', active: true }));
  }
  res.statusCode = 404;
  res.end('{}');
}

/** Runs the web suite on one VS Code Server; resolves to { version, passed, failed, failedTitles }. */
async function runWebSuite(host, vsix) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-web-'));
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-web-ws-'));
  const control = await startControl();
  const consoleLines = [];
  try {
    const driver = await writeDriver(work, control.url);
    const started = Date.now();
    const exitCode = await runTestsInServer({
      extensionDevelopmentPath: driver,
      extensionTestsPath: path.join(driver, 'suite.js'),
      workspacePath: workspace,
      installExtensions: [vsix],
      server: host,
      timeoutMs: 5 * 60_000,
      // The worker's console reaches the page's: activation errors show there.
      onPage: (page) => {
        control.state.page = page;
        page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
      },
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const totals = control.state.results;
    if (!totals) {
      const hints = consoleLines.filter((l) => /error|fail|cannot|not found/i.test(l)).slice(-15);
      throw new Error(`the web suite did not report (workbench exit ${exitCode}); the browser said:\n${hints.join('\n')}`);
    }
    const activationErrors = consoleLines.filter((l) => ACTIVATION_FAILED.test(l));
    if (activationErrors.length) {
      totals.failed += 1;
      totals.failedTitles = [...(totals.failedTitles ?? []), `activation error in the browser's log: ${activationErrors[0].slice(0, 300)}`];
    }
    if (totals.passed + totals.failed === 0 && !process.env.JTG_WEB_GREP) {
      totals.failed += 1;
      totals.failedTitles = [...(totals.failedTitles ?? []), 'the web suite selected no test'];
    }
    console.log(`[web] VS Code ${totals.version}: suite ran in ${seconds} s (server start to exit)`);
    if (process.env.JTG_VERBOSE) for (const line of consoleLines) console.log(line);
    return totals;
  } finally {
    control.server.close();
    if (process.env.JTG_KEEP_HOST_DATA) console.log(`[web] kept ${work} and ${workspace}`);
    else for (const dir of [work, workspace]) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The web suite on each requested server (VSCODE_TEST_SERVER; unset: oldest and current). */
async function runWebSuites() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-web-package-'));
  try {
    const vsix = packageWebOnly(work);
    const results = [];
    for (const host of requestedServerHosts()) {
      try {
        results.push({ host: `server ${host.id}`, ...(await runWebSuite(host, vsix)) });
      } catch (error) {
        console.log(`[web] server ${host.id} could not run the suite: ${error.message ?? error}`);
        results.push({
          host: `server ${host.id}`,
          version: `server ${host.id}`,
          passed: 0,
          failed: 1,
          failedTitles: [`could not run: ${String(error.message ?? error).split('\n')[0]}`],
        });
      }
    }
    return results;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

module.exports = { runWebSuites, packageWebOnly };

if (require.main === module) {
  runWebSuites().then((rows) => {
    for (const row of rows) console.log(`[web] VS Code ${row.version}: ${row.passed} passed, ${row.failed} failed`);
    process.exit(rows.some((r) => r.failed > 0) ? 1 : 0);
  });
}
