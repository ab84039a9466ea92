// The packaged extension on one VS Code version of the compatibility matrix: it activates, every contributed
// command is there, a token in an open .env is flagged with its quick fixes, and a connection is added and
// tested against the fake Jira. The runner then reads the extension host's log: no error of the extension,
// and the MCP provider skipped (one line) exactly where the API is not final.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { type FakeJira, startFakeJira } from '../support/fakeJira';
import { makeCloudToken } from '../support/tokens';
import { waitFor } from '../support/waiting';

const EXTENSION_ID = 'jira-token-guard.jira-token-guard';

describe(`the packaged extension on VS Code ${vscode.version}`, function () {
  this.timeout(60_000);
  let extension: vscode.Extension<unknown>;
  let fake: FakeJira;

  before(async () => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, 'the packaged extension is installed');
    extension = found;
    fake = await startFakeJira();
  });

  after(async () => {
    await fake?.close();
  });

  it('activates, returning its public API', async () => {
    const exportsValue = extension.isActive ? extension.exports : await extension.activate();
    assert.ok(extension.isActive);
    assert.deepStrictEqual(exportsValue, { apiVersion: 1 });
  });

  it('registers every contributed command', async () => {
    const contributed = (extension.packageJSON as { contributes: { commands: Array<{ command: string }> } }).contributes.commands.map(
      (c) => c.command,
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepStrictEqual(
      contributed.filter((c) => !registered.has(c)),
      [],
    );
  });

  it('flags a token in an open .env, with its quick fixes', async () => {
    const file = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'compat', '.env');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `JIRA_EMAIL=dev@acme.com\nJIRA_API_TOKEN=${makeCloudToken()}\n`);
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const [diagnostic] = await waitFor('the token to be flagged', () => {
      const ours = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Jira Token Guard');
      return ours.length === 1 && ours;
    });
    assert.strictEqual(diagnostic.range.start.line, 1);
    const titles = await waitFor('the quick fixes', async () => {
      const actions =
        (await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          doc.uri,
          diagnostic.range,
          vscode.CodeActionKind.QuickFix.value,
        )) ?? [];
      const ours = actions.filter((a) => a.command?.command.startsWith('jiraTokenGuard.')).map((a) => a.title);
      return ours.length >= 3 && ours;
    });
    assert.ok(titles.includes('Move token to Jira Token Guard and use an environment variable'), titles.join(', '));
    assert.ok(titles.includes('Ignore this token here'), titles.join(', '));
  });

  it('adds a connection and tests it against the fake Jira', async () => {
    const token = makeCloudToken();
    fake.addCloudAccount({ email: 'dev@acme.com', token, displayName: 'Dev' });
    const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
      kind: 'cloud',
      baseUrl: fake.url,
      email: 'dev@acme.com',
      token,
      label: 'Compat',
      verify: true,
    });
    assert.ok(id);
    const result = await vscode.commands.executeCommand<{ status: string; identity?: { displayName?: string } }>(
      'jiraTokenGuard.testConnection',
      { id },
    );
    assert.strictEqual(result.status, 'valid');
    assert.strictEqual(result.identity?.displayName, 'Dev');
  });
});
