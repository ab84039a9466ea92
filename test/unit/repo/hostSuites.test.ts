// The suites that run in the extension host beside the extension (integration, hostile extension,
// screenshots) drive it as it is bundled. A module of src/ loaded by them would be a second copy of the code,
// with its own classes and state, that a test could pass against instead. Lint lets them import only types
// from src/; this follows what the compiled suites really require, dynamic loads included.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const out = path.resolve(__dirname, '..', '..', '..');
const HOST_SUITES = ['integration', path.join('integration', 'atStart'), 'hostile-extension', 'consent', 'compat', 'screenshots'].map(
  (folder) => path.join(out, 'test', folder),
);

/** Every compiled module reachable through relative requires from the given files. */
function reachable(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const pending = [...entries];
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.js') || !fs.existsSync(file)) continue;
    for (const [, specifier] of fs.readFileSync(file, 'utf8').matchAll(/\brequire\(\s*["'](\.{1,2}\/[^"']*)["']\s*\)/g)) {
      const target = path.resolve(path.dirname(file), specifier);
      const resolved = [target, `${target}.js`, path.join(target, 'index.js')].find(
        (candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile(),
      );
      // Outside out/ (package.json, the repository's files) is not compiled code.
      pending.push(resolved ?? target);
    }
  }
  return seen;
}

describe('suites in the extension host', () => {
  it('load no module of src/: they reach the bundled extension through exports.testing and its commands', () => {
    const entries = HOST_SUITES.flatMap((dir) =>
      fs.existsSync(dir)
        ? fs
            .readdirSync(dir)
            .filter((f) => f.endsWith('.js'))
            .map((f) => path.join(dir, f))
        : [],
    );
    const modules = reachable(entries);
    assert.ok(modules.has(path.join(out, 'test', 'integration', 'helpers.js')), 'the compiled integration suite is there to follow');
    assert.ok(modules.has(path.join(out, 'test', 'support', 'fakeJira.js')), 'and its support modules are followed');
    const fromSrc = [...modules].filter((m) => m.startsWith(path.join(out, 'src') + path.sep)).map((m) => path.relative(out, m));
    assert.deepStrictEqual(fromSrc, []);
  });
});
