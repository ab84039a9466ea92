import * as assert from 'assert';
import { hasInventory, type InventoryOwner, type InventorySourceResult, readInventory } from '../../../../src/core/hygiene/inventoryReader';
import { type FakeJira, startFakeJira } from '../../../support/fakeJira';
import { openNodeTransport } from '../../../../src/node/jira';
import { type FakeAdminApi, makeAdminKey, startFakeAdminApi } from '../../../support/fakeAdminApi';
import { dataCenterPatId, makeDataCenterPat } from '../../../support/tokens';

const CTX = '/jira';
const ORG = 'org-inventory-1';

function connection(id: string, kind: InventoryOwner['kind'], baseUrl: string, extra: Partial<InventoryOwner> = {}): InventoryOwner {
  return { id, label: id.toUpperCase(), kind, baseUrl, ...extra };
}

function ok(result: InventorySourceResult | undefined): Extract<InventorySourceResult, { ok: true }> {
  assert.ok(result && result.ok, JSON.stringify(result));
  return result;
}

describe('token inventory reader', () => {
  let fake: FakeJira;
  let admin: FakeAdminApi;
  const stored = makeDataCenterPat();
  const laptop = makeDataCenterPat();
  const ci = makeDataCenterPat();
  const adminKey = makeAdminKey();
  const unscopedKey = makeAdminKey();

  before(async () => {
    fake = await startFakeJira();
    fake.addDataCenterUser({
      contextPath: CTX,
      username: 'alice',
      pat: stored,
      patName: 'stored here',
      expiringAt: '2027-06-01T00:00:00.000Z',
    });
    fake.addDataCenterUser({ contextPath: CTX, username: 'alice', pat: laptop, patName: 'old laptop' });
    fake.addDataCenterUser({ contextPath: CTX, username: 'alice', pat: ci, patName: 'CI', expiringAt: '2027-01-01T00:00:00.000Z' });
    admin = await startFakeAdminApi();
    admin.addKey(adminKey, ['read:tokens:admin']);
    admin.addKey(unscopedKey, ['read:users:admin']);
    admin.pageSize = 2;
    admin.addOrg(
      ORG,
      Array.from({ length: 5 }, (_, i) => ({
        id: `tok-${i + 1}`,
        label: `token ${i + 1}`,
        createdAt: '2025-03-01T00:00:00.000Z',
        expiresAt: '2027-03-01T00:00:00.000Z',
        lastActiveAt: i === 0 ? null : '2026-11-01T00:00:00.000Z',
        user: { id: `acc-${i + 1}`, name: `User ${i + 1}`, email: `user${i + 1}@example.com` },
      })),
    );
  });
  after(async () => {
    await fake.close();
    await admin.close();
  });

  it('lists a Data Center account with the stored PAT, and marks the stored one by the id inside it', async () => {
    const secrets = new Map([['dc', stored]]);
    const [result] = await readInventory([connection('dc', 'datacenter-pat', fake.url + CTX)], {
      transport: openNodeTransport,
      readSecret: async (id) => secrets.get(id),
    });
    const dc = ok(result);
    assert.strictEqual(dc.source, 'datacenter-pat');
    assert.match(dc.site, /^127\.0\.0\.1:\d+\/jira$/);
    assert.strictEqual(dc.storedId, dataCenterPatId(stored));
    assert.deepStrictEqual(
      dc.tokens.map((t) => [t.id, t.label, t.expiresAt]),
      [
        [dataCenterPatId(stored), 'stored here', '2027-06-01T00:00:00.000Z'],
        [dataCenterPatId(laptop), 'old laptop', undefined],
        [dataCenterPatId(ci), 'CI', '2027-01-01T00:00:00.000Z'],
      ],
    );
    assert.ok(!JSON.stringify(dc).includes(stored), 'no secret in the result');
  });

  it('gives a verdict per source instead of tokens, and reads the other sources regardless', async () => {
    const refused = makeDataCenterPat();
    const results = await readInventory(
      [
        connection('bad', 'datacenter-pat', fake.url + CTX),
        connection('missing', 'datacenter-pat', fake.url + CTX, { tokenMissing: true }),
        connection('cloud', 'cloud', 'https://acme.atlassian.net'),
        connection('dc', 'datacenter-pat', fake.url + CTX),
      ],
      { transport: openNodeTransport, readSecret: async (id) => (id === 'bad' ? refused : id === 'dc' ? stored : undefined) },
    );
    assert.deepStrictEqual(
      results.map((r) => [r.connectionId, r.ok, r.ok ? r.tokens.length : r.reason]),
      [
        ['bad', false, 'refused'],
        ['missing', false, 'token-missing'],
        ['dc', true, 3],
      ],
      'a Cloud site connection has no inventory and is left out',
    );
    const bad = results[0];
    assert.ok(!bad.ok && bad.error === 'Jira refused the current token.' && !bad.error.includes(refused));
  });

  it('lists an organisation through the admin API with the stored admin key (an organisation)', async () => {
    const org = connection('org', 'cloud-org', admin.url, { orgId: ORG });
    assert.ok(hasInventory(org));
    const [result] = await readInventory([org], { transport: openNodeTransport, readSecret: async () => adminKey });
    const listed = ok(result);
    assert.strictEqual(listed.source, 'cloud-org');
    assert.strictEqual(listed.site, `organisation ${ORG}`);
    assert.deepStrictEqual(
      listed.tokens.map((t) => [t.id, t.user?.email, t.lastActiveAt ?? 'never']),
      [
        ['tok-1', 'user1@example.com', 'never'],
        ['tok-2', 'user2@example.com', '2026-11-01T00:00:00.000Z'],
        ['tok-3', 'user3@example.com', '2026-11-01T00:00:00.000Z'],
        ['tok-4', 'user4@example.com', '2026-11-01T00:00:00.000Z'],
        ['tok-5', 'user5@example.com', '2026-11-01T00:00:00.000Z'],
      ],
      'all three pages',
    );
    assert.strictEqual(listed.storedId, undefined);

    const [scopeless] = await readInventory([org], { transport: openNodeTransport, readSecret: async () => unscopedKey });
    assert.ok(!scopeless.ok && scopeless.reason === 'missing-scope', JSON.stringify(scopeless));
    assert.match(scopeless.error, /read:tokens:admin/);
    const [noOrg] = await readInventory([connection('org2', 'cloud-org', admin.url)], {
      transport: openNodeTransport,
      readSecret: async () => adminKey,
    });
    assert.ok(!noOrg.ok && /organisation has no id/.test(noOrg.error));
  });
});
