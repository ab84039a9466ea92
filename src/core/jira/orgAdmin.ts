// The Atlassian organisation admin API, for Cloud admins: every managed user's API tokens
// (`GET {admin}/admin/api-access/v1/orgs/{orgId}/api-tokens`, paged by `links.next`) and revoking one token
// (`DELETE {admin}/users/{accountId}/manage/api-tokens/{tokenId}`). The admin API key goes as Bearer to the
// admin API's origin only. `DELETE …/orgs/{orgId}/api-tokens` (every token of the organisation at once) is
// never called. Every call answers a result, never throws, and never puts the key into a message or a log.
// Facts: ../shared/notes/jira-auth.md › Token inventory and activity.
import { redactSecret } from '../tokens/tokenShapes';
import { type ExtraCa, type HttpAnswer, type HttpMethod, type OpenTransport, TransportError, createHttpClient } from './http';
import { displayUrl, joinUrl, parseServiceUrl } from './urls';
import { parseJson, requestIdOf } from './verdicts';

export const DEFAULT_ADMIN_API_URL = 'https://api.atlassian.com';
/** The scope an admin API key needs to list the organisation's API tokens. */
export const READ_TOKENS_SCOPE = 'read:tokens:admin';

export interface OrgTokenUser {
  id: string;
  name?: string;
  email?: string;
}

export interface OrgToken {
  id: string;
  label: string;
  /** As the API says it (e.g. ACTIVE); absent when not sent. */
  status?: string;
  createdAt?: string;
  expiresAt?: string;
  /** Absent for a token never used (the API reports last activity for every token). */
  lastActiveAt?: string;
  user?: OrgTokenUser;
}

export type OrgAdminFailure =
  | 'refused' // 401: the key was not accepted
  | 'missing-scope' // the key works but lacks the scope the call needs
  | 'not-found' // no such organisation, user or token, or no admin API at this address
  | 'rate-limited' // 429 with a reset further away than we wait, or too many in a row
  | 'unreachable' // no answer (network, TLS, timeout)
  | 'unexpected';

export interface OrgAdminError {
  ok: false;
  reason: OrgAdminFailure;
  /** One plain sentence, no secret. */
  message: string;
  httpStatus?: number;
  /** The scope the key lacks, for `missing-scope`. */
  missingScope?: string;
}

export type OrgAdminResult<T> = ({ ok: true } & T) | OrgAdminError;

export type OrgAdminProgress = { kind: 'page'; page: number; tokens: number } | { kind: 'waiting'; seconds: number; until: string };

export interface OrgAdminOptions {
  /** The admin API's base URL; for tests and proxies. Default https://api.atlassian.com. */
  baseUrl?: string;
  /** Per request. */
  timeoutMs?: number;
  signal?: AbortSignal;
  ca?: ExtraCa;
  /** How requests are sent: Node's transport (src/node/httpTransport.ts) or a browser's. */
  transport: OpenTransport;
  /** Redacted technical detail: method, path, HTTP status, request id. */
  log?: (line: string) => void;
  /** Pages read, and waits for a rate limit's reset. */
  onProgress?: (progress: OrgAdminProgress) => void;
  /** Longest wait for one rate limit's reset; a later reset ends the listing. Default 5 minutes. */
  maxWaitMs?: number;
  /** 429 answers in a row for one page before giving up. Default 5. */
  maxRateLimitRetries?: number;
  /** Default 1000: a server that pages on forever is stopped. */
  maxPages?: number;
  /** Injected for tests. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_WAIT_MS = 5 * 60_000;
/** Without a reset header: wait this long. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 10_000;

export class OrgAdminApi {
  private readonly base: URL | undefined;

  constructor(private readonly options: OrgAdminOptions) {
    const base = parseServiceUrl(options.baseUrl ?? DEFAULT_ADMIN_API_URL);
    this.base = typeof base === 'string' ? undefined : base;
  }

  /**
   * Every API token of the organisation's managed users: all pages, waiting out rate limits. `firstPageOnly`
   * stops after one page: enough to learn whether the key and org id work before they are saved.
   */
  async listTokens(
    adminKey: string,
    orgId: string,
    { firstPageOnly = false }: { firstPageOnly?: boolean } = {},
  ): Promise<OrgAdminResult<{ tokens: OrgToken[]; pages: number }>> {
    if (!isPathId(orgId)) return { ok: false, reason: 'unexpected', message: 'That is not an organisation id.' };
    if (!this.base) return this.badBase();
    const tokens: OrgToken[] = [];
    const seen = new Set<string>();
    let url: URL | undefined = joinUrl(this.base, `/admin/api-access/v1/orgs/${encodeURIComponent(orgId)}/api-tokens`);
    let pages = 0;
    while (url) {
      if (pages >= (this.options.maxPages ?? 1000) || seen.has(url.href))
        return { ok: false, reason: 'unexpected', message: 'The admin API kept paging without end; the listing was stopped.' };
      seen.add(url.href);
      const answer = await this.callWithRetries('GET', url, adminKey);
      if (!('status' in answer)) return answer;
      if (answer.status !== 200) return this.failure(answer, adminKey, 'list');
      const body = parseJson(answer.body) as { data?: unknown; links?: { next?: unknown } } | undefined;
      if (!body || typeof body !== 'object' || !Array.isArray(body.data))
        return { ok: false, reason: 'unexpected', message: 'The admin API did not answer with a token list.', httpStatus: answer.status };
      tokens.push(...body.data.map(readOrgToken).filter((t): t is OrgToken => t !== undefined));
      pages++;
      this.progress({ kind: 'page', page: pages, tokens: tokens.length });
      const next = typeof body.links?.next === 'string' && body.links.next ? body.links.next : undefined;
      url = undefined;
      if (firstPageOnly) break;
      if (next) {
        const nextUrl = nextPageUrl(next, answer.url);
        // The key goes to the admin API's origin only: a next link elsewhere is not followed.
        if (!nextUrl || nextUrl.origin !== this.base.origin)
          return { ok: false, reason: 'unexpected', message: 'The admin API sent a next page on another address; it was not followed.' };
        url = nextUrl;
      }
    }
    return { ok: true, tokens, pages };
  }

  /** Revokes one API token of one managed user. Never the organisation-wide DELETE. */
  async revokeToken(adminKey: string, accountId: string, tokenId: string): Promise<OrgAdminResult<object>> {
    if (!isPathId(accountId) || !isPathId(tokenId))
      return { ok: false, reason: 'unexpected', message: 'That is not an account id and token id.' };
    if (!this.base) return this.badBase();
    const url = joinUrl(this.base, `/users/${encodeURIComponent(accountId)}/manage/api-tokens/${encodeURIComponent(tokenId)}`);
    const answer = await this.callWithRetries('DELETE', url, adminKey);
    if (!('status' in answer)) return answer;
    if (answer.status === 200 || answer.status === 202 || answer.status === 204) return { ok: true };
    return this.failure(answer, adminKey, 'revoke');
  }

  private badBase(): OrgAdminError {
    return {
      ok: false,
      reason: 'unexpected',
      message: 'The admin API address cannot receive a key (https, or http to this computer only).',
    };
  }

  private async callWithRetries(method: HttpMethod, url: URL, key: string): Promise<HttpAnswer | OrgAdminError> {
    const maxRetries = this.options.maxRateLimitRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      const answer = await this.call(method, url, key);
      if (!('status' in answer) || answer.status !== 429) return answer;
      const now = (this.options.now ?? Date.now)();
      const waitMs = rateLimitWaitMs(answer.headers, now);
      const until = new Date(now + waitMs).toISOString();
      if (attempt >= maxRetries || waitMs > (this.options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS))
        return {
          ok: false,
          reason: 'rate-limited',
          message: `The admin API is rate-limiting this key until ${until}; try again after that.`,
          httpStatus: 429,
        };
      this.progress({ kind: 'waiting', seconds: Math.ceil(waitMs / 1000), until });
      this.log(`${method} ${displayUrl(url)}: rate-limited, waiting ${Math.ceil(waitMs / 1000)} s for the reset`, key);
      try {
        await (this.options.sleep ?? sleep)(waitMs, this.options.signal);
      } catch {
        return { ok: false, reason: 'unreachable', message: 'The listing was cancelled.' };
      }
    }
  }

  private async call(method: HttpMethod, url: URL, key: string): Promise<HttpAnswer | OrgAdminError> {
    const client = createHttpClient({
      timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal: this.options.signal,
      ca: this.options.ca,
      credentialOrigins: [this.base!.origin],
      transport: this.options.transport,
    });
    try {
      const answer = await client.request(method, url, `Bearer ${key}`);
      const requestId = requestIdOf(answer.headers).requestId;
      this.log(
        `${method} ${displayUrl(url)} → HTTP ${answer.status} in ${answer.durationMs} ms${requestId ? `, request id ${requestId}` : ''}`,
        key,
      );
      return answer;
    } catch (error) {
      const code = error instanceof TransportError ? (error.code ?? error.reason) : 'error';
      this.log(`${method} ${displayUrl(url)} failed: ${code}`, key);
      return { ok: false, reason: 'unreachable', message: `${this.base!.host} did not answer (${code}).` };
    } finally {
      client.close();
    }
  }

  private failure(answer: HttpAnswer, key: string, action: 'list' | 'revoke'): OrgAdminError {
    const status = answer.status;
    const said = withoutKey(serverMessage(answer.body), key);
    const base = { ok: false as const, httpStatus: status };
    const contentType = answer.headers['content-type'] ?? '';
    if (status === 403 || (status === 401 && /scope/i.test(said))) {
      const scope = action === 'list' ? READ_TOKENS_SCOPE : undefined;
      return {
        ...base,
        reason: 'missing-scope',
        message: scope
          ? `The admin API key lacks the scope ${scope}: create a key with that scope in admin.atlassian.com › Settings › API keys.`
          : 'The admin API key may not revoke API tokens: it needs write access to user management.',
        ...(scope ? { missingScope: scope } : {}),
      };
    }
    if (status === 401) return { ...base, reason: 'refused', message: 'The admin API refused the key (wrong, expired or revoked).' };
    if (status === 404)
      return {
        ...base,
        reason: 'not-found',
        message: action === 'list' ? 'The admin API knows no such organisation.' : 'The admin API does not know that token any more.',
      };
    if (!contentType.includes('json'))
      return { ...base, reason: 'unexpected', message: `That address is not the admin API (HTTP ${status}).` };
    return { ...base, reason: 'unexpected', message: `The admin API answered HTTP ${status}${said ? ` (${truncate(said)})` : ''}.` };
  }

  private progress(progress: OrgAdminProgress): void {
    try {
      this.options.onProgress?.(progress);
    } catch {
      // A failing progress sink must not fail the listing.
    }
  }

  private log(line: string, key: string): void {
    try {
      this.options.log?.(withoutKey(line, key));
    } catch {
      // A failing log sink must not fail the call.
    }
  }
}

/**
 * How long a 429 asks to wait: `X-RateLimit-Reset` (an ISO date, or epoch seconds or milliseconds), else
 * `Retry-After` (seconds), else 10 s. Never negative.
 */
export function rateLimitWaitMs(headers: Record<string, string>, now: number): number {
  const reset = headers['x-ratelimit-reset']?.trim();
  if (reset) {
    let at: number | undefined;
    if (/^\d+(\.\d+)?$/.test(reset)) {
      const n = Number(reset);
      at = n > 1e12 ? n : n > 1e9 ? n * 1000 : now + n * 1000;
    } else if (!Number.isNaN(Date.parse(reset))) at = Date.parse(reset);
    if (at !== undefined) return Math.max(0, at - now);
  }
  const retryAfter = headers['retry-after']?.trim();
  if (retryAfter && /^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
  return DEFAULT_RATE_LIMIT_WAIT_MS;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('cancelled'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error('cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** An id that may go into a URL path: org ids are UUIDs, account ids may hold a colon. */
function isPathId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9:_.-]{0,127}$/.test(value);
}

function nextPageUrl(next: string, current: URL): URL | undefined {
  try {
    return new URL(next, current);
  } catch {
    return undefined;
  }
}

function readOrgToken(item: unknown): OrgToken | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const { id, label, status, createdAt, expiresAt, lastActiveAt, user } = item as Record<string, unknown>;
  if (typeof id !== 'string' && typeof id !== 'number') return undefined;
  const owner = readUser(user);
  return {
    id: String(id),
    label: typeof label === 'string' ? label : '',
    ...(typeof status === 'string' ? { status } : {}),
    ...dateField('createdAt', createdAt),
    ...dateField('expiresAt', expiresAt),
    ...dateField('lastActiveAt', lastActiveAt),
    ...(owner ? { user: owner } : {}),
  };
}

function readUser(user: unknown): OrgTokenUser | undefined {
  if (typeof user !== 'object' || user === null) return undefined;
  const { id, name, email } = user as Record<string, unknown>;
  if (typeof id !== 'string') return undefined;
  return { id, ...(typeof name === 'string' ? { name } : {}), ...(typeof email === 'string' ? { email } : {}) };
}

function dateField<K extends string>(name: K, value: unknown): Partial<Record<K, string>> {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return {};
  return { [name]: new Date(Date.parse(value)).toISOString() } as Partial<Record<K, string>>;
}

function serverMessage(body: string): string {
  const parsed = parseJson(body) as { message?: unknown; errors?: unknown; error?: unknown } | undefined;
  if (!parsed || typeof parsed !== 'object') return '';
  const parts: string[] = [];
  if (typeof parsed.message === 'string') parts.push(parsed.message);
  if (typeof parsed.error === 'string') parts.push(parsed.error);
  if (Array.isArray(parsed.errors))
    for (const e of parsed.errors as unknown[]) {
      const title = (e as { title?: unknown; detail?: unknown } | null)?.title ?? (e as { detail?: unknown } | null)?.detail;
      if (typeof title === 'string') parts.push(title);
    }
  return parts.join(' ');
}

function withoutKey(text: string, key: string): string {
  return key ? text.split(key).join(redactSecret(key)) : text;
}

function truncate(text: string): string {
  return text.replace(/[A-Za-z0-9+/=_-]{20,}/g, '…').slice(0, 160);
}
