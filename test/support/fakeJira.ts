/**
 * A fake Jira for tests: real HTTP(S) servers on 127.0.0.1 that answer like Jira Cloud, Atlassian's API
 * gateway and Jira Data Center, with the headers and bodies described in docs/jira-auth.md.
 * Used by the unit tests of src/core/jira, the CLI tests and the integration tests in VS Code.
 *
 *   const fake = await startFakeJira({ https: true });
 *   fake.addCloudAccount({ email: 'me@example.com', token: makeCloudToken() });
 *   fake.addDataCenterUser({ contextPath: '/jira', username: 'alice', pat: makeDataCenterPat() });
 *   fake.setBehaviour({ kind: 'rate-limited', retryAfter: '30' });          // the site answers 429 from now on
 *   fake.setBehaviour({ kind: 'hang' }, { server: 'gateway' });              // the gateway never answers
 *   fake.setBehaviour({ kind: 'not-found' }, { path: '/jira/rest/pat/' });  // only the PAT API is missing
 *   const connection = fakeConnection(fake, 'datacenter-pat', { path: '/jira' });
 *   await checkCredential(connection, token, fake.checkOptions);          // = { gatewayUrl, ca }
 *   await fake.waitForRequests(2);  // await arrivals instead of sleeping
 *   fake.requestsTo('other')        // what reached the foreign origin (e.g. after a cross-origin redirect)
 *   fake.reset();                   // forget requests, behaviours and failed logins; accounts stay
 *   fake.patsOf('alice')            // the PAT list as Jira keeps it (created and revoked ones included)
 *   await fake.close();
 *
 * Three servers, three origins:
 * - `url` (the site): Jira Cloud routes (`/rest/api/3/myself`, `/rest/api/2/myself`, `/_edge/tenant_info`) and
 *   Data Center routes under each user's context path (`{ctx}/rest/api/2/myself`, `{ctx}/rest/pat/latest/tokens`,
 *   `{ctx}/login.jsp`; a Data Center user at the root takes `/rest/api/2/myself` from Cloud). Any other path:
 *   an HTML 404 page, as Jira and Tomcat give.
 * - `gatewayUrl` (plays https://api.atlassian.com): `/ex/jira/{cloudId}/rest/api/{2,3}/myself`.
 * - `otherOriginUrl` (a foreign host, e.g. an identity provider): an HTML login page on every path.
 *
 * PAT API (Data Center, per context path): `GET {ctx}/rest/pat/latest/tokens` lists the caller's tokens,
 * `POST` with `{ name, expirationDuration }` creates one (201, `rawToken` in that answer only; 400 when the
 * user has `patLimit` tokens already or the duration exceeds `patMaxDays`), `DELETE …/tokens/{id}` revokes
 * (204; 404 for an unknown id; the revoked PAT then answers 401 everywhere). A user added several times has
 * several PATs in one list; `lastAccessedAt` plays a server that reports last use. `patCreation: 'password-only'` plays a server that refuses PAT-authenticated
 * creation (403) and takes the account password (Basic) instead.
 *
 * Accounts: Cloud tokens are unscoped (site only) or scoped (gateway only, as Atlassian documents). Whether
 * the real gateway also takes unscoped tokens is unconfirmed: `gatewayAcceptsUnscoped` plays both cases.
 * Expired or revoked credentials get the same 401 as wrong ones (no real body saying "expired" is known);
 * tests that need such a body use `{ kind: 'answer' }`.
 *
 * HTTPS: a test CA is generated at run time with `selfsigned` (EC P-256, cached per process) and exported as
 * `ca` (PEM) for `CheckOptions.ca`. The site can serve (see `setCertificate`): 'trusted' (signed by the CA,
 * SAN localhost/127.0.0.1/::1), 'wrong-host' (signed by the CA for wrong-host.invalid), 'expired' (signed by
 * the CA, validity ended yesterday) or 'self-signed' (not signed by the CA). The gateway and the other origin
 * always serve 'trusted'.
 */
import * as http from 'http';
import * as https from 'https';
import { EventEmitter } from 'events';
import { type AddressInfo } from 'net';
import { randomBytes, randomUUID } from 'crypto';
import { generate } from 'selfsigned';
import type { Connection, ConnectionKind } from '../../src/core/connections/connection';
import { dataCenterPatId } from './tokens';

export type FakeServerName = 'site' | 'gateway' | 'other';
export type FakeCertificate = 'trusted' | 'self-signed' | 'expired' | 'wrong-host';

export interface FakeJiraOptions {
  https?: boolean;
  /** Certificate the site serves (https only). Default 'trusted'. */
  certificate?: FakeCertificate;
  /** Also accept unscoped Cloud tokens at the gateway (unconfirmed real behaviour). Default false. */
  gatewayAcceptsUnscoped?: boolean;
  /** Failed Basic logins for one Data Center user before Jira demands a CAPTCHA (Jira's default is 3). Default: never. */
  captchaAfterFailures?: number;
  /** The site's Cloud id, served by /_edge/tenant_info. Default: a random UUID. */
  cloudId?: string;
  /** Whether a PAT may create PATs: 'pat-allowed' (default) or 'password-only' (403 to a Bearer request). */
  patCreation?: 'pat-allowed' | 'password-only';
  /** Tokens per user (Jira's default: 10). */
  patLimit?: number;
  /** Longest expirationDuration accepted, in days (Jira's default: 365). */
  patMaxDays?: number;
}

export interface FakeCloudAccount {
  email: string;
  token: string;
  /** A scoped token: only the gateway accepts it. */
  scoped?: boolean;
  /** Scopes of a scoped token; without 'read:jira-user' the gateway answers "scope does not match". Default: has it. */
  scopes?: string[];
  accountId?: string;
  displayName?: string;
  /** What `myself` shows; null plays the privacy setting that hides it. Default: `email`. */
  emailAddress?: string | null;
  /** Refused like a revoked token. */
  expired?: boolean;
}

export interface FakeDataCenterUser {
  /** e.g. '/jira'; default '' (Jira at the root). */
  contextPath?: string;
  username: string;
  password?: string;
  pat?: string;
  /** The PAT's id in the PAT API; default: decoded from the PAT, as real PATs carry it. */
  patId?: string;
  patName?: string;
  /** ISO date; a PAT past it is refused. */
  expiringAt?: string;
  /** ISO date shown in the PAT list. Default: 2025-01-15. */
  createdAt?: string;
  /** Set by DELETE: the PAT is refused and left out of the list. */
  revoked?: boolean;
  /**
   * Plays a server that reports last use (no documented field): when set, the list sends it as
   * `lastAccessedAt` (null: never used). Unset: the field is left out, as documented servers do.
   */
  lastAccessedAt?: string | null;
  key?: string;
  displayName?: string;
  emailAddress?: string;
}

/**
 * How a server answers, replacing its normal Jira behaviour. `delayMs` holds the answer back first;
 * `held` holds it until release(), so tests about overlap or order do not depend on the machine's speed.
 */
export type FakeBehaviour = { delayMs?: number; held?: boolean } & (
  | { kind: 'jira' } // normal behaviour (use with delayMs for slow answers)
  | { kind: 'anonymous-200' } // 200 as the anonymous user + X-Seraph-LoginReason: AUTHENTICATED_FAILED, with a body that passes a body-only check
  | { kind: 'captcha' } // 403 + X-Seraph-LoginReason: AUTHENTICATION_DENIED + X-Authentication-Denied-Reason: CAPTCHA_CHALLENGE; login-url=…
  | { kind: 'rate-limited'; retryAfter?: string | null; reset?: string } // 429 + Retry-After (default '30'; null omits it) + X-RateLimit-*
  | { kind: 'unavailable'; retryAfter?: string } // 503, with Retry-After when given
  | { kind: 'html'; status?: number } // an HTML page (default 200)
  | { kind: 'not-found' } // Jira's HTML 404 page
  | { kind: 'answer'; status: number; body?: string; headers?: Record<string, string> } // anything else
  | { kind: 'redirect'; location: string; status?: 301 | 302 | 303 | 307 | 308 } // default 302
  | { kind: 'proxy-auth' } // 407 + Proxy-Authenticate
  | { kind: 'hang' } // accept the request, never answer
  | { kind: 'reset' } // destroy the connection without an answer
  | { kind: 'echo-authorization' } // a 200 `myself` answer whose names, email and request id repeat the Authorization header received
);

export interface FakeBehaviourScope {
  /** Default 'site'. */
  server?: FakeServerName;
  /** Only requests whose path starts with this string or matches this pattern. Default: every path. */
  path?: string | RegExp;
  /** Only requests with this method (e.g. 'POST'). Default: every method. */
  method?: string;
}

export interface RecordedRequest {
  server: FakeServerName;
  method: string;
  /** Path and query. */
  path: string;
  headers: http.IncomingHttpHeaders;
  authorization?: string;
}

export interface FakeJira {
  /** The site's origin, e.g. http://127.0.0.1:40123 (no trailing slash). */
  readonly url: string;
  readonly gatewayUrl: string;
  readonly otherOriginUrl: string;
  readonly cloudId: string;
  /** PEM of the test CA (https only): pass as CheckOptions.ca. */
  readonly ca: string | undefined;
  /** Every request to any of the three servers, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Most requests in progress at once, across servers, since start or reset(). */
  readonly peakConcurrentRequests: number;
  /** Options that point a credential check at this fake: `{ gatewayUrl, ca }`. */
  readonly checkOptions: { gatewayUrl: string; ca?: string };
  addCloudAccount(account: FakeCloudAccount): void;
  /** Adding the same user again adds another PAT to their list. */
  addDataCenterUser(user: FakeDataCenterUser): void;
  /** Newest rule first; a rule replaces the normal answer of matching requests until reset(). */
  setBehaviour(behaviour: FakeBehaviour, scope?: FakeBehaviourScope): void;
  requestsTo(server: FakeServerName): RecordedRequest[];
  /** The user's PATs as the PAT API keeps them (revoked ones included, flagged). */
  patsOf(username: string): Array<{ id: string; name: string; pat: string; expiringAt?: string; revoked: boolean }>;
  /** Resolves once `count` requests (to `server`, or to any server) have arrived since start or reset(). */
  waitForRequests(count: number, server?: FakeServerName): Promise<void>;
  /** Requests a `held` behaviour is holding back now (their clients may have given up meanwhile). */
  readonly heldRequests: number;
  /** Resolves once `count` requests are held at the same time. */
  waitForHeld(count: number): Promise<void>;
  /** Lets every held request go on to its answer; returns how many there were. */
  release(): number;
  /** The site's certificate for new connections (https only). */
  setCertificate(kind: FakeCertificate): void;
  /** Forgets requests, behaviours, failed logins and the peak; keeps accounts and the certificate. */
  reset(): void;
  close(): Promise<void>;
}

const CLOUD_UNAUTHENTICATED = { message: 'Client must be authenticated to access this resource.' };
const DC_UNAUTHENTICATED = { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} };
const REQUIRED_SCOPE = 'read:jira-user';

type Reply = { status: number; headers?: Record<string, string>; body?: string };

export async function startFakeJira(options: FakeJiraOptions = {}): Promise<FakeJira> {
  const fake = new FakeJiraServers(options, options.https ? await testCertificates() : undefined);
  await fake.listen();
  return fake;
}

class FakeJiraServers implements FakeJira {
  url = '';
  gatewayUrl = '';
  otherOriginUrl = '';
  readonly cloudId: string;
  readonly requests: RecordedRequest[] = [];
  peakConcurrentRequests = 0;

  private readonly servers = new Map<FakeServerName, http.Server>();
  private readonly cloudAccounts: FakeCloudAccount[] = [];
  private readonly dataCenterUsers: FakeDataCenterUser[] = [];
  private rules: Array<{ behaviour: FakeBehaviour; scope: FakeBehaviourScope }> = [];
  private failedLogins = new Map<string, number>();
  private inFlight = 0;
  private requestCounter = 0;
  private held: Array<() => void> = [];

  constructor(
    private readonly options: FakeJiraOptions,
    private readonly certificates: TestCertificates | undefined,
  ) {
    this.cloudId = options.cloudId ?? randomUUID();
  }

  private readonly arrivals = new EventEmitter();

  get ca(): string | undefined {
    return this.certificates?.ca;
  }

  get checkOptions(): { gatewayUrl: string; ca?: string } {
    return { gatewayUrl: this.gatewayUrl, ...(this.ca ? { ca: this.ca } : {}) };
  }

  async listen(): Promise<void> {
    for (const name of ['site', 'gateway', 'other'] as const) {
      const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => void this.handle(name, req, res);
      const certificate = this.certificates?.[name === 'site' ? (this.options.certificate ?? 'trusted') : 'trusted'];
      const server = certificate
        ? https.createServer({ key: certificate.key, cert: certificate.cert }, handler)
        : http.createServer(handler);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const origin = `${certificate ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
      this.servers.set(name, server);
      if (name === 'site') this.url = origin;
      else if (name === 'gateway') this.gatewayUrl = origin;
      else this.otherOriginUrl = origin;
    }
  }

  addCloudAccount(account: FakeCloudAccount): void {
    this.cloudAccounts.push(account);
  }

  addDataCenterUser(user: FakeDataCenterUser): void {
    this.dataCenterUsers.push({ ...user, contextPath: (user.contextPath ?? '').replace(/\/+$/, '') });
  }

  setBehaviour(behaviour: FakeBehaviour, scope: FakeBehaviourScope = {}): void {
    this.rules.unshift({ behaviour, scope });
  }

  requestsTo(server: FakeServerName): RecordedRequest[] {
    return this.requests.filter((r) => r.server === server);
  }

  patsOf(username: string): Array<{ id: string; name: string; pat: string; expiringAt?: string; revoked: boolean }> {
    return this.dataCenterUsers
      .filter((u) => u.username === username && u.pat)
      .map((u, index) => ({
        id: patIdOf(u, index),
        name: u.patName ?? `token ${index + 1}`,
        pat: u.pat!,
        expiringAt: u.expiringAt,
        revoked: u.revoked === true,
      }));
  }

  waitForRequests(count: number, server?: FakeServerName): Promise<void> {
    const arrived = (): boolean => (server ? this.requestsTo(server) : this.requests).length >= count;
    return new Promise((resolve) => {
      if (arrived()) return resolve();
      const listener = (): void => {
        if (!arrived()) return;
        this.arrivals.off('request', listener);
        resolve();
      };
      this.arrivals.on('request', listener);
    });
  }

  get heldRequests(): number {
    return this.held.length;
  }

  waitForHeld(count: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.held.length >= count) return resolve();
      const listener = (): void => {
        if (this.held.length < count) return;
        this.arrivals.off('held', listener);
        resolve();
      };
      this.arrivals.on('held', listener);
    });
  }

  release(): number {
    const released = this.held;
    this.held = [];
    released.forEach((go) => go());
    return released.length;
  }

  setCertificate(kind: FakeCertificate): void {
    const site = this.servers.get('site');
    if (!this.certificates || !(site instanceof https.Server)) throw new Error('setCertificate needs startFakeJira({ https: true })');
    site.setSecureContext({ key: this.certificates[kind].key, cert: this.certificates[kind].cert });
  }

  reset(): void {
    this.requests.length = 0;
    this.rules = [];
    this.failedLogins = new Map();
    this.peakConcurrentRequests = this.inFlight;
    this.release();
  }

  async close(): Promise<void> {
    this.release();
    await Promise.all(
      [...this.servers.values()].map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections(); // hung requests included
          }),
      ),
    );
  }

  private async handle(server: FakeServerName, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    const body = await readBody(req);
    this.requests.push({
      server,
      method: req.method ?? 'GET',
      path,
      headers: { ...req.headers },
      authorization: req.headers.authorization,
    });
    this.arrivals.emit('request');
    this.inFlight++;
    this.peakConcurrentRequests = Math.max(this.peakConcurrentRequests, this.inFlight);
    res.on('close', () => this.inFlight--);

    const behaviour = this.rules.find(
      (rule) =>
        (rule.scope.server ?? 'site') === server &&
        pathMatches(path, rule.scope.path) &&
        (!rule.scope.method || rule.scope.method === req.method),
    )?.behaviour ?? { kind: 'jira' };
    if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    if (behaviour.held)
      await new Promise<void>((go) => {
        this.held.push(go);
        this.arrivals.emit('held');
      });
    if (behaviour.kind === 'hang' || res.destroyed) return;
    if (behaviour.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    const reply =
      behaviour.kind === 'jira'
        ? this.answerAsJira(server, req, body)
        : behaviour.kind === 'echo-authorization'
          ? echoAuthorization(req.headers.authorization ?? '')
          : this.answerAs(behaviour, path);
    res.writeHead(reply.status, { ...this.traceHeaders(server), ...reply.headers });
    res.end(reply.body ?? '');
  }

  private answerAsJira(server: FakeServerName, req: http.IncomingMessage, body: string): Reply {
    const pathname = new URL(req.url ?? '/', 'http://fake').pathname;
    const credentials = parseAuthorization(req.headers.authorization);
    if (server === 'other') return htmlPage(200, 'Sign in to your account');
    if (server === 'gateway') return this.gatewayMyself(pathname, credentials);

    const dataCenter = this.dataCenterUsers.find(
      (u) => pathname.startsWith(`${u.contextPath}/`) && isDataCenterRoute(pathname.slice(u.contextPath!.length)),
    );
    if (dataCenter)
      return this.dataCenterRoute(
        dataCenter.contextPath!,
        pathname.slice(dataCenter.contextPath!.length),
        credentials,
        req.method ?? 'GET',
        body,
      );
    if (pathname === '/_edge/tenant_info') return json(200, { cloudId: this.cloudId });
    if (pathname === '/rest/api/3/myself' || pathname === '/rest/api/2/myself') return this.cloudMyself(credentials);
    return jiraNotFoundPage();
  }

  private cloudMyself(credentials: Credentials | undefined): Reply {
    const account =
      credentials?.scheme === 'basic'
        ? this.cloudAccounts.find((a) => a.email === credentials.user && a.token === credentials.secret && !a.scoped && !a.expired)
        : undefined;
    if (!account) return json(401, CLOUD_UNAUTHENTICATED, credentials ? { 'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED' } : {});
    return json(200, this.cloudProfile(account, this.url), { 'X-AACCOUNTID': accountIdOf(account) });
  }

  private gatewayMyself(pathname: string, credentials: Credentials | undefined): Reply {
    const match = /^\/ex\/jira\/([^/]+)(\/rest\/api\/[23]\/myself)$/.exec(pathname);
    // The real gateway's answer for an unknown cloud id is unconfirmed: a JSON 404 is assumed.
    if (!match || match[1] !== this.cloudId) return json(404, { errorMessages: ['Site not found.'] });
    const account =
      credentials?.scheme === 'basic'
        ? this.cloudAccounts.find(
            (a) =>
              a.email === credentials.user &&
              a.token === credentials.secret &&
              !a.expired &&
              (a.scoped || this.options.gatewayAcceptsUnscoped),
          )
        : undefined;
    if (!account) return json(401, { code: 401, message: 'Unauthorized' });
    if (account.scoped && account.scopes && !account.scopes.includes(REQUIRED_SCOPE))
      return json(401, { code: 401, message: 'Unauthorized; scope does not match' });
    return json(200, this.cloudProfile(account, `${this.gatewayUrl}/ex/jira/${this.cloudId}`), { 'X-AACCOUNTID': accountIdOf(account) });
  }

  private dataCenterRoute(contextPath: string, route: string, credentials: Credentials | undefined, method = 'GET', body = ''): Reply {
    if (route === '/login.jsp') return htmlPage(200, 'Log in - Jira');
    const users = this.dataCenterUsers.filter((u) => u.contextPath === contextPath);
    const anonymous = { 'X-AUSERNAME': 'anonymous' };
    const refused = (): Reply =>
      json(401, DC_UNAUTHENTICATED, { ...anonymous, ...(credentials ? { 'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED' } : {}) });

    let user: FakeDataCenterUser | undefined;
    if (credentials?.scheme === 'bearer') {
      user = users.find((u) => u.pat !== undefined && u.pat === credentials.secret && !isPast(u.expiringAt) && !u.revoked);
      if (!user) return refused();
    } else if (credentials?.scheme === 'basic') {
      const failures = this.failedLogins.get(credentials.user) ?? 0;
      if (this.options.captchaAfterFailures !== undefined && failures >= this.options.captchaAfterFailures)
        return this.captcha(`${this.url}${contextPath}`);
      user = users.find((u) => u.username === credentials.user && u.password !== undefined && u.password === credentials.secret);
      if (!user) {
        this.failedLogins.set(credentials.user, failures + 1);
        return refused();
      }
      this.failedLogins.delete(credentials.user);
    } else {
      return refused();
    }

    const identity = { 'X-AUSERNAME': user.username, 'X-Seraph-LoginReason': 'OK' };
    if (route.startsWith('/rest/pat/latest/tokens')) return this.patApi(contextPath, user, credentials, route, method, body, identity);
    return json(
      200,
      {
        self: `${this.url}${contextPath}/rest/api/2/user?username=${encodeURIComponent(user.username)}`,
        key: user.key ?? `JIRAUSER${10000 + users.indexOf(user)}`,
        name: user.username,
        emailAddress: user.emailAddress ?? `${user.username}@example.com`,
        avatarUrls: { '48x48': `${this.url}${contextPath}/secure/useravatar?avatarId=10122` },
        displayName: user.displayName ?? user.username,
        active: true,
        deleted: false,
        timeZone: 'Europe/Berlin',
        locale: 'en_UK',
        groups: { size: 1, items: [] },
        applicationRoles: { size: 1, items: [] },
        expand: 'groups,applicationRoles',
      },
      identity,
    );
  }

  private patApi(
    contextPath: string,
    user: FakeDataCenterUser,
    credentials: Credentials,
    route: string,
    method: string,
    body: string,
    identity: Record<string, string>,
  ): Reply {
    const own = this.dataCenterUsers.filter((u) => u.contextPath === contextPath && u.username === user.username && u.pat);
    const live = own.map((u, index) => ({ u, index, id: patIdOf(u, index) })).filter(({ u }) => !u.revoked);
    const idInPath = /^\/rest\/pat\/latest\/tokens\/(\d+)$/.exec(route)?.[1];
    if (route === '/rest/pat/latest/tokens' && method === 'GET') {
      return json(
        200,
        live.map(({ u, index, id }) => ({
          id: Number(id),
          name: u.patName ?? `token ${index + 1}`,
          createdAt: toJiraDate(u.createdAt ?? '2025-01-15T10:00:00.000Z'),
          ...(u.expiringAt ? { expiringAt: toJiraDate(u.expiringAt) } : {}),
          ...(u.lastAccessedAt !== undefined ? { lastAccessedAt: u.lastAccessedAt && toJiraDate(u.lastAccessedAt) } : {}),
        })),
        identity,
      );
    }
    if (route === '/rest/pat/latest/tokens' && method === 'POST') {
      if (credentials.scheme === 'bearer' && this.options.patCreation === 'password-only') {
        return json(
          403,
          { errorMessages: ['Personal access tokens cannot be used to create personal access tokens. Log in with your password.'] },
          identity,
        );
      }
      const request = (() => {
        try {
          return JSON.parse(body) as { name?: unknown; expirationDuration?: unknown };
        } catch {
          return undefined;
        }
      })();
      if (!request || typeof request.name !== 'string' || !request.name.trim())
        return json(400, { errorMessages: ['A token name is required.'] }, identity);
      const maxDays = this.options.patMaxDays ?? 365;
      const days = request.expirationDuration;
      if (days !== undefined && (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > maxDays)) {
        return json(400, { errorMessages: [`The expiration duration must be between 1 and ${maxDays} days.`] }, identity);
      }
      const limit = this.options.patLimit ?? 10;
      if (live.length >= limit)
        return json(
          400,
          {
            errorMessages: [
              `You have reached the maximum number of personal access tokens (${limit}). Revoke one before creating another.`,
            ],
          },
          identity,
        );
      const id = String(100000000000 + Math.floor(Math.random() * 899999999999));
      const pat = Buffer.concat([Buffer.from(`${id}:`, 'ascii'), randomBytes(20)]).toString('base64');
      const now = new Date();
      const created: FakeDataCenterUser = {
        ...user,
        pat,
        patId: id,
        patName: request.name,
        createdAt: now.toISOString(),
        revoked: false,
        expiringAt: typeof days === 'number' ? new Date(now.getTime() + days * 86_400_000).toISOString() : undefined,
      };
      this.dataCenterUsers.push(created);
      return json(
        201,
        {
          id: Number(id),
          name: created.patName,
          createdAt: toJiraDate(created.createdAt!),
          ...(created.expiringAt ? { expiringAt: toJiraDate(created.expiringAt) } : {}),
          rawToken: pat,
        },
        identity,
      );
    }
    if (idInPath && method === 'DELETE') {
      const target = live.find(({ id }) => id === idInPath);
      if (!target) return json(404, { errorMessages: ['Token not found.'] }, identity);
      target.u.revoked = true;
      return { status: 204, headers: identity };
    }
    return json(405, { errorMessages: ['Method not allowed.'] }, identity);
  }

  private answerAs(behaviour: Exclude<FakeBehaviour, { kind: 'jira' | 'hang' | 'reset' | 'echo-authorization' }>, path: string): Reply {
    switch (behaviour.kind) {
      case 'anonymous-200':
        return json(
          200,
          {
            self: `${this.url}/rest/api/2/user?username=anonymous`,
            accountId: 'anonymous',
            name: 'anonymous',
            key: 'anonymous',
            displayName: 'Anonymous',
          },
          {
            'X-AUSERNAME': 'anonymous',
            'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED',
          },
        );
      case 'captcha':
        return this.captcha(this.url + (this.dataCenterUsers.find((u) => path.startsWith(`${u.contextPath}/`))?.contextPath ?? ''));
      case 'rate-limited': {
        const retryAfter = behaviour.retryAfter === undefined ? '30' : behaviour.retryAfter;
        return json(
          429,
          { errorMessages: ['Rate limit exceeded.'] },
          {
            ...(retryAfter !== null ? { 'Retry-After': retryAfter } : {}),
            'X-RateLimit-Limit': '100',
            'X-RateLimit-Remaining': '0',
            'X-RateLimit-Reset': behaviour.reset ?? new Date(Date.now() + 30_000).toISOString(),
            'RateLimit-Reason': 'jira-quota-tenant-based',
          },
        );
      }
      case 'unavailable':
        return htmlPage(503, 'Service Unavailable', behaviour.retryAfter ? { 'Retry-After': behaviour.retryAfter } : {});
      case 'html':
        return htmlPage(behaviour.status ?? 200, 'System Dashboard - Jira');
      case 'not-found':
        return jiraNotFoundPage();
      case 'answer':
        return { status: behaviour.status, headers: behaviour.headers, body: behaviour.body };
      case 'redirect':
        return {
          status: behaviour.status ?? 302,
          headers: { Location: behaviour.location, 'Content-Type': 'text/html;charset=UTF-8' },
          body: '',
        };
      case 'proxy-auth':
        return {
          status: 407,
          headers: { 'Proxy-Authenticate': 'Basic realm="corporate proxy"', 'Content-Type': 'text/html' },
          body: '<html><body>Proxy Authentication Required</body></html>',
        };
    }
  }

  private captcha(base: string): Reply {
    return {
      ...htmlPage(403, 'Forbidden'),
      headers: {
        'Content-Type': 'text/html;charset=UTF-8',
        'X-AUSERNAME': 'anonymous',
        'X-Seraph-LoginReason': 'AUTHENTICATION_DENIED',
        'X-Authentication-Denied-Reason': `CAPTCHA_CHALLENGE; login-url=${base}/login.jsp`,
      },
    };
  }

  private cloudProfile(account: FakeCloudAccount, apiBase: string): object {
    const accountId = accountIdOf(account);
    return {
      self: `${apiBase}/rest/api/3/user?accountId=${accountId}`,
      accountId,
      accountType: 'atlassian',
      emailAddress: account.emailAddress === undefined ? account.email : account.emailAddress,
      avatarUrls: { '48x48': 'https://secure.gravatar.com/avatar/0?d=identicon' },
      displayName: account.displayName ?? account.email.split('@')[0],
      active: true,
      timeZone: 'Europe/Berlin',
      locale: 'en_US',
      groups: { size: 1, items: [] },
      applicationRoles: { size: 1, items: [] },
      expand: 'groups,applicationRoles',
    };
  }

  /** Cloud answers carry X-AREQUESTID and Atl-Traceid; Data Center ones X-AREQUESTID in its NNNxNNNxN form. */
  private traceHeaders(server: FakeServerName): Record<string, string> {
    if (server === 'other') return {};
    this.requestCounter++;
    if (server === 'gateway') return { 'Atl-Traceid': randomBytes(16).toString('hex') };
    return {
      'X-AREQUESTID': `${600 + (this.requestCounter % 400)}x${1000 + this.requestCounter}x1`,
      'Atl-Traceid': randomBytes(16).toString('hex'),
      'X-Content-Type-Options': 'nosniff',
    };
  }
}

/** A hostile server: every name in its `myself` answer (Cloud and Data Center fields) is the credential it was sent. */
function echoAuthorization(authorization: string): Reply {
  const echoed = `Authorization: ${authorization}`;
  return json(
    200,
    { accountId: echoed, name: echoed, key: echoed, displayName: echoed, emailAddress: echoed },
    { 'X-AREQUESTID': authorization },
  );
}

/** A connection to the fake's site (`path` appended: a Data Center context path, or a wrong one). */
export function fakeConnection(fake: FakeJira, kind: ConnectionKind, fields: Partial<Connection> & { path?: string } = {}): Connection {
  const { path = '', ...rest } = fields;
  return {
    id: `${kind}-${randomUUID()}`,
    label: `Fake ${kind}`,
    kind,
    baseUrl: fake.url + path,
    createdAt: new Date().toISOString(),
    ...rest,
  };
}

type Credentials = { scheme: 'basic'; user: string; secret: string } | { scheme: 'bearer'; secret: string };

function parseAuthorization(header: string | undefined): Credentials | undefined {
  const match = /^(\w+)\s+(.+)$/.exec(header ?? '');
  if (!match) return undefined;
  if (match[1].toLowerCase() === 'bearer') return { scheme: 'bearer', secret: match[2] };
  if (match[1].toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(match[2], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { scheme: 'basic', user: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function isDataCenterRoute(route: string): boolean {
  return route === '/rest/api/2/myself' || /^\/rest\/pat\/latest\/tokens(\/\d+)?$/.test(route) || route === '/login.jsp';
}

function patIdOf(user: FakeDataCenterUser, index: number): string {
  return String(user.patId ?? dataCenterPatId(user.pat!) ?? index + 1);
}

/** Jira's date form in the PAT API: 2025-01-15T10:00:00.000+0000. */
function toJiraDate(iso: string): string {
  return new Date(iso).toISOString().replace('Z', '+0000');
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function pathMatches(path: string, pattern: string | RegExp | undefined): boolean {
  if (pattern === undefined) return true;
  return typeof pattern === 'string' ? path.startsWith(pattern) : pattern.test(path);
}

function isPast(iso: string | undefined): boolean {
  return iso !== undefined && Date.parse(iso) < Date.now();
}

function accountIdOf(account: FakeCloudAccount): string {
  return account.accountId ?? `712020:${Buffer.from(account.email).toString('hex').slice(0, 24).padEnd(24, '0')}`;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'Content-Type': 'application/json;charset=UTF-8', 'Cache-Control': 'no-cache, no-store, no-transform', ...headers },
    body: JSON.stringify(body),
  };
}

function htmlPage(status: number, title: string, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'Content-Type': 'text/html;charset=UTF-8', ...headers },
    body: `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`,
  };
}

function jiraNotFoundPage(): Reply {
  return htmlPage(404, "Oops, you've found a dead link. - Jira");
}

interface KeyAndCert {
  key: string;
  cert: string;
}

type TestCertificates = Record<FakeCertificate, KeyAndCert> & { ca: string };

let certificatesOnce: Promise<TestCertificates> | undefined;

/** Generated once per process: EC keys keep it to a few tens of milliseconds. */
function testCertificates(): Promise<TestCertificates> {
  certificatesOnce ??= (async () => {
    const base = { keyType: 'ec', algorithm: 'sha256' } as const;
    const day = 24 * 60 * 60 * 1000;
    const ca = await generate([{ name: 'commonName', value: 'Jira Token Guard Test CA' }], {
      ...base,
      notAfterDate: new Date(Date.now() + 30 * day),
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
    });
    const leaf = async (
      hostNames: Array<{ type: 2; value: string } | { type: 7; ip: string }>,
      options: { notBeforeDate?: Date; notAfterDate?: Date; selfSigned?: boolean } = {},
    ): Promise<KeyAndCert> => {
      const pems = await generate([{ name: 'commonName', value: 'value' in hostNames[0] ? hostNames[0].value : 'localhost' }], {
        ...base,
        notBeforeDate: options.notBeforeDate,
        notAfterDate: options.notAfterDate ?? new Date(Date.now() + 30 * day),
        extensions: [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
          { name: 'extKeyUsage', serverAuth: true },
          { name: 'subjectAltName', altNames: hostNames },
        ],
        ...(options.selfSigned ? {} : { ca: { key: ca.private, cert: ca.cert } }),
      });
      return { key: pems.private, cert: pems.cert };
    };
    const local = [{ type: 2, value: 'localhost' } as const, { type: 7, ip: '127.0.0.1' } as const, { type: 7, ip: '::1' } as const];
    const [trusted, wrongHost, expired, selfSigned] = await Promise.all([
      leaf(local),
      leaf([{ type: 2, value: 'wrong-host.invalid' }]),
      leaf(local, { notBeforeDate: new Date(Date.now() - 3 * day), notAfterDate: new Date(Date.now() - day) }),
      leaf(local, { selfSigned: true }),
    ]);
    return { ca: ca.cert, trusted, 'wrong-host': wrongHost, expired, 'self-signed': selfSigned };
  })();
  return certificatesOnce;
}
