// The boundary other extensions meet: what activate() returns, and the commands that could move a stored
// credential (a new site, user or kind; a replacement token). Checked in the real host against the fake
// Jira on 127.0.0.1; the dialogs are answered by the scripted UI.
import * as assert from 'assert';
import * as fs from 'fs';
import { randomBytes } from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CheckResult } from '../../src/core/connections/connection';
import { type FakeJira, startFakeJira } from '../support/fakeJira';
import { makeCloudToken, makeDataCenterPat } from '../support/tokens';
import {
  everythingOutsideSecretStorage,
  extensionApi,
  extensionExports,
  fingerprintOf,
  removeAllConnections,
  type TestApi,
  waitFor,
  withSetting,
} from './helpers';

const run = <T>(command: string, arg?: unknown) => Promise.resolve(vscode.commands.executeCommand<T>(command, arg));

describe('the boundary with other extensions', () => {
  let api: TestApi;
  let fake: FakeJira;
  const devToken = makeCloudToken();
  const devRotated = makeCloudToken();
  const eveToken = makeCloudToken();
  const alicePat = makeDataCenterPat();
  const aliceRotated = makeDataCenterPat();
  const malloryPat = makeDataCenterPat();

  before(async () => {
    api = await extensionApi();
    fake = await startFakeJira();
    fake.addCloudAccount({ email: 'dev@acme.com', token: devToken });
    fake.addCloudAccount({ email: 'dev@acme.com', token: devRotated });
    fake.addCloudAccount({ email: 'eve@evil.example', token: eveToken });
    fake.addDataCenterUser({ username: 'alice', pat: alicePat });
    fake.addDataCenterUser({ username: 'alice', pat: aliceRotated });
    fake.addDataCenterUser({ username: 'mallory', pat: malloryPat });
  });

  after(async () => {
    await removeAllConnections(api);
    await fake.close();
  });

  beforeEach(async () => {
    fake.reset();
    await removeAllConnections(api);
  });

  const addCloud = (token = devToken) =>
    run<string>('jiraTokenGuard.addConnection', { kind: 'cloud', baseUrl: fake.url, email: 'dev@acme.com', token, label: 'Acme' });

  /** Runs `work` answering the extension's questions from `answers`; resolves to what it asked and showed, error notifications aside. */
  async function answering(answers: Array<string | undefined>, work: () => Promise<unknown>): Promise<string[]> {
    const script = api.ui.answer(answers);
    try {
      await work();
      return script.asked.filter((q) => !q.startsWith('error: '));
    } finally {
      script.stop();
    }
  }

  /** Empties a test file (the open document follows the disk) and waits until its leak diagnostics are gone: later suites count them. */
  async function disarm(file: string): Promise<void> {
    const uri = vscode.Uri.file(file);
    fs.writeFileSync(file, '');
    await waitFor(
      `no leak diagnostics left on ${path.basename(file)}`,
      () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Jira Token Guard').length === 0,
    );
  }

  it('activate() returns only the versioned public API; the internals exist only under testing, in Test mode', async () => {
    const exports = await extensionExports();
    assert.deepStrictEqual(Object.keys(exports).sort(), ['apiVersion', 'testing']);
    assert.strictEqual(exports.apiVersion, 1);
  });

  it('asks before a command points a connection holding a token at another site; declining changes nothing', async () => {
    const id = await addCloud();
    const asked = await answering([undefined], () =>
      assert.rejects(
        run('jiraTokenGuard.editConnection', { id, baseUrl: 'https://elsewhere.example' }),
        /was not changed: moving its token needs your consent/,
      ),
    );
    assert.strictEqual(asked.length, 1);
    assert.match(asked[0], /A command .* asks to change “Acme”: site http:\/\/127\.0\.0\.1:\d+ → https:\/\/elsewhere\.example/);
    assert.strictEqual(api.store.get(id)?.baseUrl, fake.url);
    assert.strictEqual(await api.store.getToken(id), devToken);

    const cloud = await run<string>('jiraTokenGuard.addConnection', {
      kind: 'cloud',
      baseUrl: 'https://acme.atlassian.net',
      email: 'dev@acme.com',
      token: makeCloudToken(),
      label: 'Cloud',
    });
    await answering([undefined], () =>
      assert.rejects(run('jiraTokenGuard.editConnection', { id: cloud, email: 'eve@evil.example' }), /not changed/),
    );
    assert.strictEqual(api.store.get(cloud)?.email, 'dev@acme.com', 'a new user is a move too');

    await answering(['Change and Remove the Token'], () =>
      run('jiraTokenGuard.editConnection', { id, baseUrl: 'https://elsewhere.example' }),
    );
    assert.strictEqual(api.store.get(id)?.baseUrl, 'https://elsewhere.example');
    assert.strictEqual(api.store.get(id)?.tokenMissing, true);
    assert.strictEqual(await api.store.getToken(id), undefined, 'the token is gone, not moved');
    const result = await run<CheckResult>('jiraTokenGuard.testConnection', { id });
    assert.match(result.message, /No token is stored/);
    assert.strictEqual(fake.requests.length, 0, 'nothing was sent anywhere');
  });

  it('keeps the token when the user allows the move; moves between loopback sites and with the team setting need no dialog', async () => {
    const id = await addCloud();
    await answering(['Keep the Token'], () => run('jiraTokenGuard.editConnection', { id, baseUrl: 'https://elsewhere.example' }));
    assert.strictEqual(api.store.get(id)?.baseUrl, 'https://elsewhere.example');
    assert.strictEqual(await api.store.getToken(id), devToken);

    const local = await run<string>('jiraTokenGuard.addConnection', {
      kind: 'datacenter-pat',
      baseUrl: fake.url,
      token: alicePat,
      label: 'Local',
    });
    const asked = await answering([], () =>
      run('jiraTokenGuard.editConnection', { id: local, baseUrl: fake.url.replace('127.0.0.1', 'localhost') + '/jira' }),
    );
    assert.deepStrictEqual(asked, [], 'loopback to loopback: no question');
    assert.strictEqual(await api.store.getToken(local), alicePat);

    const quiet = await answering([], () =>
      withSetting('allowUnattendedTokenChanges', true, () =>
        run('jiraTokenGuard.editConnection', { id: local, baseUrl: 'https://jira.example.com' }),
      ),
    );
    assert.deepStrictEqual(quiet, [], 'the team setting lets automation move it');
    assert.strictEqual(api.store.get(local)?.baseUrl, 'https://jira.example.com');
  });

  it('the interactive Edit asks too before the site of a token changes', async () => {
    const id = await addCloud();
    const script = api.ui.answer(['Site URL', 'https://other.example', undefined]);
    try {
      assert.strictEqual(await run('jiraTokenGuard.editConnection'), undefined);
    } finally {
      script.stop();
    }
    const asked = script.asked;
    assert.match(asked.at(-1) ?? '', /^error: “Acme” was not changed: moving its token needs your consent/);
    asked.pop();
    assert.match(asked.at(-1) ?? '', /^warning: Change “Acme”: site .* → https:\/\/other\.example\?/);
    assert.strictEqual(api.store.get(id)?.baseUrl, fake.url);
  });

  it("replaceToken from a command: a token of the same account replaces quietly; another account's token needs the user", async () => {
    const id = await addCloud();
    assert.deepStrictEqual(await answering([], () => run('jiraTokenGuard.replaceToken', { id, token: devRotated })), []);
    assert.strictEqual(await api.store.getToken(id), devRotated, 'Jira vouched for the same account');

    const asked = await answering([undefined], () =>
      assert.rejects(run('jiraTokenGuard.replaceToken', { id, token: eveToken }), /was not replaced.*previous token is still in use/),
    );
    assert.match(asked[0], /asks to replace the token of “Acme”. It could not be checked as the same account/);
    assert.strictEqual(await api.store.getToken(id), devRotated);
    await answering(['Replace'], () => run('jiraTokenGuard.replaceToken', { id, token: eveToken }));
    assert.strictEqual(await api.store.getToken(id), eveToken, 'the user confirmed');

    const dc = await run<string>('jiraTokenGuard.addConnection', {
      kind: 'datacenter-pat',
      baseUrl: fake.url,
      username: 'alice',
      token: alicePat,
      label: 'DC',
    });
    assert.deepStrictEqual(await answering([], () => run('jiraTokenGuard.replaceToken', { id: dc, token: aliceRotated })), []);
    const refused = await answering([undefined], () =>
      assert.rejects(run('jiraTokenGuard.replaceToken', { id: dc, token: malloryPat }), /not as the account of this connection/),
    );
    assert.strictEqual(refused.length, 1);
    assert.strictEqual(await api.store.getToken(dc), aliceRotated);
  });

  it('a command naming a connection for Use in Terminals needs the user: declined, new terminals get nothing', async () => {
    const id = await addCloud();
    const terminals = api.hygiene;
    await terminals.terminals.stop();
    const asked = await answering([undefined], () =>
      assert.rejects(run('jiraTokenGuard.useInTerminals', { id }), /was not put into terminals: that needs your consent/),
    );
    assert.match(asked[0], /asks to give new terminals the token of “Acme”/);
    assert.strictEqual(terminals.environmentVariableCollection.get('JIRA_API_TOKEN'), undefined);
    await answering(['Use in Terminals'], () => run('jiraTokenGuard.useInTerminals', { id }));
    assert.strictEqual(terminals.environmentVariableCollection.get('JIRA_API_TOKEN')?.value, devToken);
    await terminals.terminals.stop();
  });

  it('in Restricted Mode, a workspace cannot turn the guard down through its settings', async () => {
    if (process.env.JTG_TEST_HOST === 'server')
      assert.strictEqual(vscode.workspace.isTrusted, false, 'the server host never trusts the folder');
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const settingsFile = path.join(root, '.vscode', 'settings.json');
    // Through VS Code's file service: VS Code 1.90's watcher misses a .vscode folder created behind its back.
    await vscode.workspace.fs.writeFile(
      vscode.Uri.file(settingsFile),
      Buffer.from(
        JSON.stringify({
          'jiraTokenGuard.leakDetection': false,
          'jiraTokenGuard.leakSeverity': 'hint',
          'jiraTokenGuard.maxFileSizeKB': 1,
          'jiraTokenGuard.statusBar': 'never',
          'jiraTokenGuard.allowUnattendedTokenChanges': true,
          // Not restricted (it only adds findings): shows that the file was read.
          'jiraTokenGuard.reportUnverifiedTokens': true,
        }),
      ),
    );
    const config = () => vscode.workspace.getConfiguration('jiraTokenGuard');
    try {
      await waitFor('the workspace settings to be read', () => config().get('reportUnverifiedTokens') === true);
      assert.strictEqual(config().get('leakDetection'), true);
      assert.strictEqual(config().get('leakSeverity'), 'warning');
      assert.strictEqual(config().get('maxFileSizeKB'), 2048);
      assert.strictEqual(config().get('statusBar'), 'auto');
      assert.strictEqual(config().get('allowUnattendedTokenChanges'), false);
      const file = path.join(root, 'restricted', 'leak.env');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `JIRA_API_TOKEN=${makeCloudToken()}\n`);
      const doc = await vscode.workspace.openTextDocument(file);
      const diagnostics = await waitFor('the leak flagged despite the workspace settings', () => {
        const ours = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Jira Token Guard');
        return ours.length === 1 ? ours : undefined;
      });
      assert.strictEqual(diagnostics[0].severity, vscode.DiagnosticSeverity.Warning);
    } finally {
      fs.rmSync(path.dirname(settingsFile), { recursive: true, force: true });
      const leakFile = path.join(root, 'restricted', 'leak.env');
      if (fs.existsSync(leakFile)) await disarm(leakFile);
      fs.rmSync(path.join(root, 'restricted'), { recursive: true, force: true });
      await waitFor('the workspace settings to be gone', () => config().get('reportUnverifiedTokens') === false);
    }
  });

  it('reads no secret at activation; the leak guard knows stored tokens by their fingerprints, and a password only once it was read', async () => {
    assert.strictEqual(api.secretReadsAtStart, 0, 'activation and start-up read no secret');
    const cloudToken = makeCloudToken();
    const pat = makeDataCenterPat();
    const password = `Winter${randomBytes(8).toString('hex')}`;
    fake.addDataCenterUser({ contextPath: '/basic', username: 'bob', password });
    const cloud = await run<string>('jiraTokenGuard.addConnection', {
      kind: 'cloud',
      baseUrl: 'https://acme.atlassian.net',
      email: 'dev@acme.com',
      token: cloudToken,
      label: 'Cloud',
    });
    await run<string>('jiraTokenGuard.addConnection', {
      kind: 'datacenter-pat',
      baseUrl: 'https://jira.example.com',
      token: pat,
      label: 'PAT',
    });
    const basic = await run<string>('jiraTokenGuard.addConnection', {
      kind: 'datacenter-basic',
      baseUrl: `${fake.url}/basic`,
      username: 'bob',
      token: password,
      label: 'Basic',
    });
    assert.strictEqual(api.store.get(cloud)?.tokenFingerprint?.sha256, fingerprintOf(cloudToken));
    assert.strictEqual(api.store.get(basic)?.tokenFingerprint, undefined, 'never a fingerprint of a password');
    assert.ok(
      !everythingOutsideSecretStorage(api).includes(fingerprintOf(password)),
      "the password's fingerprint is nowhere outside SecretStorage",
    );

    // What start-up does (tree, status bar, reminders, the live guard on open files), now with stored secrets.
    const reads = api.secretReads();
    api.tree.getChildren().forEach((n) => api.tree.getTreeItem(n));
    api.hygiene.statusBar.snapshot();
    await api.hygiene.reminders.check();
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const file = path.join(root, 'memory', 'creds.env');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `A=${cloudToken}\nB=${pat}\nJIRA_PASSWORD=${password}\n`);
    const doc = await vscode.workspace.openTextDocument(file);
    const known = () =>
      vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Jira Token Guard' && d.code === 'known-stored-token');
    await waitFor('the two stored tokens flagged as stored', () => known().length === 2);
    assert.ok(!known().some((d) => d.range.start.line === 2), 'the password is not known before it is read');
    assert.strictEqual(api.secretReads(), reads, 'no secret was read for any of it');

    // A check reads the password: from then on the guard recognises it too (in memory only).
    const result = await run<CheckResult>('jiraTokenGuard.testConnection', { id: basic });
    assert.strictEqual(result.status, 'valid');
    await waitFor('the password flagged as the stored secret of “Basic”', () =>
      known().some((d) => d.range.start.line === 2 && /Basic/.test(d.message)),
    );
    assert.ok(!everythingOutsideSecretStorage(api).includes(fingerprintOf(password)));
    await disarm(file);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
