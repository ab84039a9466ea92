// Another extension installed next to the packaged Jira Token Guard (the .vsix, in Production mode): it
// reads everything activate() returned and calls every function there, drives the public commands, and
// tries to send a stored credential elsewhere. It must get no token and move none without the user.
// A workbench under test refuses to show dialogs: every question the extension asks is answered No here,
// as by a user who declines (the questions themselves are tested with the scripted UI in test/integration).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { type FakeJira, startFakeJira } from '../support/fakeJira';
import { dataCenterPatId, makeCloudToken, makeDataCenterPat } from '../support/tokens';
import { assertNoSecret } from '../support/secrets';

const EXTENSION_ID = 'jira-token-guard.jira-token-guard';
const run = <T>(command: string, arg?: unknown) => Promise.resolve(vscode.commands.executeCommand<T>(command, arg));

/**
 * Everything reachable from `root`: own and inherited members (getters read), nested objects, and what every
 * function found returns when called with no argument, a connection id, or `{ id }`. Resolves to all of it as text.
 */
async function walkAndCall(root: unknown, ids: string[]): Promise<{ text: string; members: number; calls: number }> {
  const seen = new Set<unknown>();
  const parts: string[] = [];
  const queue: unknown[] = [root];
  let members = 0;
  let calls = 0;
  const argumentSets: unknown[][] = [[], ...ids.map((id) => [id]), ...ids.map((id) => [{ id }])];
  const settle = (value: unknown) =>
    Promise.race([Promise.resolve(value), new Promise((resolve) => setTimeout(() => resolve('(pending)'), 2000))]).catch((error: unknown) =>
      String(error),
    );
  while (queue.length > 0) {
    const value = queue.shift();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' && typeof value !== 'function') {
      parts.push(String(value));
      continue;
    }
    if (seen.has(value)) continue;
    seen.add(value);
    if (typeof value === 'function') {
      for (const args of argumentSets) {
        calls++;
        try {
          queue.push(await settle((value as (...a: unknown[]) => unknown)(...args)));
        } catch (error) {
          parts.push(String(error));
        }
      }
    }
    for (
      let layer: object | null = value;
      layer && layer !== Object.prototype && layer !== Function.prototype;
      layer = Object.getPrototypeOf(layer)
    ) {
      for (const key of Reflect.ownKeys(layer)) {
        members++;
        parts.push(String(key));
        let member: unknown;
        try {
          member = Reflect.get(layer, key, value);
        } catch (error) {
          parts.push(String(error));
          continue;
        }
        if (typeof member === 'function' && key !== 'constructor') {
          for (const args of argumentSets) {
            calls++;
            try {
              queue.push(await settle((member as (...a: unknown[]) => unknown).apply(value, args)));
            } catch (error) {
              parts.push(String(error));
            }
          }
        }
        queue.push(member);
      }
    }
  }
  return { text: parts.join('\n'), members, calls };
}

describe('another extension against the packaged Jira Token Guard', () => {
  let fake: FakeJira;
  const devToken = makeCloudToken();
  const eveToken = makeCloudToken();
  const alicePat = makeDataCenterPat();
  const malloryPat = makeDataCenterPat();
  const password = `Pw${randomBytes(9).toString('hex')}`;
  const secrets = [devToken, eveToken, alicePat, malloryPat, password];
  let cloud: string;
  let dc: string;
  let basic: string;
  let exportsValue: unknown;

  /** The Authorization header of the last request to the fake site, decoded. */
  const lastCredential = () => {
    const auth = fake.requestsTo('site').at(-1)?.authorization ?? '';
    return auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : auth;
  };

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, 'the packaged extension is installed');
    exportsValue = extension.isActive ? extension.exports : await extension.activate();
    fake = await startFakeJira();
    fake.addCloudAccount({ email: 'dev@acme.com', token: devToken, displayName: 'Dev' });
    fake.addCloudAccount({ email: 'eve@evil.example', token: eveToken });
    fake.addDataCenterUser({ contextPath: '/dc', username: 'alice', pat: alicePat });
    fake.addDataCenterUser({ contextPath: '/dc', username: 'mallory', pat: malloryPat });
    fake.addDataCenterUser({ contextPath: '/basic', username: 'bob', password });
    // Stored the way another extension can: the public commands with argument objects.
    cloud = await run<string>('jiraTokenGuard.addConnection', {
      kind: 'cloud',
      baseUrl: fake.url,
      email: 'dev@acme.com',
      token: devToken,
      label: 'Cloud',
      verify: true,
    });
    dc = await run<string>('jiraTokenGuard.addConnection', {
      kind: 'datacenter-pat',
      baseUrl: `${fake.url}/dc`,
      token: alicePat,
      label: 'DC',
      verify: true,
    });
    basic = await run<string>('jiraTokenGuard.addConnection', {
      kind: 'datacenter-basic',
      baseUrl: `${fake.url}/basic`,
      username: 'bob',
      token: password,
      label: 'Basic',
      verify: true,
    });
    // Every secret has been used, so the extension holds them in memory now.
    for (const id of [cloud, dc, basic])
      assert.strictEqual((await run<{ status: string }>('jiraTokenGuard.testConnection', { id })).status, 'valid');
  });

  after(async () => {
    for (const id of [cloud, dc, basic]) await run('jiraTokenGuard.removeConnection', { id }).catch(() => undefined);
    await fake.close();
  });

  it('is the installed .vsix, in Production mode: exports hold a version and nothing else', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.match(
      extension.extensionPath,
      /jira-token-guard\.jira-token-guard-\d+\.\d+\.\d+$/,
      'installed from the package, not a development folder',
    );
    assert.deepStrictEqual(Reflect.ownKeys(exportsValue as object), ['apiVersion']);
    assert.strictEqual((exportsValue as { apiVersion: number }).apiVersion, 1);
    assert.ok(Object.isFrozen(exportsValue), 'nothing can be added to it for other extensions to find');
  });

  it('walks everything reachable from exports and calls every function found: no token, password or Basic value', async () => {
    const found = await walkAndCall(exportsValue, [cloud, dc, basic]);
    assert.ok(found.members >= 1);
    assertNoSecret(found.text, secrets, 'what exports lead to');
  });

  it('the public commands answer without any secret', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-hostile-'));
    try {
      const answers = [
        await run('jiraTokenGuard.testAllConnections', {}),
        await run('jiraTokenGuard.testConnection', { id: dc }),
        await run('jiraTokenGuard.exportConnections', { uri: vscode.Uri.file(path.join(out, 'export.json')) }),
        await run('jiraTokenGuard.auditTokens', { open: false }),
        await run('jiraTokenGuard.exportTokenInventory', { uri: vscode.Uri.file(path.join(out, 'inventory.csv')) }),
        await run('jiraTokenGuard.checkTokenActivity', {}),
      ];
      assertNoSecret(JSON.stringify(answers), secrets, 'command results');
      assertNoSecret(fs.readFileSync(path.join(out, 'export.json'), 'utf8'), secrets, 'the exported file');
      assertNoSecret(fs.readFileSync(path.join(out, 'inventory.csv'), 'utf8'), secrets, 'the exported inventory');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('cannot send a stored credential to another site by command: the user is asked, and No refuses', async () => {
    await assert.rejects(
      run('jiraTokenGuard.editConnection', { id: cloud, baseUrl: 'https://elsewhere.example' }),
      /not changed: moving its token needs your consent/,
    );
    await assert.rejects(
      run('jiraTokenGuard.editConnection', { id: cloud, baseUrl: fake.otherOriginUrl }),
      /not changed/,
      'another loopback port is a move too',
    );
    await assert.rejects(run('jiraTokenGuard.editConnection', { id: basic, username: 'eve' }), /not changed/);

    fake.reset();
    const result = await run<{ status: string }>('jiraTokenGuard.testConnection', { id: cloud });
    assert.strictEqual(result.status, 'valid', 'the connection still points at its own site');
    assert.strictEqual(lastCredential(), `dev@acme.com:${devToken}`);
    assert.strictEqual(fake.requestsTo('other').length, 0, 'nothing reached the other origin');
  });

  it('cannot put a stored token into terminals (where any program can read it) by command', async () => {
    await assert.rejects(run('jiraTokenGuard.useInTerminals', { id: cloud }), /was not put into terminals/);
  });

  it('cannot remove a connection (and destroy its token) by command: asked, and No keeps it', async () => {
    await assert.rejects(run('jiraTokenGuard.removeConnection', { id: dc }), /was not removed: that needs your consent/);
    fake.reset();
    assert.strictEqual((await run<{ status: string }>('jiraTokenGuard.testConnection', { id: dc })).status, 'valid', 'still there');
    assert.strictEqual(lastCredential(), `Bearer ${alicePat}`);
  });

  it('cannot revoke a token of an account by command: a forged node, id or site is refused before any question', async () => {
    fake.reset();
    const id = dataCenterPatId(alicePat);
    const refused = /Revoke Token works on a token listed under “Tokens in this account”/;
    await assert.rejects(run('jiraTokenGuard.revokeAccountToken', { connectionId: dc, id, baseUrl: `${fake.url}/dc` }), refused);
    // A look-alike of a tree node (its brand is a registered symbol): refused, not asked about.
    const lookAlike = {
      [Symbol.for('jiraTokenGuard.treeNode')]: true,
      type: 'account-token',
      connectionId: dc,
      row: { token: { id, label: 'x' }, flags: [], storedHere: true },
    };
    assert.strictEqual(await run('jiraTokenGuard.revokeAccountToken', lookAlike), undefined);
    assert.strictEqual(await run('jiraTokenGuard.revokeAccountToken'), undefined);
    assert.deepStrictEqual(
      fake.requests.filter((r) => r.method === 'DELETE'),
      [],
      'nothing was revoked',
    );
    assert.strictEqual((await run<{ status: string }>('jiraTokenGuard.testConnection', { id: dc })).status, 'valid', 'the PAT still works');
  });

  it('cannot revoke an organisation’s tokens by command: forged nodes or ids are refused before any question', async () => {
    const refused = /Revoke Selected Tokens works on tokens listed under an organisation/;
    const raw = { id: 'tok-1', user: { id: '557058:victim' }, orgId: 'a1b2c3d4-0000-4000-8000-000000000001' };
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('jiraTokenGuard.revokeOrgTokens', raw, [raw])), refused);
    const lookAlike = {
      [Symbol.for('jiraTokenGuard.treeNode')]: true,
      type: 'org-token',
      organisationId: 'any',
      token: { id: 'tok-1', label: 'x', user: { id: '557058:victim' } },
      flags: [],
      belongsTo: [],
    };
    assert.strictEqual(await vscode.commands.executeCommand('jiraTokenGuard.revokeOrgTokens', lookAlike, [lookAlike]), undefined);
    assert.strictEqual(await run('jiraTokenGuard.revokeOrgTokens'), undefined);
    // Adding one takes only an id-shaped org id, and answers no key.
    await assert.rejects(
      run('jiraTokenGuard.addOrganisation', { label: 'x', orgId: '../users', adminKey: 'k' }),
      /orgId must be an Atlassian organisation id/,
    );
  });

  it('cannot swap a stored token for one of another account: asked, and No keeps the old one', async () => {
    await assert.rejects(run('jiraTokenGuard.replaceToken', { id: cloud, token: eveToken }), /was not replaced/);
    await assert.rejects(run('jiraTokenGuard.replaceToken', { id: dc, token: malloryPat }), /was not replaced/);
    fake.reset();
    await run('jiraTokenGuard.testConnection', { id: cloud });
    assert.strictEqual(lastCredential(), `dev@acme.com:${devToken}`, 'the old token is still the one in use');
    await run('jiraTokenGuard.testConnection', { id: dc });
    assert.strictEqual(lastCredential(), `Bearer ${alicePat}`);
  });
});
