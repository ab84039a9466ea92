// The guided (prompting) flows, walked with scripted answers in the real host: every answer still
// passes the input box's own validation.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { FakeJira, startFakeJira } from '../support/fakeJira';
import { makeCloudToken, makeDataCenterPat } from '../support/tokens';
import { extensionApi, removeAllConnections, TestApi } from './helpers';

describe('guided flows', () => {
  let api: TestApi;
  let fake: FakeJira;
  const token = makeCloudToken();

  before(async () => {
    api = await extensionApi();
    fake = await startFakeJira();
    fake.addCloudAccount({ email: 'dev@acme.io', token, displayName: 'Dev' });
  });

  after(() => fake.close());

  beforeEach(() => removeAllConnections(api));

  async function walk(answers: Array<string | undefined>, command: string, arg?: unknown): Promise<{ result: unknown; asked: string[] }> {
    const script = api.ui.answer(answers);
    try {
      const result = await vscode.commands.executeCommand(command, arg);
      assert.strictEqual(script.remaining(), 0, `every scripted answer was used; asked: ${script.asked.join(' / ')}`);
      return { result, asked: [...script.asked] };
    } finally {
      script.stop();
    }
  }

  it('adds a connection step by step, checks the token, then saves it with its verdict', async () => {
    const { result: id, asked } = await walk([`${fake.url}/secure/Dashboard.jspa`, 'Jira Cloud', 'dev@acme.io', ` ${token}\n`, '2027-05-01', 'Acme'], 'jiraTokenGuard.addConnection');
    assert.ok(typeof id === 'string');
    const connection = api.store.get(id)!;
    assert.strictEqual(connection.baseUrl, fake.url, 'the page path is dropped');
    assert.strictEqual(connection.kind, 'cloud');
    assert.strictEqual(connection.expiresAt, '2027-05-01T00:00:00.000Z');
    assert.strictEqual(connection.lastCheck?.status, 'valid', 'the token was checked before saving');
    assert.strictEqual(await api.store.getToken(id), token);
    assert.ok(asked.some((q) => q.startsWith('pick:')), 'the kind was asked');
  });

  it('offers "Save Anyway" when the site cannot be reached, and saves nothing when the token is refused', async () => {
    const { result: savedId } = await walk(['http://127.0.0.1:9/jira', 'Jira Data Center / Server', '', makeDataCenterPat(), '', 'Offline DC', 'Save Anyway'], 'jiraTokenGuard.addConnection');
    assert.ok(typeof savedId === 'string', 'saved anyway');
    assert.strictEqual(api.store.get(savedId)?.lastCheck, undefined, 'saved unchecked');

    const { result } = await walk([fake.url, 'Jira Cloud', 'dev@acme.io', makeCloudToken(), '', 'Wrong', undefined], 'jiraTokenGuard.addConnection');
    assert.strictEqual(result, undefined);
    assert.deepStrictEqual(api.store.list().map((c) => c.label), ['Offline DC'], 'the refused token was not saved');
  });

  it('stops at Escape and stores nothing', async () => {
    await walk([fake.url, 'Jira Cloud', undefined], 'jiraTokenGuard.addConnection');
    assert.strictEqual(api.store.list().length, 0);
  });

  it('asks before removing from the tree, and keeps the connection when the answer is no', async () => {
    const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', { kind: 'cloud', baseUrl: fake.url, email: 'dev@acme.io', token, label: 'Acme' });
    const node = api.tree.getChildren()[0];
    await walk([undefined], 'jiraTokenGuard.removeConnection', node);
    assert.ok(api.store.get(id), 'kept');
    await walk(['Remove'], 'jiraTokenGuard.removeConnection', node);
    assert.strictEqual(api.store.get(id), undefined);
    assert.strictEqual(await api.store.getToken(id), undefined);
  });

  it('replaces the token of the existing connection instead of adding a duplicate', async () => {
    const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', { kind: 'cloud', baseUrl: fake.url, email: 'dev@acme.io', token: makeCloudToken(), label: 'Acme' });
    const { result } = await walk([fake.url, 'Jira Cloud', 'DEV@acme.io', 'Replace Its Token', token, '2027-01-01'], 'jiraTokenGuard.addConnection');
    assert.strictEqual(result, id);
    assert.strictEqual(api.store.list().length, 1);
    assert.strictEqual(await api.store.getToken(id), token);
    assert.ok(api.store.get(id)?.rotatedAt);
  });

  it('questions a token whose shape contradicts the kind', async () => {
    await walk([fake.url, 'Jira Data Center / Server', '', makeCloudToken(), undefined], 'jiraTokenGuard.addConnection');
    assert.strictEqual(api.store.list().length, 0, 'declining the warning stores nothing');
  });
});
