// An organisation's API tokens as the Connections tree shows them: grouped by user, and matched to a stored Cloud
// connection by the user's email ("belongs to …"). Pure: the caller gives the tokens and the connections.
import type { InventoryToken } from './tokenInventory';

/** An Atlassian organisation id as admin.atlassian.com shows it (a UUID); nothing that could change a URL path. */
export function isOrgId(value: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9-]{2,63}$/.test(value.trim());
}

export interface OrgUserGroup {
  /** The user's account id, or '' for tokens the API listed without a user. */
  userId: string;
  name?: string;
  email?: string;
  tokens: InventoryToken[];
}

/** Tokens grouped by their user, users by name (then email), tokens by label; listing order otherwise. */
export function groupByUser(tokens: readonly InventoryToken[]): OrgUserGroup[] {
  const groups = new Map<string, OrgUserGroup>();
  for (const token of tokens) {
    const userId = token.user?.id ?? '';
    let group = groups.get(userId);
    if (!group) {
      group = {
        userId,
        ...(token.user?.name ? { name: token.user.name } : {}),
        ...(token.user?.email ? { email: token.user.email } : {}),
        tokens: [],
      };
      groups.set(userId, group);
    }
    group.tokens.push(token);
  }
  const nameOf = (g: OrgUserGroup): string => g.name ?? g.email ?? g.userId;
  for (const group of groups.values()) group.tokens.sort((a, b) => a.label.localeCompare(b.label));
  return [...groups.values()].sort((a, b) => nameOf(a).localeCompare(nameOf(b)) || (a.email ?? '').localeCompare(b.email ?? ''));
}

/**
 * The labels of the stored connections whose email is the token user's (emails compare without case): the
 * token may be the one such a connection holds, or a sibling of it.
 */
export function owningConnections(token: InventoryToken, connections: ReadonlyArray<{ label: string; email?: string }>): string[] {
  const email = token.user?.email?.trim().toLowerCase();
  if (!email) return [];
  return connections.filter((c) => c.email?.trim().toLowerCase() === email).map((c) => c.label);
}
