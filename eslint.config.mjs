import { builtinModules } from 'node:module';
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The floors of src/: what each room may import. A room imports only its own floor and those below it.
//   core/        plain TypeScript over text and bytes: the scanner, the Jira client, the rules. Nothing else:
//                no vscode and no Node either (it also runs in a browser's extension host; see below).
//   node/        the adapters to Node that core leaves out (regular files, token places, the HTTP transport):
//                core only.
//   scanEngine/  the sources of a scan (folder walk, git listing, history stream, ignore list): core and node.
//   cli/         the command line: core, node and the scan engine; never vscode, never a feature.
//   common/      the adapters every feature shares (settings, log, UI, command arguments): core only.
//   features     connections, checks, leaks, hygiene, rotation, mcp, debug: core, node, common, the scan
//                engine, and each other; never the command line.
//   web/         the composition root in the browser (package.json `browser`): core, common, the features and api.ts,
//                built for the browser, so only the parts that need no Node.
//   the root     extension.ts (the composition root), api.ts and testSeams.ts: anything.
const FEATURES = new Set(['connections', 'checks', 'leaks', 'hygiene', 'rotation', 'mcp', 'debug']);
const FLOORS = {
  core: ['core'],
  node: ['core', 'node'],
  scanEngine: ['core', 'node', 'scanEngine'],
  cli: ['core', 'node', 'scanEngine', 'cli'],
  common: ['core', 'common'],
  feature: ['core', 'node', 'common', 'scanEngine', 'feature'],
  web: ['core', 'common', 'feature', 'web', 'root'],
};
// Node's modules that core must not import (also as node:x, and their sub-paths such as fs/promises).
const NODE_BUILTINS = builtinModules.filter((name) => !name.startsWith('_') && !name.includes('/'));
const CORE_NODE_MESSAGE = 'src/core runs in a browser too: no Node modules there. Use the web platform or move the code to src/node/.';
const SRC = path.join(import.meta.dirname, 'src');
// Packages: a folder whose public entry points are its index.ts. Outside the folder, import the index only.
const PACKAGES = ['core/scanner', 'core/jira'].map((folder) => path.join(SRC, folder));

/** The room of a file of src/ (a feature folder counts as 'feature'), 'root' for src/*.ts, undefined outside src/. */
function roomOf(file) {
  const relative = path.relative(SRC, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const [first] = relative.split(path.sep);
  if (first === relative) return 'root';
  return FEATURES.has(first) ? 'feature' : first;
}

const floorsRule = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'A room of src/ imports only the rooms its floor allows, and a package (a folder with an index.ts) only through its index (see the top of eslint.config.mjs).',
    },
    messages: {
      upward: '{{from}} may import only {{allowed}}, not {{to}}: see the floors at the top of eslint.config.mjs.',
      deep: 'Import {{package}} through its index.ts, not {{to}}: only what the index exports is public.',
    },
    schema: [],
  },
  create(context) {
    const from = roomOf(context.filename);
    if (!from || from === 'root') return {};
    const allowed = FLOORS[from] ?? [from];
    const check = (node, specifier) => {
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const target = path.resolve(path.dirname(context.filename), specifier);
      const sealed = PACKAGES.find((folder) => target.startsWith(folder + path.sep) && !context.filename.startsWith(folder + path.sep));
      if (sealed) {
        const shown = (file) =>
          path
            .relative(import.meta.dirname, file)
            .split(path.sep)
            .join('/');
        context.report({ node, messageId: 'deep', data: { package: shown(sealed), to: shown(target) } });
        return;
      }
      const to = roomOf(target);
      if (to && !allowed.includes(to)) {
        const name = (room) => ({ feature: 'a feature folder', root: 'the composition root' })[room] ?? `src/${room}/`;
        context.report({ node, messageId: 'upward', data: { from: name(from), to: name(to), allowed: allowed.map(name).join(', ') } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) =>
        node.callee.type === 'Identifier' &&
        node.callee.name === 'require' &&
        node.arguments[0]?.type === 'Literal' &&
        check(node, node.arguments[0].value),
    };
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    // Type-aware rules: every .ts file is in tsconfig.json, which the project service finds by itself.
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  // Scripts are plain JavaScript with no type information.
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        setInterval: 'readonly',
        clearInterval: 'readonly',
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // What runs in the extension host beside the extension drives the bundled extension (exports.testing,
    // commands, dist/cli.js) and loads no second copy of src/: types only from there.
    files: [
      'test/integration/**/*.ts',
      'test/support/**/*.ts',
      'test/hostile-extension/**/*.ts',
      'test/consent/**/*.ts',
      'test/compat/**/*.ts',
      'test/screenshots/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src', '**/src/**'],
              allowTypeImports: true,
              message:
                'Tests in the extension host load no copy of src/: import types only, reach values through exports.testing (test/integration/helpers.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read JSON (manifests, reports, SARIF) as `any` on purpose, stringify whatever they got for an
    // assertion's message, and write async callbacks that an interface expects whether or not they await.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { house: { rules: { floors: floorsRule } } },
    rules: { 'house/floors': 'error' },
  },
  {
    // Core code must stay free of the vscode API: it runs in plain Node (unit tests, the CLI).
    files: ['src/cli/**/*.ts', 'src/scanEngine/**/*.ts', 'src/node/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'src/core, src/node, src/scanEngine and src/cli must not import vscode.' }] },
      ],
    },
  },
  {
    // Core runs in a browser's extension host too (vscode.dev, github.dev): neither vscode nor Node there.
    // What needs Node goes to src/node/. `node esbuild.js --core-browser` (test/unit/repo/coreBrowser.test.ts)
    // bundles core for the browser and fails on what this rule cannot see (a Node import of a dependency).
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'src/core must not import vscode.' },
            ...NODE_BUILTINS.flatMap((name) => [name, `node:${name}`]).map((name) => ({ name, message: CORE_NODE_MESSAGE })),
          ],
          patterns: [{ group: ['node:*', ...NODE_BUILTINS.map((name) => `${name}/*`)], message: CORE_NODE_MESSAGE }],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['Buffer', 'process', 'require', '__dirname', '__filename', 'setImmediate', 'global'].map((name) => ({
          name,
          message: `src/core runs in a browser too, where there is no ${name}: use the web platform (core/common/bytes.ts) or move the code to src/node/.`,
        })),
      ],
    },
  },
);
