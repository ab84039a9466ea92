// Reading one HTTP answer (or the failure to get one) into a verdict. Pure functions: no I/O.
import { type CheckResult, type CheckStatus, type ConnectionKind, type JiraIdentity, isCloudKind } from '../connections/connection';
import { type HttpAnswer, type TransportError } from './http';
import { type MessageContext, type MessageKey, say } from './messages';

/** A check result before its duration is known. */
export type Verdict = Omit<CheckResult, 'durationMs'>;

export function verdict(status: CheckStatus, key: MessageKey, context: MessageContext, details: Partial<Verdict> = {}): Verdict {
  const wording = say(key, { ...context, ...details, displayName: details.identity?.displayName ?? context.displayName });
  const facts = Object.fromEntries(
    Object.entries(details).filter(([name, value]) => value !== undefined && !['status', 'message', 'hint'].includes(name)),
  ) as Partial<Verdict>;
  return { status, ...facts, message: wording.message, ...(wording.hint ? { hint: wording.hint } : {}) };
}

/** Seraph reasons Jira sends when it served a request as the anonymous user after refusing the credentials. */
const REFUSED_LOGIN_REASONS = ['AUTHENTICATED_FAILED', 'AUTHENTICATION_DENIED'];

const SELF_SIGNED_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN']);

export interface AnswerContext {
  kind: ConnectionKind;
  messages: MessageContext;
  now: Date;
  /** The connection's recorded expiry has passed: a refusal then means "expired". */
  storedExpiryPassed: boolean;
}

/** Reads an answer from a `myself` endpoint. Redirects are handled by the caller before this. */
export function readMyselfAnswer(answer: HttpAnswer, context: AnswerContext): Verdict {
  const { status, headers } = answer;
  const details: Partial<Verdict> = { httpStatus: status, ...requestIdOf(headers) };
  const decide = (checkStatus: CheckStatus, key: MessageKey, extra: Partial<Verdict> = {}): Verdict =>
    verdict(checkStatus, key, context.messages, { ...details, ...extra });

  if (status === 407) return decide('unreachable', 'proxyFailed');
  const retryAfterSeconds = retryAfterOf(headers, context.now);
  if (status === 429 || (status === 503 && retryAfterSeconds !== undefined))
    return decide('rate-limited', 'rateLimited', { retryAfterSeconds });
  if (status === 503) return decide('unreachable', 'unavailable');
  if (status === 401 || status === 403) {
    const captcha = captchaOf(headers, context.messages.baseUrl);
    if (captcha) return decide('captcha', 'captcha', captcha.loginUrl ? { loginUrl: captcha.loginUrl } : {});
  }
  if (status >= 200 && status < 300) {
    if (REFUSED_LOGIN_REASONS.includes(loginReasonOf(headers))) return decide('invalid', 'anonymousAnswer');
    const identity = identityOf(parseJson(answer.body), context.kind);
    return identity ? decide('valid', 'valid', { identity }) : decide('not-jira', 'notJira');
  }
  if (status === 404) return decide('not-jira', 'notJira');
  // An HTML page from something in front of Jira (a proxy, a firewall, another server) is not Jira's verdict.
  if (isHtml(answer) && !hasJiraHeaders(headers)) return decide('not-jira', 'notJira');
  if (status === 401) return readRefusal(answer.body, context, decide);
  if (status === 403) return decide('forbidden', 'forbidden');
  if (status >= 500) return decide('unexpected', 'serverError');
  return decide('unexpected', 'unexpectedStatus');
}

function readRefusal(body: string, context: AnswerContext, decide: (s: CheckStatus, k: MessageKey) => Verdict): Verdict {
  const text = errorTextOf(body);
  if (/scope does not match/i.test(text)) return decide('forbidden', 'missingScope');
  if (/expired/i.test(text) || context.storedExpiryPassed) return decide('expired', 'expired');
  if (context.kind === 'datacenter-basic' && /basic auth\w* with passwords is deprecated|basic auth\w* is disabled/i.test(text)) {
    return decide('invalid', 'passwordsDisabled');
  }
  return decide('invalid', 'invalid');
}

/** Turns a failure to get any answer into a verdict naming its cause. */
export function readTransportError(error: TransportError, target: URL, context: MessageContext): Verdict {
  switch (error.reason) {
    case 'timeout':
      return verdict('timeout', 'timeout', context);
    case 'cancelled':
      return verdict('unexpected', 'cancelled', context);
    case 'too-large':
      return verdict('not-jira', 'notJira', context);
    case 'network':
      break;
  }
  const code = error.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return verdict('not-found', 'hostNotFound', context);
  if (code === 'ETIMEDOUT') return verdict('timeout', 'timeout', context);
  if (SELF_SIGNED_CODES.has(code)) return verdict('tls-error', 'tlsSelfSigned', context);
  if (code === 'CERT_HAS_EXPIRED') return verdict('tls-error', 'tlsExpired', context);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return verdict('tls-error', 'tlsWrongHost', context);
  if (/CERT|SSL|TLS/.test(code)) return verdict('tls-error', 'tlsOther', context);
  if (code === 'ECONNREFUSED' && connectedElsewhere(error, target)) return verdict('unreachable', 'proxyFailed', context);
  if (UNREACHABLE_CODES.has(code) || /socket hang up/i.test(error.message)) return verdict('unreachable', 'unreachable', context);
  return verdict('unreachable', 'unreachable', context);
}

/** A refused connection on another port than the target's was refused by a proxy (VS Code routes through it). */
function connectedElsewhere(error: TransportError, target: URL): boolean {
  const targetPort = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  return error.remote?.port !== undefined && error.remote.port !== targetPort;
}

export function requestIdOf(headers: Record<string, string>): { requestId?: string } {
  const id = headers['x-arequestid'] ?? headers['atl-traceid'];
  return id ? { requestId: id } : {};
}

function loginReasonOf(headers: Record<string, string>): string {
  return (headers['x-seraph-loginreason'] ?? '').split(',')[0].trim().toUpperCase();
}

/**
 * `X-Authentication-Denied-Reason: CAPTCHA_CHALLENGE; login-url=https://…/login.jsp`. Jira's login page
 * is on the site itself: a login URL elsewhere is not offered as a link.
 */
function captchaOf(headers: Record<string, string>, siteUrl: string): { loginUrl?: string } | undefined {
  const reason = headers['x-authentication-denied-reason'] ?? '';
  if (!/CAPTCHA_CHALLENGE/i.test(reason)) return undefined;
  const loginUrl = /login-url=([^;\s]+)/i.exec(reason)?.[1];
  return loginUrl && sameOrigin(loginUrl, siteUrl) ? { loginUrl } : {};
}

function sameOrigin(url: string, siteUrl: string): boolean {
  try {
    const parsed = new URL(url);
    return /^https?:$/.test(parsed.protocol) && !parsed.username && !parsed.password && parsed.origin === new URL(siteUrl).origin;
  } catch {
    return false;
  }
}

/** Seconds to wait, from Retry-After (seconds or HTTP date) or else X-RateLimit-Reset (ISO date, epoch or seconds). */
export function retryAfterOf(headers: Record<string, string>, now: Date): number | undefined {
  const retryAfter = headers['retry-after']?.trim();
  if (retryAfter) return secondsUntil(retryAfter, now, false);
  const reset = headers['x-ratelimit-reset']?.trim();
  return reset ? secondsUntil(reset, now, true) : undefined;
}

function secondsUntil(value: string, now: Date, numbersMayBeEpoch: boolean): number | undefined {
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    if (numbersMayBeEpoch && n > 1e9) return Math.max(0, Math.ceil(n - now.getTime() / 1000));
    return Math.ceil(n);
  }
  const when = Date.parse(value);
  return Number.isNaN(when) ? undefined : Math.max(0, Math.ceil((when - now.getTime()) / 1000));
}

export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** The identity in a `myself` answer, or undefined when the body is not one. */
export function identityOf(body: unknown, kind: ConnectionKind): JiraIdentity | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const email = typeof b.emailAddress === 'string' || b.emailAddress === null ? { emailAddress: b.emailAddress } : {};
  const displayName = text(b.displayName) ? { displayName: text(b.displayName) } : {};
  if (isCloudKind(kind)) {
    const accountId = text(b.accountId);
    return accountId ? { accountId, ...displayName, ...email } : undefined;
  }
  const name = text(b.name);
  const key = text(b.key);
  if (!name && !key) return undefined;
  return { ...(name ? { name } : {}), ...(key ? { key } : {}), ...displayName, ...email };
}

function errorTextOf(body: string): string {
  const json = parseJson(body);
  if (json && typeof json === 'object') {
    const j = json as { message?: unknown; errorMessages?: unknown };
    return [j.message, ...(Array.isArray(j.errorMessages) ? (j.errorMessages as unknown[]) : [])]
      .filter((m) => typeof m === 'string')
      .join(' ');
  }
  return body.slice(0, 2000);
}

function isHtml(answer: HttpAnswer): boolean {
  return /html/i.test(answer.headers['content-type'] ?? '') || /^\s*</.test(answer.body);
}

function hasJiraHeaders(headers: Record<string, string>): boolean {
  return ['x-arequestid', 'atl-traceid', 'x-seraph-loginreason', 'x-ausername', 'x-aaccountid'].some((h) => h in headers);
}
