// src/core/ runs in a browser's extension host too (vscode.dev, github.dev), where there is no Node: the lint
// rule refuses Node modules and globals in its files, and `node esbuild.js --core-browser` bundles it for the
// browser and fails on a Node import anywhere it reaches, dependencies included. Here that build runs, refuses
// a deliberate violation, and core's scanner, bundled for the browser, finds a token in a sandbox with the web
// platform's globals only, with its WebAssembly kernels and with the portable fallback where there is none.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import { makeCloudToken, makeDataCenterPat } from '../../support/tokens';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

interface BrowserScanner {
  scan(text: string, options?: object): Array<{ ruleId: string; start: number; end: number; fingerprint: string }>;
  scanFileBytes(bytes: Uint8Array, options: object, includeBinary: boolean): unknown;
}

/** A sandbox with what a browser's web worker has and none of Node's globals. */
function webWorkerGlobals(withWebAssembly: boolean): vm.Context {
  const globals: Record<string, unknown> = {
    TextEncoder,
    TextDecoder,
    URL,
    AbortController,
    setTimeout,
    clearTimeout,
    queueMicrotask,
    console,
  };
  if (withWebAssembly) globals.WebAssembly = (globalThis as { WebAssembly?: unknown }).WebAssembly;
  return vm.createContext(globals);
}

describe('core for the browser (node esbuild.js --core-browser)', function () {
  this.timeout(120_000);

  it('bundles src/core for the browser with no Node import, and prints its size', () => {
    const out = execFileSync(process.execPath, ['esbuild.js', '--core-browser'], { cwd: REPO, encoding: 'utf8', stdio: 'pipe' });
    assert.match(out, /core for the browser: [\d.]+ KB minified, [\d.]+ KB gzipped .*no Node import/);
  });

  it('fails on a Node import and on a Node global (deliberate violations)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-core-browser-'));
    try {
      const cases: Array<[string, RegExp]> = [
        ["import { createHash } from 'crypto';\nexport const x = createHash;\n", /Could not resolve "crypto"/],
        ["import * as zlib from 'node:zlib';\nexport const x = zlib;\n", /node:zlib/],
        ["export const x = Buffer.from('a');\n", /uses Node's Buffer/],
        ['export const x = () => process.env.HOME;\n', /uses Node's process/],
      ];
      for (const [index, [code, expected]] of cases.entries()) {
        const file = path.join(dir, `violation${index}.ts`);
        fs.writeFileSync(file, code);
        const result = spawnSync(process.execPath, ['esbuild.js', '--core-browser', file], { cwd: REPO, encoding: 'utf8' });
        assert.notStrictEqual(result.status, 0, code);
        assert.match(result.stderr, expected, code);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const withWebAssembly of [true, false]) {
    it(`finds tokens with web globals only, ${withWebAssembly ? 'with its WebAssembly kernels' : 'with the portable kernels (no WebAssembly)'}`, async () => {
      const bundle = await esbuild.build({
        entryPoints: [path.join(REPO, 'src', 'core', 'scanner', 'index.ts')],
        bundle: true,
        format: 'iife',
        globalName: 'coreScanner',
        platform: 'browser',
        target: 'es2022',
        write: false,
        logLevel: 'silent',
      });
      const sandbox = webWorkerGlobals(withWebAssembly);
      vm.runInContext(`${bundle.outputFiles[0].text}\nthis.coreScanner = coreScanner;`, sandbox);
      const scanner = (sandbox as { coreScanner: BrowserScanner }).coreScanner;
      const token = makeCloudToken();
      const pat = makeDataCenterPat();
      const text = `JIRA_API_TOKEN=${token}\nJIRA_PAT="${pat}"\nclean é line ${'x'.repeat(70_000)}\n`;
      const found = scanner.scan(text);
      // Array.from: the sandbox's arrays have another realm's prototype.
      assert.deepStrictEqual(
        Array.from(found, (f) => text.slice(f.start, f.end)),
        [token, pat],
      );
      assert.strictEqual(found[0].fingerprint, createHash('sha256').update(token, 'utf8').digest('hex'));
      const bytes = new TextEncoder().encode(text);
      const located = scanner.scanFileBytes(bytes, { fileName: 'a.env' }, false) as Array<{ start: number }>;
      assert.strictEqual(located.length, 2, JSON.stringify(located));
    });
  }
});
