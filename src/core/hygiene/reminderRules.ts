// When to remind the user of an expiring, expired or overdue token: at most once a day per connection,
// never again while snoozed (unless things got worse), and never just because VS Code started. The state
// is plain dates keyed by connection id (no secret), kept in globalState by the caller.
import { DAY_MS, type Health } from './health';

export type ReminderReason = 'rotation-due' | 'expiring' | 'expired';

export interface ReminderEntry {
  /** ISO time of the last notification for this connection. */
  lastNotifiedAt?: string;
  lastReason?: ReminderReason;
  /** "Remind Me Later": no notification before this ISO time, unless the reason became more severe. */
  snoozedUntil?: string;
  snoozedReason?: ReminderReason;
}

/** Connection id → entry. */
export type ReminderState = Record<string, ReminderEntry>;

export interface DueReminder {
  connectionId: string;
  reason: ReminderReason;
}

export const REMINDER_INTERVAL_MS = DAY_MS;
export const SNOOZE_MS = 7 * DAY_MS;

const SEVERITY: Record<ReminderReason, number> = { 'rotation-due': 1, expiring: 2, expired: 3 };

export function reminderReason(health: Health): ReminderReason | undefined {
  return health === 'rotation-due' || health === 'expiring' || health === 'expired' ? health : undefined;
}

function time(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = new Date(iso).getTime();
  return Number.isNaN(t) ? undefined : t;
}

export function isReminderDue(entry: ReminderEntry | undefined, reason: ReminderReason, now: Date): boolean {
  const nowMs = now.getTime();
  const snoozedUntil = time(entry?.snoozedUntil);
  if (snoozedUntil !== undefined && nowMs < snoozedUntil) {
    const snoozed = entry?.snoozedReason ?? 'expired';
    if (SEVERITY[reason] <= SEVERITY[snoozed]) return false;
  }
  const last = time(entry?.lastNotifiedAt);
  if (last === undefined) return true;
  const elapsed = nowMs - last;
  // A date far in the future is a clock that was wrong once; it must not silence reminders for good.
  return elapsed >= REMINDER_INTERVAL_MS || elapsed < -REMINDER_INTERVAL_MS;
}

/** The reminders to show now, in the order of the given connections. */
export function dueReminders(connections: ReadonlyArray<{ id: string; health: Health }>, state: ReminderState, now: Date): DueReminder[] {
  const due: DueReminder[] = [];
  for (const { id, health } of connections) {
    const reason = reminderReason(health);
    if (reason && isReminderDue(state[id], reason, now)) due.push({ connectionId: id, reason });
  }
  return due;
}

export function markNotified(state: ReminderState, reminders: readonly DueReminder[], now: Date): ReminderState {
  const next = { ...state };
  for (const { connectionId, reason } of reminders) {
    next[connectionId] = { ...next[connectionId], lastNotifiedAt: now.toISOString(), lastReason: reason };
  }
  return next;
}

export function snooze(state: ReminderState, reminder: DueReminder, now: Date, forMs = SNOOZE_MS): ReminderState {
  return {
    ...state,
    [reminder.connectionId]: {
      ...state[reminder.connectionId],
      snoozedUntil: new Date(now.getTime() + forMs).toISOString(),
      snoozedReason: reminder.reason,
    },
  };
}

/** Drops entries of connections that no longer exist. */
export function pruneReminderState(state: ReminderState, existingIds: Iterable<string>): ReminderState {
  const keep = new Set(existingIds);
  return Object.fromEntries(Object.entries(state).filter(([id]) => keep.has(id)));
}

/** Reads whatever globalState holds defensively: a damaged value means "no reminders sent yet". */
export function readReminderState(value: unknown): ReminderState {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const state: ReminderState = {};
  for (const [id, entry] of Object.entries(value as Record<string, unknown>)) {
    if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) state[id] = entry;
  }
  return state;
}
