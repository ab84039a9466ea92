// How a listed token (an account's PAT, an organisation's API token) reads in the Connections tree: its flags in
// words, its dates in one line, and which tokens are new since the last look. Pure: the caller gives the time
// and what was seen before (token ids only, never a secret).
import { formatDate, plural } from '../common/text';
import { CLOUD_EXPIRY_RULE_DATE, type InventoryToken, type TokenFlag } from './tokenInventory';

/** The inventory's flags, plus one only a look in the editor has: the token was not there at the last look. */
export type ListedTokenFlag = TokenFlag | 'new';

export interface FlagWording {
  staleDays: number;
  expiresWithinDays: number;
  now: Date;
}

export function describeFlag(flag: ListedTokenFlag, token: InventoryToken, wording: FlagWording): string {
  switch (flag) {
    case 'stale':
      return `not used for ${plural(wording.staleDays, 'day')}`;
    case 'never-used':
      return 'never used';
    case 'expiring':
      return token.expiresAt && Date.parse(token.expiresAt) <= wording.now.getTime()
        ? 'expired'
        : `expires within ${plural(wording.expiresWithinDays, 'day')}`;
    case 'no-expiry':
      return 'no expiry';
    case 'created-before-2024-12-15':
      return `created before ${formatDate(CLOUD_EXPIRY_RULE_DATE)}`;
    case 'not-stored-here':
      return 'created outside Jira Token Guard';
    case 'new':
      return 'new since the last look';
  }
}

/** Created, expires (or never), and last use when the source reports it. */
export function describeDates(token: InventoryToken): string[] {
  const facts: string[] = [];
  if (token.createdAt) facts.push(`created ${formatDate(token.createdAt)}`);
  facts.push(token.expiresAt ? `expires ${formatDate(token.expiresAt)}` : 'expires never');
  if (token.activityKnown) facts.push(token.lastActiveAt ? `last used ${formatDate(token.lastActiveAt)}` : 'never used');
  return facts;
}

/**
 * Which of `current` were not there at the last look. The first look (nothing seen before) calls nothing new:
 * everything would be.
 */
export function newSinceLastLook(seenBefore: readonly string[] | undefined, current: readonly string[]): Set<string> {
  if (seenBefore === undefined) return new Set();
  const seen = new Set(seenBefore);
  return new Set(current.filter((id) => !seen.has(id)));
}

/** The ids seen per connection, as kept in storage; anything malformed is dropped. */
export function readSeenIds(value: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [connectionId, ids] of Object.entries(value as Record<string, unknown>))
    if (Array.isArray(ids)) out[connectionId] = ids.filter((id): id is string => typeof id === 'string');
  return out;
}
