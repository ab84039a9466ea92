// Checks from the browser, over fetch: a Data Center site that allows the page's origin answers as on desktop;
// one that does not ends in the browser's own verdict (CORS), told as such, with where to check instead.
import * as vscode from 'vscode';
import * as assert from './assert';
import { EXTENSION_ID, credentialsSeen, fakeJira, tokens } from './support';

const addChecked = (baseUrl: string, label: string) =>
  vscode.commands
    .executeCommand<string | undefined>('jiraTokenGuard.addConnection', {
      kind: 'datacenter-pat',
      baseUrl,
      token: tokens.pat,
      label,
      verify: true,
    })
    .then(
      (id) => ({ id, error: undefined }),
      (error: unknown) => ({ id: undefined, error: error instanceof Error ? error.message : String(error) }),
    );

describe('checks from the browser', () => {
  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  });

  it('a Data Center site that allows the origin answers as on desktop', async () => {
    const { id, error } = await addChecked(fakeJira.cors, 'Allows the browser');
    assert.strictEqual(error, undefined);
    assert.ok(typeof id === 'string' && id.length > 0, 'the checked connection is saved');
    assert.ok((await credentialsSeen()).cors >= 1, 'the check reached the site');
  });

  it('a site without CORS headers ends in the CORS verdict, and the credential never leaves the browser', async () => {
    const { id, error } = await addChecked(fakeJira.nocors, 'Blocks the browser');
    assert.strictEqual(id, undefined, 'nothing is saved');
    assert.ok(error, 'the command says why');
    assert.match(error, /^The token was not saved \(unreachable\): The browser withheld http:\/\/127\.0\.0\.1:\d+'s answer: .*\(CORS\)/);
    assert.ok(!error.includes(tokens.pat), 'the message never shows the token');
    assert.strictEqual((await credentialsSeen()).nocors, 0, 'the preflight failed, so no request carried the token');
  });
});
