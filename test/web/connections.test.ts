// The connections in the browser: stored in the browser's SecretStorage, shown in the tree.
import * as vscode from 'vscode';
import * as assert from './assert';
import { EXTENSION_ID, loopbackSite, pageTexts, siteRequests, tokens, waitFor } from './support';

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

  it('a check in the browser sends nothing to the site and says why', async () => {
    const before = await siteRequests();
    const refused = await vscode.commands
      .executeCommand('jiraTokenGuard.addConnection', {
        kind: 'datacenter-pat',
        baseUrl: loopbackSite,
        token: tokens.pat,
        label: 'Checked from the browser',
        verify: true,
      })
      .then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
    assert.ok(refused, 'a check that could not run saves nothing');
    assert.match(refused, /^The token was not saved \(unreachable\): Jira Token Guard does not check tokens from the browser yet/);
    assert.ok(!refused.includes(tokens.pat), 'the error never shows the token');
    assert.strictEqual(await siteRequests(), before, 'no request reached the site');
  });
});
