// Site URL rules: what a user pastes (a browser address bar, a page deep in Jira) becomes the base URL
// the REST API lives under.

export type UrlResult = { ok: true; url: string; host: string } | { ok: false; error: string };

/** Page paths Jira puts after the base URL; everything from the first of them on is dropped. */
const PAGE_PATH_MARKERS = [
  '/secure/', '/browse/', '/projects/', '/issues/', '/plugins/servlet/', '/login.jsp', '/rest/',
  '/wiki/', '/servicedesk/', '/dashboards', '/people/', '/for-you', '/your-work', '/_edge/',
];

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function isAtlassianCloudHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host.endsWith('.atlassian.net') || host.endsWith('.jira.com');
}

/**
 * Normalises a pasted site URL: trims, assumes https:// when the scheme is missing, strips query, hash,
 * trailing slashes and Jira page paths, keeps a Data Center context path, refuses plain http except on
 * loopback hosts.
 */
export function normalizeBaseUrl(input: string): UrlResult {
  const trimmed = input.trim();
  if (!trimmed) return { ok: false, error: 'Enter the Jira site URL, for example https://your-team.atlassian.net.' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    return { ok: false, error: `"${truncate(trimmed)}" is not a URL. Enter the site address, for example https://jira.example.com.` };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return { ok: false, error: `Only https:// URLs are supported (got ${parsed.protocol}//).` };
  }
  if (!parsed.hostname) return { ok: false, error: 'The URL has no host name.' };
  if (parsed.username || parsed.password) {
    return { ok: false, error: 'Remove the user name and password from the URL: the token is entered separately and kept in secret storage.' };
  }
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    return { ok: false, error: `Plain http:// would send the token unencrypted. Use https://${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}.` };
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

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
