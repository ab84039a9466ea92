import * as assert from 'assert';
import {
  addDeadToken,
  deadTokensFor,
  describeAlert,
  effectiveAlertInterval,
  MAX_DEAD_TOKENS,
  nextLookDelayMs,
  readDeadTokens,
} from '../../../../src/core/hygiene/activityAlerts';

const DAY = 86_400_000;
const now = new Date('2026-12-01T12:00:00Z');

describe('token activity alerts', () => {
  it('is off by default, daily when never set and an organisation is added, else what the user set', () => {
    assert.strictEqual(effectiveAlertInterval(undefined, false), 'off');
    assert.strictEqual(effectiveAlertInterval(undefined, true), 'daily');
    assert.strictEqual(effectiveAlertInterval('off', true), 'off', 'an explicit off wins');
    assert.strictEqual(effectiveAlertInterval('weekly', false), 'weekly');
    assert.strictEqual(effectiveAlertInterval('hourly', true), 'off', 'an unknown value is off');
  });

  it('waits one interval after the last look, at least the minimum and at most one interval', () => {
    assert.strictEqual(nextLookDelayMs(undefined, DAY, now, 60_000), 60_000);
    assert.strictEqual(nextLookDelayMs(new Date(now.getTime() - DAY / 2), DAY, now, 60_000), DAY / 2);
    assert.strictEqual(nextLookDelayMs(new Date(now.getTime() - 3 * DAY), DAY, now, 60_000), 60_000, 'overdue: soon, not at once');
    assert.strictEqual(nextLookDelayMs(new Date(now.getTime() + 5 * DAY), DAY, now, 60_000), DAY, 'a clock that went back');
  });

  it('keeps the ids of tokens that should be dead once each, and applies a leaked id without an account to Data Center accounts only', () => {
    let list = addDeadToken([], { id: '1', why: 'rotated', connectionId: 'dc', at: now.toISOString() });
    list = addDeadToken(list, { id: '1', why: 'leaked', connectionId: 'dc', at: now.toISOString() });
    list = addDeadToken(list, { id: '2', why: 'leaked', at: now.toISOString() });
    list = addDeadToken(list, { id: 't9', why: 'revoked', connectionId: 'org', at: now.toISOString() });
    assert.strictEqual(list.length, 3);
    assert.deepStrictEqual(readDeadTokens(JSON.parse(JSON.stringify(list))), list);
    assert.deepStrictEqual(readDeadTokens([{ id: 3, why: 'rotated', at: 'x' }, { id: '4', why: 'bored', at: 'x' }, null, 'x']), []);
    assert.deepStrictEqual(
      [...deadTokensFor(list, 'dc', 'datacenter-pat')],
      [
        ['1', 'rotated'],
        ['2', 'leaked'],
      ],
    );
    assert.deepStrictEqual([...deadTokensFor(list, 'other-dc', 'datacenter-pat')], [['2', 'leaked']]);
    assert.deepStrictEqual([...deadTokensFor(list, 'org', 'cloud-org')], [['t9', 'revoked']]);
    let many = list;
    for (let i = 0; i < MAX_DEAD_TOKENS + 10; i++) many = addDeadToken(many, { id: `n${i}`, why: 'leaked', at: now.toISOString() });
    assert.strictEqual(many.length, MAX_DEAD_TOKENS);
    assert.strictEqual(many[many.length - 1].id, `n${MAX_DEAD_TOKENS + 9}`, 'the oldest go first');
  });

  it('says each alert in one sentence with the label as quoted data', () => {
    const quote = (text: string) => JSON.stringify(text);
    const site = 'jira.example.com';
    assert.strictEqual(
      describeAlert({ site, alert: { kind: 'new', id: '7', label: 'CI' } }, quote),
      'New token "CI" (id 7) on jira.example.com.',
    );
    assert.strictEqual(
      describeAlert({ site, alert: { kind: 'should-be-dead', id: '7', label: 'old', why: 'rotated' } }, quote),
      'Token "old" (id 7) on jira.example.com is still listed, but it was rotated away from.',
    );
    assert.strictEqual(
      describeAlert({ site, alert: { kind: 'active-after-idle', id: '7', label: 'x', idleDays: 120 } }, quote),
      'Token "x" (id 7) on jira.example.com was used again after 120 idle days.',
    );
    assert.strictEqual(
      describeAlert({ site, alert: { kind: 'owner-changed', id: '7', label: 'x' } }, quote),
      'Token "x" (id 7) on jira.example.com now belongs to another user.',
    );
  });
});
