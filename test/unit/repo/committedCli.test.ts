// The command line the repository carries built (bin/cli.js, bin/cli-check.js), which the pre-commit hooks and
// the GitHub action run without installing or building anything: it must be what a fresh build makes of the
// sources, byte for byte. After a change to src/: `node esbuild.js --committed-cli`, and commit bin/.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

describe('committed command line (bin/)', function () {
  this.timeout(60_000);

  it('bin/cli.js and bin/cli-check.js equal a fresh build of the sources', () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-bin-'));
    try {
      execFileSync(process.execPath, ['esbuild.js', '--committed-cli', fresh], { cwd: REPO, stdio: 'pipe' });
      for (const name of ['cli.js', 'cli-check.js']) {
        const committed = fs.readFileSync(path.join(REPO, 'bin', name));
        assert.ok(committed.equals(fs.readFileSync(path.join(fresh, name))), `bin/${name} is stale: run node esbuild.js --committed-cli`);
      }
      assert.ok((fs.statSync(path.join(REPO, 'bin', 'cli.js')).mode & 0o111) !== 0, 'bin/cli.js is executable');
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('runs with no node_modules at all: --version and a scan of standard input', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-bin-copy-'));
    try {
      for (const name of ['cli.js', 'cli-check.js']) fs.copyFileSync(path.join(REPO, 'bin', name), path.join(copy, name));
      const version = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
      assert.strictEqual(
        execFileSync(process.execPath, [path.join(copy, 'cli.js'), '--version'], { cwd: copy, encoding: 'utf8' }),
        `${version}\n`,
      );
      assert.strictEqual(
        execFileSync(process.execPath, [path.join(copy, 'cli.js'), 'scan', '-'], {
          cwd: copy,
          input: 'clean\n',
          encoding: 'utf8',
          stdio: ['pipe', 'pipe', 'pipe'],
        }),
        '',
      );
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});
