// The token inventory as rows with their flags, and as the files Export Token Inventory writes: JSON in the
// shape of the command line's `tokens --format json` plus `source` and `site`, or CSV (RFC 4180). Labels and
// user names are chosen by other people: a CSV cell that a spreadsheet would run as a formula is defused.
// Pure; a row holds ids, labels, users and dates, never a secret.
import type { InventorySourceResult } from './inventoryReader';
import { flagsOf, type FlagOptions, type InventorySource, type InventoryToken, type TokenFlag } from './tokenInventory';

export interface InventoryRow {
  token: InventoryToken;
  flags: TokenFlag[];
  /** This is the token stored for the connection. */
  stored: boolean;
  connectionId: string;
  source: InventorySource;
  site: string;
}

/** The flags of every token read. A Data Center account's tokens other than the stored one are `not-stored-here`. */
export function inventoryRows(sources: readonly InventorySourceResult[], options: Omit<FlagOptions, 'storedIds'>): InventoryRow[] {
  const rows: InventoryRow[] = [];
  for (const source of sources) {
    if (!source.ok) continue;
    // An organisation's tokens belong to its users, not to this guard: "not stored here" says nothing there.
    const storedIds = source.source === 'datacenter-pat' ? new Set(source.storedId ? [source.storedId] : []) : undefined;
    for (const token of source.tokens)
      rows.push({
        token,
        flags: flagsOf(token, { ...options, ...(storedIds ? { storedIds } : {}) }),
        stored: token.id === source.storedId,
        connectionId: source.connectionId,
        source: source.source,
        site: source.site,
      });
  }
  return rows;
}

/** `{ "tokens": [...] }`, each as the command line writes it, plus where it lives. */
export function inventoryJson(rows: readonly InventoryRow[]): string {
  const tokens = rows.map(({ token, flags, stored, source, site }) => ({
    id: token.id,
    label: token.label,
    ...(token.user ? { user: { ...token.user } } : {}),
    ...(token.createdAt ? { createdAt: token.createdAt } : {}),
    ...(token.expiresAt ? { expiresAt: token.expiresAt } : {}),
    ...(token.lastActiveAt ? { lastActiveAt: token.lastActiveAt } : {}),
    ...(stored ? { current: true } : {}),
    flags,
    source,
    site,
  }));
  return `${JSON.stringify({ tokens }, null, 2)}\n`;
}

export const CSV_COLUMNS = [
  'id',
  'label',
  'user',
  'email',
  'createdAt',
  'expiresAt',
  'lastActiveAt',
  'flags',
  'source',
  'site',
  'stored',
] as const;

/** A header row, then one row per token; CRLF line ends (RFC 4180). */
export function inventoryCsv(rows: readonly InventoryRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const { token, flags, stored, source, site } of rows) {
    lines.push(
      [
        token.id,
        token.label,
        token.user?.name ?? token.user?.id ?? '',
        token.user?.email ?? '',
        token.createdAt ?? '',
        token.expiresAt ?? '',
        token.lastActiveAt ?? '',
        flags.join(' '),
        source,
        site,
        stored ? 'yes' : '',
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * One CSV field. A value a spreadsheet would read as a formula (starting with = + - @, or a tab or carriage
 * return that hides one) gets a leading apostrophe; then a field holding a comma, quote or line break is
 * quoted, its quotes doubled.
 */
export function csvCell(value: string): string {
  const defused = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) ? `"${defused.replace(/"/g, '""')}"` : defused;
}
