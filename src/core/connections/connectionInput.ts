// Validation of what a user (or a caller of the add command) gives for a new connection. Pure: the
// commands show the messages; nothing is stored when a rule refuses the input.
import { type ConnectionKind, CONNECTION_KINDS, isCloudKind } from './connection';
import { isAtlassianCloudHost, normalizeBaseUrl } from './url';
import { classifyToken, looksLikeToken } from '../tokens/tokenShapes';

export interface ConnectionInput {
  kind?: string;
  baseUrl?: string;
  email?: string;
  username?: string;
  token?: string;
  label?: string;
  expiresAt?: string;
}

export interface ValidConnectionInput {
  kind: ConnectionKind;
  baseUrl: string;
  host: string;
  email?: string;
  username?: string;
  token: string;
  label: string;
  expiresAt?: string;
}

export type InputCheck<T> = { ok: true; value: T } | { ok: false; error: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isConnectionKind(kind: unknown): kind is ConnectionKind {
  return typeof kind === 'string' && (CONNECTION_KINDS as readonly string[]).includes(kind);
}

/** Pasted tokens often carry a newline or spaces; a token never contains whitespace. */
export function cleanToken(raw: string): string {
  return raw.replace(/\s+/g, '');
}

export function validateToken(raw: string | undefined, kind: ConnectionKind): InputCheck<string> {
  const token = cleanToken(raw ?? '');
  if (!token) return { ok: false, error: kind === 'datacenter-basic' ? 'Enter the password.' : 'Enter the token.' };
  if (kind !== 'datacenter-basic' && classifyToken(token) === 'email') {
    return { ok: false, error: 'That is an email address, not a token. Paste the API token itself.' };
  }
  if (kind !== 'datacenter-basic' && token.length < 8) return { ok: false, error: 'That is too short to be a Jira token.' };
  return { ok: true, value: token };
}

/**
 * A warning (not a refusal) when the token's shape contradicts the kind: an ATATT3… Cloud token given
 * for Data Center, a PAT-shaped token for Cloud.
 */
export function tokenKindMismatch(token: string, kind: ConnectionKind): string | undefined {
  const shape = classifyToken(token);
  const cloudShaped = shape === 'cloud-api-token' || shape === 'atlassian-access-token' || shape === 'cloud-api-token-unverified';
  if (cloudShaped && !isCloudKind(kind)) {
    return 'This looks like a Jira Cloud API token (ATATT3…), but the connection is for Data Center, which expects a Personal Access Token.';
  }
  if (shape === 'datacenter-pat' && isCloudKind(kind)) {
    return 'This looks like a Data Center Personal Access Token, but the connection is for Jira Cloud, which expects an API token (ATATT3…).';
  }
  if (shape === 'bitbucket-app-password') return 'This looks like a Bitbucket app password, not a Jira token.';
  if (shape === 'bitbucket-dc-http-token') return 'This looks like a Bitbucket Data Center HTTP access token, not a Jira token.';
  return undefined;
}

export function suggestKindForUrl(url: string): ConnectionKind | undefined {
  const normalized = normalizeBaseUrl(url);
  if (!normalized.ok) return undefined;
  return isAtlassianCloudHost(new URL(normalized.url).hostname) ? 'cloud' : 'datacenter-pat';
}

export function validateUser(kind: ConnectionKind, email?: string, username?: string): InputCheck<{ email?: string; username?: string }> {
  if (isCloudKind(kind)) {
    const value = (email ?? '').trim();
    if (!EMAIL.test(value))
      return { ok: false, error: 'Jira Cloud tokens are used with the email address of the Atlassian account: enter that email.' };
    return { ok: true, value: { email: value } };
  }
  if (kind === 'datacenter-basic') {
    const value = (username ?? '').trim();
    if (!value) return { ok: false, error: 'Enter the Jira user name.' };
    return { ok: true, value: { username: value } };
  }
  // A PAT identifies its user; a user name is optional and only shown.
  const value = (username ?? email ?? '').trim();
  return { ok: true, value: value ? { username: value } : {} };
}

/** Accepts YYYY-MM-DD or a full ISO date; returns an ISO date string, or an error. */
export function validateExpiry(input: string | undefined, now: Date): InputCheck<string | undefined> {
  const value = (input ?? '').trim();
  if (!value) return { ok: true, value: undefined };
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00.000Z`) : new Date(value);
  if (Number.isNaN(date.getTime())) return { ok: false, error: 'That is not a date: use YYYY-MM-DD.' };
  if (date.getTime() < now.getTime() - 366 * 86_400_000 * 5) return { ok: false, error: 'That expiry date is too far in the past.' };
  return { ok: true, value: date.toISOString() };
}

export function defaultCloudExpiry(now: Date): string {
  return new Date(now.getTime() + 365 * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A label is shown in the tree, in reports and in exported files: one that has the shape of a token is
 * refused (a token pasted in the wrong box). An empty label is valid: the caller derives one.
 */
export function validateLabel(input: string | undefined): InputCheck<string> {
  const label = (input ?? '').trim();
  if (label && (looksLikeToken(label) || label.split(/\s+/).some(looksLikeToken))) {
    return { ok: false, error: 'That looks like a token, not a label: paste the token in the token box.' };
  }
  return { ok: true, value: label };
}

export function defaultLabel(host: string, user?: string): string {
  const site = host.replace(/\.atlassian\.net$/, '');
  return user ? `${site} (${user})` : site;
}

/** Validates a whole argument object; the first problem found is the error. */
export function validateConnectionInput(input: ConnectionInput, now: Date): InputCheck<ValidConnectionInput> {
  if (!isConnectionKind(input.kind)) {
    return { ok: false, error: `Unknown connection kind "${String(input.kind ?? '')}": use one of ${CONNECTION_KINDS.join(', ')}.` };
  }
  const kind = input.kind;
  const url = normalizeBaseUrl(input.baseUrl ?? '');
  if (!url.ok) return url;
  const user = validateUser(kind, input.email, input.username);
  if (!user.ok) return user;
  const token = validateToken(input.token, kind);
  if (!token.ok) return token;
  const expiry = validateExpiry(input.expiresAt, now);
  if (!expiry.ok) return expiry;
  const givenLabel = validateLabel(input.label);
  if (!givenLabel.ok) return givenLabel;
  const label = givenLabel.value || defaultLabel(url.host, user.value.email ?? user.value.username);
  return { ok: true, value: { kind, baseUrl: url.url, host: url.host, ...user.value, token: token.value, label, expiresAt: expiry.value } };
}
