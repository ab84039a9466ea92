import * as assert from 'assert';
import {
  type InventorySnapshot,
  type InventoryToken,
  flagsOf,
  fromOrgToken,
  fromPat,
  inventoryAlerts,
  readSnapshot,
} from '../../../../src/core/hygiene/tokenInventory';

const NOW = new Date('2026-12-07T12:00:00.000Z');
const daysAgo = (n: number): string => new Date(NOW.getTime() - n * 86_400_000).toISOString();
const inDays = (n: number): string => new Date(NOW.getTime() + n * 86_400_000).toISOString();

function cloud(id: string, fields: Partial<InventoryToken> = {}): InventoryToken {
  return {
    source: 'cloud-org',
    id,
    label: id,
    createdAt: '2025-06-01T00:00:00.000Z',
    expiresAt: inDays(200),
    activityKnown: true,
    lastActiveAt: daysAgo(1),
    ...fields,
  };
}

describe('token inventory flags', () => {
  const options = { now: NOW, expiresWithinDays: 14 };

  it('flags stale after N days (default 90), never-used, expiring within the window and no expiry', () => {
    assert.deepStrictEqual(flagsOf(cloud('fresh'), options), []);
    assert.deepStrictEqual(flagsOf(cloud('old', { lastActiveAt: daysAgo(91) }), options), ['stale']);
    assert.deepStrictEqual(flagsOf(cloud('old', { lastActiveAt: daysAgo(89) }), options), []);
    assert.deepStrictEqual(flagsOf(cloud('old', { lastActiveAt: daysAgo(31) }), { ...options, staleDays: 30 }), ['stale']);
    assert.deepStrictEqual(flagsOf(cloud('unused', { lastActiveAt: undefined }), options), ['never-used']);
    assert.deepStrictEqual(flagsOf(cloud('soon', { expiresAt: inDays(10) }), options), ['expiring']);
    assert.deepStrictEqual(flagsOf(cloud('past', { expiresAt: daysAgo(1) }), options), ['expiring']);
    assert.deepStrictEqual(flagsOf(cloud('later', { expiresAt: inDays(15) }), options), []);
    assert.deepStrictEqual(flagsOf(cloud('forever', { expiresAt: undefined }), options), ['no-expiry']);
  });

  it('flags Cloud tokens created before 15 Dec 2024, and tokens not stored here when the stored ones are known', () => {
    assert.deepStrictEqual(flagsOf(cloud('legacy', { createdAt: '2024-12-14T23:59:59.000Z' }), options), ['created-before-2024-12-15']);
    assert.deepStrictEqual(flagsOf(cloud('new', { createdAt: '2024-12-15T00:00:00.000Z' }), options), []);
    const stored = new Set(['mine']);
    assert.deepStrictEqual(flagsOf(cloud('mine'), { ...options, storedIds: stored }), []);
    assert.deepStrictEqual(flagsOf(cloud('theirs'), { ...options, storedIds: stored }), ['not-stored-here']);
  });

  it('says nothing of use for a Data Center PAT list without a last-used field', () => {
    const pat = fromPat({ id: '1', name: 'CI', createdAt: daysAgo(400) });
    assert.strictEqual(pat.activityKnown, false);
    assert.deepStrictEqual(flagsOf(pat, options), ['no-expiry']);
    const reported = fromPat({ id: '2', name: 'laptop', createdAt: daysAgo(400), expiringAt: inDays(3), usageReported: true });
    assert.deepStrictEqual(flagsOf(reported, options), ['never-used', 'expiring']);
    const legacyPat = fromPat({ id: '3', name: 'old', createdAt: '2020-01-01T00:00:00.000Z', expiringAt: inDays(100) });
    assert.deepStrictEqual(flagsOf(legacyPat, options), [], 'the Cloud expiry rule is not a Data Center flag');
  });

  it('reads an admin API token with its user', () => {
    const token = fromOrgToken({
      id: 't',
      label: 'CI',
      createdAt: daysAgo(10),
      user: { id: 'acc', name: 'Ann', email: 'ann@example.com' },
    });
    assert.deepStrictEqual(token, {
      source: 'cloud-org',
      id: 't',
      label: 'CI',
      user: { id: 'acc', name: 'Ann', email: 'ann@example.com' },
      createdAt: daysAgo(10),
      activityKnown: true,
    });
  });
});

describe('token inventory alerts', () => {
  const first = [
    cloud('a', { user: { id: 'u1' } }),
    cloud('idle', { lastActiveAt: daysAgo(120), user: { id: 'u1' } }),
    cloud('unused', { lastActiveAt: undefined, createdAt: daysAgo(200), user: { id: 'u2' } }),
  ];

  it('says nothing is new at the first look, and keeps ids and dates only', () => {
    const { alerts, snapshot } = inventoryAlerts(undefined, first, { now: NOW });
    assert.deepStrictEqual(alerts, []);
    assert.deepStrictEqual(
      snapshot.tokens.map((t) => Object.keys(t).sort()),
      [
        ['createdAt', 'id', 'lastActiveAt', 'userId'],
        ['createdAt', 'id', 'lastActiveAt', 'userId'],
        ['createdAt', 'id', 'userId'],
      ],
    );
    assert.strictEqual(snapshot.takenAt, NOW.toISOString());
  });

  it('alerts on a new token, a token active after idle, and an owner change, each once', () => {
    const { snapshot } = inventoryAlerts(undefined, first, { now: NOW });
    const later = new Date(NOW.getTime() + 86_400_000);
    const second = [
      cloud('a', { user: { id: 'u9' } }),
      cloud('idle', { lastActiveAt: later.toISOString(), user: { id: 'u1' } }),
      cloud('unused', { lastActiveAt: later.toISOString(), createdAt: daysAgo(200), user: { id: 'u2' } }),
      cloud('b', { user: { id: 'u1' } }),
    ];
    const next = inventoryAlerts(snapshot, second, { now: later });
    assert.deepStrictEqual(
      next.alerts.map((a) => [a.kind, a.id]),
      [
        ['owner-changed', 'a'],
        ['active-after-idle', 'idle'],
        ['active-after-idle', 'unused'],
        ['new', 'b'],
      ],
    );
    const idle = next.alerts.find((a) => a.kind === 'active-after-idle' && a.id === 'idle');
    assert.ok(idle && idle.kind === 'active-after-idle' && idle.idleDays === 121);
    const again = inventoryAlerts(next.snapshot, second, { now: new Date(later.getTime() + 86_400_000) });
    assert.deepStrictEqual(again.alerts, [], 'the same events are not said twice');
  });

  it('does not alert for a token used again after a short pause', () => {
    const { snapshot } = inventoryAlerts(undefined, first, { now: NOW });
    const next = inventoryAlerts(snapshot, [cloud('a', { lastActiveAt: NOW.toISOString(), user: { id: 'u1' } })], { now: NOW });
    assert.deepStrictEqual(next.alerts, []);
  });

  it('alerts once that a token which should be dead is still listed', () => {
    const dead = new Map([['idle', 'revoked' as const]]);
    const one = inventoryAlerts(undefined, first, { now: NOW, dead });
    assert.deepStrictEqual(one.alerts, [{ kind: 'should-be-dead', id: 'idle', label: 'idle', why: 'revoked' }]);
    const two = inventoryAlerts(one.snapshot, first, { now: NOW, dead });
    assert.deepStrictEqual(two.alerts, []);
    const gone = inventoryAlerts(
      two.snapshot,
      first.filter((t) => t.id !== 'idle'),
      { now: NOW, dead },
    );
    assert.deepStrictEqual(gone.snapshot.alertedDead, []);
  });

  it('reads a stored snapshot defensively', () => {
    const kept: InventorySnapshot = { takenAt: NOW.toISOString(), tokens: [{ id: 'a', lastActiveAt: daysAgo(1) }], alertedDead: ['x'] };
    assert.deepStrictEqual(readSnapshot(JSON.parse(JSON.stringify(kept))), kept);
    assert.strictEqual(readSnapshot(undefined), undefined);
    assert.strictEqual(readSnapshot({ takenAt: 3 }), undefined);
    assert.deepStrictEqual(readSnapshot({ takenAt: 'x', tokens: [null, { id: 1 }, { id: 'ok', secret: 'no' }] }), {
      takenAt: 'x',
      tokens: [{ id: 'ok' }],
      alertedDead: [],
    });
  });
});
