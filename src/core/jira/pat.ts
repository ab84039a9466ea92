// The Data Center Personal Access Token REST API: list, create and revoke the caller's PATs
// (`{base}/rest/pat/latest/tokens`). Every call answers a result, never throws, and never puts a secret
// into a message or a log line. Facts and their uncertainties: docs/jira-auth.md.
import { basicCredentials } from '../common/bytes';
import { decodePatId, redactSecret } from '../tokens/tokenShapes';
import { type ExtraCa, type HttpAnswer, type HttpMethod, type OpenTransport, TransportError, createHttpClient } from './http';
import { displayUrl, joinUrl, parseServiceUrl } from './urls';
import { parseJson, requestIdOf } from './verdicts';

/** The credential a PAT API call is made with: a PAT (Bearer) or, for creation only, the account password. */
export type PatAuth = { pat: string } | { username: string; password: string };

export interface PatInfo {
  id: string;
  name: string;
  createdAt?: string;
  /** ISO date; absent for a token that never expires. */
  expiringAt?: string;
  /**
   * When the server said when the token was last used (no documented field: `lastAccessedAt`, `lastUsedAt` or
   * `lastAuthenticatedAt` is read when present): true, with `lastUsedAt` absent for a token never used.
   * Absent when the server says nothing about use: then nothing is known, and nothing is flagged for it.
   */
  usageReported?: true;
  lastUsedAt?: string;
}

/** What "revoke exactly this leaked PAT" did. Nothing is revoked unless the leaked PAT's own id is in the list. */
export type ExactRevocation =
  | { ok: true; id: string; name: string }
  | { ok: false; reason: 'not-a-pat' | 'not-in-account' | PatFailure; message: string; httpStatus?: number };

export interface CreatedPat extends PatInfo {
  /** Shown by Jira once, in this answer only. */
  rawToken: string;
}

export type PatFailure =
  | 'refused' // 401: the credential itself was not accepted
  | 'pat-auth-refused' // the PAT works, but this server does not let a PAT create (or revoke) tokens
  | 'limit-reached' // the user has as many tokens as the server allows
  | 'lifetime-refused' // the expiry is longer than the server allows
  | 'not-found' // no such token, or no PAT API at this address
  | 'unreachable' // no answer (network, TLS, timeout)
  | 'unexpected';

export interface PatError {
  ok: false;
  reason: PatFailure;
  /** One plain sentence, no secret. */
  message: string;
  httpStatus?: number;
  /** A maximum lifetime in days, when the server named one. */
  maxDays?: number;
}

export type PatResult<T> = ({ ok: true } & T) | PatError;

export interface PatApiOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  ca?: ExtraCa;
  /** How requests are sent: Node's transport (src/node/httpTransport.ts) or a browser's. */
  transport: OpenTransport;
  /** Redacted technical detail: method, path, HTTP status, request id. */
  log?: (line: string) => void;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export class PatApi {
  private readonly site: URL | undefined;

  constructor(
    baseUrl: string,
    private readonly options: PatApiOptions,
  ) {
    const site = parseServiceUrl(baseUrl);
    this.site = typeof site === 'string' ? undefined : site;
  }

  /** The caller's tokens, and the user name Jira answered for (X-AUSERNAME). */
  async list(auth: PatAuth): Promise<PatResult<{ tokens: PatInfo[]; username?: string }>> {
    const answer = await this.call('GET', '/rest/pat/latest/tokens', auth);
    if (!('status' in answer)) return answer;
    if (answer.status !== 200) return this.failure(answer, auth, 'list');
    const body = parseJson(answer.body);
    if (!Array.isArray(body))
      return { ok: false, reason: 'unexpected', message: 'The PAT API did not answer with a token list.', httpStatus: answer.status };
    const tokens = body.map(readPatInfo).filter((t): t is PatInfo => t !== undefined);
    const username = answer.headers['x-ausername'];
    return { ok: true, tokens, ...(username && username !== 'anonymous' ? { username } : {}) };
  }

  async create(auth: PatAuth, name: string, expirationDays: number | undefined): Promise<PatResult<{ token: CreatedPat }>> {
    const body = { name, ...(expirationDays !== undefined ? { expirationDuration: expirationDays } : {}) };
    const answer = await this.call('POST', '/rest/pat/latest/tokens', auth, body);
    if (!('status' in answer)) return answer;
    if (answer.status !== 200 && answer.status !== 201) return this.failure(answer, auth, 'create');
    const parsed = parseJson(answer.body) as { rawToken?: unknown } | undefined;
    const info = readPatInfo(parsed);
    const rawToken = typeof parsed?.rawToken === 'string' ? parsed.rawToken : undefined;
    if (!info || !rawToken)
      return { ok: false, reason: 'unexpected', message: 'Jira answered the creation without the new token.', httpStatus: answer.status };
    return { ok: true, token: { ...info, rawToken } };
  }

  async revoke(auth: PatAuth, id: string): Promise<PatResult<object>> {
    if (!/^\d{1,20}$/.test(id)) return { ok: false, reason: 'unexpected', message: 'That is not a PAT id.' };
    const answer = await this.call('DELETE', `/rest/pat/latest/tokens/${id}`, auth);
    if (!('status' in answer)) return answer;
    if (answer.status === 200 || answer.status === 204) return { ok: true };
    return this.failure(answer, auth, 'revoke');
  }

  /**
   * Revokes the leaked PAT by the id it carries, and only that one: when that id is not among the account's
   * tokens (revoked already, or another account's token), nothing is revoked and the answer says why.
   * `auth` is the account's credential (the stored PAT; it may be the leaked one itself).
   */
  async revokeLeaked(auth: PatAuth, leakedPat: string): Promise<ExactRevocation> {
    const id = decodePatId(leakedPat.trim());
    if (id === undefined)
      return { ok: false, reason: 'not-a-pat', message: 'That is not a Data Center personal access token: it carries no token id.' };
    const listed = await this.list(auth);
    if (!listed.ok) return listed;
    const token = listed.tokens.find((t) => t.id === id);
    if (!token)
      return {
        ok: false,
        reason: 'not-in-account',
        message: `No token of this account has the leaked token's id ${id}: nothing was revoked (it was revoked already, or it belongs to another account or site).`,
      };
    const revoked = await this.revoke(auth, id);
    if (!revoked.ok) return revoked;
    return { ok: true, id, name: token.name };
  }

  private async call(method: HttpMethod, path: string, auth: PatAuth, json?: unknown): Promise<HttpAnswer | PatError> {
    if (!this.site)
      return {
        ok: false,
        reason: 'unexpected',
        message: 'The site address cannot receive a token (https, or http to this computer only).',
      };
    const url = joinUrl(this.site, path);
    // Credentials go to the connection's own origin only; redirects are not followed.
    const client = createHttpClient({
      timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal: this.options.signal,
      ca: this.options.ca,
      credentialOrigins: [this.site.origin],
      transport: this.options.transport,
    });
    try {
      const answer = await client.request(method, url, authorizationOf(auth), json);
      const requestId = requestIdOf(answer.headers).requestId;
      this.log(
        `${method} ${displayUrl(url)} → HTTP ${answer.status} in ${answer.durationMs} ms${requestId ? `, request id ${requestId}` : ''}`,
        auth,
      );
      return answer;
    } catch (error) {
      const code = error instanceof TransportError ? (error.code ?? error.reason) : 'error';
      this.log(`${method} ${displayUrl(url)} failed: ${code}`, auth);
      return { ok: false, reason: 'unreachable', message: `${this.site.host} did not answer (${code}).` };
    } finally {
      client.close();
    }
  }

  private failure(answer: HttpAnswer, auth: PatAuth, action: 'list' | 'create' | 'revoke'): PatError {
    const status = answer.status;
    // The server's words may echo what it was sent: never repeat the credential.
    const said = withoutSecrets(serverMessage(answer.body), auth);
    const byPat = 'pat' in auth;
    const base = { ok: false as const, httpStatus: status };
    const contentType = answer.headers['content-type'] ?? '';
    if (status === 404 || (!contentType.includes('json') && status < 500 && status !== 401 && status !== 403)) {
      return {
        ...base,
        reason: 'not-found',
        message:
          action === 'revoke'
            ? 'Jira does not know that token any more.'
            : 'This site has no PAT API (Jira Data Center 8.14 or later has one).',
      };
    }
    if (action === 'create' && /limit|maximum number|too many/i.test(said) && status !== 401) {
      return {
        ...base,
        reason: 'limit-reached',
        message:
          'You have as many personal access tokens as Jira allows (10 unless the administrator changed it): revoke one you no longer use on the PAT page, then rotate again.',
      };
    }
    if (action === 'create' && status === 400 && /expir|duration|days/i.test(said)) {
      const max = /(\d{1,4})\s*days?/i.exec(said);
      return {
        ...base,
        reason: 'lifetime-refused',
        message: `Jira refused the expiry${max ? `: its maximum is ${max[1]} days` : ''}.`,
        ...(max ? { maxDays: Number(max[1]) } : {}),
      };
    }
    if (status === 401 && !byPat) return { ...base, reason: 'refused', message: 'Jira refused the user name and password.' };
    if (byPat && (status === 401 || status === 403) && action !== 'list') {
      return { ...base, reason: 'pat-auth-refused', message: `This Jira does not let a personal access token ${action} tokens.` };
    }
    if (status === 401) return { ...base, reason: 'refused', message: 'Jira refused the current token.' };
    return { ...base, reason: 'unexpected', message: `Jira answered HTTP ${status}${said ? ` (${truncate(said)})` : ''}.` };
  }

  private log(line: string, auth: PatAuth): void {
    try {
      this.options.log?.(withoutSecrets(line, auth));
    } catch {
      // A failing log sink must not fail the call.
    }
  }
}

export function authorizationOf(auth: PatAuth): string {
  if ('pat' in auth) return `Bearer ${auth.pat}`;
  return `Basic ${basicCredentials(auth.username, auth.password)}`;
}

function withoutSecrets(text: string, auth: PatAuth): string {
  if ('pat' in auth) return auth.pat ? text.split(auth.pat).join(redactSecret(auth.pat)) : text;
  // Not even a part of a password is shown.
  const forms = [basicCredentials(auth.username, auth.password), auth.password];
  return forms.reduce((out, s) => (s ? out.split(s).join('…') : out), text);
}

function readPatInfo(item: unknown): PatInfo | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const record = item as Record<string, unknown>;
  const { id, name, createdAt, expiringAt } = record;
  if (typeof id !== 'number' && typeof id !== 'string') return undefined;
  const usageField = LAST_USED_FIELDS.find((field) => field in record);
  const lastUsed = usageField === undefined ? undefined : isoDate(record[usageField]);
  return {
    id: String(id),
    name: typeof name === 'string' ? name : '',
    ...(typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt))
      ? { createdAt: new Date(Date.parse(createdAt)).toISOString() }
      : {}),
    ...(typeof expiringAt === 'string' && !Number.isNaN(Date.parse(expiringAt))
      ? { expiringAt: new Date(Date.parse(expiringAt)).toISOString() }
      : {}),
    ...(usageField !== undefined ? { usageReported: true as const, ...(lastUsed ? { lastUsedAt: lastUsed } : {}) } : {}),
  };
}

/** Last-use fields a PAT list may carry (none is documented; a server that sends one is believed). */
const LAST_USED_FIELDS = ['lastAccessedAt', 'lastUsedAt', 'lastAuthenticatedAt'];

function isoDate(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return new Date(value).toISOString();
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(Date.parse(value)).toISOString();
  return undefined;
}

/** Jira's own words from an error body (`errorMessages`, `message`, `errors`), for matching and the log. */
function serverMessage(body: string): string {
  const parsed = parseJson(body) as { errorMessages?: unknown; message?: unknown; errors?: unknown } | undefined;
  if (!parsed || typeof parsed !== 'object') return '';
  const parts: string[] = [];
  if (Array.isArray(parsed.errorMessages)) parts.push(...parsed.errorMessages.filter((m): m is string => typeof m === 'string'));
  if (typeof parsed.message === 'string') parts.push(parsed.message);
  if (parsed.errors && typeof parsed.errors === 'object')
    parts.push(...Object.values(parsed.errors).filter((m): m is string => typeof m === 'string'));
  return parts.join(' ');
}

function truncate(text: string): string {
  // Only short plain words from the server reach a message; anything token-like is cut out.
  return text.replace(/[A-Za-z0-9+/=_-]{20,}/g, '…').slice(0, 160);
}
