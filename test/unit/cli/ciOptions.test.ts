// What gitleaks and ggshield users reach for first (issue 26): standard input, --exit-zero, the fingerprint on
// each text line, `ignore` writing the ignore list, --write-baseline saying what it wrote, and the warning of a
// history scan in a shallow clone.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fingerprintOf } from '../../../src/core/tokens/tokenShapes';
import { IGNORE_FILE_HEADER } from '../../../src/core/files/ignoreFileFormat';
import { makeCloudToken, makeDataCenterPat } from '../../support/tokens';
import { type JsonReport, assertNoSecret, ensureCliBuilt, git, removeTempDirs, runCli, tempDir, writeTree } from './cliTestSupport';

describe('CLI for CI: stdin, --exit-zero, ignore, baselines, shallow clones', function () {
  this.timeout(30_000);
  before(ensureCliBuilt);
  after(removeTempDirs);

  describe('scan - (standard input)', () => {
    it('scans standard input, reported as stdin or as --stdin-name', async () => {
      const token = makeCloudToken();
      const cwd = tempDir();
      const plain = await runCli(['scan', '-', '--format', 'json'], { cwd, input: `JIRA_API_TOKEN=${token}\n` });
      assert.strictEqual(plain.code, 1, plain.stderr);
      const report = JSON.parse(plain.stdout) as JsonReport;
      assert.deepStrictEqual(
        report.findings.map((f) => [f.file, f.line, f.fingerprint]),
        [['stdin', 1, fingerprintOf(token)]],
      );
      const named = await runCli(['scan', '-', '--stdin-name', 'config/app.env'], { cwd, input: `JIRA_API_TOKEN=${token}\n` });
      assert.strictEqual(named.code, 1);
      assert.match(named.stdout, /^config\/app\.env:1:16 atlassian-api-token high /);
      assertNoSecret([plain.stdout, plain.stderr, named.stdout, named.stderr], [token]);
      const clean = await runCli(['scan', '-'], { cwd, input: 'nothing to see\n' });
      assert.strictEqual(clean.code, 0, clean.stderr);
      assert.strictEqual(clean.stdout, '');
      assert.match(clean.stderr, /^No leaked Jira tokens: 1 file scanned/);
    });

    it('honours the current folder ignore list; larger than --max-file-size is an error, not a pass', async () => {
      const token = makeCloudToken();
      const cwd = writeTree(tempDir(), { '.jira-token-guard-ignore': `${fingerprintOf(token)}\n` });
      assert.strictEqual((await runCli(['scan', '-'], { cwd, input: `${token}\n` })).code, 0);
      const big = await runCli(['scan', '-', '--max-file-size', '1k'], { cwd, input: `${'x'.repeat(4096)}\n${makeCloudToken()}\n` });
      assert.strictEqual(big.code, 2);
      assert.match(big.stderr, /standard input is larger than --max-file-size: it was not scanned/);
    });

    it('refuses - with other paths, --staged or --history, and --stdin-name without - or outside the folder', async () => {
      for (const args of [
        ['scan', '-', '.'],
        ['scan', '--staged', '-'],
        ['scan', '--history', '-'],
        ['scan', '.', '--stdin-name', 'x'],
        ['scan', '-', '--stdin-name', '../x'],
        ['scan', '-', '--stdin-name', '/etc/passwd'],
      ]) {
        const result = await runCli(args, { cwd: tempDir() });
        assert.strictEqual(result.code, 2, args.join(' '));
        assert.match(result.stderr, /^jira-token-guard: .*(standard input|--stdin-name)/, args.join(' '));
      }
    });
  });

  it('--exit-zero: the findings are reported and the exit status is 0; a read error is still 2', async () => {
    const token = makeCloudToken();
    const root = writeTree(tempDir(), { 'a.js': `const t = "${token}";\n` });
    const result = await runCli(['scan', root, '--exit-zero']);
    assert.strictEqual(result.code, 0);
    assert.match(result.stdout, /^a\.js:1:12 atlassian-api-token high /);
    assert.match(result.stderr, /1 possible Jira token leak/);
    assert.strictEqual((await runCli(['scan', path.join(root, 'missing'), '--exit-zero'])).code, 2);
  });

  describe('jira-token-guard ignore', () => {
    it('appends fingerprints in the editor format, each once, and a rescan is clean', async () => {
      const [a, b] = [makeCloudToken(), makeDataCenterPat()];
      const root = writeTree(tempDir(), { 'a.js': `const t = "${a}";\n`, 'b.env': `JIRA_PAT=${b}\n` });
      const scan = await runCli(['scan', '.'], { cwd: root });
      assert.strictEqual(scan.code, 1);
      const printed = [...scan.stdout.matchAll(/fingerprint ([0-9a-f]{64})$/gm)].map((m) => m[1]);
      assert.deepStrictEqual(printed.sort(), [fingerprintOf(a), fingerprintOf(b)].sort());

      const first = await runCli(['ignore', printed[0], printed[0].toUpperCase()], { cwd: root });
      assert.strictEqual(first.code, 0, first.stderr);
      assert.strictEqual(first.stdout, 'Added 1 fingerprint to .jira-token-guard-ignore.\n');
      const again = await runCli(['ignore', ...printed], { cwd: root });
      assert.strictEqual(again.stdout, 'Added 1 fingerprint to .jira-token-guard-ignore (1 fingerprint already there).\n');
      const none = await runCli(['ignore', printed[1]], { cwd: root });
      assert.strictEqual(none.stdout, 'Nothing to add to .jira-token-guard-ignore (1 fingerprint already there).\n');
      const list = fs.readFileSync(path.join(root, '.jira-token-guard-ignore'), 'utf8');
      assert.strictEqual(list, `${IGNORE_FILE_HEADER}${printed[0]}\n${printed[1]}\n`, 'the header the editor writes, then one line each');
      assertNoSecret([list], [a, b]);
      const rescan = await runCli(['scan', '.'], { cwd: root });
      assert.strictEqual(rescan.code, 0, rescan.stdout);
    });

    it('ignore --from a JSON report, then a clean rescan', async () => {
      const tokens = [makeCloudToken(), makeCloudToken(), makeDataCenterPat()];
      const root = writeTree(tempDir(), {
        'src/a.js': `const t = "${tokens[0]}";\n`,
        'docs/b.md': `${tokens[1]}\n`,
        '.env': `JIRA_PAT=${tokens[2]}\n`,
        '.jira-token-guard-ignore': '# ours\nabc\n',
      });
      const report = await runCli(['scan', '.', '--format', 'json', '--output', path.join(root, '..', 'report.json')], { cwd: root });
      assert.strictEqual(report.code, 1);
      const added = await runCli(['ignore', '--from', '../report.json'], { cwd: root });
      assert.strictEqual(added.code, 0, added.stderr);
      assert.strictEqual(added.stdout, 'Added 3 fingerprints to .jira-token-guard-ignore.\n');
      const list = fs.readFileSync(path.join(root, '.jira-token-guard-ignore'), 'utf8');
      assert.ok(list.startsWith('# ours\nabc\n'), 'what was there stays');
      assert.ok(list.includes(`${fingerprintOf(tokens[0])} # atlassian-api-token at src/a.js:1\n`), list);
      const rescan = await runCli(['scan', '.'], { cwd: root });
      assert.strictEqual(rescan.code, 0, rescan.stdout);
      assert.strictEqual(
        (await runCli(['ignore', '--from', '../report.json'], { cwd: root })).stdout,
        'Nothing to add to .jira-token-guard-ignore (3 fingerprints already there).\n',
      );
    });

    it('refuses a link or FIFO in place of the list, and never repeats an argument that is not a fingerprint', async () => {
      const root = tempDir();
      const target = path.join(root, 'target.txt');
      fs.writeFileSync(target, 'untouched\n');
      fs.symlinkSync(target, path.join(root, '.jira-token-guard-ignore'));
      const fingerprint = fingerprintOf(makeCloudToken());
      const linked = await runCli(['ignore', fingerprint], { cwd: root });
      assert.strictEqual(linked.code, 2);
      assert.match(linked.stderr, /is a symbolic link or not a regular file \(a FIFO, device or folder\): not written/);
      assert.strictEqual(fs.readFileSync(target, 'utf8'), 'untouched\n');
      const fifoRoot = tempDir();
      execFileSync('mkfifo', [path.join(fifoRoot, '.jira-token-guard-ignore')]);
      const fifo = await runCli(['ignore', fingerprint], { cwd: fifoRoot, killAfterMs: 5000 });
      assert.strictEqual(fifo.code, 2);

      const token = makeCloudToken();
      const pasted = await runCli(['ignore', token], { cwd: tempDir() });
      assert.strictEqual(pasted.code, 2);
      assert.match(pasted.stderr, /argument 1 is not a fingerprint/);
      assertNoSecret([pasted.stdout, pasted.stderr], [token]);
      assert.strictEqual((await runCli(['ignore'], { cwd: tempDir() })).code, 2);
    });
  });

  it('scan --history in a shallow clone says how many commits it could see, and fetch-depth: 0', async () => {
    const origin = tempDir();
    git(origin, 'init', '-q');
    for (const n of [1, 2, 3]) {
      writeTree(origin, { [`f${n}.txt`]: `${n}\n` });
      git(origin, 'add', '-A');
      git(origin, 'commit', '-q', '-m', `c${n}`);
    }
    const clone = path.join(tempDir(), 'clone');
    git(origin, 'clone', '-q', '--depth', '1', `file://${origin}`, clone);
    const shallow = await runCli(['scan', '--history'], { cwd: clone });
    assert.strictEqual(shallow.code, 0, shallow.stderr);
    assert.match(shallow.stderr, /warning: this is a shallow clone: the history scan could see 1 commit only.*fetch-depth: 0/);
    const full = await runCli(['scan', '--history'], { cwd: origin });
    assert.doesNotMatch(full.stderr, /shallow/);
  });
});
