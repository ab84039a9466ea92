// The command's own files: the report (--output), the baseline it writes (--write-baseline) and the one it
// reads (--baseline). A pull request can commit any of them as a symbolic link, a FIFO or a huge file; the
// command writes and reads regular files only, and says which option was refused, never the path or content.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { replaceRegularFile } from '../../../src/node/regularFile';
import { makeCloudToken } from '../../support/tokens';
import { type JsonReport, ensureCliBuilt, removeTempDirs, runCli, tempDir, writeTree } from './cliTestSupport';

describe("CLI scan: its own files are regular files, never a link's target", function () {
  this.timeout(30_000);
  before(ensureCliBuilt);
  after(removeTempDirs);

  const token = makeCloudToken();
  /** A tree with a finding, and a file outside it that a committed link points at. */
  function treeAndVictim(): { root: string; victim: string } {
    const root = writeTree(tempDir(), { 'src/a.js': `const t = "${token}";\n` });
    const victim = path.join(tempDir(), 'victim.txt');
    fs.writeFileSync(victim, 'precious\n');
    return { root, victim };
  }
  const leftovers = (dir: string) => fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'));

  for (const [option, what] of [
    ['--output', 'the --output file'],
    ['--write-baseline', 'the --write-baseline file'],
  ] as const) {
    it(`${option} onto a committed symbolic link: exit 2 naming the option, the link's target untouched`, async () => {
      const { root, victim } = treeAndVictim();
      const link = path.join(root, 'jira-token-guard.sarif');
      fs.symlinkSync(victim, link);
      const result = await runCli(['scan', '.', '--format', 'sarif', option, 'jira-token-guard.sarif'], { cwd: root });
      assert.strictEqual(result.code, 2, result.stderr);
      assert.strictEqual(
        result.stderr,
        `jira-token-guard: ${what} is a symbolic link or not a regular file (a FIFO, device or folder): not written\n`,
      );
      assert.strictEqual(fs.readFileSync(victim, 'utf8'), 'precious\n');
      assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link is left as it is');
      assert.deepStrictEqual(leftovers(root), []);

      // A dangling link: nothing is created where it points either.
      const dangling = path.join(path.dirname(victim), 'created-through-link.txt');
      fs.rmSync(link);
      fs.symlinkSync(dangling, link);
      assert.strictEqual((await runCli(['scan', '.', option, 'jira-token-guard.sarif'], { cwd: root })).code, 2);
      assert.ok(!fs.existsSync(dangling));
    });

    it(`${option} onto a FIFO or a folder is refused before the scan, without blocking`, async () => {
      const { root } = treeAndVictim();
      execFileSync('mkfifo', [path.join(root, 'fifo')]);
      fs.mkdirSync(path.join(root, 'folder'));
      for (const target of ['fifo', 'folder']) {
        const result = await runCli(['scan', '.', option, target], { cwd: root, killAfterMs: 10_000 });
        assert.strictEqual(result.code, 2, `killed or failed after ${result.ms} ms: ${result.stderr}`);
        assert.match(result.stderr, /is a symbolic link or not a regular file/);
      }
    });
  }

  it('--output replaces a regular file through a new file beside it: its mode kept, nothing left over; a linked folder the user names is fine', async () => {
    const { root } = treeAndVictim();
    const reports = tempDir();
    const out = path.join(reports, 'report.json');
    fs.writeFileSync(out, 'old report');
    fs.chmodSync(out, 0o640);
    fs.symlinkSync(reports, path.join(root, 'reports'));
    const result = await runCli(['scan', '.', '--format', 'json', '--output', 'reports/report.json'], { cwd: root });
    assert.strictEqual(result.code, 1, result.stderr);
    assert.strictEqual((JSON.parse(fs.readFileSync(out, 'utf8')) as JsonReport).findings.length, 1);
    assert.strictEqual(fs.statSync(out).mode & 0o777, 0o640);
    assert.deepStrictEqual(leftovers(reports), []);
  });

  describe('--baseline is read only when a regular file of at most 32 MB', () => {
    const expectRefused = async (root: string, reason: RegExp): Promise<void> => {
      const result = await runCli(['scan', '.', '--baseline', 'baseline.json'], { cwd: root, killAfterMs: 10_000 });
      assert.strictEqual(result.code, 2, `killed or failed after ${result.ms} ms: ${result.stderr}`);
      assert.match(result.stderr, reason);
      assert.ok(!result.stderr.includes('baseline.json'), result.stderr);
    };

    it('a FIFO returns promptly with an error', async () => {
      const { root } = treeAndVictim();
      execFileSync('mkfifo', [path.join(root, 'baseline.json')]);
      await expectRefused(
        root,
        /^jira-token-guard: the --baseline file is not a regular file \(a symbolic link, FIFO, device or folder\): not read$/m,
      );
    });

    it('a link to /dev/zero (or to a real baseline) is not followed', async () => {
      const { root } = treeAndVictim();
      fs.symlinkSync('/dev/zero', path.join(root, 'baseline.json'));
      await expectRefused(root, /the --baseline file is not a regular file/);
      const real = path.join(tempDir(), 'real.json');
      fs.writeFileSync(real, '{"findings": []}');
      fs.rmSync(path.join(root, 'baseline.json'));
      fs.symlinkSync(real, path.join(root, 'baseline.json'));
      await expectRefused(root, /the --baseline file is not a regular file/);
    });

    it('a 300 MB file is not read', async () => {
      const { root } = treeAndVictim();
      const file = path.join(root, 'baseline.json');
      fs.writeFileSync(file, '{"findings": [');
      fs.truncateSync(file, 300 * 1024 * 1024); // sparse: costs no disk
      await expectRefused(root, /^jira-token-guard: the --baseline file is larger than 32 MB: not read$/m);
    });
  });
});

describe('replaceRegularFile', () => {
  after(removeTempDirs);

  it('writes a new file, replaces a regular one, and leaves a link, FIFO or folder alone', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.txt');
    assert.strictEqual(await replaceRegularFile(file, 'one'), 'written');
    assert.strictEqual(await replaceRegularFile(file, 'two'), 'written');
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'two');
    const victim = path.join(dir, 'victim');
    fs.writeFileSync(victim, 'precious');
    fs.symlinkSync(victim, path.join(dir, 'link'));
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    fs.mkdirSync(path.join(dir, 'folder'));
    for (const name of ['link', 'fifo', 'folder'])
      assert.strictEqual(await replaceRegularFile(path.join(dir, name), 'x'), 'not-regular', name);
    assert.strictEqual(fs.readFileSync(victim, 'utf8'), 'precious');
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['a.txt', 'fifo', 'folder', 'link', 'victim']);
  });
});
