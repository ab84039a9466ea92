// Atlassian organisations (Cloud admins) in the real host against the fake admin API: adding one (the key tried
// first), its node listing every page through a 429 with the flags, Revoke Selected Tokens… after one modal,
// and what a caller from another extension cannot do.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { type FakeAdminApi, type FakeOrgToken, makeAdminKey, startFakeAdminApi } from '../support/fakeAdminApi';
import { makeCloudToken } from '../support/tokens';
import type { ConnectionsTreeNode } from '../../src/connections/connectionsTree';
import type { AuditResult } from '../../src/hygiene/auditCommand';
import { assertNoSecret } from '../support/secrets';
import {
  everythingOutsideSecretStorage,
  extensionApi,
  hostLogsAfter,
  removeAllConnections,
  setSetting,
  type TestApi,
  waitFor,
} from './helpers';

const DAY = 86_400_000;
const ORG = 'a1b2c3d4-0000-4000-8000-0000000000aa';
const TREE_NODE = Symbol.for('jiraTokenGuard.treeNode');

describe('organisations (Cloud admins)', () => {
  let api: TestApi;
  let admin: FakeAdminApi;
  const key = makeAdminKey();
  const unscoped = makeAdminKey();
  const added: string[] = [];

  const ann = { id: '557058:ann', name: 'Ann Admin', email: 'ann@example.com' };
  const bob = { id: '557058:bob', name: 'Bob Builder', email: 'bob@example.com' };
  const cy = { id: '557058:cy', name: 'Cy Script', email: 'cy@example.com' };

  function tokens(): FakeOrgToken[] {
    const now = Date.now();
    const iso = (offset: number) => new Date(now + offset).toISOString();
    return [
      {
        id: 'tok-ci',
        label: 'CI',
        createdAt: '2025-02-01T00:00:00.000Z',
        expiresAt: iso(300 * DAY),
        lastActiveAt: iso(-200 * DAY),
        user: ann,
      },
      { id: 'tok-laptop', label: 'laptop', createdAt: '2025-03-01T00:00:00.000Z', expiresAt: iso(5 * DAY), lastActiveAt: null, user: ann },
      {
        id: 'tok-deploy',
        label: 'deploy',
        createdAt: '2025-04-01T00:00:00.000Z',
        expiresAt: iso(200 * DAY),
        lastActiveAt: iso(-DAY),
        user: bob,
      },
      { id: 'tok-old', label: 'old', createdAt: '2024-06-01T00:00:00.000Z', expiresAt: null, lastActiveAt: iso(-2 * DAY), user: bob },
      {
        id: 'tok-script',
        label: 'script',
        createdAt: '2025-05-01T00:00:00.000Z',
        expiresAt: iso(100 * DAY),
        lastActiveAt: iso(-3 * DAY),
        user: cy,
      },
    ];
  }

  before(async () => {
    api = await extensionApi();
    admin = await startFakeAdminApi();
    admin.addKey(key, ['read:tokens:admin']);
    admin.addKey(unscoped, ['read:users:admin']);
    await setSetting('adminApiUrl', admin.url);
  });

  after(async () => {
    await setSetting('adminApiUrl', undefined);
    await admin.close();
  });

  beforeEach(() => {
    admin.reset();
    admin.addOrg(ORG, tokens());
  });

  afterEach(async () => {
    for (const id of added.splice(0)) {
      const script = api.ui.answer(['Remove']);
      try {
        await vscode.commands.executeCommand('jiraTokenGuard.removeOrganisation', { id });
      } finally {
        script.stop();
      }
    }
    await removeAllConnections(api);
  });

  async function addOrganisation(adminKey = key, label = 'Acme org'): Promise<string> {
    const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addOrganisation', { label, orgId: ORG, adminKey });
    added.push(id);
    return id;
  }

  function root(label: string): ConnectionsTreeNode {
    const node = api.tree.getChildren().find((n) => api.tree.getTreeItem(n).label === label);
    assert.ok(node, `the organisation ${label} is at the root of the tree`);
    return node;
  }

  /** Opens the organisation: token label → node, description, user. */
  async function listed(label: string): Promise<Map<string, { node: ConnectionsTreeNode; description: string; user: string }>> {
    const rows = new Map<string, { node: ConnectionsTreeNode; description: string; user: string }>();
    for (const user of await api.tree.getChildren(root(label)))
      for (const token of await api.tree.getChildren(user))
        rows.set(String(api.tree.getTreeItem(token).label), {
          node: token,
          description: String(api.tree.getTreeItem(token).description ?? ''),
          user: String(api.tree.getTreeItem(user).label),
        });
    return rows;
  }

  const deletes = () => admin.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);

  it('the organisation node reads three pages through a 429 and shows stale, never-used and expiring flags, grouped by user', async () => {
    await vscode.commands.executeCommand('jiraTokenGuard.addConnection', {
      kind: 'cloud',
      baseUrl: 'https://acme.atlassian.net',
      email: 'Bob@example.com',
      token: makeCloudToken(),
      label: 'Acme as Bob',
    });
    await addOrganisation();
    assert.strictEqual(admin.requests.length, 1, 'adding read the first page only');
    const item = api.tree.getTreeItem(root('Acme org'));
    assert.strictEqual(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.strictEqual(item.description, `org ${ORG}`);
    admin.requests.length = 0;
    admin.pageSize = 2;
    admin.rateLimit({ page: 2, resetInSeconds: 1 });

    const rows = await listed('Acme org');
    assert.deepStrictEqual(
      admin.requests.map((r) => r.path.replace(/^.*api-tokens/, '')),
      ['', '?cursor=2', '?cursor=2', '?cursor=4'],
      'three pages, the second asked again after the 429',
    );
    assert.deepStrictEqual([...rows.keys()], ['CI', 'laptop', 'deploy', 'old', 'script']);
    assert.deepStrictEqual([...new Set([...rows.values()].map((r) => r.user))], ['Ann Admin', 'Bob Builder', 'Cy Script']);
    assert.match(
      rows.get('CI')!.description,
      /^not used for 90 days · created 2025-02-01 · expires \d{4}-\d\d-\d\d · last used \d{4}-\d\d-\d\d$/,
    );
    assert.match(rows.get('laptop')!.description, /^never used · expires within 14 days · created 2025-03-01/);
    assert.match(rows.get('old')!.description, /^no expiry · created before 2024-12-15 · belongs to Acme as Bob · /);
    assert.match(rows.get('deploy')!.description, /^belongs to Acme as Bob · created 2025-04-01/);
    assert.match(rows.get('script')!.description, /^created 2025-05-01 · expires \d{4}-\d\d-\d\d · last used/);
    assert.strictEqual(api.tree.getTreeItem(rows.get('CI')!.node).contextValue, 'orgToken');
    const logs = await hostLogsAfter(api, 'Reading page 3…');
    assert.match(logs, /Organisation "Acme org": Rate limited by Atlassian, waiting [12] s/);
    assert.match(logs, /Organisation "Acme org": Reading page 2…/);
    assert.ok(!logs.includes(key), 'the key is not in any log');
    assert.ok(!everythingOutsideSecretStorage(api).includes(key), 'the key is only in the secret storage');

    // Shown again: not asked again; the root now says how many tokens.
    await listed('Acme org');
    assert.strictEqual(admin.requests.length, 4);
    assert.strictEqual(api.tree.getTreeItem(root('Acme org')).description, `org ${ORG} · 5 tokens`);
  });

  it('revokes two selected tokens after one modal listing them; Cancel revokes none', async () => {
    await addOrganisation();
    let rows = await listed('Acme org');
    const selection = [rows.get('CI')!.node, rows.get('old')!.node];

    let script = api.ui.answer([undefined]);
    try {
      assert.strictEqual(await vscode.commands.executeCommand('jiraTokenGuard.revokeOrgTokens', selection[0], selection), undefined);
    } finally {
      script.stop();
    }
    assert.deepStrictEqual(script.asked, ['warning: Revoke 2 API tokens of "Acme org"?']);
    assert.match(
      script.details[0],
      /^"CI" of Ann Admin <ann@example\.com>, id tok-ci\n"old" of Bob Builder <bob@example\.com>, id tok-old\n/,
    );
    assert.deepStrictEqual(deletes(), []);

    const notes = api.ui.recordNotifications();
    script = api.ui.answer(['Revoke']);
    let result: unknown;
    try {
      result = await vscode.commands.executeCommand('jiraTokenGuard.revokeOrgTokens', selection[1], selection);
    } finally {
      script.stop();
      notes.stop();
    }
    assert.strictEqual(script.asked.filter((q) => q.startsWith('warning: Revoke')).length, 1, 'one modal for both');
    assert.deepStrictEqual(result, { revoked: ['tok-ci', 'tok-old'], failed: [] });
    assert.deepStrictEqual(deletes().sort(), [
      '/users/557058%3Aann/manage/api-tokens/tok-ci',
      '/users/557058%3Abob/manage/api-tokens/tok-old',
    ]);
    assert.strictEqual(admin.orgWideDeletes, 0);
    assert.ok(notes.shown.some((n) => n.level === 'information' && n.message === 'Revoked 2 API tokens.'));
    rows = await listed('Acme org');
    assert.deepStrictEqual([...rows.keys()], ['laptop', 'deploy', 'script'], 'listed again without them');
  });

  it('a key without read:tokens:admin gets the verdict naming the scope, and nothing is saved', async () => {
    const before = api.tree.getChildren().length;
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('jiraTokenGuard.addOrganisation', { label: 'No scope', orgId: ORG, adminKey: unscoped }),
      ),
      (error: Error) => {
        assert.match(error.message, /^The organisation was not added: The admin API key lacks the scope read:tokens:admin/);
        assert.ok(!error.message.includes(unscoped));
        return true;
      },
    );
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('jiraTokenGuard.addOrganisation', { label: 'Wrong', orgId: ORG, adminKey: makeAdminKey() }),
      ),
      /The admin API refused the key/,
    );
    assert.strictEqual(api.tree.getChildren().length, before);
    assert.ok(!everythingOutsideSecretStorage(api).includes(ORG), 'no organisation was stored');
  });

  it('adds an organisation through input boxes, and Remove Organisation asks first', async () => {
    const script = api.ui.answer(['Typed org', ORG, key, undefined, 'Remove']);
    try {
      const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addOrganisation');
      assert.ok(typeof id === 'string');
      assert.ok(root('Typed org'));
      assert.strictEqual(await vscode.commands.executeCommand('jiraTokenGuard.removeOrganisation', { id }), false, 'Cancel keeps it');
      assert.ok(root('Typed org'));
      assert.strictEqual(await vscode.commands.executeCommand('jiraTokenGuard.removeOrganisation', { id }), true);
    } finally {
      script.stop();
    }
    assert.deepStrictEqual(script.asked.slice(0, 3), [
      'input: Add Atlassian Organisation (1/3)',
      'input: Add Atlassian Organisation (2/3)',
      'input: Add Atlassian Organisation (3/3)',
    ]);
    assert.strictEqual(script.asked.filter((q) => q.startsWith(`warning: Remove the organisation "Typed org" (${ORG})?`)).length, 2);
    assert.ok(!api.tree.getChildren().some((n) => api.tree.getTreeItem(n).label === 'Typed org'));
  });

  it('a forged call from another extension revokes nothing: not a listed node, no modal, no request', async () => {
    await addOrganisation();
    const rows = await listed('Acme org');
    const real = rows.get('deploy')!.node;
    const forgeries: unknown[][] = [
      [{ id: 'tok-deploy', user: { id: bob.id }, orgId: ORG }],
      [
        {
          [TREE_NODE]: true,
          type: 'org-token',
          organisationId: added[0],
          token: { id: 'tok-deploy', user: bob },
          flags: [],
          belongsTo: [],
        },
      ],
      [{ ...(real as object) }],
      [Object.assign(Object.create(Object.getPrototypeOf(real) as object) as object, real)],
      // A real node with a forged one in the selection: the whole request is refused.
      [real, [real, { ...(real as object) }]],
      [undefined],
    ];
    const notes = api.ui.recordNotifications();
    const script = api.ui.answer([]);
    try {
      for (const args of forgeries)
        await Promise.resolve(vscode.commands.executeCommand('jiraTokenGuard.revokeOrgTokens', ...args)).catch(() => undefined);
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
    assert.ok(notes.shown.every((n) => /^Revoke Selected Tokens works on tokens listed under an organisation/.test(n.message)));
    assert.deepStrictEqual(deletes(), []);
    assert.strictEqual(admin.liveTokens(ORG).length, 5);
  });

  it('token activity reads the organisation: never set, alerts turn daily; a new token is one alert and in the audit; an explicit off stays off', async () => {
    const activity = api.hygiene.activity;
    activity.start();
    const notes = api.ui.recordNotifications();
    try {
      assert.strictEqual(activity.scheduledInterval, 'off', 'no organisation, never set: off');
      const id = await addOrganisation();
      await waitFor('the daily timer once an organisation is added', () => activity.scheduledInterval === 'daily');
      assert.deepStrictEqual(
        (await activity.check()).filter((n) => n.connectionId === id),
        [],
        'the first look only takes a snapshot',
      );
      admin.addOrg(ORG, [
        ...tokens(),
        { id: 'tok-new', label: 'new one', createdAt: new Date().toISOString(), expiresAt: null, lastActiveAt: null, user: cy },
      ]);
      const second = (await activity.check()).filter((n) => n.connectionId === id);
      assert.deepStrictEqual(
        second.map((n) => [n.alert.kind, n.alert.id, n.site]),
        [['new', 'tok-new', `organisation ${ORG}`]],
      );
      assert.ok(notes.shown.some((n) => n.message.startsWith('Token activity: 1 alert. New token "new one"')));
      const audit = await vscode.commands.executeCommand<AuditResult>('jiraTokenGuard.auditTokens', { open: false });
      assert.match(audit.markdown, new RegExp(`^### Acme org \\(organisation ${ORG}\\)$`, 'm'), audit.markdown);
      assert.match(audit.markdown, /^\| new one \(id tok-new\)/m);
      assert.ok(
        admin.requests.every((r) => r.authorized),
        'every listing went with the organisation’s own key',
      );
      assertNoSecret(audit.markdown + JSON.stringify(notes.shown), [key], 'the audit and the notifications');

      // An explicit "off" is the user's: it stays off with the organisation there.
      await setSetting('tokenActivity.alertInterval', 'off');
      await waitFor('no timer after an explicit off', () => activity.scheduledInterval === 'off');
    } finally {
      notes.stop();
      activity.stopSchedule();
      await setSetting('tokenActivity.alertInterval', undefined);
    }
  });
});
