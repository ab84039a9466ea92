// `scan --history` on a repository generated here: a token added then removed, a token only on another
// branch, the same token added again elsewhere, ranges and dates; commit ids asserted in all three formats.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  PatchParser,
  type AddedText,
  historyGitArgs,
  newHistoryCounters,
  printable,
  scanHistory,
  unquotePath,
} from '../../../src/scanEngine/history';
import { generateRepository } from '../../support/generatedRepo';
import { fingerprintOf } from '../../../src/core/tokens/tokenShapes';
import { makeCloudToken, makeDataCenterPat } from '../../support/tokens';
import {
  type JsonReport,
  assertNoSecret,
  ensureCliBuilt,
  gitWith,
  removeTempDirs,
  runCli,
  tempDir,
  writeTree,
} from '../cli/cliTestSupport';

type HistoryJson = Omit<JsonReport, 'findings'> & {
  scannedCommits: number;
  findings: Array<
    JsonReport['findings'][number] & {
      commit: string;
      author: string;
      date: string;
      alsoAddedIn: Array<{ commit: string; file: string; line: number; author: string; date: string }>;
    }
  >;
};

/** The author date of the commit made at step `when`, as git's %aI shows it. */
function isoAt(when: number): string {
  return new Date((1_700_000_000 + when * 3600) * 1000).toISOString().replace('.000Z', '+00:00');
}

/** git with a fixed identity and date, so the order of commits is the order they are made. */
function gitAt(cwd: string, when: number, author: string, ...args: string[]): string {
  const date = `${1_700_000_000 + when * 3600} +0000`;
  const identity = {
    GIT_AUTHOR_NAME: author,
    GIT_AUTHOR_EMAIL: 'dev@example.com',
    GIT_COMMITTER_NAME: 'c',
    GIT_COMMITTER_EMAIL: 'c@example.com',
  };
  return gitWith({ ...identity, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }, cwd, ...args).trim();
}

describe('CLI scan --history', function () {
  this.timeout(30_000);
  const removed = makeCloudToken(); // added on main, removed in the next commit, added again on the branch
  const branchOnly = makeDataCenterPat();
  const stillThere = makeCloudToken();
  const secrets = [removed, branchOnly, stillThere];
  let repo: string;
  const ids: Record<string, string> = {};

  before(() => {
    ensureCliBuilt();
    repo = tempDir('jtg-history-');
    let when = 0;
    const commit = (name: string, message: string, author = 'Dana Dev') => {
      gitAt(repo, ++when, author, 'add', '-A');
      gitAt(repo, when, author, 'commit', '-q', '-m', message);
      ids[name] = gitAt(repo, when, author, 'rev-parse', 'HEAD');
    };
    gitAt(repo, 0, 'x', 'init', '-q', '-b', 'main');
    writeTree(repo, { 'src/app.js': 'export const a = 1;\n', 'README.md': '# demo\n' });
    commit('init', 'init');
    writeTree(repo, { 'src/app.js': `export const a = 1;\nexport const b = 2;\nconst JIRA_API_TOKEN = "${removed}";\n` });
    commit('addRemoved', 'add config');
    writeTree(repo, { 'src/app.js': 'export const a = 1;\nexport const b = 2;\nconst JIRA_API_TOKEN = process.env.JIRA_API_TOKEN;\n' });
    commit('removeIt', 'read the token from the environment');
    gitAt(repo, when, 'x', 'checkout', '-q', '-b', 'feature');
    writeTree(repo, { 'ci/jira-dc.sh': `export JIRA_PAT="${branchOnly}"\n`, 'docs/old.md': `Old token:\n\n    ${removed}\n` });
    // An author name with a terminal escape: it must come out escaped in the text format.
    commit('onBranch', 'ci script', 'Mallory \u001b[2J');
    gitAt(repo, when, 'x', 'checkout', '-q', 'main');
    writeTree(repo, { 'deploy/settings.env': `JIRA_API_TOKEN=${stillThere}\n` });
    commit('onMain', 'deploy settings');
  });
  after(removeTempDirs);

  it('finds every secret ever added on any branch, with the commit, author, date and path of its first commit (json)', async () => {
    const result = await runCli(['scan', '--history', '--format', 'json'], { cwd: repo });
    assert.strictEqual(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as HistoryJson;
    assert.strictEqual(report.scannedCommits, 5);
    const byFingerprint = new Map(report.findings.map((f) => [f.fingerprint, f]));
    assert.strictEqual(report.findings.length, 3, 'one finding per secret');

    const gone = byFingerprint.get(fingerprintOf(removed))!;
    assert.deepStrictEqual(
      [gone.file, gone.line, gone.commit, gone.author],
      ['src/app.js', 3, ids.addRemoved, 'Dana Dev <dev@example.com>'],
    );
    assert.strictEqual(gone.date, isoAt(2));
    assert.deepStrictEqual(
      gone.alsoAddedIn.map((o) => [o.commit, o.file, o.line]),
      [[ids.onBranch, 'docs/old.md', 3]],
      'added again on the branch: listed after the first',
    );

    const pat = byFingerprint.get(fingerprintOf(branchOnly))!;
    assert.deepStrictEqual([pat.file, pat.line, pat.commit, pat.ruleId], ['ci/jira-dc.sh', 1, ids.onBranch, 'jira-dc-pat']);
    assert.strictEqual(byFingerprint.get(fingerprintOf(stillThere))!.commit, ids.onMain);
    assertNoSecret([result.stdout, result.stderr], secrets);
  });

  it('names the commits in the text format, escaping control characters from the repository', async () => {
    const result = await runCli(['scan', '--history'], { cwd: repo });
    assert.strictEqual(result.code, 1);
    const lines = result.stdout.split('\n');
    const first = lines.find((l) => l.startsWith('src/app.js:3:25 atlassian-api-token high'));
    assert.ok(first?.endsWith(`in commit ${ids.addRemoved} ${isoAt(2)} Dana Dev <dev@example.com>`), first);
    assert.ok(
      lines.includes(`  also added in commit ${ids.onBranch} ${isoAt(4)} Mallory \\x1b[2J <dev@example.com> at docs/old.md:3:5`),
      result.stdout,
    );
    assert.ok(!result.stdout.includes('\u001b'), 'no raw escape reaches the terminal');
    assert.match(result.stderr, /^3 possible Jira token leaks in history \(5 commits, 7 file changes scanned in [\d.]+ s\)\.\n/);
    assert.ok(!/Scanning/.test(result.stderr), 'no progress line when stderr is not a terminal');
    assertNoSecret([result.stdout, result.stderr], secrets);
  });

  it('puts the commit in SARIF properties and the other commits in related locations', async () => {
    const result = await runCli(['scan', '--history', '--format', 'sarif'], { cwd: repo });
    assert.strictEqual(result.code, 1);
    const sarif = JSON.parse(result.stdout) as {
      runs: Array<{
        results: Array<{
          ruleId: string;
          message: { text: string };
          partialFingerprints: Record<string, string>;
          properties: { commit: string; author: string; date: string; alsoAddedIn: number };
          relatedLocations?: Array<{
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
            message: { text: string };
          }>;
          locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
        }>;
        originalUriBaseIds: Record<string, { uri: string }>;
      }>;
    };
    const results = sarif.runs[0].results;
    const gone = results.find((r) => r.partialFingerprints['secretSha256/v1'] === fingerprintOf(removed))!;
    assert.strictEqual(gone.properties.commit, ids.addRemoved);
    assert.strictEqual(gone.properties.alsoAddedIn, 1);
    assert.match(gone.message.text, new RegExp(`First added in commit ${ids.addRemoved} .*and in 1 more place since`));
    assert.deepStrictEqual(
      gone.relatedLocations!.map((l) => [l.physicalLocation.artifactLocation.uri, l.physicalLocation.region.startLine]),
      [['docs/old.md', 3]],
    );
    assert.ok(gone.relatedLocations![0].message.text.includes(ids.onBranch));
    const pat = results.find((r) => r.ruleId === 'jira-dc-pat')!;
    assert.strictEqual(pat.properties.commit, ids.onBranch);
    assert.strictEqual(pat.relatedLocations, undefined);
    assert.strictEqual(sarif.runs[0].originalUriBaseIds['%SRCROOT%'].uri, `${pathToFileURL(repo).href}/`);
    assertNoSecret([result.stdout], secrets);
  });

  it('scans only a range: the pull request of the branch, or commits that exclude the token', async () => {
    const pr = JSON.parse(
      (await runCli(['scan', '--history', '--range', 'main..feature', '--format', 'json'], { cwd: repo })).stdout,
    ) as HistoryJson;
    assert.strictEqual(pr.scannedCommits, 1);
    assert.deepStrictEqual(pr.findings.map((f) => [f.file, f.commit]).sort(), [
      ['ci/jira-dc.sh', ids.onBranch],
      ['docs/old.md', ids.onBranch],
    ]);

    const excluding = await runCli(['scan', '--history', '--range', `${ids.addRemoved}..main`, '--format', 'json'], { cwd: repo });
    const report = JSON.parse(excluding.stdout) as HistoryJson;
    assert.strictEqual(report.scannedCommits, 2, 'the removal and the deploy settings');
    assert.deepStrictEqual(
      report.findings.map((f) => [f.fingerprint, f.commit]),
      [[fingerprintOf(stillThere), ids.onMain]],
      'the removed token is outside the range',
    );

    const text = await runCli(['scan', '--history', '--range', `${ids.init}..${ids.removeIt}`], { cwd: repo });
    assert.match(text.stdout, new RegExp(`^src/app\\.js:3:25 .* in commit ${ids.addRemoved} `));
    const sarif = JSON.parse(
      (await runCli(['scan', '--history', '--range', `${ids.removeIt}..main`, '--format', 'sarif'], { cwd: repo })).stdout,
    );
    assert.deepStrictEqual(
      sarif.runs[0].results.map((r: { properties: { commit: string } }) => r.properties.commit),
      [ids.onMain],
    );
  });

  it('scans only commits since a date, and from a subfolder scans the whole repository', async () => {
    const since = new Date((1_700_000_000 + 4.5 * 3600) * 1000).toISOString();
    const report = JSON.parse(
      (await runCli(['scan', '--history', '--since', since, '--format', 'json'], { cwd: repo })).stdout,
    ) as HistoryJson;
    assert.deepStrictEqual(
      report.findings.map((f) => f.commit),
      [ids.onMain],
    );
    const fromSub = JSON.parse((await runCli(['scan', '--history', 'src', '--format', 'json'], { cwd: repo })).stdout) as HistoryJson;
    assert.strictEqual(fromSub.findings.length, 3);
    assert.ok(fromSub.findings.every((f) => !f.file.startsWith('/')));
  });

  it('never lets a revision or a date become a git option, and never echoes them', async () => {
    const marker = path.join(repo, 'written-by-git');
    for (const args of [['--range', `--output=${marker}`], ['--range=-p'], ['--since', ''], ['--range', 'a\nb']]) {
      const result = await runCli(['scan', '--history', ...args], { cwd: repo });
      assert.strictEqual(result.code, 2, args.join(' '));
      assert.match(result.stderr, /^jira-token-guard: --(range|since) needs /);
      assert.ok(!result.stderr.includes('output='), 'the value is not echoed');
    }
    const unknown = await runCli(['scan', '--history', '--range', 'no-such-branch..main'], { cwd: repo });
    assert.strictEqual(unknown.code, 2);
    assert.strictEqual(
      unknown.stderr,
      'jira-token-guard: --range names no commit of this repository (use e.g. main..feature or a full commit id)\n',
    );
    assert.ok(!fs.existsSync(marker));
    const args = historyGitArgs({ range: 'main..feature', since: '--all' });
    assert.ok(args.includes('--since=--all'), 'a date is glued to its option');
    assert.deepStrictEqual(args.slice(-3), ['--end-of-options', 'main..feature', '--']);
    assert.strictEqual((await runCli(['scan', '--since', '2024-01-01'], { cwd: repo })).code, 2, '--since without --history');
    assert.strictEqual((await runCli(['scan', '--history', '--staged'], { cwd: repo })).code, 2);
  });

  it('is not blinded by the repository marking a file binary in .gitattributes; real binaries are skipped', async () => {
    const hidden = makeCloudToken();
    const repo = tempDir();
    gitAt(repo, 0, 'x', 'init', '-q');
    writeTree(repo, {
      '.gitattributes': '*.env binary\n*.cfg -diff\n',
      'prod.env': `JIRA_API_TOKEN=${hidden}\n`,
      'app.cfg': `token: ${makeCloudToken()}\n`,
      'logo.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]), Buffer.from(`\n${makeCloudToken()}\n`)]),
    });
    gitAt(repo, 1, 'x', 'add', '-A');
    gitAt(repo, 1, 'x', 'commit', '-q', '-m', 'attributes');
    const report = JSON.parse((await runCli(['scan', '--history', '--format', 'json'], { cwd: repo })).stdout) as HistoryJson;
    assert.deepStrictEqual(
      report.findings.map((f) => f.file),
      ['app.cfg', 'prod.env'],
    );
    assert.strictEqual(report.skippedFiles, 1, 'the PNG');
  });

  it('exits 2 outside a repository, and 0 on a clean history', async () => {
    const plain = tempDir();
    const outside = await runCli(['scan', '--history'], { cwd: plain, env: { GIT_CEILING_DIRECTORIES: path.dirname(plain) } });
    assert.strictEqual(outside.code, 2);
    assert.match(outside.stderr, /^jira-token-guard: --history needs a git repository: /);
    const clean = tempDir();
    gitAt(clean, 0, 'x', 'init', '-q');
    writeTree(clean, { 'a.txt': 'hello\n' });
    gitAt(clean, 1, 'x', 'add', '-A');
    gitAt(clean, 1, 'x', 'commit', '-q', '-m', 'hello');
    const result = await runCli(['scan', '--history'], { cwd: clean });
    assert.strictEqual(result.code, 0, result.stderr);
    assert.match(result.stderr, /^No leaked Jira tokens in history: 1 commit, 1 file change scanned/);
  });
});

describe('history scan cancelled', function () {
  this.timeout(60_000);
  after(removeTempDirs);

  it('finds in added lines a BBDC- token alone on its line, a PAT at the end of a path, a token after a BOM and multi-byte text', async () => {
    const dir = tempDir('jtg-history-bytes-');
    const [bbdc, inPath, cloud] = [`BBDC-${makeDataCenterPat()}`, makeDataCenterPat(), makeCloudToken()];
    const files: Record<string, string> = {
      'a.txt': `intro \u00e9\u4e2d\ud83d\ude00\n${bbdc}\n`,
      'b.sh': `curl https://jira.example.com/rest/pat/latest/oauth/token/${inPath}\n`,
      'c.env': `\ufeffJIRA_API_TOKEN=${cloud}\n`,
    };
    gitAt(dir, 0, 'x', 'init', '-q', '-b', 'main');
    writeTree(dir, files);
    gitAt(dir, 1, 'Dana', 'add', '-A');
    gitAt(dir, 1, 'Dana', 'commit', '-q', '-m', 'tokens');
    const outcome = await scanHistory({ top: dir, maxFileBytes: 1 << 20 });
    const column = (file: string, secret: string) => {
      const lines = files[file].split('\n');
      const line = lines.findIndex((l) => l.includes(secret));
      return [file, line + 1, lines[line].indexOf(secret) + 1];
    };
    assert.deepStrictEqual(
      outcome.findings.map((f) => [f.file, f.line, f.column, f.ruleId]),
      [
        [...column('a.txt', bbdc), 'bitbucket-dc-http-token'],
        [...column('b.sh', inPath), 'jira-dc-pat'],
        [...column('c.env', cloud), 'atlassian-api-token'],
      ],
    );
  });

  it('stops git and rejects when the signal aborts mid-scan', async () => {
    const repo = tempDir('jtg-history-cancel-');
    generateRepository(repo, { commits: 1500 });
    const abort = new AbortController();
    const counters = newHistoryCounters();
    const watcher = setInterval(() => {
      if (counters.scannedCommits > 0) abort.abort();
    }, 1);
    try {
      await assert.rejects(scanHistory({ top: repo, maxFileBytes: 1 << 20, signal: abort.signal }, counters), /cancelled/);
    } finally {
      clearInterval(watcher);
    }
    assert.ok(counters.scannedCommits < 1500, `stopped after ${counters.scannedCommits} commits`);
    await assert.rejects(
      scanHistory({ top: repo, maxFileBytes: 1 << 20, signal: abort.signal }),
      /cancelled/,
      'an aborted signal never starts git',
    );
  });
});

describe('history patch parsing', () => {
  const commitHeader = (id: string) => `\0\0${id}\x002024-01-02T03:04:05+00:00\0Ann\0ann@example.com\n`;

  it('keeps only added lines, with their new line numbers, whatever the chunk boundaries', () => {
    const patch =
      commitHeader('a'.repeat(40)) +
      '\n' +
      'diff --git a/x.js b/x.js\nindex 1..2 100644\n--- a/x.js\n+++ b/x.js\n' +
      '@@ -3 +3,2 @@\n-old\n+new line\n++++ b/not-a-header\n\\ No newline at end of file\n@@ -10,0 +12 @@\n+late\n' +
      'diff --git "a/we\\"ird\\tn\\303\\251" "b/we\\"ird\\tn\\303\\251"\nnew file mode 100644\n--- /dev/null\n+++ "b/we\\"ird\\tn\\303\\251"\n@@ -0,0 +1 @@\n+x\n' +
      'diff --git a/img.png b/img.png\nBinary files /dev/null and b/img.png differ\n' +
      'diff --git a/gone.txt b/gone.txt\ndeleted file mode 100644\n--- a/gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n' +
      commitHeader('b'.repeat(40)) +
      '\ndiff --git a/space name.txt b/space name.txt\n--- a/space name.txt\t\n+++ b/space name.txt\t\n@@ -0,0 +1 @@\n+s';
    const bytes = Buffer.from(patch, 'utf8');
    for (const size of [1, 7, 64, bytes.length]) {
      const changes: Array<Omit<AddedText, 'text' | 'lineNumbers'> & { lines: string[]; lineNumbers: number[] }> = [];
      const commits: string[] = [];
      // The parser's buffers are reused: copy what a change holds inside the callback.
      const parser = new PatchParser(
        (c) =>
          changes.push({
            ...c,
            lines: c.text.length || !c.binary ? c.text.toString('utf8').split('\n') : [],
            lineNumbers: [...c.lineNumbers],
          }),
        (c) => commits.push(c.commit),
      );
      for (let i = 0; i < bytes.length; i += size) parser.push(bytes.subarray(i, i + size));
      parser.end();
      assert.deepStrictEqual(commits, ['a'.repeat(40), 'b'.repeat(40)]);
      assert.deepStrictEqual(
        changes.map((c) => [c.commit.commit[0], c.file, c.lines, c.lineNumbers, c.binary]),
        [
          ['a', 'x.js', ['new line', '+++ b/not-a-header', 'late'], [3, 4, 12], false],
          ['a', 'we"ird\tné', ['x'], [1], false],
          ['a', 'img.png', [], [], true],
          ['b', 'space name.txt', ['s'], [1], false],
        ],
        `chunks of ${size}`,
      );
      assert.strictEqual(changes[0].commit.author, 'Ann <ann@example.com>');
    }
    const cut: Array<[string, boolean]> = [];
    const small = new PatchParser((c) => cut.push([c.file, c.tooLarge]), undefined, 10);
    small.push(bytes);
    small.end();
    assert.deepStrictEqual(
      cut,
      [
        ['x.js', true],
        ['we"ird\tné', false],
        ['img.png', false],
        ['space name.txt', false],
      ],
      'over maxBytes: flagged, not kept',
    );
  });

  it('unquotes C-quoted paths and escapes control characters for terminals', () => {
    assert.strictEqual(unquotePath(Buffer.from('"b/a\\nb\\033[31m"')), 'b/a\nb\u001b[31m');
    assert.strictEqual(unquotePath(Buffer.from('b/plain name\t')), 'b/plain name');
    assert.strictEqual(printable(`a\nb\u001b[31m\u202e ${makeCloudToken()}`).replace(/ATAT\S+/, 'T'), 'a\\x0ab\\x1b[31m\\u202e T');
    assert.ok(!printable(makeCloudToken()).includes('ATATT3xFfGF0'), 'a token-shaped author is masked');
  });
});
