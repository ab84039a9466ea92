import * as assert from 'assert';
import { redactText } from '../../../../src/core/tokens/redact';
import { connectionHealth, describeExpiry, type HealthPolicy } from '../../../../src/core/hygiene/health';
import { type Connection } from '../../../../src/core/connections/connection';
import { makeBitbucketAppPassword, makeCloudToken } from '../../../support/tokens';

describe('redactText', () => {
  it('masks known secrets and anything token-shaped', () => {
    const token = makeCloudToken();
    const bitbucket = makeBitbucketAppPassword();
    const text = `token ${token}; app ${bitbucket}; Authorization: Basic ZGV2QGFjbWUuY29tOnNlY3JldA==; Bearer abcdefghijkl; https://me:hunter2@jira.example.com/x; known: s3cr3t-value`;
    const out = redactText(text, ['s3cr3t-value']);
    for (const secret of [token, bitbucket, 'ZGV2QGFjbWUuY29tOnNlY3JldA==', 'abcdefghijkl', 'hunter2', 's3cr3t-value']) {
      assert.ok(!out.includes(secret), `${secret.slice(0, 6)} leaked: ${out}`);
    }
    assert.ok(out.includes(`${token.slice(0, 4)}…${token.slice(-4)}`));
  });

  it('shows nothing of a known password, not even its ends', () => {
    const out = redactText('login failed for alice with Winter2024!xyz', ['Winter2024!xyz']);
    assert.strictEqual(out, 'login failed for alice with …');
  });
});

describe('connectionHealth', () => {
  const now = new Date('2026-11-27T00:00:00Z');
  const policy: HealthPolicy = { now, expiryWarningDays: 14, rotationDays: 90 };
  const base: Connection = { id: 'x', label: 'x', kind: 'cloud', baseUrl: 'https://a.atlassian.net', createdAt: '2026-11-20T00:00:00Z' };
  const days = (n: number) => new Date(now.getTime() + n * 86_400_000).toISOString();
  const valid = { status: 'valid' as const, message: 'ok', durationMs: 1, checkedAt: days(0) };

  it('ranks the states', () => {
    assert.strictEqual(connectionHealth(base, policy), 'unchecked');
    assert.strictEqual(connectionHealth({ ...base, lastCheck: valid }, policy), 'ok');
    assert.strictEqual(connectionHealth({ ...base, lastCheck: { ...valid, status: 'invalid' } }, policy), 'failing');
    assert.strictEqual(connectionHealth({ ...base, lastCheck: valid, expiresAt: days(3) }, policy), 'expiring');
    assert.strictEqual(connectionHealth({ ...base, lastCheck: valid, expiresAt: days(-2) }, policy), 'expired');
    assert.strictEqual(connectionHealth({ ...base, lastCheck: valid, createdAt: days(-92) }, policy), 'rotation-due');
    assert.strictEqual(connectionHealth({ ...base, lastCheck: valid, createdAt: days(-92) }, { ...policy, rotationDays: 0 }), 'ok');
  });

  it('describes expiry in words', () => {
    assert.strictEqual(describeExpiry({ ...base, expiresAt: days(5) }, now), 'expires in 5 days');
    assert.strictEqual(describeExpiry({ ...base, expiresAt: days(-2) }, now), 'expired 2 days ago');
    assert.strictEqual(describeExpiry(base, now), 'no expiry set');
  });
});
