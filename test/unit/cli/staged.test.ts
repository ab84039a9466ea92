import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { fingerprintOf } from '../../../src/core/tokens/tokenShapes';
import { makeCloudToken } from '../../support/tokens';
import { type JsonReport, assertNoSecret, ensureCliBuilt, git, removeTempDirs, runCli, tempDir, writeTree } from './cliTestSupport';

describe('CLI scan --staged', function () {
  this.timeout(20_000);
  let repo: string;
  const stagedOnly = makeCloudToken();
  const unstaged = makeCloudToken();
  const committed = makeCloudToken();
  const accepted = makeCloudToken();
  const forcedIntoNodeModules = makeCloudToken();

  before(() => {
    ensureCliBuilt();
    repo = tempDir();
    git(repo, 'init', '-q');
    // Already in history: not part of the next commit, so not the hook's business.
    writeTree(repo, { 'old.js': `const t = "${committed}";\n`, 'src/app.js': 'export const a = 1;\n' });
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'init');

    // Staged with a token, then cleaned in the working tree only: the commit would still carry it.
    writeTree(repo, { 'src/app.js': `export const a = 1;\nconst JIRA_API_TOKEN = "${stagedOnly}";\n` });
    git(repo, 'add', 'src/app.js');
    writeTree(repo, { 'src/app.js': 'export const a = 1;\nconst JIRA_API_TOKEN = process.env.JIRA_API_TOKEN;\n' });
    // In the working tree only: not staged, not reported.
    writeTree(repo, { 'notes.txt': `${unstaged}\n` });
    // A staged file under node_modules and one whose fingerprint the staged ignore list accepts.
    writeTree(repo, {
      'node_modules/dep/index.js': `module.exports = "${forcedIntoNodeModules}";\n`,
      'test/fixture.js': `const demo = "${accepted}";\n`,
      '.jira-token-guard-ignore': `${fingerprintOf(accepted)} # test fixture\n`,
    });
    git(repo, 'add', '-f', 'node_modules/dep/index.js', 'test/fixture.js', '.jira-token-guard-ignore');
  });
  after(removeTempDirs);

  it('scans what the index holds, not the working tree, with paths relative to the repository top', async () => {
    const result = await runCli(['scan', '--staged', '--format', 'json'], { cwd: repo });
    assert.strictEqual(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.deepStrictEqual(
      report.findings.map((f) => [f.file, f.line, f.fingerprint]),
      [
        ['node_modules/dep/index.js', 1, fingerprintOf(forcedIntoNodeModules)],
        ['src/app.js', 2, fingerprintOf(stagedOnly)],
      ],
    );
    assert.strictEqual(report.scannedFiles, 4, 'node_modules/dep/index.js, src/app.js, test/fixture.js, .jira-token-guard-ignore');
    assertNoSecret([result.stdout, result.stderr], [stagedOnly, unstaged, committed, accepted]);

    const workingTree = await runCli(['scan', '--format', 'json'], { cwd: repo });
    const files = (JSON.parse(workingTree.stdout) as JsonReport).findings.map((f) => f.file);
    assert.ok(!files.includes('src/app.js') && files.includes('notes.txt'), 'a plain scan reads the working tree');
  });

  it('works from a subfolder, narrows to pathspecs, and skips no folder (a forced `git add -f node_modules/…` is scanned)', async () => {
    const fromSub = await runCli(['scan', '--staged', '--format', 'json'], { cwd: path.join(repo, 'src') });
    assert.deepStrictEqual(
      (JSON.parse(fromSub.stdout) as JsonReport).findings.map((f) => f.file),
      ['node_modules/dep/index.js', 'src/app.js'],
    );
    const narrowed = await runCli(['scan', '--staged', 'test', '--format', 'json'], { cwd: repo });
    assert.strictEqual(narrowed.code, 0);
    assert.deepStrictEqual((JSON.parse(narrowed.stdout) as JsonReport).findings, []);
    const deps = await runCli(['scan', '--staged', 'node_modules', '--format', 'json'], { cwd: repo });
    assert.strictEqual(deps.code, 1, deps.stderr);
    assert.deepStrictEqual(
      (JSON.parse(deps.stdout) as JsonReport).findings.map((f) => f.file),
      ['node_modules/dep/index.js'],
    );
  });

  it('exits 0 when nothing staged leaks, so the hook lets the commit through', async () => {
    const clean = tempDir();
    git(clean, 'init', '-q');
    writeTree(clean, { 'a.txt': 'hello\n', 'b.txt': `${makeCloudToken()}\n` });
    git(clean, 'add', 'a.txt');
    const result = await runCli(['scan', '--staged'], { cwd: clean });
    assert.strictEqual(result.code, 0, result.stderr);
    assert.match(result.stderr, /No leaked Jira tokens: 1 file scanned/);
  });

  it('exits 2 outside a git repository', async () => {
    const plain = tempDir();
    fs.writeFileSync(path.join(plain, 'a.txt'), 'x\n');
    const result = await runCli(['scan', '--staged'], { cwd: plain, env: { GIT_CEILING_DIRECTORIES: path.dirname(plain) } });
    assert.strictEqual(result.code, 2);
    assert.match(result.stderr, /^jira-token-guard: --staged needs a git repository: .+\n$/);
  });
});
