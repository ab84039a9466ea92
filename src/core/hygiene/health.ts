// The state of a connection as the tree, the status bar and the audit show it.
import { type CheckStatus, type Connection, isCloudKind } from '../connections/connection';

export type Health = 'unchecked' | 'ok' | 'failing' | 'expiring' | 'expired' | 'rotation-due' | 'token-missing';

export interface HealthPolicy {
  now: Date;
  expiryWarningDays: number;
  rotationDays: number;
}

export const DAY_MS = 86_400_000;

export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

/**
 * Jira Cloud API tokens created before 15 December 2024 had no expiry; Atlassian gave them one between
 * 14 March and 12 May 2026. A Cloud connection whose token is older than that and has no expiry recorded
 * therefore expired by 12 May 2026 at the latest (its token can only be older than the connection).
 */
export const PRE_EXPIRY_CLOUD_TOKENS = {
  createdBefore: new Date('2024-12-15T00:00:00Z'),
  expiredFrom: new Date('2026-03-14T00:00:00Z'),
  expiredBy: new Date('2026-05-12T23:59:59Z'),
} as const;

/** True for a Cloud connection whose token predates 15 Dec 2024 and has no expiry recorded. */
export function hasPreExpiryCloudToken(connection: Pick<Connection, 'kind' | 'createdAt' | 'rotatedAt' | 'expiresAt'>): boolean {
  if (!isCloudKind(connection.kind) || connection.expiresAt) return false;
  const tokenDate = new Date(connection.rotatedAt ?? connection.createdAt);
  return tokenDate.getTime() < PRE_EXPIRY_CLOUD_TOKENS.createdBefore.getTime();
}

/** The expiry to go by: the recorded one, or 12 May 2026 for a Cloud token created before 15 Dec 2024. */
function effectiveExpiry(connection: Connection): string | undefined {
  if (connection.expiresAt) return connection.expiresAt;
  return hasPreExpiryCloudToken(connection) ? PRE_EXPIRY_CLOUD_TOKENS.expiredBy.toISOString() : undefined;
}

/** Days until expiry (negative once expired), or undefined when no expiry is known. */
export function daysUntilExpiry(connection: Connection, now: Date): number | undefined {
  const expiresAt = effectiveExpiry(connection);
  if (!expiresAt) return undefined;
  const expires = new Date(expiresAt);
  if (Number.isNaN(expires.getTime())) return undefined;
  return Math.ceil((expires.getTime() - now.getTime()) / DAY_MS);
}

/** Age of the token: since the last rotation, or since the connection was created. */
export function tokenAgeDays(connection: Connection, now: Date): number {
  return daysBetween(new Date(connection.rotatedAt ?? connection.createdAt), now);
}

/** The most urgent state wins: token missing, expired, failing, expiring, rotation due, unchecked, ok. */
export function connectionHealth(connection: Connection, policy: HealthPolicy): Health {
  if (connection.tokenMissing) return 'token-missing';
  const expiresIn = daysUntilExpiry(connection, policy.now);
  if (expiresIn !== undefined && expiresIn <= 0) return 'expired';
  if (connection.lastCheck?.status === 'expired') return 'expired';
  if (connection.lastCheck && connection.lastCheck.status !== 'valid') return 'failing';
  if (expiresIn !== undefined && expiresIn <= policy.expiryWarningDays) return 'expiring';
  if (policy.rotationDays > 0 && tokenAgeDays(connection, policy.now) >= policy.rotationDays) return 'rotation-due';
  if (!connection.lastCheck) return 'unchecked';
  return 'ok';
}

export function describeExpiry(connection: Connection, now: Date): string {
  const days = daysUntilExpiry(connection, now);
  if (days === undefined) return 'no expiry set';
  if (hasPreExpiryCloudToken(connection)) {
    return days <= 0
      ? 'expired: created before 15 Dec 2024, so Atlassian expired it between 14 Mar and 12 May 2026'
      : 'created before 15 Dec 2024: Atlassian expires it between 14 Mar and 12 May 2026';
  }
  if (days > 1) return `expires in ${days} days`;
  if (days === 1) return 'expires tomorrow';
  if (days === 0) return 'expires today';
  return days === -1 ? 'expired yesterday' : `expired ${-days} days ago`;
}

export function describeAge(days: number): string {
  if (days <= 0) return 'today';
  if (days === 1) return '1 day';
  return `${days} days`;
}

/** The states that need the user: the status bar counts them, the reminders and the audit name them. */
export const ATTENTION_HEALTH: readonly Health[] = ['token-missing', 'expired', 'failing', 'expiring', 'rotation-due'];

export function needsAttention(health: Health): boolean {
  return ATTENTION_HEALTH.includes(health);
}

/** A verdict in a few words, for places with no room for its sentence (the tree's description). */
export const CHECK_STATUS_WORDS: Record<CheckStatus, string> = {
  valid: 'token works',
  invalid: 'token refused',
  expired: 'token expired',
  forbidden: 'not allowed',
  captcha: 'CAPTCHA: log in once in a browser',
  'rate-limited': 'rate limited',
  'wrong-host': 'wrong host for this token',
  'not-jira': 'not a Jira REST API',
  'not-found': 'host not found',
  unreachable: 'unreachable',
  'tls-error': 'certificate problem',
  timeout: 'timed out',
  unexpected: 'unexpected answer',
};

/**
 * The state in the words the tree description, the status bar and the reminders use: "expires in 5 days",
 * "expired 2 days ago", "rotation due (124 days old)"; undefined when there is nothing to say (ok, unchecked).
 */
export function describeHealth(connection: Connection, health: Health, now: Date): string | undefined {
  switch (health) {
    case 'token-missing':
      return 'token missing';
    case 'expired': {
      const days = daysUntilExpiry(connection, now);
      if (hasPreExpiryCloudToken(connection) && days !== undefined && days <= 0) return 'expired (token from before 15 Dec 2024)';
      if (days === undefined || days > 0) return 'token expired';
      return days === 0 ? 'expired today' : describeExpiry(connection, now);
    }
    case 'expiring':
      return describeExpiry(connection, now);
    case 'rotation-due':
      return `rotation due (${tokenAgeDays(connection, now)} days old)`;
    case 'failing':
      return connection.lastCheck ? `check failed: ${CHECK_STATUS_WORDS[connection.lastCheck.status]}` : 'check failed';
    case 'ok':
    case 'unchecked':
      return undefined;
  }
}
