// `jira-token-guard tokens`: every token of a Data Center account (the PAT API) or of a Cloud organisation
// (the admin API), with the flags that call for a look, for a scheduled CI job. The token or the admin key
// comes from an environment variable, never from an argument, and is never printed.
import { DEFAULT_ADMIN_API_URL, OrgAdminApi, PatApi } from '../node/jira';
import { cleanToken, validateToken } from '../core/connections/connectionInput';
import { isLoopbackHost, normalizeBaseUrl } from '../core/connections/url';
import { DEFAULT_STALE_DAYS, type InventoryToken, type TokenFlag, flagsOf, fromOrgToken, fromPat } from '../core/hygiene/tokenInventory';
import { decodePatId } from '../core/tokens/tokenShapes';
import { escapeControls, formatDate, jsonForTerminal, plural } from '../core/common/text';
import { EXIT_ERROR, EXIT_FOUND, EXIT_OK, UsageError, flag, parseCommandLine, stringOption } from './args';
import { TOKENS_HELP } from './help';
import { type CliIo } from './io';

const OPTIONS = {
  url: { type: 'string' },
  kind: { type: 'string' },
  'token-env': { type: 'string' },
  org: { type: 'string' },
  'admin-key-env': { type: 'string' },
  'admin-api-url': { type: 'string' },
  'stale-days': { type: 'string' },
  'expires-within': { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The reminder window of the extension (jiraTokenGuard.expiryWarningDays). */
const DEFAULT_EXPIRES_WITHIN_DAYS = 14;

interface Listed {
  tokens: InventoryToken[];
  /** The Data Center PAT this listing was made with. */
  currentId?: string;
  /** The first line of the text output. */
  heading: string;
}

export async function tokensCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(args, OPTIONS, false);
  if (flag(parsed, 'help')) {
    io.stdout.write(TOKENS_HELP);
    return EXIT_OK;
  }
  const format = stringOption(parsed, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
  const staleDays = parseDays(stringOption(parsed, 'stale-days'), '--stale-days') ?? DEFAULT_STALE_DAYS;
  const expiresWithinDays = parseDays(stringOption(parsed, 'expires-within'), '--expires-within') ?? DEFAULT_EXPIRES_WITHIN_DAYS;
  const url = stringOption(parsed, 'url');
  const org = stringOption(parsed, 'org');
  if (url !== undefined && org !== undefined)
    throw new UsageError('give --url (a Data Center account) or --org (a Cloud organisation), not both');

  let secret: string;
  let listing: Listed | string;
  if (url !== undefined) {
    for (const option of ['admin-key-env', 'admin-api-url'])
      if (stringOption(parsed, option) !== undefined) throw new UsageError(`--${option} goes with --org, not --url`);
    const kind = stringOption(parsed, 'kind') ?? 'datacenter-pat';
    if (kind !== 'datacenter-pat')
      throw new UsageError('--kind must be datacenter-pat: Cloud API tokens are listed through their organisation (--org)');
    const site = normalizeBaseUrl(url);
    if (!site.ok) throw new UsageError(site.error);
    const token = validateToken(readSecret(io, stringOption(parsed, 'token-env'), '--token-env', 'token'), 'datacenter-pat');
    if (!token.ok) throw new UsageError(token.error);
    secret = token.value;
    listing = await listDataCenter(site.url, secret);
  } else if (org !== undefined) {
    for (const option of ['token-env', 'kind'])
      if (stringOption(parsed, option) !== undefined) throw new UsageError(`--${option} goes with --url, not --org`);
    if (!/^[A-Za-z0-9-]{1,64}$/.test(org))
      throw new UsageError('--org must be the organisation id (admin.atlassian.com shows it in the address)');
    const adminUrl = parseAdminUrl(stringOption(parsed, 'admin-api-url'));
    secret = readSecret(io, stringOption(parsed, 'admin-key-env'), '--admin-key-env', 'admin API key');
    listing = await listOrganisation(io, adminUrl, secret, org);
  } else {
    throw new UsageError(
      'give --url URL --token-env VAR (a Data Center account) or --org ORG_ID --admin-key-env VAR (a Cloud organisation)',
    );
  }
  // Whatever a server says is printed as data, and the credential is never part of it.
  const scrub = (text: string): string => text.split(secret).join('…');
  if (typeof listing === 'string') {
    io.stderr.write(scrub(`jira-token-guard: ${escapeControls(listing)}\n`));
    return EXIT_ERROR;
  }
  const now = new Date();
  const rows = listing.tokens.map((token) => ({ token, flags: flagsOf(token, { now, staleDays, expiresWithinDays }) }));
  const out =
    format === 'json'
      ? jsonForTerminal(`${JSON.stringify({ tokens: rows.map((r) => jsonRow(r.token, r.flags, listing.currentId)) }, null, 2)}\n`)
      : textReport(listing, rows, staleDays, expiresWithinDays);
  io.stdout.write(scrub(out));
  return rows.some((r) => r.flags.length > 0) ? EXIT_FOUND : EXIT_OK;
}

async function listDataCenter(site: string, pat: string): Promise<Listed | string> {
  const listed = await new PatApi(site).list({ pat });
  if (!listed.ok) return listed.message;
  const currentId = decodePatId(pat);
  return {
    tokens: listed.tokens.map(fromPat),
    ...(currentId ? { currentId } : {}),
    heading: `Personal access tokens of ${listed.username ?? 'this account'} on ${site}`,
  };
}

async function listOrganisation(io: CliIo, adminUrl: string, key: string, orgId: string): Promise<Listed | string> {
  const api = new OrgAdminApi({
    baseUrl: adminUrl,
    onProgress: (progress) => {
      if (progress.kind === 'waiting')
        io.stderr.write(`jira-token-guard: the admin API is rate-limiting; waiting ${plural(progress.seconds, 'second')} for its reset\n`);
    },
  });
  const listed = await api.listTokens(key, orgId);
  if (!listed.ok) return listed.message;
  return { tokens: listed.tokens.map(fromOrgToken), heading: `API tokens of the organisation ${orgId}` };
}

function jsonRow(token: InventoryToken, flags: TokenFlag[], currentId: string | undefined): object {
  return {
    id: token.id,
    label: token.label,
    ...(token.user ? { user: token.user } : {}),
    ...(token.createdAt ? { createdAt: token.createdAt } : {}),
    ...(token.expiresAt ? { expiresAt: token.expiresAt } : {}),
    ...(token.lastActiveAt ? { lastActiveAt: token.lastActiveAt } : {}),
    ...(token.id === currentId ? { current: true } : {}),
    flags,
  };
}

function textReport(
  listing: Listed,
  rows: Array<{ token: InventoryToken; flags: TokenFlag[] }>,
  staleDays: number,
  expiresWithinDays: number,
): string {
  const lines = [`${escapeControls(listing.heading)}: ${plural(rows.length, 'token')}`];
  // Grouped by user (the organisation); a Data Center account is one user.
  const groups = new Map<string, typeof rows>();
  for (const row of rows) {
    const user = row.token.user;
    const who = user ? `${user.name ?? user.id}${user.email ? ` <${user.email}>` : ''}` : '';
    groups.set(who, [...(groups.get(who) ?? []), row]);
  }
  for (const [who, group] of groups) {
    if (who) lines.push(`${escapeControls(who)}:`);
    for (const { token, flags } of group) {
      const used = !token.activityKnown
        ? 'last use not reported'
        : token.lastActiveAt
          ? `last used ${formatDate(token.lastActiveAt)}`
          : 'never used';
      const facts = [
        token.createdAt ? `created ${formatDate(token.createdAt)}` : undefined,
        token.expiresAt ? `expires ${formatDate(token.expiresAt)}` : 'never expires',
        used,
      ].filter(Boolean);
      const current = token.id === listing.currentId ? ' (the token used for this listing)' : '';
      lines.push(
        `  ${escapeControls(JSON.stringify(token.label))} id ${escapeControls(token.id)}${current}: ${facts.join(', ')}${flags.length ? ` [${flags.join(', ')}]` : ''}`,
      );
    }
  }
  const flagged = rows.filter((r) => r.flags.length > 0).length;
  lines.push(
    flagged
      ? `${plural(flagged, 'token')} flagged (stale: unused for ${plural(staleDays, 'day')}; expiring: within ${plural(expiresWithinDays, 'day')}).`
      : 'No token flagged.',
  );
  return `${lines.join('\n')}\n`;
}

function readSecret(io: CliIo, envName: string | undefined, option: string, what: string): string {
  if (envName === undefined)
    throw new UsageError(`give the ${what} with ${option} NAME (never as an argument: it would show in ps and shell history)`);
  const raw = io.env[envName] ?? '';
  // The name is not repeated: a secret pasted after the option would end up in CI logs.
  if (!raw.trim())
    throw new UsageError(
      `the environment variable named by ${option} is not set or empty: give the name of a variable that holds the ${what}`,
    );
  return cleanToken(raw);
}

function parseAdminUrl(value: string | undefined): string {
  if (value === undefined) return DEFAULT_ADMIN_API_URL;
  try {
    const url = new URL(value);
    if (!url.username && !url.password && (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))))
      return value;
  } catch {
    // reported below
  }
  throw new UsageError('--admin-api-url must be an https:// URL (http only to this computer), such as https://api.atlassian.com');
}

/** A number of days: `30`, `30d` or `4w`. */
function parseDays(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(\d{1,4})\s*([dw]?)\s*$/i.exec(value);
  const days = match ? Number(match[1]) * (match[2].toLowerCase() === 'w' ? 7 : 1) : NaN;
  if (!match || days < 0 || days > 3650) throw new UsageError(`${option} must be a number of days such as 30, 30d or 4w`);
  return days;
}
