import * as assert from 'assert';
import {
  dueReminders,
  isReminderDue,
  markNotified,
  pruneReminderState,
  readReminderState,
  reminderReason,
  type ReminderState,
  snooze,
} from '../../../../src/core/hygiene/reminderRules';

const DAY = 86_400_000;
const start = new Date('2026-03-02T09:00:00Z');
const at = (days: number, hours = 0) => new Date(start.getTime() + days * DAY + hours * 3_600_000);

describe('reminder scheduling', () => {
  const connections = [
    { id: 'old', health: 'rotation-due' as const },
    { id: 'soon', health: 'expiring' as const },
    { id: 'gone', health: 'expired' as const },
    { id: 'fine', health: 'ok' as const },
    { id: 'new', health: 'unchecked' as const },
    { id: 'broken', health: 'failing' as const },
    { id: 'imported', health: 'token-missing' as const },
  ];

  it('reminds of rotation due, expiring and expired only', () => {
    assert.deepStrictEqual(dueReminders(connections, {}, start), [
      { connectionId: 'old', reason: 'rotation-due' },
      { connectionId: 'soon', reason: 'expiring' },
      { connectionId: 'gone', reason: 'expired' },
    ]);
    assert.strictEqual(reminderReason('failing'), undefined);
  });

  it('notifies each connection at most once a day, across restarts (the state is all that counts)', () => {
    let state: ReminderState = {};
    const first = dueReminders(connections, state, start);
    state = markNotified(state, first, start);
    assert.deepStrictEqual(dueReminders(connections, state, start), [], 'a second check at once: nothing');
    assert.deepStrictEqual(dueReminders(connections, state, at(0, 23)), [], 'later the same day: nothing');
    const stored = readReminderState(JSON.parse(JSON.stringify(state)));
    assert.deepStrictEqual(dueReminders(connections, stored, at(0, 12)), [], 'after a restart (state read back): nothing');
    assert.strictEqual(dueReminders(connections, stored, at(1)).length, 3, 'a day later: one each again');
  });

  it('snoozes for a week, unless things get worse', () => {
    let state = markNotified({}, [{ connectionId: 'a', reason: 'rotation-due' }], start);
    state = snooze(state, { connectionId: 'a', reason: 'rotation-due' }, start);
    assert.strictEqual(isReminderDue(state.a, 'rotation-due', at(1)), false);
    assert.strictEqual(isReminderDue(state.a, 'rotation-due', at(6, 23)), false);
    assert.strictEqual(isReminderDue(state.a, 'rotation-due', at(7)), true, 'the snooze ends after 7 days');
    assert.strictEqual(isReminderDue(state.a, 'expiring', at(2)), true, 'expiring is worse than rotation due');
    assert.strictEqual(isReminderDue(state.a, 'expired', at(2)), true);

    const expired = snooze({}, { connectionId: 'b', reason: 'expired' }, start);
    assert.strictEqual(isReminderDue(expired.b, 'expired', at(3)), false);
    assert.strictEqual(isReminderDue(expired.b, 'rotation-due', at(3)), false);
  });

  it('is not silenced for good by a date from a wrong clock', () => {
    const state = markNotified({}, [{ connectionId: 'a', reason: 'expired' }], at(400));
    assert.strictEqual(isReminderDue(state.a, 'expired', start), true);
    assert.strictEqual(isReminderDue(markNotified({}, [{ connectionId: 'a', reason: 'expired' }], at(0, 5)).a, 'expired', start), false);
  });

  it('forgets removed connections and survives a damaged state', () => {
    const state = markNotified(
      {},
      [
        { connectionId: 'a', reason: 'expired' },
        { connectionId: 'b', reason: 'expired' },
      ],
      start,
    );
    assert.deepStrictEqual(Object.keys(pruneReminderState(state, ['b'])), ['b']);
    assert.deepStrictEqual(readReminderState('nonsense'), {});
    assert.deepStrictEqual(readReminderState([1, 2]), {});
    assert.deepStrictEqual(readReminderState({ a: 3, b: { lastNotifiedAt: 'not a date' } }), { b: { lastNotifiedAt: 'not a date' } });
    assert.strictEqual(isReminderDue({ lastNotifiedAt: 'not a date' }, 'expired', start), true);
  });
});
