// The connections in the browser: stored in the browser's SecretStorage, shown in the tree.
import * as vscode from 'vscode';
import * as assert from './assert';
import { EXTENSION_ID, pageTexts, tokens, waitFor } from './support';

describe('connections in the browser', () => {
  it('stores a connection and shows it in the tree', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
      kind: 'cloud',
      baseUrl: 'https://web-test.atlassian.net',
      email: 'someone@example.com',
      token: tokens.stored,
      label: 'Web test site',
    });
    assert.ok(typeof id === 'string' && id.length > 0, `an id, got ${String(id)}`);
    await vscode.commands.executeCommand('jiraTokenGuard.connections.focus');
    const rows = await waitFor(
      'the connection in the tree',
      () => pageTexts('.monaco-list-row'),
      (texts) => texts.some((t) => t.includes('Web test site')),
    );
    assert.ok(
      rows.every((t) => !t.includes(tokens.stored)),
      'the tree never shows the token',
    );
  });
});
