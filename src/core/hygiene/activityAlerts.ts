// Token activity alerts: how often to look, which tokens should be dead (rotated away from, revoked here,
// found leaked: ids only), and the words of an alert. Pure; the comparison itself is `inventoryAlerts`.
import type { DeadReason, InventoryAlert, InventorySource } from './tokenInventory';

export type AlertInterval = 'off' | 'daily' | 'weekly';

export const ALERT_INTERVALS: readonly AlertInterval[] = ['off', 'daily', 'weekly'];

const DAY_MS = 24 * 60 * 60 * 1000;

export const ALERT_INTERVAL_MS: Record<Exclude<AlertInterval, 'off'>, number> = { daily: DAY_MS, weekly: 7 * DAY_MS };

/**
 * The interval in force: what the user set, or, never set, daily when an organisation is added (an
 * admin key sees every managed user's tokens: that is where an unexpected token matters most) and off otherwise.
 */
export function effectiveAlertInterval(userValue: unknown, hasOrganisation: boolean): AlertInterval {
  if (userValue === undefined) return hasOrganisation ? 'daily' : 'off';
  return ALERT_INTERVALS.includes(userValue as AlertInterval) ? (userValue as AlertInterval) : 'off';
}

/** When the next look is due: one interval after the last, and never sooner than `minDelayMs` from now. */
export function nextLookDelayMs(lastLook: Date | undefined, intervalMs: number, now: Date, minDelayMs: number): number {
  const due = lastLook ? lastLook.getTime() + intervalMs - now.getTime() : minDelayMs;
  return Math.min(intervalMs, Math.max(minDelayMs, due));
}

// ---- Tokens that should be dead ----

/** A token that should no longer exist: its id (never the token), why, and the connection whose account it was in, when known. */
export interface DeadToken {
  id: string;
  why: DeadReason;
  /** Unknown for a leaked PAT found in a file: it counts for every Data Center account then. */
  connectionId?: string;
  at: string;
}

/** Kept at most: the oldest go first. */
export const MAX_DEAD_TOKENS = 500;

const REASONS: readonly DeadReason[] = ['rotated', 'revoked', 'leaked'];

export function readDeadTokens(value: unknown): DeadToken[] {
  if (!Array.isArray(value)) return [];
  const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  return value
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    .filter((e) => str(e.id) && REASONS.includes(e.why as DeadReason) && str(e.at))
    .map((e) => ({
      id: e.id as string,
      why: e.why as DeadReason,
      ...(str(e.connectionId) ? { connectionId: e.connectionId } : {}),
      at: e.at as string,
    }));
}

/** Adds one; the same id for the same connection (or none) is kept once, with its first reason. */
export function addDeadToken(list: readonly DeadToken[], entry: DeadToken): DeadToken[] {
  if (list.some((e) => e.id === entry.id && e.connectionId === entry.connectionId)) return [...list];
  return [...list, entry].slice(-MAX_DEAD_TOKENS);
}

/** The should-be-dead ids that apply to one connection's inventory. */
export function deadTokensFor(list: readonly DeadToken[], connectionId: string, source: InventorySource): Map<string, DeadReason> {
  const dead = new Map<string, DeadReason>();
  for (const e of list) {
    const applies = e.connectionId === connectionId || (e.connectionId === undefined && source === 'datacenter-pat');
    if (applies && !dead.has(e.id)) dead.set(e.id, e.why);
  }
  return dead;
}

// ---- Words ----

/** An alert as it was noticed, with where. */
export interface NoticedAlert {
  alert: InventoryAlert;
  connectionId: string;
  connectionLabel: string;
  site: string;
  at: string;
}

const WHY: Record<DeadReason, string> = {
  rotated: 'it was rotated away from',
  revoked: 'it was revoked here',
  leaked: 'it was found leaked',
};

/**
 * One sentence. Labels are chosen by other people and ids come from a server: `quote` shows a label as data,
 * `plain` makes an id or a site safe where the sentence goes.
 */
export function describeAlert(
  noticed: Pick<NoticedAlert, 'alert' | 'site'>,
  quote: (text: string) => string,
  plain: (text: string) => string = (text) => text,
): string {
  const { alert } = noticed;
  const token = `${quote(alert.label)} (id ${plain(alert.id)}) on ${plain(noticed.site)}`;
  switch (alert.kind) {
    case 'new':
      return `New token ${token}.`;
    case 'active-after-idle':
      return `Token ${token} was used again after ${alert.idleDays} idle days.`;
    case 'should-be-dead':
      return `Token ${token} is still listed, but ${WHY[alert.why]}.`;
    case 'owner-changed':
      return `Token ${token} now belongs to another user.`;
  }
}
