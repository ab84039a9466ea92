// Baselines: a scan's findings recorded (fingerprints and paths, never tokens), then only new ones reported,
// for a folder scan and for a history scan.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseBaseline } from '../../../src/cli/baseline';
import { fingerprintOf } from '../../../src/core/tokens/tokenShapes';
import { makeCloudToken } from '../../support/tokens';
import { type JsonReport, assertNoSecret, ensureCliBuilt, git, removeTempDirs, runCli, tempDir, writeTree } from './cliTestSupport';

describe('CLI scan --baseline / --write-baseline', function () {
  this.timeout(30_000);
  before(ensureCliBuilt);
  after(removeTempDirs);

  it('round trip on a folder: old findings silent, a new one reported, the same token in a new file reported', async () => {
    const old = [makeCloudToken(), makeCloudToken()];
    const fresh = makeCloudToken();
    const root = writeTree(tempDir(), { 'a.js': `const t = "${old[0]}";\n`, 'docs/b.md': `${old[1]}\n` });
    const baselineFile = path.join(root, '..', `${path.basename(root)}-baseline.json`);
    const first = await runCli(['scan', '.', '--write-baseline', baselineFile], { cwd: root });
    assert.strictEqual(first.code, 0, 'writing a baseline accepts what was found');
    assert.match(first.stderr, /wrote the baseline \(2 findings: fingerprints and paths, no token\) to the --write-baseline file/);
    assert.match(first.stdout, /a\.js:1:\d+ atlassian-api-token/, 'and still reports it');
    const written = fs.readFileSync(baselineFile, 'utf8');
    assertNoSecret([written], old);
    const baseline = JSON.parse(written) as {
      jiraTokenGuardBaseline: number;
      findings: Array<{ fingerprint: string; file: string; ruleId: string }>;
    };
    assert.strictEqual(baseline.jiraTokenGuardBaseline, 1);
    assert.deepStrictEqual(
      baseline.findings.map((f) => [f.file, f.fingerprint]),
      [
        ['a.js', fingerprintOf(old[0])],
        ['docs/b.md', fingerprintOf(old[1])],
      ],
    );

    const silent = await runCli(['scan', '.', '--baseline', baselineFile], { cwd: root });
    assert.strictEqual(silent.code, 0, silent.stderr);
    assert.strictEqual(silent.stdout, '');

    writeTree(root, { 'c.env': `JIRA_API_TOKEN=${fresh}\n`, 'moved.txt': `${old[0]}\n` });
    const later = await runCli(['scan', '.', '--baseline', baselineFile, '--format', 'json'], { cwd: root });
    assert.strictEqual(later.code, 1);
    assert.deepStrictEqual(
      (JSON.parse(later.stdout) as JsonReport).findings.map((f) => f.file),
      ['c.env', 'moved.txt'],
    );

    // A JSON report works as a baseline too.
    const reportFile = path.join(root, '..', `${path.basename(root)}-report.json`);
    fs.writeFileSync(reportFile, (await runCli(['scan', '.', '--format', 'json'], { cwd: root })).stdout);
    assert.strictEqual((await runCli(['scan', '.', '--baseline', reportFile], { cwd: root })).code, 0);
  });

  it('round trip on history: a token removed long ago stays silent, a new commit with a token fails', async () => {
    const old = makeCloudToken();
    const fresh = makeCloudToken();
    const repo = tempDir();
    git(repo, 'init', '-q');
    writeTree(repo, { 'cfg.js': `const t = "${old}";\n` });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'old leak');
    writeTree(repo, { 'cfg.js': 'const t = process.env.T;\n', 'copy.js': `// ${old}\n` });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'fixed, but copied');
    const baselineFile = path.join(repo, '.jtg-baseline.json');
    assert.strictEqual((await runCli(['scan', '--history', '--write-baseline', '.jtg-baseline.json'], { cwd: repo })).code, 0);
    const entries = JSON.parse(fs.readFileSync(baselineFile, 'utf8')).findings.map((f: { file: string }) => f.file);
    assert.deepStrictEqual(entries, ['cfg.js', 'copy.js'], 'every path the secret was added at');
    assert.strictEqual((await runCli(['scan', '--history', '--baseline', '.jtg-baseline.json'], { cwd: repo })).code, 0);

    writeTree(repo, { 'new.js': `const n = "${fresh}";\n` });
    git(repo, 'add', 'new.js');
    git(repo, 'commit', '-q', '-m', 'new leak');
    const result = await runCli(['scan', '--history', '--baseline', '.jtg-baseline.json', '--format', 'json'], { cwd: repo });
    assert.strictEqual(result.code, 1);
    assert.deepStrictEqual(
      (JSON.parse(result.stdout) as JsonReport).findings.map((f) => [f.file, f.fingerprint]),
      [['new.js', fingerprintOf(fresh)]],
    );
    assertNoSecret([result.stdout, result.stderr, fs.readFileSync(baselineFile, 'utf8')], [old, fresh]);
  });

  it('refuses a missing or malformed baseline with a message that names the option, not the content', async () => {
    const root = writeTree(tempDir(), {
      'bad.json': '{"findings": [{"fingerprint": "ATATT3secret-looking", "file": "x"}]}',
      'notjson.json': 'ATATT3 oops',
    });
    for (const [file, reason] of [
      ['missing.json', /cannot read the --baseline file: no such file or directory/],
      ['bad.json', /without a SHA-256 "fingerprint"/],
      ['notjson.json', /is not JSON/],
    ] as const) {
      const result = await runCli(['scan', '.', '--baseline', file], { cwd: root });
      assert.strictEqual(result.code, 2);
      assert.match(result.stderr, reason);
      assert.ok(!result.stderr.includes('ATATT3') && !result.stderr.includes(file), result.stderr);
    }
    assert.throws(() => parseBaseline('{"findings": {}}'), /no "findings" list/);
  });
});
