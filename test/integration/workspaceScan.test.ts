// Scan Workspace on a large tree: progress that moves, Cancel that stops within a second, one scan at a
// time whoever asks (any extension can run the command), and a hostile folder that cannot hang it.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { makeCloudToken } from '../support/tokens';
import { extensionApi, waitFor, type TestApi } from './helpers';

const FILES = 12_000;

interface Summary {
  scannedFiles: number;
  skippedFiles: number;
  findings: Array<{ file: string; line: number; ruleId: string }>;
}

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration host opens a workspace folder');
  return folder.uri.fsPath;
}

/** Files full of addresses next to a Jira host: every line is a place the scanner has to look at. */
function writeLargeTree(dir: string): void {
  const lines = Array.from(
    { length: 120 },
    (_, i) => `user${i}@acme.atlassian.net ATATT3xFfGF0${'x'.repeat(40)} https://jira.example.com/browse/ABC-${i}`,
  );
  const content = `${lines.join('\n')}\n`;
  for (let i = 0; i < FILES; i++) {
    const folder = path.join(dir, `d${Math.floor(i / 200)}`);
    if (i % 200 === 0) fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `f${i}.txt`), content);
  }
  fs.writeFileSync(path.join(dir, 'd0', 'leak.js'), `const jiraToken = "${makeCloudToken()}";\n`);
}

describe('Scan Workspace on a large tree', function () {
  this.timeout(120_000);
  let api: TestApi;
  let large: string;

  before(async () => {
    api = await extensionApi();
    large = path.join(workspaceRoot(), 'large');
    writeLargeTree(large);
  });

  after(() => {
    fs.rmSync(large, { recursive: true, force: true });
  });

  it('reports progress as it goes, and stops within a second of Cancel', async () => {
    const scanner = api.leaks.workspaceScanner;
    const before = scanner.lastWorkspaceScan();
    const stop = new vscode.CancellationTokenSource();
    const ticks: Array<{ done: number; total: number }> = [];
    const scanning = scanner.scan(stop.token, (done, total) => ticks.push({ done, total }));
    await waitFor(
      'three progress reports with files done',
      () => new Set(ticks.filter((t) => t.done > 0).map((t) => t.done)).size >= 3,
      60_000,
    );
    const total = ticks[ticks.length - 1].total;
    assert.ok(total > FILES, 'the total is known while the scan runs');
    const cancelledAt = Date.now();
    stop.cancel();
    const summary = await scanning;
    const took = Date.now() - cancelledAt;
    assert.ok(took < 1000, `stopped ${took} ms after Cancel`);
    assert.ok(summary.scannedFiles + summary.skippedFiles < total, 'the scan was cut short');
    assert.strictEqual(scanner.lastWorkspaceScan(), before, 'a cancelled scan is not the last workspace scan');
    const done = ticks.map((t) => t.done);
    assert.deepStrictEqual(
      done,
      [...done].sort((a, b) => a - b),
      'progress only moves forward',
    );
  });

  it('runs one scan at a time: a second request while one runs gets the running one; Cancel stops it', async () => {
    const scanner = api.leaks.workspaceScanner;
    const notifications = api.ui.recordNotifications();
    try {
      const started = scanner.scansStarted();
      const first = Promise.resolve(vscode.commands.executeCommand<Summary | undefined>('jiraTokenGuard.scanWorkspace'));
      const second = Promise.resolve(vscode.commands.executeCommand<Summary | undefined>('jiraTokenGuard.scanWorkspace'));
      await waitFor('the "already running" message', () => notifications.shown.some((n) => /already running/.test(n.message)));
      assert.strictEqual(scanner.scansStarted(), started + 1, 'one scan started');
      const cancelledAt = Date.now();
      scanner.cancel();
      const [a, b] = await Promise.all([first, second]);
      assert.ok(Date.now() - cancelledAt < 1000, 'stopped within a second of Cancel');
      assert.strictEqual(a, b, 'both callers get the one scan');
      // The next request starts a new scan.
      const next = Promise.resolve(vscode.commands.executeCommand<Summary | undefined>('jiraTokenGuard.scanWorkspace'));
      await waitFor('a new scan', () => scanner.scansStarted() === started + 2);
      scanner.cancel();
      await next;
    } finally {
      notifications.stop();
    }
  });
});

describe('Scan Workspace in a hostile folder', function () {
  this.timeout(60_000);

  it('a hostile folder cannot hang it: a FIFO, link loops, a link to an endless device, brace bombs in files.exclude', async () => {
    const hostile = path.join(workspaceRoot(), 'hostile');
    fs.mkdirSync(hostile, { recursive: true });
    const config = vscode.workspace.getConfiguration('files');
    try {
      execFileSync('mkfifo', [path.join(hostile, 'pipe.env')]);
      fs.symlinkSync('.', path.join(hostile, 'loop'));
      fs.symlinkSync('/dev/zero', path.join(hostile, 'zero.txt'));
      fs.writeFileSync(path.join(hostile, '.gitignore'), `${'**/a/'.repeat(30)}b\n${'*'.repeat(2000)}x\n`);
      fs.writeFileSync(path.join(hostile, 'ok.js'), `const jiraToken = "${makeCloudToken()}";\n`);
      await config.update(
        'exclude',
        { [`${'{a,b}'.repeat(40)}`]: true, [`${'{'.repeat(500)}x`]: true, '**/*.skip': true },
        vscode.ConfigurationTarget.Workspace,
      );
      fs.writeFileSync(path.join(hostile, 'leak.skip'), `const jiraToken = "${makeCloudToken()}";\n`);
      const summary = await vscode.commands.executeCommand<Summary>('jiraTokenGuard.scanWorkspace');
      const found = summary.findings.filter((f) => f.file.startsWith('hostile/')).map((f) => f.file);
      assert.deepStrictEqual(found, ['hostile/ok.js'], 'files.exclude honoured, links not followed');
    } finally {
      await config.update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
      fs.rmSync(hostile, { recursive: true, force: true });
    }
  });
});
