// Tests one stored credential against Jira and returns a precise, human verdict.
//
// Which requests are made:
// - cloud:            GET {site}/rest/api/3/myself (Basic email:token). On a 401 the gateway is tried once
//                     (cloud id from the connection or {site}/_edge/tenant_info): when only the gateway
//                     accepts, the verdict is `valid` with suggestedKind 'cloud-scoped'.
// - cloud-scoped:     GET {gateway}/ex/jira/{cloudId}/rest/api/3/myself (Basic). On a 401 the site is tried
//                     once: when only the site accepts, the verdict is `valid` with suggestedKind 'cloud'.
// - datacenter-pat:   GET {base}/rest/api/2/myself (Bearer), then {base}/rest/pat/latest/tokens for the expiry.
// - datacenter-basic: GET {base}/rest/api/2/myself (Basic username:password).
//
// `valid` + suggestedKind means "the credential works, the connection's kind is wrong": the token is fine,
// so the verdict must not read as a failure. `wrong-host` means the address itself cannot work for this
// kind, whatever the token: the gateway used as a site address (without a cloud id for a scoped token),
// a Data Center connection pointing at *.atlassian.net, or a cloud id the gateway does not know (404).
import { base64Of, basicCredentials, utf8Bytes } from '../common/bytes';
import { type CheckResult, type ConnectionKind, type Credential, connectionUser, isCloudKind } from '../connections/connection';
import { redactText } from '../tokens/redact';
import { escapeControls } from '../common/text';
import { decodePatId, looksLikeToken, redactSecret } from '../tokens/tokenShapes';
import { type ExtraCa, type HttpAnswer, type HttpClient, type OpenTransport, TransportError, createHttpClient } from './http';
import { type MessageContext, type MessageKey } from './messages';
import { cloudIdInGatewayPath, displayUrl, isCloudId, joinUrl, looksLikeLoginPage, parseServiceUrl } from './urls';
import { isAtlassianCloudHost } from '../connections/url';
import { type AnswerContext, type Verdict, parseJson, readMyselfAnswer, readTransportError, requestIdOf, verdict } from './verdicts';

export interface CheckOptions {
  /** Whole-check budget, all requests included. Default 15000. */
  timeoutMs?: number;
  /** Default 'https://api.atlassian.com'; tests point it at the fake. */
  gatewayUrl?: string;
  signal?: AbortSignal;
  /** Extra trusted CA, added to the default trust store. Certificate checks are always on. */
  ca?: ExtraCa;
  /** How requests are sent: Node's transport (src/node/httpTransport.ts) or a browser's. */
  transport: OpenTransport;
  now?: () => Date;
  /** Redacted technical detail (status, HTTP status, request id, timing); never a secret. */
  log?: (line: string) => void;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_GATEWAY_URL = 'https://api.atlassian.com';
const MAX_SAME_ORIGIN_REDIRECTS = 3;

/** Never throws; never puts a secret into message, hint or log. For `datacenter-basic`, `token` is the password. */
export async function checkCredential(connection: Credential, token: string, options: CheckOptions): Promise<CheckResult> {
  const started = Date.now();
  const secrets = secretFormsOf(connection, token);
  const log = safeLogger(options.log, secrets);
  let result: Verdict;
  try {
    result = await runCheck(connection, token, options, log);
  } catch (error) {
    log(`check failed unexpectedly: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    result = verdict('unexpected', 'bug', { kind: connection.kind, host: '', baseUrl: '' });
  }
  const final: CheckResult = { ...scrubVerdict(result, secrets), durationMs: Date.now() - started };
  log(
    `verdict ${final.status}${final.httpStatus ? `, HTTP ${final.httpStatus}` : ''}${final.requestId ? `, request id ${final.requestId}` : ''}, ${final.durationMs} ms`,
  );
  return final;
}

/** The site's Cloud id from GET {site}/_edge/tenant_info (no credentials), or undefined. Never throws. */
export async function fetchCloudId(siteUrl: string, options: CheckOptions): Promise<string | undefined> {
  const site = parseServiceUrl(siteUrl);
  if (typeof site === 'string') return undefined;
  const client = createHttpClient({
    timeoutMs: timeoutOf(options),
    signal: options.signal,
    ca: options.ca,
    credentialOrigins: [],
    transport: options.transport,
  });
  try {
    const found = await lookupCloudId(client, site, safeLogger(options.log, []));
    return typeof found === 'string' ? found : undefined;
  } catch {
    return undefined;
  } finally {
    client.close();
  }
}

async function runCheck(connection: Credential, token: string, options: CheckOptions, log: (line: string) => void): Promise<Verdict> {
  const site = parseServiceUrl(connection.baseUrl);
  const gateway = parseServiceUrl(options.gatewayUrl ?? DEFAULT_GATEWAY_URL);
  const bare: MessageContext = {
    kind: connection.kind,
    user: connectionUser(connection),
    host: '',
    baseUrl: '',
    timeoutMs: timeoutOf(options),
  };
  if (typeof site === 'string') return verdict('unexpected', site, bare);
  if (typeof gateway === 'string') return verdict('unexpected', gateway, bare);
  const messages: MessageContext = { ...bare, host: site.host, baseUrl: site.href.replace(/\/+$/, '') };
  if (isCloudKind(connection.kind) || connection.kind === 'datacenter-basic') {
    if (!connectionUser(connection)) return verdict('unexpected', 'missingUser', messages);
  }
  if (!token) return verdict('invalid', 'missingToken', messages);
  if (options.signal?.aborted) return verdict('unexpected', 'cancelled', messages);

  const now = options.now?.() ?? new Date();
  const storedExpiry = connection.expiresAt ? Date.parse(connection.expiresAt) : NaN;
  const client = createHttpClient({
    timeoutMs: timeoutOf(options),
    signal: options.signal,
    ca: options.ca,
    credentialOrigins: [site.origin, gateway.origin],
    transport: options.transport,
  });
  try {
    const check = new CredentialCheck(connection, token, site, gateway, client, log, {
      kind: connection.kind,
      messages,
      now,
      storedExpiryPassed: storedExpiry < now.getTime(),
    });
    return await check.run();
  } finally {
    client.close();
  }
}

type Fetched = { answer: HttpAnswer } | { verdict: Verdict };

class CredentialCheck {
  constructor(
    private readonly connection: Credential,
    private readonly token: string,
    private readonly site: URL,
    private readonly gateway: URL,
    private readonly client: HttpClient,
    private readonly log: (line: string) => void,
    private readonly context: AnswerContext,
  ) {}

  async run(): Promise<Verdict> {
    const result = await this.runForKind(this.connection.kind);
    // A stored expiry (typed in by the user for Cloud tokens) that has passed while Jira still accepts the token is stale.
    if (result.status === 'valid' && this.context.storedExpiryPassed && !result.expiresAt && !result.suggestedKind) {
      return this.reword(result, 'validPastStoredExpiry');
    }
    return result;
  }

  private runForKind(kind: ConnectionKind): Promise<Verdict> {
    switch (kind) {
      case 'cloud':
        return this.checkCloud();
      case 'cloud-scoped':
        return this.checkCloudScoped();
      case 'datacenter-pat':
      case 'datacenter-basic':
        return this.checkDataCenter();
    }
  }

  private get siteIsGateway(): boolean {
    return this.site.origin === this.gateway.origin;
  }

  private async checkCloud(): Promise<Verdict> {
    if (this.siteIsGateway) return this.conclude('wrong-host', 'gatewayAsSite');
    const onSite = await this.myselfOnSite();
    if (!isRefusal(onSite)) return onSite;
    const cloudId = await this.knownOrLookedUpCloudId();
    if (typeof cloudId !== 'string') return onSite;
    const viaGateway = await this.myself(this.gatewayMyselfUrl(cloudId));
    if (viaGateway.status !== 'valid') return onSite;
    return this.reword(viaGateway, 'validButScoped', { suggestedKind: 'cloud-scoped', cloudId });
  }

  private async checkCloudScoped(): Promise<Verdict> {
    const cloudId = this.siteIsGateway ? (this.knownCloudId() ?? cloudIdInGatewayPath(this.site)) : await this.knownOrLookedUpCloudId();
    if (this.siteIsGateway && !cloudId) return this.conclude('wrong-host', 'gatewayAsSite');
    if (cloudId instanceof TransportError) return readTransportError(cloudId, this.site, this.context.messages);
    if (!cloudId) return this.tryUnscopedOnSite(this.conclude('not-jira', 'noCloudId'));
    const viaGateway = await this.myself(this.gatewayMyselfUrl(cloudId));
    if (viaGateway.status === 'not-jira' && viaGateway.httpStatus === 404) {
      return this.reword(viaGateway, 'unknownCloudId', { cloudId }, 'wrong-host');
    }
    if (isRefusal(viaGateway) && !this.siteIsGateway) return this.tryUnscopedOnSite(viaGateway, cloudId);
    return { ...viaGateway, cloudId };
  }

  /** A scoped connection whose token the site itself accepts holds an unscoped token. */
  private async tryUnscopedOnSite(otherwise: Verdict, cloudId?: string): Promise<Verdict> {
    const onSite = await this.myselfOnSite();
    if (onSite.status !== 'valid') return otherwise;
    return this.reword(onSite, 'validButUnscoped', { suggestedKind: 'cloud', ...(cloudId ? { cloudId } : {}) });
  }

  private async checkDataCenter(): Promise<Verdict> {
    if (isAtlassianCloudHost(this.site.hostname)) return this.conclude('wrong-host', 'cloudSiteForDataCenter');
    if (this.siteIsGateway) return this.conclude('wrong-host', 'gatewayAsSite');
    const result = await this.myself(joinUrl(this.site, '/rest/api/2/myself'));
    if (result.status !== 'valid' || this.connection.kind !== 'datacenter-pat') return result;
    const expiresAt = await this.patExpiry();
    return expiresAt ? { ...result, expiresAt } : result;
  }

  /** The PAT's expiry from the PAT REST API. That API is unofficial: any failure just means "unknown". */
  private async patExpiry(): Promise<string | undefined> {
    const patId = decodePatId(this.token);
    if (!patId) {
      this.log('PAT expiry: the token does not carry a PAT id');
      return undefined;
    }
    try {
      const answer = await this.client.get(joinUrl(this.site, '/rest/pat/latest/tokens'), this.authorization());
      this.logAnswer(answer);
      const list = answer.status === 200 ? parseJson(answer.body) : undefined;
      if (!Array.isArray(list)) {
        this.log('PAT expiry: no token list from the PAT API');
        return undefined;
      }
      const entry: unknown = list.find((item: unknown) => String((item as { id?: unknown } | null)?.id) === patId);
      const expiringAt = (entry as { expiringAt?: unknown } | undefined)?.expiringAt;
      const when = typeof expiringAt === 'string' ? Date.parse(expiringAt) : NaN;
      if (Number.isNaN(when)) {
        this.log(entry ? 'PAT expiry: the token has no expiry date' : 'PAT expiry: the token is not in the list');
        return undefined;
      }
      return new Date(when).toISOString();
    } catch (error) {
      this.log(`PAT expiry: lookup failed (${error instanceof TransportError ? (error.code ?? error.reason) : 'error'})`);
      return undefined;
    }
  }

  private knownCloudId(): string | undefined {
    return isCloudId(this.connection.cloudId) ? this.connection.cloudId : undefined;
  }

  private async knownOrLookedUpCloudId(): Promise<string | TransportError | undefined> {
    return this.knownCloudId() ?? lookupCloudId(this.client, this.site, this.log);
  }

  private gatewayMyselfUrl(cloudId: string): URL {
    return joinUrl(this.gateway, `/ex/jira/${cloudId}/rest/api/3/myself`);
  }

  private myselfOnSite(): Promise<Verdict> {
    return this.myself(joinUrl(this.site, '/rest/api/3/myself'));
  }

  private async myself(url: URL): Promise<Verdict> {
    const fetched = await this.fetchFollowingSameOrigin(url, this.authorization());
    return 'verdict' in fetched ? fetched.verdict : readMyselfAnswer(fetched.answer, this.context);
  }

  /** Follows at most 3 redirects, only within the origin; a redirect elsewhere ends the check with the token unsent. */
  private async fetchFollowingSameOrigin(url: URL, authorization: string): Promise<Fetched> {
    let current = url;
    for (let redirects = 0; ; redirects++) {
      let answer: HttpAnswer;
      try {
        answer = await this.client.get(current, authorization);
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        this.log(`GET ${displayUrl(current)} failed: ${error.code ?? error.reason} (${error.message})`);
        return { verdict: readTransportError(error, current, this.context.messages) };
      }
      this.logAnswer(answer);
      const location = answer.status >= 300 && answer.status < 400 ? answer.headers.location : undefined;
      if (!location) return { answer };
      const details = { httpStatus: answer.status, ...requestIdOf(answer.headers) };
      let target: URL;
      try {
        target = new URL(location, current);
      } catch {
        return { verdict: this.conclude('not-jira', 'notJira', details) };
      }
      // axios would send a redirect's user:password@ in place of our credentials.
      if (target.username || target.password) return { verdict: this.conclude('not-jira', 'redirectedWithCredentials', details) };
      const toLogin = looksLikeLoginPage(target);
      if (toLogin)
        return {
          verdict: this.conclude('not-jira', 'redirectedToLogin', {
            ...details,
            loginUrl: displayUrl(target),
            redirectOrigin: target.origin,
          }),
        };
      // Only a login page becomes a link to open: any other address elsewhere is just named.
      if (target.origin !== url.origin)
        return { verdict: this.conclude('not-jira', 'redirectedElsewhere', { ...details, redirectOrigin: target.origin }) };
      if (redirects >= MAX_SAME_ORIGIN_REDIRECTS) return { verdict: this.conclude('not-jira', 'tooManyRedirects', details) };
      current = target;
    }
  }

  private authorization(): string {
    if (this.connection.kind === 'datacenter-pat') return `Bearer ${this.token}`;
    return `Basic ${basicCredentials(connectionUser(this.connection) ?? '', this.token)}`;
  }

  private logAnswer(answer: HttpAnswer): void {
    const requestId = requestIdOf(answer.headers).requestId;
    this.log(
      `GET ${displayUrl(answer.url)} → HTTP ${answer.status} in ${answer.durationMs} ms${requestId ? `, request id ${requestId}` : ''}`,
    );
  }

  private conclude(status: Verdict['status'], key: MessageKey, details: Partial<Verdict> & { redirectOrigin?: string } = {}): Verdict {
    const { redirectOrigin, ...rest } = details;
    return verdict(status, key, { ...this.context.messages, ...(redirectOrigin ? { redirectOrigin } : {}) }, rest);
  }

  /** The same facts (HTTP status, request id, identity) under other wording. */
  private reword(result: Verdict, key: MessageKey, extra: Partial<Verdict> = {}, status = result.status): Verdict {
    const { httpStatus, requestId, identity, expiresAt, cloudId } = result;
    return this.conclude(status, key, { httpStatus, requestId, identity, expiresAt, cloudId, ...extra });
  }
}

function isRefusal(result: Verdict): boolean {
  return result.httpStatus === 401 && (result.status === 'invalid' || result.status === 'expired');
}

/** tenant_info lives at the site root and needs no credentials. */
async function lookupCloudId(client: HttpClient, site: URL, log: (line: string) => void): Promise<string | TransportError | undefined> {
  const url = joinUrl(new URL(site.origin), '/_edge/tenant_info');
  try {
    const answer = await client.get(url);
    log(`GET ${displayUrl(url)} → HTTP ${answer.status} in ${answer.durationMs} ms`);
    const body = answer.status === 200 ? parseJson(answer.body) : undefined;
    const cloudId = (body as { cloudId?: unknown } | undefined)?.cloudId;
    return isCloudId(cloudId) ? cloudId : undefined;
  } catch (error) {
    if (!(error instanceof TransportError)) throw error;
    log(`GET ${displayUrl(url)} failed: ${error.code ?? error.reason}`);
    return error;
  }
}

function timeoutOf(options: CheckOptions): number {
  const t = options.timeoutMs;
  return t !== undefined && Number.isFinite(t) && t > 0 ? t : DEFAULT_TIMEOUT_MS;
}

/**
 * Every form in which a secret could come back in text: raw, URL-encoded, base64 alone and inside the
 * Basic header we sent. A user name that has the shape of a token is a token typed in the wrong place.
 */
function secretFormsOf(connection: Credential, token: string): string[] {
  const user = connectionUser(connection) ?? '';
  const secrets = [token, ...(user && looksLikeToken(user) ? [user] : [])].filter(Boolean);
  const forms = secrets.flatMap((secret) => [secret, encodeURIComponent(secret), base64Of(utf8Bytes(secret))]);
  if (token) forms.push(basicCredentials(user, token));
  return [...new Set(forms)].filter((form) => form.length >= 4).sort((a, b) => b.length - a.length);
}

function scrub(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join(redactSecret(secret)), text);
}

/**
 * Every string of the result, wherever the server put it (identity, request id, login URL): secrets
 * masked, then any credential shape (a Basic or Bearer value, a password in a URL), then control and
 * bidi characters escaped so a crafted name cannot rewrite a terminal or reorder a message.
 */
function scrubVerdict(result: Verdict, secrets: readonly string[]): Verdict {
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') return escapeControls(redactText(scrub(value, secrets)));
    if (Array.isArray(value)) return value.map(clean);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, clean(inner)]));
    return value;
  };
  return clean(result) as Verdict;
}

function safeLogger(log: ((line: string) => void) | undefined, secrets: readonly string[]): (line: string) => void {
  return (line) => {
    try {
      log?.(scrub(line, secrets));
    } catch {
      // A failing log sink must not turn a verdict into an exception.
    }
  };
}
