import * as assert from 'assert';
import { readStatusBarMode, summarizeAttention } from '../../../../src/core/hygiene/attention';
import { type Connection } from '../../../../src/core/connections/connection';
import { connectionHealth, describeHealth, type HealthPolicy } from '../../../../src/core/hygiene/health';

describe('status bar summary', () => {
  const fine = { label: 'Fine', health: 'ok' as const };
  const expiring = { label: 'Soon', health: 'expiring' as const, description: 'expires in 3 days' };
  const overdue = { label: 'Old', health: 'rotation-due' as const, description: 'rotation due (92 days old)' };

  it('is hidden when all is well, unless always', () => {
    const auto = summarizeAttention([], [fine], 'auto');
    assert.strictEqual(auto.visible, false);
    assert.strictEqual(auto.count, 0);
    assert.strictEqual(auto.text, '$(shield)');
    assert.strictEqual(summarizeAttention([], [fine], 'always').visible, true);
    assert.strictEqual(summarizeAttention([{ file: 'a.ts', count: 1 }], [], 'never').visible, false);
  });

  it('counts leaks and connections needing attention, and lists them', () => {
    const summary = summarizeAttention(
      [
        { file: 'b.env', count: 1 },
        { file: 'a.ts', count: 2 },
      ],
      [fine, expiring, overdue],
      'auto',
    );
    assert.strictEqual(summary.visible, true);
    assert.strictEqual(summary.count, 5);
    assert.strictEqual(summary.text, '$(shield) 5');
    assert.deepStrictEqual(summary.lines, [
      '2 leaked tokens in a.ts',
      '1 leaked token in b.env',
      'Soon: expires in 3 days',
      'Old: rotation due (92 days old)',
    ]);
    assert.strictEqual(summary.target, 'problems', 'leaks dominate');
    assert.strictEqual(summary.severity, 'error');
  });

  it('leads to the connections when they dominate', () => {
    const summary = summarizeAttention([{ file: 'a.ts', count: 1 }], [expiring, overdue], 'auto');
    assert.strictEqual(summary.target, 'connections');
    const onlyConnections = summarizeAttention([], [overdue], 'auto');
    assert.strictEqual(onlyConnections.target, 'connections');
    assert.strictEqual(onlyConnections.severity, 'warning');
  });

  it('reads the setting defensively', () => {
    assert.strictEqual(readStatusBarMode('always'), 'always');
    assert.strictEqual(readStatusBarMode('sometimes'), 'auto');
    assert.strictEqual(readStatusBarMode(undefined), 'auto');
  });
});

describe('health in words', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  const policy: HealthPolicy = { now, expiryWarningDays: 14, rotationDays: 90 };
  const days = (n: number) => new Date(now.getTime() + n * 86_400_000).toISOString();
  const base: Connection = { id: 'x', label: 'x', kind: 'cloud', baseUrl: 'https://a.atlassian.net', createdAt: days(-10) };
  const describe_ = (c: Connection) => describeHealth(c, connectionHealth(c, policy), now);

  it('says what the tree shows', () => {
    assert.strictEqual(describe_({ ...base, expiresAt: days(5) }), 'expires in 5 days');
    assert.strictEqual(describe_({ ...base, expiresAt: days(-2) }), 'expired 2 days ago');
    assert.strictEqual(describe_({ ...base, createdAt: days(-124) }), 'rotation due (124 days old)');
    assert.strictEqual(describe_({ ...base, createdAt: days(-80) }), undefined);
    assert.strictEqual(describe_({ ...base, tokenMissing: true, expiresAt: days(-2) }), 'token missing');
    assert.strictEqual(connectionHealth({ ...base, tokenMissing: true }, policy), 'token-missing');
  });
});
