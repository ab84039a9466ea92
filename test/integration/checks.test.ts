import * as assert from 'assert';
import * as vscode from 'vscode';
import type { CheckResult } from '../../src/core/connections/connection';
import { type FakeJira, startFakeJira } from '../support/fakeJira';
import { makeCloudToken, makeDataCenterPat } from '../support/tokens';
import { extensionApi, hostLogsAfter, removeAllConnections, setSetting, type TestApi } from './helpers';

describe('testing tokens against Jira', () => {
  let api: TestApi;
  let fake: FakeJira;
  const goodToken = makeCloudToken();
  const scopedToken = makeCloudToken();
  const pat = makeDataCenterPat();

  before(async () => {
    api = await extensionApi();
    fake = await startFakeJira();
    fake.addCloudAccount({ email: 'dev@acme.com', token: goodToken, displayName: 'Dev Eloper' });
    fake.addCloudAccount({ email: 'bot@acme.com', token: scopedToken, scoped: true });
    fake.addDataCenterUser({ contextPath: '/jira', username: 'alice', pat, expiringAt: '2027-03-01T00:00:00.000+0000' });
    await setSetting('cloudGatewayUrl', fake.gatewayUrl);
    await setSetting('requestTimeoutSeconds', 2);
  });

  after(async () => {
    await setSetting('cloudGatewayUrl', undefined);
    await setSetting('requestTimeoutSeconds', undefined);
    await fake.close();
  });

  beforeEach(async () => {
    fake.reset();
    await removeAllConnections(api);
  });

  const addCloud = (token: string, email = 'dev@acme.com', extra: Record<string, unknown> = {}) =>
    vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
      kind: 'cloud',
      baseUrl: fake.url,
      email,
      token,
      label: email,
      ...extra,
    });
  const test = (id: string) => vscode.commands.executeCommand<CheckResult>('jiraTokenGuard.testConnection', { id });
  const treeItemOf = (id: string) => {
    const node = api.tree.getChildren().find((n) => api.tree.getTreeItem(n).id === id);
    assert.ok(node, 'the connection is in the tree');
    return api.tree.getTreeItem(node);
  };

  it('tests a working token and shows the verdict in the tree', async () => {
    const id = await addCloud(goodToken);
    const result = await test(id);
    assert.strictEqual(result.status, 'valid');
    assert.strictEqual(result.identity?.displayName, 'Dev Eloper');
    assert.strictEqual(api.store.get(id)?.lastCheck?.status, 'valid');
    const item = treeItemOf(id);
    assert.match(String(item.contextValue), /^connection:ok:cloud/);
    assert.strictEqual((item.iconPath as vscode.ThemeIcon).id, 'pass');
    const auth = fake.requestsTo('site').at(-1)?.authorization ?? '';
    assert.match(auth, /^Basic /, 'Cloud tokens go as Basic email:token');
  });

  it('shows a failing token as failing, with the reason', async () => {
    const id = await addCloud(makeCloudToken());
    const result = await test(id);
    assert.strictEqual(result.status, 'invalid');
    const item = treeItemOf(id);
    assert.match(String(item.contextValue), /^connection:failing:/);
    assert.strictEqual((item.iconPath as vscode.ThemeIcon).id, 'error');
    assert.match((item.tooltip as vscode.MarkdownString).value, /refused|not accepted|invalid/i);
  });

  it('switches a scoped token to cloud-scoped when only the gateway accepts it', async () => {
    const id = await addCloud(scopedToken, 'bot@acme.com');
    const result = await test(id);
    assert.strictEqual(result.status, 'valid');
    assert.strictEqual(api.store.get(id)?.kind, 'cloud-scoped');
    assert.strictEqual(api.store.get(id)?.cloudId, fake.cloudId);
  });

  it('reads a Data Center PAT expiry from the PAT API', async () => {
    const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
      kind: 'datacenter-pat',
      baseUrl: `${fake.url}/jira`,
      token: pat,
      label: 'DC',
    });
    const result = await test(id);
    assert.strictEqual(result.status, 'valid');
    assert.strictEqual(api.store.get(id)?.expiresAt?.slice(0, 10), '2027-03-01');
    assert.match(fake.requestsTo('site')[0].authorization ?? '', /^Bearer /);
  });

  it('add with verify: a refused token saves nothing and rejects with the verdict', async () => {
    await assert.rejects(Promise.resolve(addCloud(makeCloudToken(), 'dev@acme.com', { verify: true })), /not saved \(invalid\)/);
    assert.strictEqual(api.store.list().length, 0);
    const id = await addCloud(goodToken, 'dev@acme.com', { verify: true });
    assert.strictEqual(api.store.get(id)?.lastCheck?.status, 'valid', 'a verified connection is saved with its verdict');
  });

  it('reports rate limits, timeouts and non-Jira URLs precisely', async () => {
    const id = await addCloud(goodToken);
    fake.setBehaviour({ kind: 'rate-limited', retryAfter: '42' });
    const limited = await test(id);
    assert.strictEqual(limited.status, 'rate-limited');
    assert.strictEqual(limited.retryAfterSeconds, 42);
    fake.reset();
    fake.setBehaviour({ kind: 'hang' });
    const started = Date.now();
    const hung = await test(id);
    assert.strictEqual(hung.status, 'timeout');
    assert.ok(Date.now() - started < 3000 + 1000, 'the verdict arrives within the timeout + 1 s');
    fake.reset();
    fake.setBehaviour({ kind: 'html' });
    assert.strictEqual((await test(id)).status, 'not-jira');
  });

  it('tests all connections in parallel and keeps every token out of the output channel', async () => {
    const ids = [
      await addCloud(goodToken),
      await addCloud(makeCloudToken(), 'other@acme.com'),
      await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
        kind: 'datacenter-pat',
        baseUrl: `${fake.url}/jira`,
        token: pat,
        label: 'DC',
      }),
    ];
    const results = await vscode.commands.executeCommand<Record<string, CheckResult>>('jiraTokenGuard.testAllConnections', {
      notify: false,
    });
    assert.deepStrictEqual(
      ids.map((id) => results[id]?.status),
      ['valid', 'invalid', 'valid'],
    );
    for (const id of ids) assert.ok(api.store.get(id)?.lastCheck, 'each verdict is kept');
    const logs = await hostLogsAfter(api, '“other@acme.com”: invalid');
    for (const secret of [goodToken, pat]) assert.ok(!logs.includes(secret), 'no token in the logs');
  });

  it('re-checks in the background and warns once when a working token stops working', async () => {
    const id = await addCloud(goodToken);
    assert.strictEqual((await test(id)).status, 'valid');
    const script = api.ui.answer([]);
    const warnings = () => script.asked.filter((q) => q.startsWith('error:'));
    try {
      await api.checks.recheck();
      assert.deepStrictEqual(warnings(), [], 'no warning while the token works');
      fake.setBehaviour({
        kind: 'answer',
        status: 401,
        body: JSON.stringify({ message: 'Client must be authenticated to access this resource.' }),
        headers: { 'content-type': 'application/json' },
      });
      await api.checks.recheck();
      assert.strictEqual(warnings().length, 1);
      assert.match(warnings()[0], /dev@acme\.com/);
      await api.checks.recheck();
      assert.strictEqual(warnings().length, 1, 'a token that already failed is not announced again');
      assert.strictEqual(api.store.get(id)?.lastCheck?.status, 'invalid');
    } finally {
      script.stop();
    }
  });

  it('a failing Test Connection says why, with the actions that fit', async () => {
    const id = await addCloud(makeCloudToken());
    const script = api.ui.answer([]);
    try {
      await vscode.commands.executeCommand('jiraTokenGuard.testConnection', { id, notify: true });
      const [shown] = script.asked.filter((q) => q.startsWith('error:'));
      assert.ok(shown, 'an error notification was shown');
      assert.match(shown, /refused|not accepted/i);
      assert.match(shown, /\[Replace Token \| Open Token Page \| Show Details\]$/);
    } finally {
      script.stop();
    }
  });
});
