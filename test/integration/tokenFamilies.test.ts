// Bitbucket tokens in the editor: an app password (ATBB, no longer authenticating) offers no check, and a
// Bitbucket Data Center HTTP access token has its own rule, no check, and its own revoke page.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { makeBitbucketAppPassword, makeBitbucketDcToken } from '../support/tokens';
import { extensionApi, type TestApi, waitFor } from './helpers';

const SOURCE = 'Jira Token Guard';

describe('Bitbucket tokens in the editor', () => {
  let api: TestApi;
  const folder = () => path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'bitbucket');

  before(async () => {
    api = await extensionApi();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder(), { recursive: true, force: true });
  });

  it('app passwords and Data Center HTTP access tokens: own messages, no check, the right revoke page', async () => {
    const appPassword = makeBitbucketAppPassword();
    const dcToken = makeBitbucketDcToken();
    const file = path.join(folder(), 'ci.env');
    fs.mkdirSync(folder(), { recursive: true });
    fs.writeFileSync(
      file,
      `BITBUCKET_APP_PASSWORD=${appPassword}\nBITBUCKET_URL=https://bitbucket.example.com\nBITBUCKET_TOKEN=${dcToken}\n`,
    );
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc);
    const diagnostics = await waitFor('two diagnostics', () => {
      const list = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === SOURCE);
      return list.length === 2 ? list : undefined;
    });
    const [app, dc] = diagnostics.sort((a, b) => a.range.start.line - b.range.start.line);
    assert.strictEqual(app.code, 'bitbucket-app-password');
    assert.match(app.message, /no longer authenticate since June 2026/);
    assert.strictEqual(dc.code, 'bitbucket-dc-http-token');
    assert.strictEqual(doc.getText(dc.range), dcToken, 'the whole token, prefix included');

    for (const diagnostic of [app, dc]) {
      // The workbench learns of diagnostics after the extension host: wait until it offers the fixes.
      const titles = await waitFor('the quick fixes', async () => {
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          doc.uri,
          diagnostic.range,
          vscode.CodeActionKind.QuickFix.value,
        );
        const ours = actions.filter((a) => a.command?.command.startsWith('jiraTokenGuard.')).map((a) => a.title);
        return ours.includes('Ignore this token in this workspace') ? ours : undefined;
      });
      assert.ok(titles.includes('Revoke this token…'), titles.join(', '));
      assert.ok(!titles.includes('Check whether this token is live…'), `${String(diagnostic.code)}: ${titles.join(', ')}`);
      assert.ok(!titles.some((t) => t.startsWith('Move token')), 'not a Jira token to store');
    }

    const location = { uri: doc.uri.toString(), start: doc.offsetAt(dc.range.start), end: doc.offsetAt(dc.range.end) };
    const links = api.ui.recordLinks();
    const script = api.ui.answer(['https://bitbucket.example.com']);
    try {
      const page = await vscode.commands.executeCommand('jiraTokenGuard.revokeLeakedToken', location);
      assert.strictEqual(page, 'https://bitbucket.example.com/plugins/servlet/access-tokens/manage');
      assert.deepStrictEqual(links.urls, [page]);
    } finally {
      script.stop();
      links.stop();
    }
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('jiraTokenGuard.checkLeakedToken', {
          uri: doc.uri.toString(),
          start: doc.offsetAt(app.range.start),
          end: doc.offsetAt(app.range.end),
        }),
      ),
      /no longer authenticate/,
    );
  });
});
