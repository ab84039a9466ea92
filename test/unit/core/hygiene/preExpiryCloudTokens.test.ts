// Jira Cloud API tokens created before 15 December 2024 were given an expiry between 14 March and
// 12 May 2026: a Cloud connection that old with no expiry recorded says so in the tree's words and the audit.
import * as assert from 'assert';
import { buildAuditReport } from '../../../../src/core/hygiene/audit';
import { type Connection } from '../../../../src/core/connections/connection';
import {
  connectionHealth,
  describeExpiry,
  describeHealth,
  hasPreExpiryCloudToken,
  type HealthPolicy,
} from '../../../../src/core/hygiene/health';

const old: Connection = {
  id: 'old',
  label: 'Old Cloud',
  kind: 'cloud',
  baseUrl: 'https://old.atlassian.net',
  email: 'a@old.io',
  createdAt: '2024-06-01T00:00:00Z',
};
const checked = { status: 'valid' as const, message: 'ok', durationMs: 1, checkedAt: '2024-06-02T00:00:00Z' };

describe('Cloud API tokens created before 15 Dec 2024', () => {
  it('are recognised only for Cloud connections that old, not rotated since, with no expiry recorded', () => {
    assert.strictEqual(hasPreExpiryCloudToken(old), true);
    assert.strictEqual(hasPreExpiryCloudToken({ ...old, kind: 'cloud-scoped' }), true);
    assert.strictEqual(
      hasPreExpiryCloudToken({ ...old, createdAt: '2024-12-15T00:00:00Z' }),
      false,
      'created on the day: a new-style token',
    );
    assert.strictEqual(hasPreExpiryCloudToken({ ...old, rotatedAt: '2025-02-01T00:00:00Z' }), false, 'its token was replaced since');
    assert.strictEqual(hasPreExpiryCloudToken({ ...old, expiresAt: '2026-04-01T00:00:00Z' }), false, 'the real expiry is recorded');
    assert.strictEqual(hasPreExpiryCloudToken({ ...old, kind: 'datacenter-pat' }), false, 'Data Center PATs are not concerned');
  });

  it('after 12 May 2026: expired, and the words say why', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const policy: HealthPolicy = { now, expiryWarningDays: 14, rotationDays: 90 };
    const connection = { ...old, lastCheck: checked };
    assert.strictEqual(connectionHealth(connection, policy), 'expired');
    assert.strictEqual(describeHealth(connection, 'expired', now), 'expired (token from before 15 Dec 2024)');
    assert.strictEqual(
      describeExpiry(connection, now),
      'expired: created before 15 Dec 2024, so Atlassian expired it between 14 Mar and 12 May 2026',
    );
    const { markdown, recommendations } = buildAuditReport({ policy, connections: [connection], fingerprints: new Map() });
    assert.deepStrictEqual(
      recommendations.filter((r) => r.connectionIds.includes('old')).map((r) => r.code),
      ['replace-expired'],
    );
    assert.match(
      markdown,
      /“Old Cloud”: the token expired: created before 15 Dec 2024, so Atlassian expired it between 14 Mar and 12 May 2026\. Create a new one/,
    );
    assert.match(markdown, /\| Old Cloud \|.*\| by 2026-05-12 \(expired: created before 15 Dec 2024/);
  });

  it('before 14 Mar 2026: still to expire, by 12 May 2026 at the latest, and no advice to record an expiry', () => {
    const now = new Date('2026-01-10T00:00:00Z');
    const policy: HealthPolicy = { now, expiryWarningDays: 14, rotationDays: 0 };
    const connection = { ...old, lastCheck: { ...checked, checkedAt: '2026-01-09T00:00:00Z' } };
    assert.strictEqual(connectionHealth(connection, policy), 'ok');
    assert.strictEqual(describeExpiry(connection, now), 'created before 15 Dec 2024: Atlassian expires it between 14 Mar and 12 May 2026');
    const { recommendations } = buildAuditReport({ policy, connections: [connection], fingerprints: new Map() });
    assert.ok(!recommendations.some((r) => r.code === 'record-expiry'));
  });

  it('a newer Cloud connection without expiry still reads "no expiry set"', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    assert.strictEqual(describeExpiry({ ...old, createdAt: '2026-01-01T00:00:00Z' }, now), 'no expiry set');
  });
});
