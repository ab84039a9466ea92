// URL rules for credential checks: where a token may go, and how Jira's paths are built.
import { isLoopbackHost } from '../connections/url';

export type UrlProblem = 'badUrl' | 'plainHttp' | 'credentialsInUrl';

/** Parses a base URL a token will be sent to: https, or http only to a loopback host; no user info. */
export function parseServiceUrl(raw: string): URL | UrlProblem {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return 'badUrl';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'badUrl';
  if (url.username || url.password) return 'credentialsInUrl';
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return 'plainHttp';
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** `base` + an absolute API path, keeping a Data Center context path. */
export function joinUrl(base: URL, path: string): URL {
  return new URL(base.pathname.replace(/\/+$/, '') + path, base.origin);
}

/** The cloud id in a gateway URL such as https://api.atlassian.com/ex/jira/{cloudId}. */
export function cloudIdInGatewayPath(url: URL): string | undefined {
  const match = /^\/ex\/jira\/([^/]+)/.exec(url.pathname);
  return match && isCloudId(match[1]) ? match[1] : undefined;
}

/** Cloud ids are UUIDs; anything else must not be pasted into a URL path. */
export function isCloudId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(value);
}

export function looksLikeLoginPage(url: URL): boolean {
  return /login|saml|sso|auth/i.test(url.pathname);
}

/** A URL safe to show: no user info, query or fragment (SSO queries carry long one-time state). */
export function displayUrl(url: URL): string {
  return url.origin + url.pathname;
}
