// Reads the token inventory of the stored connections and organisations: per owner whose kind has a source,
// every token of its account (Data Center: the PAT API with the stored PAT) or of its organisation (Cloud:
// the admin API with the stored admin key), or the verdict that stopped the reading. Sources are a table by
// kind, so a new kind is one entry. Secrets come from `readSecret` and go only to the owner's own origin
// (the clients' rule); no result holds one.
import { type OpenTransport, OrgAdminApi, type OrgAdminProgress, PatApi } from '../jira';
import type { Connection } from '../connections/connection';
import { decodePatId } from '../tokens/tokenShapes';
import { fromOrgToken, fromPat, type InventorySource, type InventoryToken } from './tokenInventory';

/**
 * Whose tokens are read: a stored connection, or an organisation (kind `cloud-org`, baseUrl the admin API,
 * orgId the organisation; its secret is the admin key, kept apart from the connections).
 */
export type InventoryOwner = Pick<Connection, 'id' | 'label' | 'baseUrl'> & {
  kind: Connection['kind'] | 'cloud-org';
  tokenMissing?: boolean;
  orgId?: string;
};

interface SourceHeader {
  connectionId: string;
  connectionLabel: string;
  source: InventorySource;
  /** Where the tokens live, for people: the site's host and path, or the organisation. */
  site: string;
}

export type InventorySourceResult =
  | (SourceHeader & {
      ok: true;
      tokens: InventoryToken[];
      /** The id of the token stored for this connection, when it is among them (Data Center PATs carry it). */
      storedId?: string;
    })
  | (SourceHeader & { ok: false; /** One plain sentence, no secret. */ error: string; reason: string });

export interface InventoryReadOptions {
  /** How requests are sent (Node's or the browser's): core sends nothing by itself. */
  transport: OpenTransport;
  /** The stored secret of a connection; undefined when none is stored. */
  readSecret: (connectionId: string) => Promise<string | undefined>;
  timeoutMs?: number;
  /** Redacted technical detail (method, path, status). */
  log?: (line: string) => void;
  /** Organisation listings: pages read and rate-limit waits. */
  onProgress?: (owner: InventoryOwner, progress: OrgAdminProgress) => void;
}

type SourceReader = (
  connection: InventoryOwner,
  secret: string,
  header: SourceHeader,
  options: InventoryReadOptions,
) => Promise<InventorySourceResult>;

interface SourceKind {
  source: InventorySource;
  site(connection: InventoryOwner): string;
  read: SourceReader;
}

/** The inventory sources by connection kind, compared as strings: a kind added later is one entry here. */
export const INVENTORY_SOURCES: Readonly<Record<string, SourceKind>> = {
  'datacenter-pat': {
    source: 'datacenter-pat',
    site: (c) => siteOf(c.baseUrl),
    read: async (connection, pat, header, options) => {
      const listed = await new PatApi(connection.baseUrl, {
        timeoutMs: options.timeoutMs,
        log: options.log,
        transport: options.transport,
      }).list({ pat });
      if (!listed.ok) return { ...header, ok: false, error: listed.message, reason: listed.reason };
      const storedId = decodePatId(pat);
      const tokens = listed.tokens.map(fromPat);
      return { ...header, ok: true, tokens, ...(storedId && tokens.some((t) => t.id === storedId) ? { storedId } : {}) };
    },
  },
  // An organisation: baseUrl is the admin API, orgId the organisation, the secret the admin API key.
  'cloud-org': {
    source: 'cloud-org',
    site: (c) => `organisation ${c.orgId ?? '?'}`,
    read: async (connection, key, header, options) => {
      const orgId = connection.orgId;
      if (!orgId) return { ...header, ok: false, error: 'The organisation has no id.', reason: 'unexpected' };
      const api = new OrgAdminApi({
        baseUrl: connection.baseUrl,
        transport: options.transport,
        timeoutMs: options.timeoutMs,
        log: options.log,
        onProgress: (progress) => options.onProgress?.(connection, progress),
      });
      const listed = await api.listTokens(key, orgId);
      if (!listed.ok) return { ...header, ok: false, error: listed.message, reason: listed.reason };
      return { ...header, ok: true, tokens: listed.tokens.map(fromOrgToken) };
    },
  },
};

/** Whether an owner's kind has a token inventory. */
export function hasInventory(owner: Pick<InventoryOwner, 'kind'>): boolean {
  return Object.prototype.hasOwnProperty.call(INVENTORY_SOURCES, owner.kind);
}

/** The inventory of every connection that has one, in the order given; one failing source does not stop the others. */
export async function readInventory(
  connections: readonly InventoryOwner[],
  options: InventoryReadOptions,
): Promise<InventorySourceResult[]> {
  const results: InventorySourceResult[] = [];
  for (const connection of connections) {
    const kind = hasInventory(connection) ? INVENTORY_SOURCES[connection.kind] : undefined;
    if (!kind) continue;
    const header: SourceHeader = {
      connectionId: connection.id,
      connectionLabel: connection.label,
      source: kind.source,
      site: kind.site(connection),
    };
    let secret: string | undefined;
    try {
      secret = connection.tokenMissing ? undefined : await options.readSecret(connection.id);
    } catch {
      secret = undefined;
    }
    if (!secret) {
      results.push({ ...header, ok: false, error: 'No token is stored for this connection.', reason: 'token-missing' });
      continue;
    }
    try {
      results.push(await kind.read(connection, secret, header, options));
    } catch {
      // The clients answer results; anything else is reported without its text (it could quote a request).
      results.push({ ...header, ok: false, error: 'Reading the token list failed unexpectedly.', reason: 'unexpected' });
    }
  }
  return results;
}

function siteOf(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.host}${url.pathname.replace(/\/$/, '')}`;
  } catch {
    return baseUrl;
  }
}
