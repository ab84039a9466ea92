// The leak guard in the browser's worker: a token in an open .env is flagged, its quick fixes offered, and
// "ignore in this workspace" writes the ignore list through workspace.fs (no disk, no Node).
import * as vscode from 'vscode';
import * as assert from './assert';
import { DIAGNOSTIC_SOURCE, EXTENSION_ID, tokens, waitFor, workspaceFolder } from './support';

const leaksIn = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);

describe('leak guard in the browser', () => {
  let envFile: vscode.Uri;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    envFile = vscode.Uri.joinPath(workspaceFolder().uri, '.env');
    const text = `JIRA_BASE_URL=https://acme.atlassian.net\nJIRA_API_TOKEN=${tokens.cloud}\n`;
    await vscode.workspace.fs.writeFile(envFile, new TextEncoder().encode(text));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(envFile));
  });

  it('flags a token in an open .env at its range, never showing it', async () => {
    const [leak] = await waitFor(
      'a leak diagnostic on .env',
      () => leaksIn(envFile),
      (d) => d.length === 1,
    );
    assert.strictEqual(leak.range.start.line, 1);
    assert.strictEqual(leak.range.start.character, 'JIRA_API_TOKEN='.length);
    assert.strictEqual(leak.range.end.character, 'JIRA_API_TOKEN='.length + tokens.cloud.length);
    assert.ok(!leak.message.includes(tokens.cloud) && !leak.message.includes(tokens.cloud.slice(12, 40)), 'the message hides the token');
  });

  it('offers its quick fixes: move to the store, ignore here, ignore in the workspace', async () => {
    const [leak] = leaksIn(envFile);
    assert.ok(leak, 'the leak is still flagged');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', envFile, leak.range);
    const titles = actions.map((a) => a.title);
    for (const title of [
      'Move token to Jira Token Guard and use an environment variable',
      'Ignore this token here',
      'Ignore this token in this workspace',
    ])
      assert.ok(titles.includes(title), `"${title}" in ${JSON.stringify(titles)}`);
    assert.ok(
      actions.every((a) => !JSON.stringify(a.command?.arguments ?? []).includes(tokens.cloud)),
      'the quick fixes carry the location, never the token',
    );
  });

  it('ignores the token in the workspace through workspace.fs', async () => {
    const [leak] = leaksIn(envFile);
    assert.ok(leak, 'the leak is still flagged');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', envFile, leak.range);
    const ignore = actions.find((a) => a.title === 'Ignore this token in this workspace');
    assert.ok(ignore?.command, 'the quick fix is offered');
    await vscode.commands.executeCommand(ignore.command.command, ...(ignore.command.arguments ?? []));
    const list = new TextDecoder().decode(
      await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceFolder().uri, '.jira-token-guard-ignore')),
    );
    assert.match(list, /^[0-9a-f]{64}\b/m, 'the list holds a fingerprint');
    assert.ok(!list.includes(tokens.cloud), 'the list never holds the token');
    await waitFor(
      'the leak to be ignored',
      () => leaksIn(envFile),
      (d) => d.length === 0,
    );
  });
});
