// Site URL rules: what a user pastes (a browser address bar, a page deep in Jira) becomes the base URL
// the REST API lives under.
import { looksLikeToken } from '../tokens/tokenShapes';

export type UrlResult = { ok: true; url: string; host: string } | { ok: false; error: string };

/** Page paths Jira puts after the base URL; everything from the first of them on is dropped. */
const PAGE_PATH_MARKERS = [
  '/secure/',
  '/browse/',
  '/projects/',
  '/issues/',
  '/plugins/servlet/',
  '/login.jsp',
  '/rest/',
  '/wiki/',
  '/servicedesk/',
  '/dashboards',
  '/people/',
  '/for-you',
  '/your-work',
  '/_edge/',
];

/**
 * 127.0.0.0/8, ::1 and localhost: the only hosts a token may travel to over plain http. Not *.localhost:
 * resolvers without RFC 6761 support may send those names to DNS. The one rule for the site form, the
 * leak guard and the credential check.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = bareHost(hostname);
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Jira Cloud sites: atlassian.net and its subdomains, and the legacy *.jira.com sites. */
export function isAtlassianCloudHost(hostname: string): boolean {
  const host = bareHost(hostname);
  return host === 'atlassian.net' || host.endsWith('.atlassian.net') || host.endsWith('.jira.com');
}

/** Lower case, without IPv6 brackets or the trailing dot of a fully qualified name. */
function bareHost(hostname: string): string {
  return hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

export const TOKEN_IN_URL_ERROR = 'That looks like a token, not a site URL: paste the token in the token box.';

/** Most host and path segments a pasted URL is searched through for a token (a PAT may contain '/'). */
const MAX_SEGMENTS = 32;

/**
 * True when the input, its host (or a label or the port of it) or any run of its path segments has the
 * shape of a token. Looks at the raw text: the URL parser lower-cases the host, which hides a token's shape.
 */
function containsToken(input: string): boolean {
  if (looksLikeToken(input)) return true;
  const rest = input.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/[?#].*$/s, '');
  const parts = rest.split('/').slice(0, MAX_SEGMENTS);
  if (parts[0].split(/[.:@]/).some(looksLikeToken)) return true;
  for (let start = 0; start < parts.length; start++) {
    for (let end = start + 1; end <= parts.length; end++) {
      if (looksLikeToken(parts.slice(start, end).join('/'))) return true;
    }
  }
  return false;
}

/**
 * Normalises a pasted site URL: trims, assumes https:// when the scheme is missing, strips query, hash,
 * trailing slashes and Jira page paths, keeps a Data Center context path, refuses plain http except on
 * loopback hosts. Refuses input that looks like a token, and never quotes the input in an error: what is
 * pasted in the URL box is sometimes the token.
 */
export function normalizeBaseUrl(input: string): UrlResult {
  const trimmed = input.trim();
  if (!trimmed) return { ok: false, error: 'Enter the Jira site URL, for example https://your-team.atlassian.net.' };
  if (containsToken(trimmed)) return { ok: false, error: TOKEN_IN_URL_ERROR };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    return { ok: false, error: 'That is not a URL. Enter the site address, for example https://jira.example.com.' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return { ok: false, error: 'Only https:// URLs are supported. Enter the site address, for example https://jira.example.com.' };
  }
  if (!parsed.hostname) return { ok: false, error: 'The URL has no host name.' };
  if (parsed.username || parsed.password) {
    return {
      ok: false,
      error: 'Remove the user name and password from the URL: the token is entered separately and kept in secret storage.',
    };
  }
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    return { ok: false, error: 'Plain http:// would send the token unencrypted: use the https:// address of the site.' };
  }
  let path = parsed.pathname;
  const lower = path.toLowerCase();
  const cut = PAGE_PATH_MARKERS.map((m) => lower.indexOf(m)).filter((i) => i >= 0);
  if (cut.length) path = path.slice(0, Math.min(...cut));
  // Cloud sites have no context path: anything after the host is a page.
  if (isAtlassianCloudHost(parsed.hostname)) path = '';
  path = path.replace(/\/+$/, '');
  return { ok: true, url: `${parsed.protocol}//${parsed.host.toLowerCase()}${path}`, host: parsed.host.toLowerCase() };
}
