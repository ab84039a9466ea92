// Runs first (file order): right after activation, the first scan and the first Test Connection work. Their
// code and data load on first use, not at start-up: the workspace ignore list, the stored tokens and the
// scanner's WebAssembly kernel on the first scan; axios and the Jira client on the first check.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CheckResult } from '../../src/core/connections/connection';
import { startFakeJira } from '../support/fakeJira';
import { makeCloudToken, makeDataCenterPat } from '../support/tokens';
import { extensionApi, fingerprintOf, removeAllConnections, type TestApi, waitFor } from './helpers';

describe('first use right after activation', () => {
  let api: TestApi;
  let root: string;

  before(async () => {
    api = await extensionApi();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration host opens a workspace folder');
    root = folder.uri.fsPath;
  });

  after(async () => {
    // Closing an editor does not close its document at once: empty it, so its diagnostics do not reach later suites.
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === path.join(root, 'first-use', 'config.ts'));
    if (doc) {
      const edit = new vscode.WorkspaceEdit();
      edit.delete(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0));
      await vscode.workspace.applyEdit(edit);
      await doc.save();
      await waitFor('the emptied file to have no leak diagnostics', () =>
        vscode.languages.getDiagnostics(doc.uri).every((d) => d.source !== 'Jira Token Guard'),
      );
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(path.join(root, '.jira-token-guard-ignore'), { force: true });
    fs.rmSync(path.join(root, 'first-use'), { recursive: true, force: true });
    await removeAllConnections(api);
  });

  it('the first scan flags the tokens of an opened file and honours the workspace ignore list', async () => {
    const ignored = makeCloudToken();
    const flagged = makeCloudToken();
    const pat = makeDataCenterPat();
    fs.writeFileSync(path.join(root, '.jira-token-guard-ignore'), `${fingerprintOf(ignored)} # example token in the docs\n`);
    const file = path.join(root, 'first-use', 'config.ts');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      `export const docs = '${ignored}';\nexport const jiraToken = '${flagged}';\nexport const JIRA_PAT = '${pat}';\n`,
    );
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc);
    const lines = await waitFor('the flagged Cloud token and the PAT, not the ignored token', () => {
      const found = vscode.languages
        .getDiagnostics(doc.uri)
        .filter((d) => d.source === 'Jira Token Guard')
        .map((d) => d.range.start.line)
        .sort();
      return found.join() === '1,2' ? found : undefined;
    });
    assert.deepStrictEqual(lines, [1, 2]);
  });

  it('the first Test Connection loads the Jira client and reaches a verdict', async () => {
    const fake = await startFakeJira();
    try {
      const pat = makeDataCenterPat();
      fake.addDataCenterUser({ contextPath: '/jira', username: 'alice', pat, displayName: 'Alice' });
      const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
        kind: 'datacenter-pat',
        baseUrl: `${fake.url}/jira`,
        token: pat,
        label: 'First check',
      });
      const result = await vscode.commands.executeCommand<CheckResult>('jiraTokenGuard.testConnection', { id });
      assert.strictEqual(result.status, 'valid', result.message);
      assert.strictEqual(result.identity?.displayName, 'Alice');
      assert.strictEqual(api.store.get(id)?.lastCheck?.status, 'valid');
    } finally {
      await fake.close();
    }
  });
});
