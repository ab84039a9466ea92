// Token inventory: every token of a Data Center account (the PAT API) or of a Cloud organisation (the admin
// API) as one shape, the flags that call for a look, and the alerts between two looks. Pure: no network,
// no clock of its own. A snapshot keeps ids and dates only, never a secret.
import type { OrgToken, PatInfo } from '../jira';

export type InventorySource = 'datacenter-pat' | 'cloud-org';

export interface InventoryToken {
  source: InventorySource;
  id: string;
  label: string;
  user?: { id: string; name?: string; email?: string };
  createdAt?: string;
  expiresAt?: string;
  lastActiveAt?: string;
  /** Whether the source reports use at all: without it nothing is said about staleness or never-used. */
  activityKnown: boolean;
}

/** A Data Center PAT as the PAT API listed it. */
export function fromPat(pat: PatInfo): InventoryToken {
  return {
    source: 'datacenter-pat',
    id: pat.id,
    label: pat.name,
    ...(pat.createdAt ? { createdAt: pat.createdAt } : {}),
    ...(pat.expiringAt ? { expiresAt: pat.expiringAt } : {}),
    ...(pat.lastUsedAt ? { lastActiveAt: pat.lastUsedAt } : {}),
    activityKnown: pat.usageReported === true,
  };
}

/** A Cloud API token as the organisation admin API listed it (which reports last activity for every token). */
export function fromOrgToken(token: OrgToken): InventoryToken {
  return {
    source: 'cloud-org',
    id: token.id,
    label: token.label,
    ...(token.user ? { user: { ...token.user } } : {}),
    ...(token.createdAt ? { createdAt: token.createdAt } : {}),
    ...(token.expiresAt ? { expiresAt: token.expiresAt } : {}),
    ...(token.lastActiveAt ? { lastActiveAt: token.lastActiveAt } : {}),
    activityKnown: true,
  };
}

export type TokenFlag =
  | 'stale' // last used more than staleDays ago
  | 'never-used' // the source reports use, and this token has none
  | 'expiring' // expires within the window (or has expired and is still listed)
  | 'no-expiry' // never expires
  | 'created-before-2024-12-15' // a Cloud token from before expiry was imposed
  | 'not-stored-here'; // not one of the tokens this guard holds

export const TOKEN_FLAGS: readonly TokenFlag[] = [
  'stale',
  'never-used',
  'expiring',
  'no-expiry',
  'created-before-2024-12-15',
  'not-stored-here',
];

export const DEFAULT_STALE_DAYS = 90;
/** Cloud API tokens created before this date had no expiry (they were given one later). */
export const CLOUD_EXPIRY_RULE_DATE = '2024-12-15T00:00:00.000Z';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface FlagOptions {
  now: Date;
  staleDays?: number;
  /** The reminder window; 0 flags only tokens past their expiry. */
  expiresWithinDays: number;
  /** Ids of the tokens stored here; when given, every other token is flagged `not-stored-here`. */
  storedIds?: ReadonlySet<string>;
}

export function flagsOf(token: InventoryToken, options: FlagOptions): TokenFlag[] {
  const now = options.now.getTime();
  const staleDays = options.staleDays ?? DEFAULT_STALE_DAYS;
  const flags: TokenFlag[] = [];
  const lastActive = token.lastActiveAt ? Date.parse(token.lastActiveAt) : undefined;
  if (token.activityKnown && lastActive !== undefined && now - lastActive > staleDays * DAY_MS) flags.push('stale');
  if (token.activityKnown && lastActive === undefined) flags.push('never-used');
  if (token.expiresAt && Date.parse(token.expiresAt) - now <= options.expiresWithinDays * DAY_MS) flags.push('expiring');
  if (!token.expiresAt) flags.push('no-expiry');
  if (token.source === 'cloud-org' && token.createdAt && Date.parse(token.createdAt) < Date.parse(CLOUD_EXPIRY_RULE_DATE))
    flags.push('created-before-2024-12-15');
  if (options.storedIds && !options.storedIds.has(token.id)) flags.push('not-stored-here');
  return flags;
}

// ---- Alerts between two looks ----

/** What was seen at one look: ids and dates only. */
export interface InventorySnapshot {
  takenAt: string;
  tokens: Array<{ id: string; userId?: string; createdAt?: string; lastActiveAt?: string }>;
  /** "Should be dead" alerts already given (token ids), so each is said once. */
  alertedDead: string[];
}

/** Why a token should no longer exist. */
export type DeadReason = 'rotated' | 'revoked' | 'leaked';

export type InventoryAlert =
  | { kind: 'new'; id: string; label: string }
  | { kind: 'active-after-idle'; id: string; label: string; idleDays: number }
  | { kind: 'should-be-dead'; id: string; label: string; why: DeadReason }
  | { kind: 'owner-changed'; id: string; label: string };

export interface AlertOptions {
  now: Date;
  /** Idle this long before the new use: an alert. Default 90. */
  idleDays?: number;
  /** Tokens that should be gone: rotated away from, revoked here, or found leaked. */
  dead?: ReadonlyMap<string, DeadReason>;
}

/**
 * The alerts between the previous look and this one, and the snapshot to keep. The first look (no previous
 * snapshot) says nothing is new: everything would be. The same event is not said twice: a new token is
 * in the next snapshot, a new use moves the last-use date, and a should-be-dead token is remembered.
 */
export function inventoryAlerts(
  previous: InventorySnapshot | undefined,
  current: readonly InventoryToken[],
  options: AlertOptions,
): { alerts: InventoryAlert[]; snapshot: InventorySnapshot } {
  const idleMs = (options.idleDays ?? DEFAULT_STALE_DAYS) * DAY_MS;
  const before = new Map((previous?.tokens ?? []).map((t) => [t.id, t]));
  const alreadyDead = new Set(previous?.alertedDead ?? []);
  const alerts: InventoryAlert[] = [];
  const alertedDead: string[] = [];
  for (const token of current) {
    const seen = before.get(token.id);
    if (previous && !seen) alerts.push({ kind: 'new', id: token.id, label: token.label });
    if (previous && seen && token.lastActiveAt) {
      const now = Date.parse(token.lastActiveAt);
      const last = seen.lastActiveAt ? Date.parse(seen.lastActiveAt) : undefined;
      // Idle since its last use (or since it was made, if never used) until the new use.
      const idleSince = last ?? (seen.createdAt ? Date.parse(seen.createdAt) : undefined);
      if ((last === undefined || now > last) && idleSince !== undefined && now - idleSince >= idleMs)
        alerts.push({ kind: 'active-after-idle', id: token.id, label: token.label, idleDays: Math.floor((now - idleSince) / DAY_MS) });
    }
    if (previous && seen?.userId && token.user?.id && seen.userId !== token.user.id)
      alerts.push({ kind: 'owner-changed', id: token.id, label: token.label });
    const why = options.dead?.get(token.id);
    if (why) {
      alertedDead.push(token.id);
      if (!alreadyDead.has(token.id)) alerts.push({ kind: 'should-be-dead', id: token.id, label: token.label, why });
    }
  }
  const snapshot: InventorySnapshot = {
    takenAt: options.now.toISOString(),
    tokens: current.map((t) => ({
      id: t.id,
      ...(t.user?.id ? { userId: t.user.id } : {}),
      ...(t.createdAt ? { createdAt: t.createdAt } : {}),
      ...(t.lastActiveAt ? { lastActiveAt: t.lastActiveAt } : {}),
    })),
    alertedDead,
  };
  return { alerts, snapshot };
}

/** Reads a snapshot kept in storage; anything malformed counts as no previous look. */
export function readSnapshot(value: unknown): InventorySnapshot | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { takenAt, tokens, alertedDead } = value as Record<string, unknown>;
  if (typeof takenAt !== 'string' || !Array.isArray(tokens)) return undefined;
  const str = (v: unknown): v is string => typeof v === 'string';
  return {
    takenAt,
    tokens: tokens
      .filter((t): t is Record<string, unknown> => typeof t === 'object' && t !== null && str((t as { id?: unknown }).id))
      .map((t) => ({
        id: t.id as string,
        ...(str(t.userId) ? { userId: t.userId } : {}),
        ...(str(t.createdAt) ? { createdAt: t.createdAt } : {}),
        ...(str(t.lastActiveAt) ? { lastActiveAt: t.lastActiveAt } : {}),
      })),
    alertedDead: Array.isArray(alertedDead) ? alertedDead.filter(str) : [],
  };
}
