// "Scan Git History for Leaked Tokens" in the real host, on a repository generated in the workspace: a token
// committed then removed, a token only on another branch; findings in the Problems panel naming the commit.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { HistoryScanSummary } from '../../src/leaks/historyScanner';
import { makeCloudToken, makeDataCenterPat } from '../support/tokens';
import { extensionApi, fingerprintOf } from './helpers';

/** The source of history findings in the Problems panel, as users see it. */
const HISTORY_DIAGNOSTIC_SOURCE = 'Jira Token Guard (git history)';

describe('Scan Git History for Leaked Tokens', function () {
  this.timeout(60_000);
  const removed = makeCloudToken();
  const branchOnly = makeDataCenterPat();
  const ids: Record<string, string> = {};
  let root: string;

  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: 'Dana \u001b[31mDev',
        GIT_AUTHOR_EMAIL: 'dana@example.com',
        GIT_COMMITTER_NAME: 'c',
        GIT_COMMITTER_EMAIL: 'c@example.com',
      },
    }).trim();
  const write = (relative: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), text);
  };

  before(() => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration host opens a workspace folder');
    root = folder.uri.fsPath;
    assert.ok(!fs.existsSync(path.join(root, '.git')), 'the test workspace is not a repository yet');
    git('init', '-q', '-b', 'main');
    // Only this test's files go into the repository.
    write('history/config.js', `export const JIRA_API_TOKEN = "${removed}";\n`);
    git('add', 'history');
    git('commit', '-q', '-m', 'config');
    ids.added = git('rev-parse', 'HEAD');
    write('history/config.js', 'export const JIRA_API_TOKEN = process.env.JIRA_API_TOKEN;\n');
    git('commit', '-q', '-am', 'token from the environment');
    git('checkout', '-q', '-b', 'feature');
    write('history/deploy.sh', `export JIRA_PAT="${branchOnly}"\n`);
    git('add', 'history');
    git('commit', '-q', '-m', 'deploy');
    ids.branch = git('rev-parse', 'HEAD');
    git('checkout', '-q', 'main');
  });

  after(async () => {
    (await extensionApi()).leaks.historyScanner.clear();
    fs.rmSync(path.join(root, '.git'), { recursive: true, force: true });
    fs.rmSync(path.join(root, 'history'), { recursive: true, force: true });
  });

  /**
   * Turns the test repository into a partial clone with one blob missing, whose promisor remote is reached
   * over ssh through the command the repository names: git's lazy fetch would run it.
   */
  function makePartialClone(): { marker: string; restore(): void } {
    const stamp = Date.now();
    const marker = path.join(root, '..', `jtg-ssh-${stamp}`);
    const hook = path.join(root, '..', `jtg-ssh-${stamp}.sh`);
    fs.writeFileSync(hook, `#!/bin/sh\ntouch '${marker}'\nexit 1\n`, { mode: 0o755 });
    const blob = git('rev-parse', `${ids.added}:history/config.js`);
    const object = path.join(root, '.git', 'objects', blob.slice(0, 2), blob.slice(2));
    const kept = fs.readFileSync(object);
    const settings = [
      ['core.repositoryformatversion', '1'],
      ['extensions.partialClone', 'origin'],
      ['remote.origin.url', 'ssh://x/y'],
      ['remote.origin.promisor', 'true'],
      ['core.sshCommand', hook],
    ];
    for (const [key, value] of settings) git('config', key, value);
    fs.rmSync(object, { force: true });
    return {
      marker,
      restore: () => {
        fs.mkdirSync(path.dirname(object), { recursive: true });
        fs.writeFileSync(object, kept);
        for (const [key] of settings) git('config', '--unset', key);
        git('config', 'core.repositoryformatversion', '0');
        fs.rmSync(hook, { force: true });
        fs.rmSync(marker, { force: true });
      },
    };
  }

  if (process.env.JTG_TEST_TRUST === 'restricted') {
    it('runs no git in Restricted Mode: says why and offers to trust the folder', async () => {
      assert.strictEqual(vscode.workspace.isTrusted, false);
      const partial = makePartialClone();
      const api = await extensionApi();
      const notifications = api.ui.recordNotifications();
      try {
        assert.strictEqual(await vscode.commands.executeCommand('jiraTokenGuard.scanGitHistory'), undefined);
      } finally {
        notifications.stop();
        partial.restore();
      }
      assert.ok(
        notifications.shown.some((n) => /does not run in Restricted Mode/.test(n.message) && n.actions.includes('Manage Workspace Trust')),
        JSON.stringify(notifications.shown),
      );
      assert.ok(!fs.existsSync(partial.marker), 'git ran the repository’s program');
    });
  }

  it('[trusted] finds the removed and the branch-only token, and shows each in Problems with its commit', async () => {
    const api = await extensionApi();
    const notifications = api.ui.recordNotifications();
    let summary: HistoryScanSummary | undefined;
    try {
      summary = await vscode.commands.executeCommand<HistoryScanSummary | undefined>('jiraTokenGuard.scanGitHistory');
    } finally {
      notifications.stop();
    }
    assert.ok(summary, 'the scan ran');
    assert.strictEqual(summary.scannedCommits, 3);
    const found = summary.findings.map((f) => [f.file, f.line, f.commit, f.fingerprint]).sort();
    assert.deepStrictEqual(found, [
      ['history/config.js', 1, ids.added, fingerprintOf(removed)],
      ['history/deploy.sh', 1, ids.branch, fingerprintOf(branchOnly)],
    ]);
    assert.ok(
      JSON.stringify(summary).indexOf(removed) === -1 && JSON.stringify(summary).indexOf(branchOnly) === -1,
      'no token in what the command returns',
    );

    const configUri = vscode.Uri.file(path.join(root, 'history', 'config.js'));
    const [diagnostic] = vscode.languages.getDiagnostics(configUri).filter((d) => d.source === HISTORY_DIAGNOSTIC_SOURCE);
    assert.ok(diagnostic, 'the removed token is in the Problems panel on the file it was committed to');
    assert.ok(
      diagnostic.message.includes(`committed in ${ids.added.slice(0, 12)} by Dana \\x1b[31mDev <dana@example.com>`),
      diagnostic.message,
    );
    assert.ok(!diagnostic.message.includes(removed) && diagnostic.message.includes('…'), 'the token is masked');
    assert.strictEqual(diagnostic.range.start.line, 0);
    assert.strictEqual(diagnostic.range.start.character, 'export const JIRA_API_TOKEN = "'.length);
    assert.strictEqual(diagnostic.code, 'atlassian-api-token');

    // The branch's file does not exist on main: its finding still shows, under the path it had in that commit.
    const deployUri = vscode.Uri.file(path.join(root, 'history', 'deploy.sh'));
    assert.ok(!fs.existsSync(deployUri.fsPath));
    const [onBranch] = vscode.languages.getDiagnostics(deployUri).filter((d) => d.source === HISTORY_DIAGNOSTIC_SOURCE);
    assert.ok(onBranch?.message.includes(ids.branch.slice(0, 12)), onBranch?.message);

    assert.deepStrictEqual(
      notifications.shown.map((n) => [n.level, n.actions]),
      [['warning', ['Show Problems']]],
    );
    assert.match(notifications.shown[0].message, /^Found 2 Jira tokens in the git history \(3 commits scanned\)\./);
    assert.deepStrictEqual(api.leaks.historyScanner.allDiagnostics().length, 2);
  });

  it('[trusted] a partial clone missing an object: git runs none of the repository’s programs, and the scan says what is missing', async () => {
    const partial = makePartialClone();
    const api = await extensionApi();
    const notifications = api.ui.recordNotifications();
    try {
      assert.strictEqual(await vscode.commands.executeCommand('jiraTokenGuard.scanGitHistory'), undefined);
    } finally {
      notifications.stop();
      partial.restore();
    }
    assert.ok(
      notifications.shown.some((n) => n.level === 'error' && /objects are missing and git was not allowed to fetch them/.test(n.message)),
      JSON.stringify(notifications.shown),
    );
    assert.ok(!fs.existsSync(partial.marker), 'git ran the repository’s program');
  });
});
