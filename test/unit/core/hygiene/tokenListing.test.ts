import * as assert from 'assert';
import { type InventoryToken } from '../../../../src/core/hygiene/tokenInventory';
import { describeDates, describeFlag, newSinceLastLook, readSeenIds } from '../../../../src/core/hygiene/tokenListing';

const NOW = new Date('2026-12-07T12:00:00.000Z');
const wording = { now: NOW, staleDays: 90, expiresWithinDays: 14 };

function pat(fields: Partial<InventoryToken> = {}): InventoryToken {
  return { source: 'datacenter-pat', id: '7', label: 'CI', createdAt: '2025-01-15T10:00:00.000Z', activityKnown: false, ...fields };
}

describe('token listing wording', () => {
  it('words every flag, an expired token apart from one expiring soon', () => {
    assert.strictEqual(describeFlag('not-stored-here', pat(), wording), 'created outside Jira Token Guard');
    assert.strictEqual(describeFlag('no-expiry', pat(), wording), 'no expiry');
    assert.strictEqual(describeFlag('new', pat(), wording), 'new since the last look');
    assert.strictEqual(describeFlag('stale', pat(), wording), 'not used for 90 days');
    assert.strictEqual(describeFlag('never-used', pat(), wording), 'never used');
    assert.strictEqual(describeFlag('created-before-2024-12-15', pat(), wording), 'created before 2024-12-15');
    assert.strictEqual(describeFlag('expiring', pat({ expiresAt: '2026-12-10T00:00:00.000Z' }), wording), 'expires within 14 days');
    assert.strictEqual(describeFlag('expiring', pat({ expiresAt: '2026-12-01T00:00:00.000Z' }), wording), 'expired');
  });

  it('says "expires never" for a token without expiry, and last use only when the source reports it', () => {
    assert.deepStrictEqual(describeDates(pat()), ['created 2025-01-15', 'expires never']);
    assert.deepStrictEqual(describeDates(pat({ expiresAt: '2027-01-01T00:00:00.000Z', activityKnown: true })), [
      'created 2025-01-15',
      'expires 2027-01-01',
      'never used',
    ]);
    assert.deepStrictEqual(
      describeDates(pat({ activityKnown: true, lastActiveAt: '2026-11-30T08:00:00.000Z' }))[2],
      'last used 2026-11-30',
    );
  });

  it('calls nothing new at the first look, and only unseen ids after that', () => {
    assert.deepStrictEqual([...newSinceLastLook(undefined, ['1', '2'])], []);
    assert.deepStrictEqual([...newSinceLastLook(['1'], ['1', '2', '3'])], ['2', '3']);
    assert.deepStrictEqual([...newSinceLastLook([], ['4'])], ['4']);
  });

  it('reads the ids kept in storage and drops anything malformed', () => {
    assert.deepStrictEqual(readSeenIds(undefined), {});
    assert.deepStrictEqual(readSeenIds(['1']), {});
    assert.deepStrictEqual(readSeenIds({ a: ['1', 2, '3'], b: 'x', c: [] }), { a: ['1', '3'], c: [] });
  });
});
