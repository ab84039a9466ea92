// Rotate Token against the fake Jira in the real host: a Data Center PAT end to end, each failing step
// leaving a working state, creation with the password, Cloud's guided rotation; and Find Where This Token
// Is Used over a temporary home folder and the workspace.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { type FakeJira, startFakeJira } from '../support/fakeJira';
import { dataCenterPatId, makeCloudToken, makeDataCenterPat } from '../support/tokens';
import { assertNoSecret } from '../support/secrets';
import { AsShown, Back, type ScriptedAnswer } from '../support/scriptedUi';
import { everythingOutsideSecretStorage, extensionApi, hostLogsAfter, removeAllConnections, type TestApi, waitFor } from './helpers';

const DAY_MS = 86_400_000;

describe('Rotate Token and Find Where This Token Is Used', function () {
  this.timeout(30_000);
  let api: TestApi;
  let fake: FakeJira;
  let home: string;
  let users = 0;

  before(async () => {
    api = await extensionApi();
    fake = await startFakeJira();
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-home-'));
    api.useHome(home);
  });

  after(async () => {
    api.useHome(undefined);
    fs.rmSync(home, { recursive: true, force: true });
    await fake.close();
  });

  beforeEach(async () => {
    await removeAllConnections(api);
    fake.reset();
  });

  /** A Data Center user of its own (own context path), whose PAT was made 30 days ago for 90 days; and its connection. */
  /** The fake Data Center answers 500 to the PAT endpoint's `method` requests (create: POST, revoke: DELETE). */
  function failPatRequests(ctx: string, method: 'POST' | 'DELETE'): void {
    fake.setBehaviour(
      {
        kind: 'answer',
        status: 500,
        body: '{"errorMessages":["Internal server error"]}',
        headers: { 'Content-Type': 'application/json' },
      },
      { path: `${ctx}/rest/pat/`, method },
    );
  }

  async function dcConnection(
    target: FakeJira = fake,
    extraPats = 0,
  ): Promise<{ id: string; pat: string; password: string; username: string; ctx: string }> {
    const username = `user${++users}`;
    const ctx = `/jira${users}`;
    const pat = makeDataCenterPat();
    const password = `pw-${Math.random().toString(36).slice(2)}-secret`;
    const created = Date.now() - 30 * DAY_MS;
    target.addDataCenterUser({
      contextPath: ctx,
      username,
      password,
      pat,
      patName: 'laptop',
      createdAt: new Date(created).toISOString(),
      expiringAt: new Date(created + 90 * DAY_MS).toISOString(),
    });
    for (let i = 0; i < extraPats; i++) target.addDataCenterUser({ contextPath: ctx, username, password, pat: makeDataCenterPat() });
    const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
      kind: 'datacenter-pat',
      baseUrl: target.url + ctx,
      username,
      token: pat,
      label: `DC ${users}`,
    });
    return { id, pat, password, username, ctx };
  }

  async function run<T>(answers: ScriptedAnswer[], command: () => Thenable<T>): Promise<{ result?: T; error?: Error; asked: string[] }> {
    const script = api.ui.answer(answers);
    try {
      const result = await command();
      return { result, asked: [...script.asked] };
    } catch (error) {
      return { error: error as Error, asked: [...script.asked] };
    } finally {
      script.stop();
    }
  }

  const rotate = (arg: unknown) => () =>
    vscode.commands.executeCommand<{ id: string; newTokenId?: string; revokedOldToken: boolean }>('jiraTokenGuard.rotateToken', arg);
  const live = (f: FakeJira, username: string) => f.patsOf(username).filter((p) => !p.revoked);
  const treeItem = (id: string): vscode.TreeItem => {
    const node = api.tree.getChildren().find((n) => api.tree.getTreeItem(n).id === id);
    assert.ok(node, 'the connection is in the tree');
    return api.tree.getTreeItem(node);
  };

  describe('Data Center PAT', () => {
    it('creates, checks and stores the new token, then revokes the old one; the tree shows the new token', async () => {
      const { id, pat, username, ctx } = await dcConnection();
      const today = new Date().toISOString().slice(0, 10);
      const { result, error, asked } = await run(['Rotate'], rotate({ id }));
      assert.ifError(error);
      const [fresh] = live(fake, username);
      assert.deepStrictEqual(result, { id, newTokenId: fresh.id, revokedOldToken: true });
      assert.strictEqual(fresh.name, `DC ${users} (rotated ${today})`);
      assert.ok(Math.abs(Date.parse(fresh.expiringAt!) - Date.now() - 90 * DAY_MS) < 60_000, 'the old lifetime (90 days), within the cap');
      assert.ok(fake.patsOf(username).find((p) => p.pat === pat)?.revoked, 'the old token is revoked');
      assert.strictEqual(await api.store.getToken(id), fresh.pat, 'the new token is stored');
      const connection = api.store.get(id)!;
      assert.ok(connection.rotatedAt);
      assert.strictEqual(connection.expiresAt, new Date(fresh.expiringAt!).toISOString());
      assert.strictEqual(connection.lastCheck?.status, 'valid', 'the check of the new token is recorded');
      assert.strictEqual(treeItem(id).contextValue, 'connection:ok:datacenter-pat');
      // Order on the wire: read, create, check, revoke; the revoke is the last request.
      const calls = fake.requests.filter((r) => r.path.startsWith(ctx)).map((r) => `${r.method} ${r.path.slice(ctx.length)}`);
      assert.deepStrictEqual(
        calls.filter((c) => c.includes('/rest/pat/')),
        [
          'GET /rest/pat/latest/tokens',
          'POST /rest/pat/latest/tokens',
          'GET /rest/pat/latest/tokens',
          `DELETE /rest/pat/latest/tokens/${dataCenterPatId(pat)}`,
        ],
      );
      assert.ok(
        asked.some((q) => /Rotate the token of the connection "DC \d+" on 127\.0\.0\.1:\d+, account "\w+"\?/.test(q)),
        'the user confirmed first',
      );
      assert.ok(
        asked.some((q) => /Rotated “DC \d+”: the new token \(valid until \d{4}-\d{2}-\d{2}\) is saved and the old one is revoked/.test(q)),
      );
      const logs = await hostLogsAfter(api, `Rotated “DC ${users}”`);
      assertNoSecret([logs, ...asked, everythingOutsideSecretStorage(api)], [pat, fresh.pat], 'logs, messages or state');
    });

    it('changes nothing without the user: a caller passing { id } (e.g. another extension) gets the confirmation, and Escape stops it', async () => {
      const { id, pat, username } = await dcConnection();
      const { result } = await run([undefined], rotate({ id }));
      assert.strictEqual(result, undefined);
      assert.strictEqual(await api.store.getToken(id), pat);
      assert.strictEqual(fake.patsOf(username).length, 1);
      assert.ok(!fake.requests.some((r) => r.method !== 'GET'), 'nothing was created or revoked');
    });

    it('create refused: names the step, keeps the old token stored and valid', async () => {
      const { id, pat, username, ctx } = await dcConnection();
      failPatRequests(ctx, 'POST');
      const { error, asked } = await run(['Rotate'], rotate({ id }));
      assert.match(
        error?.message ?? '',
        /failed while creating the new token: Jira answered HTTP 500 .*Nothing was changed: the current token is still in use\./,
      );
      assert.strictEqual(await api.store.getToken(id), pat);
      assert.deepStrictEqual(
        live(fake, username).map((p) => p.pat),
        [pat],
      );
      assertNoSecret(
        [error!.message, ...asked, await hostLogsAfter(api, 'failed while creating the new token')],
        [pat],
        'messages or logs',
      );
    });

    it('limit reached: a clear verdict, nothing created, the old token kept', async () => {
      const { id, pat, username } = await dcConnection(fake, 9);
      const { error } = await run(['Rotate'], rotate({ id }));
      assert.match(
        error?.message ?? '',
        /failed while creating the new token: You have as many personal access tokens as Jira allows .*revoke one you no longer use on the PAT page/,
      );
      assert.strictEqual(await api.store.getToken(id), pat);
      assert.strictEqual(live(fake, username).length, 10);
    });

    it('new token refused by the check: it is revoked again and the old one stays', async () => {
      const { id, pat, username, ctx } = await dcConnection();
      fake.setBehaviour(
        {
          kind: 'answer',
          status: 401,
          body: '{"errorMessages":["You are not authenticated."]}',
          headers: { 'Content-Type': 'application/json', 'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED' },
        },
        { path: `${ctx}/rest/api/2/myself` },
      );
      const { error, asked } = await run(['Rotate'], rotate({ id }));
      assert.match(
        error?.message ?? '',
        /failed while checking the new token: .*The new token was revoked again; the current token is still in use\./,
      );
      const pats = fake.patsOf(username);
      assert.strictEqual(pats.length, 2, 'one was created');
      assert.ok(pats.find((p) => p.pat !== pat)?.revoked, 'and revoked again');
      assert.ok(!pats.find((p) => p.pat === pat)?.revoked);
      assert.strictEqual(await api.store.getToken(id), pat);
      assertNoSecret(
        [error!.message, ...asked, await hostLogsAfter(api, 'failed while checking the new token')],
        [pat, pats[1].pat],
        'messages or logs',
      );
    });

    it('store failure: the new token is revoked again, the old one stays stored and valid', async () => {
      const { id, pat, username } = await dcConnection();
      const failingStore = {
        getToken: (connectionId: string) => api.store.getToken(connectionId),
        updateIf: api.store.updateIf.bind(api.store),
        replaceToken: async (): Promise<never> => {
          throw new api.bundled.StoreError('The new token could not be saved (injected failure). The previous token is still in use.');
        },
      };
      const commands = api.rotation.commandsWith({ store: failingStore });
      const { error, asked } = await run(['Rotate'], () => commands.rotate({ id }));
      assert.match(
        error?.message ?? '',
        /failed while saving the new token: The new token could not be saved \(injected failure\)\. .*The new token was revoked again; the current token is still in use\./,
      );
      const pats = fake.patsOf(username);
      assert.ok(pats.find((p) => p.pat !== pat)?.revoked, 'the unstored token was revoked');
      assert.ok(!pats.find((p) => p.pat === pat)?.revoked, 'the old token still works');
      assert.strictEqual(await api.store.getToken(id), pat);
      assertNoSecret([error!.message, ...asked], [pat, pats[1].pat], 'messages');
    });

    it('revoke failure: the new token is stored and the failure is reported with the PAT page', async () => {
      const { id, pat, username, ctx } = await dcConnection();
      failPatRequests(ctx, 'DELETE');
      const { result, error, asked } = await run(['Rotate'], rotate({ id }));
      assert.ifError(error);
      assert.strictEqual(result?.revokedOldToken, false);
      const fresh = live(fake, username).find((p) => p.pat !== pat)!;
      assert.strictEqual(await api.store.getToken(id), fresh.pat, 'the new token is stored');
      assert.ok(!fake.patsOf(username).find((p) => p.pat === pat)?.revoked, 'the old one is still valid, and the user is told');
      const page = `${api.store.get(id)!.baseUrl}/secure/ViewProfile.jspa?selectedTab=com.atlassian.pats.pats-plugin:jira-user-personal-access-tokens`;
      const warning = asked.find((q) => q.startsWith('warning: The new token of'));
      assert.ok(warning, asked.join(' / '));
      assert.match(warning, /is saved and works, but the old one is still valid: Jira answered HTTP 500/);
      assert.ok(warning.includes(`[the PAT page](${page})`) && warning.includes('[Open PAT Page]'), 'a link to the PAT page');
      assertNoSecret([...asked, await hostLogsAfter(api, 'the old token was not revoked')], [pat, fresh.pat], 'messages or logs');
    });

    it('asks once for the password when the server refuses PAT-authenticated creation, and never keeps it', async () => {
      const strict = await startFakeJira({ patCreation: 'password-only' });
      try {
        const { id, pat, password, username } = await dcConnection(strict);
        const { result, error, asked } = await run(['Rotate', password], rotate({ id }));
        assert.ifError(error);
        assert.strictEqual(result?.revokedOldToken, true);
        assert.strictEqual(asked.filter((q) => /Jira password/.test(q)).length, 1, 'asked once');
        const withPassword = strict.requests.filter((r) => r.authorization?.startsWith('Basic '));
        assert.deepStrictEqual(
          withPassword.map((r) => r.method),
          ['POST'],
          'the password served the create request only',
        );
        const [fresh] = live(strict, username);
        assert.strictEqual(await api.store.getToken(id), fresh.pat);
        const logs = await hostLogsAfter(api, `Rotated “DC ${users}”`);
        assertNoSecret([logs, ...asked, everythingOutsideSecretStorage(api)], [password, pat, fresh.pat], 'logs, messages or state');
        assert.ok(!api.store.knownSecrets().includes(password), 'the password is not kept in memory by the store');

        // From an argument object, the password may be given; a wrong one is refused at the create step.
        const other = await dcConnection(strict);
        const refused = await run(['Rotate'], rotate({ id: other.id, password: 'not-the-password' }));
        assert.match(refused.error?.message ?? '', /failed while creating the new token: Jira refused the user name and password\./);
        assert.strictEqual(await api.store.getToken(other.id), other.pat);
      } finally {
        await strict.close();
      }
    });

    it('is the action of an expiry reminder for a Data Center PAT that still works', async () => {
      const username = `user${++users}`;
      const pat = makeDataCenterPat();
      fake.addDataCenterUser({
        contextPath: '/remind',
        username,
        pat,
        createdAt: new Date(Date.now() - 87 * DAY_MS).toISOString(),
        expiringAt: new Date(Date.now() + 3 * DAY_MS).toISOString(),
      });
      const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
        kind: 'datacenter-pat',
        baseUrl: `${fake.url}/remind`,
        token: pat,
        label: 'Reminded',
        expiresAt: new Date(Date.now() + 3 * DAY_MS).toISOString(),
      });
      await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
        kind: 'datacenter-pat',
        baseUrl: `${fake.url}/remind`,
        username: 'someone-else',
        token: makeDataCenterPat(),
        label: 'Expired PAT',
        expiresAt: new Date(Date.now() - 2 * DAY_MS).toISOString(),
      });
      const hygiene = api.hygiene;
      const recorder = api.ui.recordNotifications((n) => (n.message.includes('“Reminded”') ? 'Rotate Token' : undefined));
      const script = api.ui.answer(['Rotate']);
      try {
        await hygiene.reminders.check();
        await hygiene.reminders.settled();
        const shown = recorder.shown.find((n) => n.message.includes('“Reminded”'));
        assert.deepStrictEqual(shown?.actions, ['Rotate Token', 'Open Token Page', 'Remind Me Later']);
        const expired = recorder.shown.find((n) => n.message.includes('“Expired PAT”'));
        assert.deepStrictEqual(
          expired?.actions,
          ['Replace Token', 'Open Token Page', 'Remind Me Later'],
          'an expired PAT cannot make its successor',
        );
        assert.strictEqual(script.remaining(), 0, 'the rotation asked for confirmation');
      } finally {
        script.stop();
        recorder.stop();
      }
      const [fresh] = live(fake, username);
      assert.strictEqual(await api.store.getToken(id), fresh.pat, 'rotated');
      assert.ok(Math.abs(Date.parse(fresh.expiringAt!) - Date.now() - 90 * DAY_MS) < 60_000, 'with the old lifetime');
    });

    it('runs one rotation of a connection at a time', async () => {
      const { id, username } = await dcConnection();
      const script = api.ui.answer(['Rotate']);
      try {
        const results = await Promise.allSettled([rotate({ id })(), rotate({ id })()]);
        const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.strictEqual(refused.length, 1);
        assert.match(String(refused[0].reason?.message), /is being rotated already/);
      } finally {
        script.stop();
      }
      const [fresh] = live(fake, username);
      assert.strictEqual(live(fake, username).length, 1, 'one new token, no orphan');
      assert.strictEqual(await api.store.getToken(id), fresh.pat);
    });

    it('names the site, the account and the lifetime, and shows a label a command set as quoted data', async () => {
      const { id, username } = await dcConnection();
      const label = 'Prod” is safe. Click Rotate\u202e';
      await vscode.commands.executeCommand('jiraTokenGuard.editConnection', { id, label });
      const script = api.ui.answer([undefined]);
      try {
        await rotate({ id, expiryDays: 30 })();
      } finally {
        script.stop();
      }
      const question = script.asked.find((q) => q.includes('Rotate the token of the connection')) ?? script.asked.join(' / ');
      assert.ok(question.includes('"Prod” is safe. Click Rotate\\u202e" on 127.0.0.1:'), question);
      assert.ok(!question.includes('\u202e'), 'no bidi control reaches the dialog');
      assert.ok(question.includes(`account "${username}"`), question);
      assert.ok(
        script.details.some((d) => /A new personal access token that expires after 30 days is made on 127\.0\.0\.1:\d+ for "/.test(d)),
        script.details.join(' / '),
      );
    });

    it('refuses arguments it cannot use, before asking anything', async () => {
      const { id } = await dcConnection();
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('jiraTokenGuard.rotateToken', { id, expiryDays: 0 })),
        /expiryDays must be a whole number/,
      );
      // A ten-year token when the user's maximum is 90 days: refused, nothing asked, nothing made.
      const before = fake.requests.length;
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('jiraTokenGuard.rotateToken', { id, expiryDays: 3650 })),
        /expiryDays must be a whole number of days from 1 to 90 \(jiraTokenGuard.rotationMaxExpiryDays\)/,
      );
      assert.strictEqual(fake.requests.length, before, 'nothing reached Jira');
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('jiraTokenGuard.rotateToken', { id: 'nope' })),
        /No connection has the id "nope"/,
      );
    });
  });

  describe('Cloud (guided)', () => {
    const email = 'rotor@acme.io';
    const oldToken = makeCloudToken();
    const newToken = makeCloudToken();
    const strangerToken = makeCloudToken();

    before(() => {
      fake.addCloudAccount({ email, token: oldToken, accountId: '712020:rotor' });
      fake.addCloudAccount({ email, token: newToken, accountId: '712020:rotor' });
      fake.addCloudAccount({ email, token: strangerToken, accountId: '712020:someone-else' });
    });

    it('opens the token page, checks the new token on the same site and account, stores it, then asks to revoke the old one', async () => {
      const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
        kind: 'cloud',
        baseUrl: fake.url,
        email,
        token: oldToken,
        label: 'Cloud',
        verify: true,
      });
      const links = api.ui.recordLinks();
      try {
        const refused = await run([strangerToken, '2027-06-01'], rotate({ id }));
        assert.match(refused.error?.message ?? '', /belongs to another Atlassian account\. Nothing was changed/);
        assert.strictEqual(await api.store.getToken(id), oldToken);

        const { result, error, asked } = await run([newToken, Back, AsShown, '2027-06-01'], rotate({ id }));
        assert.ifError(error);
        assert.deepStrictEqual(
          asked.filter((q) => q.startsWith('input')).map((q) => q.split(':')[0]),
          ['input 1/2', 'input 2/2', 'input 1/2', 'input 2/2'],
          'Back from the expiry shows the token pasted',
        );
        assert.deepStrictEqual(result, { id, newTokenId: undefined, revokedOldToken: false });
        assert.strictEqual(await api.store.getToken(id), newToken);
        assert.strictEqual(api.store.get(id)?.expiresAt, '2027-06-01T00:00:00.000Z');
        assert.ok(
          asked.some((q) => /paste the new token “Cloud \(rotated \d{4}-\d{2}-\d{2}\)”/.test(q)),
          'a suggested name',
        );
        assert.ok(asked.some((q) => /Now revoke the old one on the token page/.test(q)));
        assert.ok(
          links.urls.length >= 2 && links.urls.every((u) => u === 'https://id.atlassian.com/manage-profile/security/api-tokens'),
          'the token page, before and after',
        );
        assert.ok(
          fake.requests.every((r) => r.server !== 'other'),
          'the tokens went to the site only',
        );
        assertNoSecret([...asked], [oldToken, newToken, strangerToken], 'messages');
      } finally {
        links.stop();
      }
    });
  });

  describe('Find Where This Token Is Used', () => {
    const workspace = (): string => vscode.workspace.workspaceFolders![0].uri.fsPath;
    let dir: string;
    const email = 'finder@acme.io';
    const token = makeCloudToken();

    function write(file: string, text: string): string {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      return file;
    }

    before(() => {
      fake.addCloudAccount({ email, token });
      dir = path.join(workspace(), 'where-used');
    });

    after(async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      for (const f of fs.readdirSync(home)) fs.rmSync(path.join(home, f), { recursive: true, force: true });
      await vscode.workspace.getConfiguration('jiraTokenGuard').update('tokenUseExtraPaths', undefined, vscode.ConfigurationTarget.Global);
    });

    it('finds the token in each listed place, by value, and nothing else', async () => {
      const basic = Buffer.from(`${email}:${token}`).toString('base64');
      const expected = [
        [write(path.join(home, '.netrc'), `machine acme.atlassian.net\n  login ${email}\n  password ${token}\n`), 3],
        [write(path.join(home, '.bashrc'), `alias ll='ls -l'\nexport JIRA_API_TOKEN="${token}"\n`), 2],
        [write(path.join(home, '.config', 'fish', 'config.fish'), `set -x JIRA_API_TOKEN ${token}\n`), 1],
        [
          write(
            path.join(home, '.config', '.jira', '.config.yml'),
            `server: https://acme.atlassian.net\nlogin: ${email}\napi_token: ${token}\n`,
          ),
          3,
        ],
        [
          write(
            path.join(home, '.config', 'Code', 'User', 'mcp.json'),
            JSON.stringify(
              {
                servers: {
                  atlassian: { type: 'http', url: 'https://mcp.atlassian.com/v1/mcp', headers: { Authorization: `Basic ${basic}` } },
                },
              },
              null,
              2,
            ),
          ),
          7,
        ],
        [
          write(
            path.join(home, 'scripts', 'sync.sh'),
            `#!/bin/sh\ncurl -u "${email}:${token}" https://acme.atlassian.net/rest/api/3/myself\n`,
          ),
          2,
        ],
        [write(path.join(dir, 'src', 'client.py'), `import os\nTOKEN = "${token}"  # to move\n`), 2],
        [write(path.join(dir, '.env.local'), `JIRA_EMAIL=${email}\nJIRA_API_TOKEN=${token}\n`), 2],
      ] as Array<[string, number]>;
      // Near-misses and places the workspace scan leaves out.
      write(path.join(home, '.zshrc'), `export JIRA_API_TOKEN=${makeCloudToken()}\n`);
      write(path.join(home, '.profile'), `export JIRA_API_TOKEN=${token.slice(0, token.length / 2)}\n`);
      write(path.join(home, 'not-listed.txt'), `${token}\n`);
      write(path.join(dir, 'half.txt'), `${token.slice(0, token.length / 2)}\n`);
      write(path.join(dir, 'longer.txt'), `${token}EXTRA\n`);
      write(path.join(dir, '.gitignore'), 'ignored.txt\n.env.local\n');
      write(path.join(dir, 'ignored.txt'), `${token}\n`);
      write(path.join(dir, 'node_modules', 'pkg', 'index.js'), `module.exports = "${token}";\n`);
      await vscode.workspace
        .getConfiguration('jiraTokenGuard')
        .update('tokenUseExtraPaths', ['~/scripts/sync.sh'], vscode.ConfigurationTarget.Global);
      const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
        kind: 'cloud',
        baseUrl: fake.url,
        email,
        token,
        label: 'Finder',
      });

      const before = new Map(expected.map(([file]) => [file, fs.statSync(file).mtimeMs]));
      const editorsBefore = vscode.window.visibleTextEditors.length;
      const uses = await vscode.commands.executeCommand<Array<{ uri: vscode.Uri; line: number }>>('jiraTokenGuard.findTokenUses', { id });
      const found = uses.map((u) => `${u.uri.fsPath}:${u.line}`).sort();
      assert.deepStrictEqual(found, expected.map(([file, line]) => `${file}:${line}`).sort());
      assert.strictEqual(vscode.window.visibleTextEditors.length, editorsBefore, 'nothing was opened');
      for (const [file, mtime] of before) assert.strictEqual(fs.statSync(file).mtimeMs, mtime, `${file} was only read`);
      const logs = await hostLogsAfter(api, 'Find Where This Token Is Used (“Finder”): 8 places');
      assertNoSecret([logs, JSON.stringify(uses)], [token], 'logs or the answer');
    });

    it('never looks for a password by content when a command asks (the line found would confirm a guess)', async () => {
      const password = `Pw${Date.now().toString(36)}x`;
      fake.addDataCenterUser({ contextPath: '/guess', username: 'bob', password });
      const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
        kind: 'datacenter-basic',
        baseUrl: `${fake.url}/guess`,
        username: 'bob',
        token: password,
        label: 'Basic',
      });
      const guesses = Array.from({ length: 5000 }, (_, i) => `Pw${i.toString(36)}x`);
      guesses[1234] = password;
      write(path.join(dir, 'guesses.txt'), guesses.join('\n'));
      await vscode.workspace
        .getConfiguration('jiraTokenGuard')
        .update('tokenUseExtraPaths', [path.join(dir, 'guesses.txt')], vscode.ConfigurationTarget.Global);
      const script = api.ui.answer([]);
      try {
        await assert.rejects(
          Promise.resolve(vscode.commands.executeCommand('jiraTokenGuard.findTokenUses', { id })),
          /“Basic” holds a password: it is looked for by content only when you ask from the tree or the Command Palette/,
        );
      } finally {
        script.stop();
      }
      // The user's own flow asks first; Cancel looks nowhere.
      const asked = api.ui.answer([undefined]);
      try {
        assert.strictEqual(await vscode.commands.executeCommand('jiraTokenGuard.findTokenUses', { id, prompt: true }), undefined);
      } finally {
        asked.stop();
      }
      assert.ok(
        asked.asked.some((q) => /Look for the password of “Basic”/.test(q)),
        asked.asked.join(' / '),
      );
      await vscode.workspace.getConfiguration('jiraTokenGuard').update('tokenUseExtraPaths', undefined, vscode.ConfigurationTarget.Global);
      await api.store.remove(id);
    });

    it('follows no link out of the workspace', async () => {
      const outsideFile = write(path.join(home, 'outside', 'secrets.txt'), `JIRA_API_TOKEN=${token}\n`);
      fs.mkdirSync(dir, { recursive: true });
      fs.symlinkSync(outsideFile, path.join(dir, 'linked.env'));
      fs.symlinkSync(path.dirname(outsideFile), path.join(dir, 'linked-folder'));
      const inside = write(path.join(dir, 'inside.txt'), `${token}\n`);
      const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
        kind: 'cloud',
        baseUrl: fake.url,
        email,
        token,
        label: 'Linked',
      });
      const uses = await vscode.commands.executeCommand<Array<{ uri: vscode.Uri; line: number }>>('jiraTokenGuard.findTokenUses', { id });
      const found = uses.map((u) => u.uri.fsPath);
      assert.ok(found.includes(inside), found.join('\n'));
      assert.ok(!found.some((f) => f.includes('linked') || f === outsideFile), found.join('\n'));
      await api.store.remove(id);
      fs.rmSync(path.join(dir, 'linked.env'));
      fs.rmSync(path.join(dir, 'linked-folder'));
      fs.rmSync(inside);
    });

    it('ignores extra paths a workspace tries to add (the setting is user-level only)', async () => {
      const secretFile = write(path.join(home, 'elsewhere', 'notes.txt'), `${token}\n`);
      // Through VS Code's file service: VS Code 1.90's watcher misses a .vscode folder created behind its back.
      const settingsFile = path.join(workspace(), '.vscode', 'settings.json');
      await vscode.workspace.fs.writeFile(
        vscode.Uri.file(settingsFile),
        Buffer.from(JSON.stringify({ 'jiraTokenGuard.tokenUseExtraPaths': [secretFile], 'jiraTokenGuard.reportUnverifiedTokens': true })),
      );
      const config = () => vscode.workspace.getConfiguration('jiraTokenGuard');
      try {
        // The resource-scoped marker (not restricted in Restricted Mode) shows the file has been read.
        await waitFor('the workspace settings to apply', () => config().get('reportUnverifiedTokens') === true);
        assert.ok(!config().get<string[]>('tokenUseExtraPaths')?.includes(secretFile), 'not taken from the workspace');
        const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
          kind: 'cloud',
          baseUrl: fake.url,
          email,
          token,
          label: 'Finder',
        });
        const uses = await vscode.commands.executeCommand<Array<{ uri: vscode.Uri; line: number }>>('jiraTokenGuard.findTokenUses', { id });
        assert.ok(!uses.some((u) => u.uri.fsPath === secretFile));
      } finally {
        await vscode.workspace.fs.delete(vscode.Uri.file(path.dirname(settingsFile)), { recursive: true });
        await waitFor('the workspace settings to go', () => config().get('reportUnverifiedTokens') === false);
      }
    });

    it('lists the places before a rotation and again after it, each opening at its line', async () => {
      const pat = makeDataCenterPat();
      fake.addDataCenterUser({
        contextPath: '/finder',
        username: 'finder',
        pat,
        createdAt: new Date().toISOString(),
        expiringAt: new Date(Date.now() + 30 * DAY_MS).toISOString(),
      });
      const file = write(path.join(home, '.netrc'), `machine jira.example.com\n  login finder\n  password ${pat}\n`);
      const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
        kind: 'datacenter-pat',
        baseUrl: `${fake.url}/finder`,
        token: pat,
        label: 'Finder DC',
      });
      const { error, asked } = await run(['Rotate', '.netrc:3'], rotate({ id, prompt: true }));
      assert.ifError(error);
      const confirm = asked.find((q) => q.startsWith('warning: Rotate the token'));
      assert.match(confirm ?? '', /The current token is used in 1 place: ~\/\.netrc:3\./, 'the places are shown before the rotation');
      assert.ok(
        asked.some((q) => q.startsWith('pick: Replace the old token in these places')),
        'the list is shown again after the rotation',
      );
      const editor = vscode.window.activeTextEditor;
      assert.strictEqual(editor?.document.uri.fsPath, file);
      assert.strictEqual(editor?.selection.active.line, 2, 'opened at the line');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });
  });
});
