/**
 * A fake Atlassian organisation admin API for tests: a real HTTP server on 127.0.0.1 that answers like
 * https://api.atlassian.com for the token inventory (facts in ../shared/notes/jira-auth.md).
 *
 *   const admin = await startFakeAdminApi();
 *   admin.addKey(key, ['read:tokens:admin']);                 // a key without the scope gets 403
 *   admin.addOrg('org-1', [{ id: 't1', label: 'CI', user: { id: 'acc-1', name: 'Ann', email: 'ann@example.com' }, … }]);
 *   admin.pageSize = 2;                                      // links.next pages on
 *   admin.rateLimit({ page: 2, resetInSeconds: 1 });          // the next request for page 2 answers 429 once
 *   admin.liveTokens('org-1'); admin.revokedTokens            // what revocations did
 *   admin.requests                                           // method, path, whether a Bearer key came
 *
 * Routes: `GET /admin/api-access/v1/orgs/{orgId}/api-tokens[?cursor=N]` → `{ data, links: { self, next, prev } }`
 * with X-RateLimit-Limit/-Remaining/-Reset; 401 for an unknown key, 403 for a key without `read:tokens:admin`,
 * 404 for an unknown organisation. `DELETE /users/{accountId}/manage/api-tokens/{tokenId}` → 204 (404 when the
 * user has no such token; 403 for a key added with `canRevoke: false`). `DELETE /admin/api-access/v1/orgs/{orgId}/api-tokens`
 * (every token at once) is counted in `orgWideDeletes` and answers 500: the client must never call it.
 */
import { randomBytes } from 'crypto';
import * as http from 'http';
import { type AddressInfo } from 'net';

export interface FakeOrgToken {
  id: string;
  label: string;
  status?: string;
  createdAt: string;
  expiresAt?: string | null;
  lastActiveAt?: string | null;
  user: { id: string; name: string; email: string };
}

export interface FakeAdminRequest {
  method: string;
  path: string;
  authorized: boolean;
}

export interface FakeAdminApi {
  url: string;
  pageSize: number;
  /** A next link on another origin (to test that the key does not follow it). */
  nextLinkOrigin?: string;
  readonly requests: FakeAdminRequest[];
  readonly revokedTokens: string[];
  readonly orgWideDeletes: number;
  addKey(key: string, scopes: string[], options?: { canRevoke?: boolean }): void;
  addOrg(orgId: string, tokens: FakeOrgToken[]): void;
  /** The next request for `page` (1-based) answers 429 with a reset `resetInSeconds` from now, `times` times (default 1). */
  rateLimit(options: { page: number; resetInSeconds: number; times?: number; format?: 'iso' | 'epoch-seconds' }): void;
  liveTokens(orgId: string): FakeOrgToken[];
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeAdminApi(): Promise<FakeAdminApi> {
  const keys = new Map<string, { scopes: string[]; canRevoke: boolean }>();
  const orgs = new Map<string, FakeOrgToken[]>();
  let limits: Array<{ page: number; resetInSeconds: number; times: number; format: 'iso' | 'epoch-seconds' }> = [];
  const state = { orgWideDeletes: 0 };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const auth = req.headers.authorization ?? '';
    const key = /^Bearer (.+)$/.exec(auth)?.[1];
    fake.requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, authorized: key !== undefined });
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, {
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        'X-RateLimit-Limit': '100',
        'X-RateLimit-Remaining': '99',
        ...headers,
      });
      res.end(body !== undefined ? JSON.stringify(body) : undefined);
    };
    const account = key !== undefined ? keys.get(key) : undefined;
    if (!account) return send(401, { code: 401, message: 'Unauthorized' });

    const list = /^\/admin\/api-access\/v1\/orgs\/([^/]+)\/api-tokens$/.exec(url.pathname);
    if (list && req.method === 'DELETE') {
      state.orgWideDeletes++;
      return send(500, { code: 500, message: 'The fake refuses to revoke every token of an organisation.' });
    }
    if (list && req.method === 'GET') {
      if (!account.scopes.includes('read:tokens:admin'))
        return send(403, { code: 403, message: 'Forbidden: the API key does not have the required scopes.' });
      const tokens = orgs.get(decodeURIComponent(list[1]));
      if (!tokens) return send(404, { code: 404, message: 'Organization not found.' });
      const cursor = Number(url.searchParams.get('cursor') ?? '0');
      const page = Math.floor(cursor / fake.pageSize) + 1;
      const limit = limits.find((l) => l.page === page && l.times > 0);
      if (limit) {
        limit.times--;
        const resetAt = Date.now() + limit.resetInSeconds * 1000;
        return send(
          429,
          { code: 429, message: 'Rate limit exceeded.' },
          {
            'X-RateLimit-Remaining': '0',
            'X-RateLimit-Reset': limit.format === 'epoch-seconds' ? String(Math.ceil(resetAt / 1000)) : new Date(resetAt).toISOString(),
          },
        );
      }
      const slice = tokens.slice(cursor, cursor + fake.pageSize);
      const origin = fake.nextLinkOrigin ?? fake.url;
      const base = `${url.pathname}`;
      const hasNext = cursor + fake.pageSize < tokens.length;
      return send(200, {
        data: slice.map((t) => ({
          id: t.id,
          label: t.label,
          status: t.status ?? 'ACTIVE',
          createdAt: t.createdAt,
          expiresAt: t.expiresAt ?? null,
          lastActiveAt: t.lastActiveAt ?? null,
          user: { id: t.user.id, orgId: list[1], name: t.user.name, email: t.user.email },
        })),
        links: {
          self: `${fake.url}${base}?cursor=${cursor}`,
          ...(hasNext ? { next: `${origin}${base}?cursor=${cursor + fake.pageSize}` } : {}),
          ...(cursor > 0 ? { prev: `${fake.url}${base}?cursor=${Math.max(0, cursor - fake.pageSize)}` } : {}),
        },
      });
    }
    const one = /^\/users\/([^/]+)\/manage\/api-tokens\/([^/]+)$/.exec(url.pathname);
    if (one && req.method === 'DELETE') {
      if (!account.canRevoke) return send(403, { code: 403, message: 'Forbidden.' });
      const [accountId, tokenId] = [decodeURIComponent(one[1]), decodeURIComponent(one[2])];
      for (const tokens of orgs.values()) {
        const index = tokens.findIndex((t) => t.id === tokenId && t.user.id === accountId);
        if (index >= 0) {
          tokens.splice(index, 1);
          fake.revokedTokens.push(tokenId);
          return send(204);
        }
      }
      return send(404, { code: 404, message: 'Token not found.' });
    }
    return send(404, { code: 404, message: 'Not found.' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeAdminApi = {
    url: `http://127.0.0.1:${port}`,
    pageSize: 50,
    requests: [],
    revokedTokens: [],
    get orgWideDeletes() {
      return state.orgWideDeletes;
    },
    addKey(key, scopes, options = {}) {
      keys.set(key, { scopes, canRevoke: options.canRevoke ?? true });
    },
    addOrg(orgId, tokens) {
      orgs.set(
        orgId,
        tokens.map((t) => ({ ...t, user: { ...t.user } })),
      );
    },
    rateLimit({ page, resetInSeconds, times = 1, format = 'iso' }) {
      limits.push({ page, resetInSeconds, times, format });
    },
    liveTokens(orgId) {
      return [...(orgs.get(orgId) ?? [])];
    },
    reset() {
      fake.requests.length = 0;
      fake.revokedTokens.length = 0;
      limits = [];
      fake.nextLinkOrigin = undefined;
      fake.pageSize = 50;
      state.orgWideDeletes = 0;
    },
    close() {
      server.closeAllConnections?.();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/** A random admin API key (not a real format; never a checksum-valid token). */
export function makeAdminKey(): string {
  return `fake-admin-key-${randomBytes(18).toString('hex')}`;
}
