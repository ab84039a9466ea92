// "Tokens in this account" under a Data Center connection, and Revoke Token… on one of them, in the real host
// against the fake Jira's PAT API.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { dataCenterPatId, makeDataCenterPat } from '../support/tokens';
import { type FakeJira, startFakeJira } from '../support/fakeJira';
import type { ConnectionsTreeNode } from '../../src/connections/connectionsTree';
import { extensionApi, removeAllConnections, type TestApi } from './helpers';

const DAY = 86_400_000;
const SEEN_STATE_KEY = 'jiraTokenGuard.accountTokensSeen.v1';
const TREE_NODE = Symbol.for('jiraTokenGuard.treeNode');

describe('tokens in this account (Data Center)', () => {
  let api: TestApi;
  let fake: FakeJira;

  before(async () => {
    api = await extensionApi();
  });

  beforeEach(async () => {
    await removeAllConnections(api);
    fake = await startFakeJira();
  });

  afterEach(async () => {
    await removeAllConnections(api);
    await fake.close();
  });

  async function addDataCenter(ctx: string, token: string, extra: Record<string, unknown> = {}): Promise<string> {
    return vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
      kind: 'datacenter-pat',
      baseUrl: fake.url + ctx,
      token,
      label: `DC ${ctx}`,
      ...extra,
    });
  }

  /** The "Tokens in this account" node of a connection, as the tree shows it. */
  async function accountNode(connectionId: string): Promise<ConnectionsTreeNode> {
    const root = api.tree.getChildren().find((n) => n.type === 'connection' && n.connectionId === connectionId);
    assert.ok(root, 'the connection is in the tree');
    const node = (await api.tree.getChildren(root)).find((n) => api.tree.getTreeItem(n).label === 'Tokens in this account');
    assert.ok(node, 'the connection has a "Tokens in this account" node');
    assert.strictEqual(api.tree.getTreeItem(node).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    return node;
  }

  /** Opens the node: label → [node, description]. */
  async function listed(connectionId: string): Promise<Map<string, { node: ConnectionsTreeNode; description: string }>> {
    const children = await api.tree.getChildren(await accountNode(connectionId));
    return new Map(
      children.map((node) => {
        const item = api.tree.getTreeItem(node);
        return [String(item.label), { node, description: String(item.description ?? '') }];
      }),
    );
  }

  const patRequests = (): number => fake.requests.filter((r) => r.path.includes('/rest/pat/')).length;
  const answers = async (ctx: string, pat: string): Promise<number> =>
    (await fetch(`${fake.url}${ctx}/rest/api/2/myself`, { headers: { Authorization: `Bearer ${pat}` } })).status;

  it('lists the account’s PATs when opened, with the stored one and the flags (no expiry, expiring, created outside, new since the last look)', async () => {
    const ctx = '/acct';
    const now = Date.now();
    const stored = makeDataCenterPat();
    const noExpiry = makeDataCenterPat();
    const soon = makeDataCenterPat();
    fake.addDataCenterUser({
      contextPath: ctx,
      username: 'acct',
      pat: stored,
      patName: 'editor',
      expiringAt: new Date(now + 200 * DAY).toISOString(),
    });
    fake.addDataCenterUser({ contextPath: ctx, username: 'acct', pat: noExpiry, patName: 'old CI', lastAccessedAt: null });
    fake.addDataCenterUser({
      contextPath: ctx,
      username: 'acct',
      pat: soon,
      patName: 'deploy',
      expiringAt: new Date(now + 5 * DAY).toISOString(),
      lastAccessedAt: '2026-11-30T08:00:00.000Z',
    });
    fake.addDataCenterUser({ contextPath: ctx, username: 'acct', password: 'not-a-token-pw' });
    const id = await addDataCenter(ctx, stored);

    await accountNode(id);
    assert.strictEqual(patRequests(), 0, 'nothing is asked until the node is opened');

    const first = await listed(id);
    assert.deepStrictEqual([...first.keys()].sort(), ['deploy', 'editor', 'old CI']);
    assert.match(first.get('editor')!.description, /^stored here · created 2025-01-15 · expires \d{4}-\d\d-\d\d$/);
    assert.match(first.get('old CI')!.description, /created outside Jira Token Guard/);
    assert.match(first.get('old CI')!.description, /no expiry/);
    assert.match(
      first.get('old CI')!.description,
      /^never used · no expiry · created outside Jira Token Guard · created 2025-01-15 · expires never$/,
    );
    assert.match(first.get('deploy')!.description, /expires within 14 days/);
    assert.match(first.get('deploy')!.description, /last used 2026-11-30$/);
    assert.ok(
      [...first.values()].every((row) => !/new since the last look/.test(row.description)),
      'the first look calls nothing new',
    );
    assert.strictEqual(api.tree.getTreeItem(first.get('editor')!.node).contextValue, 'accountToken:pat:stored');
    assert.strictEqual(api.tree.getTreeItem(first.get('old CI')!.node).contextValue, 'accountToken:pat');
    assert.strictEqual(patRequests(), 1);

    // Shown again (the tree renders again): the listing is not asked again.
    await listed(id);
    assert.strictEqual(patRequests(), 1);

    // Kept for the next look: the ids only.
    const seen = api.globalState.get<Record<string, string[]>>(SEEN_STATE_KEY);
    assert.deepStrictEqual(seen?.[id]?.slice().sort(), [stored, noExpiry, soon].map(dataCenterPatId).sort());
    assert.ok(![stored, noExpiry, soon].some((pat) => JSON.stringify(seen).includes(pat)));

    // A token made elsewhere appears; Refresh asks again, and only it is new.
    const newcomer = makeDataCenterPat();
    fake.addDataCenterUser({ contextPath: ctx, username: 'acct', pat: newcomer, patName: 'made on the web' });
    await vscode.commands.executeCommand('jiraTokenGuard.refresh');
    const second = await listed(id);
    assert.strictEqual(patRequests(), 2);
    assert.match(second.get('made on the web')!.description, /created outside Jira Token Guard · new since the last look/);
    assert.ok(!/new since/.test(second.get('old CI')!.description));

    // The same account through user name and password: the same list, none of them stored here.
    const basic = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
      kind: 'datacenter-basic',
      baseUrl: fake.url + ctx,
      username: 'acct',
      token: 'not-a-token-pw',
      label: 'DC basic',
    });
    const byPassword = await listed(basic);
    assert.deepStrictEqual([...byPassword.keys()].sort(), ['deploy', 'editor', 'made on the web', 'old CI']);
    assert.ok([...byPassword.values()].every((row) => /created outside Jira Token Guard/.test(row.description)));
  });

  it('shows a failed listing as one node with the verdict, never the token', async () => {
    const ctx = '/wrong';
    fake.addDataCenterUser({ contextPath: ctx, username: 'someone', pat: makeDataCenterPat() });
    const wrong = makeDataCenterPat();
    const id = await addDataCenter(ctx, wrong);
    const children = await api.tree.getChildren(await accountNode(id));
    assert.strictEqual(children.length, 1);
    const item = api.tree.getTreeItem(children[0]);
    assert.strictEqual(item.label, 'Could not list the tokens: Jira refused the current token.');
    assert.strictEqual(item.contextValue, 'accountTokens:failed');

    await fake.close();
    await vscode.commands.executeCommand('jiraTokenGuard.refresh');
    const [unreachable] = await api.tree.getChildren(await accountNode(id));
    assert.match(String(api.tree.getTreeItem(unreachable).label), /^Could not list the tokens: 127\.0\.0\.1:\d+ did not answer/);
    assert.ok(!String(api.tree.getTreeItem(unreachable).label).includes(wrong));
    fake = await startFakeJira();
  });

  it('Revoke Token… revokes the listed token by its id after the modal; Cancel revokes nothing', async () => {
    const ctx = '/revoke';
    const stored = makeDataCenterPat();
    const target = makeDataCenterPat();
    const other = makeDataCenterPat();
    for (const [pat, patName] of [
      [stored, 'stored'],
      [target, 'laptop'],
      [other, 'CI'],
    ])
      fake.addDataCenterUser({ contextPath: ctx, username: 'rev', pat, patName });
    const id = await addDataCenter(ctx, stored);
    const deletes = () => fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);

    // Cancel: nothing.
    let rows = await listed(id);
    let script = api.ui.answer([undefined]);
    try {
      assert.strictEqual(await vscode.commands.executeCommand('jiraTokenGuard.revokeAccountToken', rows.get('laptop')!.node), undefined);
    } finally {
      script.stop();
    }
    assert.strictEqual(script.asked.length, 1);
    assert.match(
      script.asked[0],
      new RegExp(`^warning: Revoke the personal access token "laptop" \\(id ${dataCenterPatId(target)}\\) on 127\\.0\\.0\\.1:\\d+\\?$`),
    );
    assert.deepStrictEqual(deletes(), []);

    // The token stored here: the modal says so.
    script = api.ui.answer([undefined]);
    try {
      await vscode.commands.executeCommand('jiraTokenGuard.revokeAccountToken', rows.get('stored')!.node);
    } finally {
      script.stop();
    }
    assert.match(
      script.asked[0],
      /It is the token stored here for "DC \/revoke": this connection stops working until you replace its token\.$/,
    );
    assert.deepStrictEqual(deletes(), []);

    // Revoke: exactly that id; the others still work, and the listing is asked again without it.
    const notes = api.ui.recordNotifications();
    script = api.ui.answer(['Revoke']);
    let result: unknown;
    try {
      result = await vscode.commands.executeCommand('jiraTokenGuard.revokeAccountToken', rows.get('laptop')!.node);
    } finally {
      script.stop();
      notes.stop();
    }
    assert.deepStrictEqual(result, { revoked: true, id: dataCenterPatId(target) });
    assert.deepStrictEqual(deletes(), [`${ctx}/rest/pat/latest/tokens/${dataCenterPatId(target)}`]);
    assert.ok(
      notes.shown.some((n) => n.level === 'information' && /^Revoked the token "laptop" \(id \d+\) on 127\.0\.0\.1:\d+\.$/.test(n.message)),
    );
    assert.strictEqual(await answers(ctx, target), 401);
    assert.strictEqual(await answers(ctx, stored), 200);
    assert.strictEqual(await answers(ctx, other), 200);
    rows = await listed(id);
    assert.deepStrictEqual([...rows.keys()].sort(), ['CI', 'stored']);
  });

  it('a forged call from another extension revokes nothing: not a listed node, no modal, no request', async () => {
    const ctx = '/forged';
    const stored = makeDataCenterPat();
    const victim = makeDataCenterPat();
    fake.addDataCenterUser({ contextPath: ctx, username: 'forged', pat: stored, patName: 'stored' });
    fake.addDataCenterUser({ contextPath: ctx, username: 'forged', pat: victim, patName: 'victim' });
    const id = await addDataCenter(ctx, stored);
    const real = (await listed(id)).get('victim')!.node;
    const victimId = dataCenterPatId(victim);
    const forgeries: unknown[] = [
      // A raw id and site.
      { id: victimId, baseUrl: fake.url + ctx, connectionId: id },
      // A look-alike of a tree node (the brand is a registered symbol anyone can make).
      {
        [TREE_NODE]: true,
        type: 'account-token',
        connectionId: id,
        row: { token: { id: victimId, label: 'victim' }, flags: [], storedHere: false },
      },
      // A copy of a real node, even with its prototype.
      { ...(real as object) },
      Object.assign(Object.create(Object.getPrototypeOf(real) as object) as object, real),
      undefined,
    ];
    const notes = api.ui.recordNotifications();
    const script = api.ui.answer([]);
    try {
      for (const forged of forgeries)
        await Promise.resolve(vscode.commands.executeCommand('jiraTokenGuard.revokeAccountToken', forged)).catch(() => undefined);
    } finally {
      script.stop();
      notes.stop();
    }
    assert.deepStrictEqual(
      script.asked.filter((q) => !q.startsWith('error: ')),
      [],
      'no modal was shown',
    );
    assert.strictEqual(notes.shown.filter((n) => n.level === 'error').length, forgeries.length);
    assert.ok(notes.shown.every((n) => /^Revoke Token works on a token listed under “Tokens in this account”/.test(n.message)));
    assert.deepStrictEqual(
      fake.requests.filter((r) => r.method === 'DELETE'),
      [],
    );
    assert.strictEqual(await answers(ctx, victim), 200);
  });
});
