// The connections file teams share (Export / Import Connections): the non-secret description of each
// connection and nothing else. Export picks fields from an allow-list; import validates the whole file
// with the same rules as Add Connection before anything is stored, and refuses a file that holds a token.
import { type Connection, connectionUser } from './connection';
import { defaultLabel, type InputCheck, isConnectionKind, tokenKindMismatch, validateToken, validateUser } from './connectionInput';
import { normalizeBaseUrl } from './url';
import { classifyToken } from '../tokens/tokenShapes';

export const EXPORT_FORMAT = 'jira-token-guard/connections';
export const EXPORT_VERSION = 1;
/** A connections file is small; anything bigger is not one. */
export const MAX_IMPORT_BYTES = 1024 * 1024;

/** The non-secret fields that describe a connection rather than its token. */
export type ExportedConnection = Pick<Connection, 'label' | 'kind' | 'baseUrl' | 'email' | 'username' | 'cloudId'>;

export interface ConnectionsExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  /** Tokens are never exported: each person imports the file and gives their own. */
  connections: ExportedConnection[];
}

/** A validated entry of an import file, ready for the store. */
export interface ImportedConnection extends ExportedConnection {
  host: string;
}

/**
 * Dates (created, rotated, expiry) and the last check describe a token, not the connection, and tokens do
 * not travel: they are left out.
 */
export function buildExport(connections: readonly Connection[], now: Date): ConnectionsExport {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    connections: connections.map((c) => {
      const entry: ExportedConnection = { label: c.label, kind: c.kind, baseUrl: c.baseUrl };
      if (c.email) entry.email = c.email;
      if (c.username) entry.username = c.username;
      if (c.cloudId) entry.cloudId = c.cloudId;
      return entry;
    }),
  };
}

export function serializeExport(data: ConnectionsExport): string {
  return JSON.stringify(data, null, 2) + '\n';
}

/** Property names that would carry a secret; a file with any of them is refused, not silently cleaned. */
const SECRET_PROPERTY =
  /^(token|api[-_]?token|apikey|api[-_]?key|pat|password|passwd|secret|credentials?|authorization|access[-_]?token)$/i;
const KNOWN_PROPERTIES = new Set(['label', 'kind', 'baseUrl', 'email', 'username', 'cloudId']);

/** Parses and validates a whole file; the first problem is the error, and it names the entry. */
export function parseConnectionsFile(text: string): InputCheck<ImportedConnection[]> {
  if (text.length > MAX_IMPORT_BYTES)
    return { ok: false, error: 'The file is too big to be a Jira Token Guard connections file (over 1 MB).' };
  let data: unknown;
  const json = text.replace(/^\uFEFF/, '');
  try {
    data = JSON.parse(json);
  } catch (error) {
    return { ok: false, error: `The file is not valid JSON${jsonErrorWhere(json, error)}.` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return {
      ok: false,
      error: 'The file is not a Jira Token Guard connections file: it should be a JSON object made by Export Connections.',
    };
  }
  const file = data as Record<string, unknown>;
  if (file.format !== EXPORT_FORMAT) {
    return { ok: false, error: `The file is not a Jira Token Guard connections file: "format" should be "${EXPORT_FORMAT}".` };
  }
  if (typeof file.version !== 'number' || !Number.isInteger(file.version) || file.version < 1) {
    return { ok: false, error: 'The file has no valid "version".' };
  }
  if (file.version > EXPORT_VERSION) {
    return {
      ok: false,
      error: `The file was made by a newer version of Jira Token Guard (format version ${file.version}); update the extension to import it.`,
    };
  }
  if (!Array.isArray(file.connections)) return { ok: false, error: 'The file has no "connections" list.' };
  if (file.connections.length === 0) return { ok: false, error: 'The file lists no connections.' };

  const result: ImportedConnection[] = [];
  const seen = new Map<string, number>();
  for (const [index, raw] of file.connections.entries()) {
    const entry = validateEntry(raw);
    const rawLabel = (raw as { label?: unknown } | null)?.label;
    const where = `Connection ${index + 1}${typeof rawLabel === 'string' && !looksLikeSecret(rawLabel) ? ` (“${oneLine(rawLabel)}”)` : ''}`;
    if (!entry.ok) return { ok: false, error: `${where}: ${entry.error} Nothing was imported.` };
    const key = siteUserKey(entry.value.baseUrl, connectionUser(entry.value));
    const first = seen.get(key);
    if (first !== undefined) {
      return { ok: false, error: `${where}: the same site and user as connection ${first + 1}. Nothing was imported.` };
    }
    seen.set(key, index);
    result.push(entry.value);
  }
  return { ok: true, value: result };
}

/**
 * " (line L, column C)" for a JSON.parse error that gives a position, else nothing. Only the position is
 * taken from the parser's message: newer V8 quotes the source text there, which could be part of a token.
 */
export function jsonErrorWhere(json: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const match = /\bat position (\d+)/.exec(message);
  if (!match) return '';
  const position = Math.min(Number(match[1]), json.length);
  const before = json.slice(0, position);
  const line = before.split('\n').length;
  const column = position - (before.lastIndexOf('\n') + 1) + 1;
  return ` (line ${line}, column ${column})`;
}

function validateEntry(raw: unknown): InputCheck<ImportedConnection> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: 'is not an object.' };
  const entry = raw as Record<string, unknown>;
  for (const [key, value] of Object.entries(entry)) {
    if (SECRET_PROPERTY.test(key)) {
      return {
        ok: false,
        error: `has a "${key}" property. Connections files never hold tokens or passwords: remove it, and give the token when importing.`,
      };
    }
    if (!KNOWN_PROPERTIES.has(key)) continue;
    if (value !== undefined && value !== null && typeof value !== 'string') return { ok: false, error: `"${key}" must be text.` };
    if (typeof value === 'string' && looksLikeSecret(value)) {
      return { ok: false, error: `"${key}" holds what looks like a token. Connections files never hold tokens: remove it.` };
    }
  }
  const text = (key: string) => (typeof entry[key] === 'string' ? entry[key] : undefined);
  const kind = text('kind');
  if (!isConnectionKind(kind))
    return { ok: false, error: `unknown kind "${oneLine(kind ?? '')}": use one of cloud, cloud-scoped, datacenter-pat, datacenter-basic.` };
  const url = normalizeBaseUrl(text('baseUrl') ?? '');
  if (!url.ok) return url;
  const user = validateUser(kind, text('email'), text('username'));
  if (!user.ok) return user;
  const label = (text('label') ?? '').trim() || defaultLabel(url.host, user.value.email ?? user.value.username);
  const cloudId = text('cloudId')?.trim();
  const value: ImportedConnection = { label, kind, baseUrl: url.url, host: url.host, ...user.value };
  if (cloudId) value.cloudId = cloudId;
  return { ok: true, value };
}

function looksLikeSecret(value: string): boolean {
  const shape = classifyToken(value);
  return shape !== 'unknown' && shape !== 'email' && shape !== 'legacy-cloud-token';
}

/**
 * The token given for an entry in an import's `tokens` map (keyed by label or base URL), validated with the
 * Add Connection rules. Errors name the connection, never the token.
 */
export function importToken(
  tokens: Readonly<Record<string, unknown>> | undefined,
  entry: ImportedConnection,
  allowShapeMismatch = false,
): InputCheck<string | undefined> {
  const given = tokens?.[entry.label] ?? tokens?.[entry.baseUrl];
  if (given === undefined || given === null || given === '') return { ok: true, value: undefined };
  if (typeof given !== 'string') return { ok: false, error: `The token for “${oneLine(entry.label)}” must be text. Nothing was imported.` };
  const token = validateToken(given, entry.kind);
  if (!token.ok) return { ok: false, error: `The token for “${oneLine(entry.label)}”: ${token.error} Nothing was imported.` };
  const mismatch = tokenKindMismatch(token.value, entry.kind);
  if (mismatch && !allowShapeMismatch)
    return { ok: false, error: `The token for “${oneLine(entry.label)}”: ${mismatch} Nothing was imported.` };
  return { ok: true, value: token.value };
}

export function siteUserKey(baseUrl: string, user: string | undefined): string {
  return `${baseUrl}\n${(user ?? '').toLowerCase()}`;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
