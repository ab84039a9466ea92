import * as assert from 'assert';
import * as vscode from 'vscode';
import { makeCloudToken, makeDataCenterPat } from '../support/tokens';
import {
  everythingOutsideSecretStorage,
  extensionApi,
  hostLogsAfter,
  removeAllConnections,
  StateKeys,
  waitFor,
  type TestApi,
  withSetting,
} from './helpers';

const packageJson = vscode.extensions.getExtension('jira-token-guard.jira-token-guard')!.packageJSON;

async function addCloud(token = makeCloudToken(), extra: Record<string, unknown> = {}): Promise<string> {
  return vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
    kind: 'cloud',
    baseUrl: 'https://acme.atlassian.net/jira/your-work',
    email: 'dev@acme.com',
    token,
    label: 'Acme',
    ...extra,
  });
}

describe('connections', () => {
  let api: TestApi;

  before(async () => {
    api = await extensionApi();
  });

  beforeEach(async () => {
    await removeAllConnections(api);
  });

  it('adds a connection from an argument object; the token is only in SecretStorage', async () => {
    const token = makeCloudToken();
    const id = await addCloud(` ${token}\n`);
    assert.ok(id, 'addConnection resolves to the new id');
    assert.strictEqual(await api.store.getToken(id), token, 'the trimmed token is readable through SecretStorage');
    const connection = api.store.get(id)!;
    assert.strictEqual(connection.baseUrl, 'https://acme.atlassian.net');
    assert.strictEqual(connection.kind, 'cloud');
    assert.strictEqual(connection.email, 'dev@acme.com');
    assert.ok(connection.createdAt);

    const outside = everythingOutsideSecretStorage(api);
    assert.ok(outside.includes(id), 'the metadata is in globalState');
    assert.ok(!outside.includes(token), 'the token is not in globalState or settings');
    assert.ok(!outside.includes(token.slice(12, 60)), 'no part of the token is in globalState or settings');

    const logs = await hostLogsAfter(api, 'Added connection “Acme”');
    assert.ok(!logs.includes(token), 'the token is not in the output channel or any host log');
  });

  it('shows the connection in the tree with its details', async () => {
    const id = await addCloud(undefined, { expiresAt: '2099-01-31' });
    const roots = api.tree.getChildren();
    assert.strictEqual(roots.length, 1);
    const item = api.tree.getTreeItem(roots[0]);
    assert.strictEqual(item.label, 'Acme');
    assert.strictEqual(item.id, id);
    assert.match(String(item.description), /dev@acme\.com · acme\.atlassian\.net/);
    assert.match(String(item.contextValue), /^connection:unchecked:cloud$/);
    assert.ok(item.tooltip instanceof vscode.MarkdownString);
    assert.match(item.tooltip.value, /Jira Cloud API token/);

    const details = (await api.tree.getChildren(roots[0])).map((n) => api.tree.getTreeItem(n));
    const byLabel = Object.fromEntries(details.map((d) => [String(d.label), String(d.description)]));
    assert.deepStrictEqual(Object.keys(byLabel), ['URL', 'Kind', 'User', 'Created', 'Rotated', 'Expiry', 'Last check']);
    assert.strictEqual(byLabel.URL, 'https://acme.atlassian.net');
    assert.strictEqual(byLabel.User, 'dev@acme.com');
    assert.match(byLabel.Expiry, /^2099-01-31, expires in \d+ days$/);
    assert.strictEqual(byLabel['Last check'], 'never');
  });

  it('replaces a token (rotation) and removes a connection with its secret', async () => {
    const id = await addCloud();
    const newToken = makeCloudToken();
    // A team's automation setting: a token given by a command replaces the stored one without a check (the site is not reachable here).
    await withSetting('allowUnattendedTokenChanges', true, () =>
      Promise.resolve(vscode.commands.executeCommand('jiraTokenGuard.replaceToken', { id, token: newToken })),
    );
    assert.strictEqual(await api.store.getToken(id), newToken);
    assert.ok(api.store.get(id)!.rotatedAt, 'rotation date set');

    let secretEvent = false;
    const listener = api.store.onDidChange(() => {
      secretEvent = true;
    });
    // A command asks before it destroys: declined keeps the connection and its token.
    const declined = api.ui.answer([undefined]);
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('jiraTokenGuard.removeConnection', { id })),
      /was not removed: that needs your consent/,
    );
    declined.stop();
    assert.match(declined.asked[0], /A command \(a keybinding, task or another extension\) asks to remove “.*” and delete its token/);
    assert.strictEqual(await api.store.getToken(id), newToken, 'declined: the token is kept');
    const confirmed = api.ui.answer(['Remove']);
    await vscode.commands.executeCommand('jiraTokenGuard.removeConnection', { id });
    confirmed.stop();
    listener.dispose();
    assert.ok(secretEvent);
    assert.strictEqual(api.store.get(id), undefined);
    assert.strictEqual(await api.store.getToken(id), undefined, 'the secret is deleted');
    assert.strictEqual(api.tree.getChildren().length, 0);
  });

  it('edits the non-secret fields', async () => {
    const id = await addCloud();
    await vscode.commands.executeCommand('jiraTokenGuard.editConnection', { id, label: 'Acme prod', expiresAt: '2030-05-01' });
    const connection = api.store.get(id)!;
    assert.strictEqual(connection.label, 'Acme prod');
    assert.strictEqual(connection.expiresAt, '2030-05-01T00:00:00.000Z');
  });

  it('refuses every bad input and stores nothing', async () => {
    const cloudToken = makeCloudToken();
    const refused: Array<[Record<string, unknown>, RegExp]> = [
      [{ kind: 'cloud', baseUrl: 'http://jira.example.com', email: 'a@b.co', token: cloudToken }, /unencrypted/],
      [{ kind: 'cloud', baseUrl: '', email: 'a@b.co', token: cloudToken }, /site URL/],
      [{ kind: 'cloud', baseUrl: 'acme.atlassian.net', email: 'nope', token: cloudToken }, /email/],
      [{ kind: 'cloud', baseUrl: 'acme.atlassian.net', email: 'a@b.co', token: '' }, /Enter the token/],
      [{ kind: 'cloud', baseUrl: 'acme.atlassian.net', email: 'a@b.co', token: 'a@b.co' }, /email address, not a token/],
      [{ kind: 'datacenter-pat', baseUrl: 'jira.example.com', token: cloudToken }, /looks like a Jira Cloud API token/],
      [{ kind: 'cloud', baseUrl: 'acme.atlassian.net', email: 'a@b.co', token: makeDataCenterPat() }, /Personal Access Token/],
      [{ kind: 'whatever', baseUrl: 'acme.atlassian.net', token: cloudToken }, /Unknown connection kind/],
    ];
    const before = everythingOutsideSecretStorage(api);
    for (const [args, message] of refused) {
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('jiraTokenGuard.addConnection', args)), (error: Error) => {
        assert.match(error.message, message);
        assert.ok(!error.message.includes(cloudToken), 'the error does not echo the token');
        return true;
      });
    }
    assert.strictEqual(api.store.list().length, 0);
    assert.strictEqual(everythingOutsideSecretStorage(api), before);
  });

  it('offers the existing connection for the same site and user instead of a duplicate', async () => {
    await addCloud();
    await assert.rejects(
      addCloud(makeCloudToken(), { baseUrl: 'https://ACME.atlassian.net/', email: 'dev@acme.com' }),
      /exists already.*Replace Token/,
    );
    assert.strictEqual(api.store.list().length, 1);
  });

  it('opens the right pages and copies the URL', async () => {
    const cloudId = await addCloud();
    const dcId = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
      kind: 'datacenter-pat',
      baseUrl: 'https://example.com/jira/secure/Dashboard.jspa',
      token: makeDataCenterPat(),
      label: 'DC',
    });
    assert.strictEqual(api.store.get(dcId)!.baseUrl, 'https://example.com/jira');
    const opened = api.ui.recordLinks();
    try {
      assert.strictEqual(
        await vscode.commands.executeCommand('jiraTokenGuard.openTokenPage', { id: cloudId }),
        'https://id.atlassian.com/manage-profile/security/api-tokens',
      );
      assert.match(
        String(await vscode.commands.executeCommand('jiraTokenGuard.openTokenPage', { id: dcId })),
        /^https:\/\/example\.com\/jira\/secure\/ViewProfile\.jspa/,
      );
      assert.strictEqual(await vscode.commands.executeCommand('jiraTokenGuard.openSite', { id: dcId }), 'https://example.com/jira');
      assert.strictEqual(await vscode.commands.executeCommand('jiraTokenGuard.copySiteUrl', { id: dcId }), 'https://example.com/jira');
      assert.strictEqual(opened.urls.length, 3);
      assert.strictEqual(opened.urls[2], 'https://example.com/jira');
    } finally {
      opened.stop();
    }
  });

  it('shows the welcome view only while there are no connections', async () => {
    // One entry for desktop, one for the browser (which has no Import Connections).
    const welcomes = (packageJson.contributes.viewsWelcome as Array<{ view: string; contents: string; when: string }>).filter(
      (w) => w.view === 'jiraTokenGuard.connections',
    );
    assert.deepStrictEqual(
      welcomes.map((w) => w.when),
      ['!jiraTokenGuard.hasConnections && !isWeb', '!jiraTokenGuard.hasConnections && isWeb'],
    );
    for (const welcome of welcomes) assert.match(welcome.contents, /\[Add Jira Connection\]\(command:jiraTokenGuard\.addConnection\)/);
    assert.match(welcomes[0].contents, /\[Add Atlassian Organisation\]\(command:jiraTokenGuard\.addOrganisation\)/);
    assert.strictEqual(api.tree.hasConnections(), false);
    assert.strictEqual(api.tree.getChildren().length, 0);
    await addCloud();
    assert.strictEqual(api.tree.hasConnections(), true);
  });
});

describe('connection store failures', () => {
  let api: TestApi;
  before(async () => {
    api = await extensionApi();
  });

  /** An in-memory SecretStorage that can be told to fail, standing in for a missing Linux keyring. */
  class FlakySecretStorage implements vscode.SecretStorage {
    readonly values = new Map<string, string>();
    failStore = false;
    failDelete = false;
    private readonly emitter = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
    readonly onDidChange = this.emitter.event;
    async get(key: string) {
      return this.values.get(key);
    }
    async store(key: string, value: string) {
      if (this.failStore) throw new Error('Cannot create an item in a locked collection');
      this.values.set(key, value);
    }
    async delete(key: string) {
      if (this.failDelete) throw new Error('keyring unavailable');
      this.values.delete(key);
    }
  }

  class FlakyMemento {
    readonly values = new Map<string, unknown>();
    failUpdate = false;
    get<T>(key: string, fallback?: T): T {
      return (this.values.has(key) ? structuredClone(this.values.get(key)) : fallback) as T;
    }
    async update(key: string, value: unknown) {
      if (this.failUpdate) throw new Error('disk full');
      this.values.set(key, structuredClone(value));
    }
  }

  function snapshot(secrets: FlakySecretStorage, memento: FlakyMemento): string {
    return JSON.stringify([[...secrets.values], [...memento.values]]);
  }

  it('keeps the previous state when the secret cannot be stored', async () => {
    const secrets = new FlakySecretStorage();
    const memento = new FlakyMemento();
    const store = api.bundled.store(secrets, memento);
    const first = await store.add({ label: 'A', kind: 'cloud', baseUrl: 'https://a.atlassian.net', email: 'a@a.co' }, makeCloudToken());
    const before = snapshot(secrets, memento);

    secrets.failStore = true;
    await assert.rejects(
      store.add({ label: 'B', kind: 'cloud', baseUrl: 'https://b.atlassian.net', email: 'b@b.co' }, makeCloudToken()),
      (e: Error) => {
        assert.ok(e instanceof api.bundled.StoreError);
        assert.match(e.message, /could not be saved in the system's secret storage.*Nothing was saved/);
        return true;
      },
    );
    await assert.rejects(store.replaceToken(first.id, makeCloudToken()), api.bundled.StoreError);
    assert.strictEqual(snapshot(secrets, memento), before, 'nothing changed');
    store.dispose();
  });

  it('rolls back the secret when the metadata cannot be written', async () => {
    const secrets = new FlakySecretStorage();
    const memento = new FlakyMemento();
    const store = api.bundled.store(secrets, memento);
    const oldToken = makeCloudToken();
    const first = await store.add({ label: 'A', kind: 'cloud', baseUrl: 'https://a.atlassian.net', email: 'a@a.co' }, oldToken);
    const before = snapshot(secrets, memento);

    memento.failUpdate = true;
    await assert.rejects(
      store.add({ label: 'B', kind: 'cloud', baseUrl: 'https://b.atlassian.net', email: 'b@b.co' }, makeCloudToken()),
      /Nothing was stored/,
    );
    await assert.rejects(store.replaceToken(first.id, makeCloudToken()), /previous token is still in use/);
    await assert.rejects(store.remove(first.id), /Nothing was changed/);
    assert.strictEqual(snapshot(secrets, memento), before, 'secrets and metadata are as before');
    assert.strictEqual(await store.getToken(first.id), oldToken);

    memento.failUpdate = false;
    secrets.failDelete = true;
    await assert.rejects(store.remove(first.id), /could not be deleted.*kept/);
    assert.strictEqual(snapshot(secrets, memento), before);
    assert.deepStrictEqual(memento.get<unknown[]>(StateKeys.connections)?.length, 1);
    store.dispose();
  });

  it('reloads when another window changes a secret', async () => {
    const secrets = new FlakySecretStorage();
    const store = api.bundled.store(secrets, new FlakyMemento());
    let changed = false;
    store.onDidChange(() => {
      changed = true;
    });
    const fired = waitFor('onDidChange', () => changed);
    const emitter = (secrets as unknown as { emitter: vscode.EventEmitter<vscode.SecretStorageChangeEvent> }).emitter;
    const ours = makeCloudToken();
    await store.add({ label: 'A', kind: 'cloud', baseUrl: 'https://a.atlassian.net', email: 'a@a.co' }, ours);
    const id = store.list()[0].id;
    const key = `jiraTokenGuard.token.${id}`;
    assert.strictEqual(await store.getToken(id), ours);
    changed = false;
    // Our own write echoes back through onDidChange: nothing new, no event.
    emitter.fire({ key });
    assert.strictEqual(changed, false, "the echo of our own write is not taken for another window's change");
    // Another window replaced the token: the store drops its copy, tells the views, and reads the new one.
    const theirs = makeCloudToken();
    secrets.values.set(key, theirs);
    emitter.fire({ key });
    await fired;
    assert.strictEqual(await store.getToken(id), theirs, 'the token is read again, not served from memory');
    store.dispose();
    // Disposed, the store stops listening: a later change elsewhere no longer touches it.
    changed = false;
    secrets.values.set(key, makeCloudToken());
    emitter.fire({ key });
    assert.strictEqual(changed, false);
    assert.strictEqual(await store.getToken(id), theirs, 'a disposed store no longer follows SecretStorage');
  });
});
