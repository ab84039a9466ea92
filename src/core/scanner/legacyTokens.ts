// Legacy Atlassian Cloud API tokens: 24 alphanumerics, no checksum. Reported only when assigned to a
// Jira/Atlassian/Confluence key (JIRA_API_TOKEN=…, "jiraToken": "…", atlassian_token: …), or to a
// credential key with such a keyword close by, and only when random-looking.
import { allIn, ALPHANUMERIC } from './charClasses';
import { SECRET_KINDS, tokenMessage } from './rules';
import { isAllHex, looksGenerated } from './randomness';
import { assignedKey, endsBefore, JIRA_KEYWORDS, keywordNear } from './textContext';
import { Candidate } from './types';

export const LEGACY_LENGTH = 24;
const CREDENTIAL_WORDS = new Set(['token', 'tokens', 'pat', 'password', 'passwd', 'pass', 'pwd', 'secret', 'apikey', 'auth', 'credential', 'credentials', 'creds', 'bearer']);
/** What precedes an assigned value: its quote, a blank or the operator. */
const ASSIGNED_VALUE_START = /^[ \t'"`=:>?|]$/;
const CURL_USER = /(?:^|[ \t])(?:-u|--user)[ \t]*['"]?$/;

export function isLegacyTokenShape(value: string): boolean {
  return value.length === LEGACY_LENGTH && allIn(value, 0, LEGACY_LENGTH, ALPHANUMERIC) && looksGenerated(value);
}

/** `start`/`end`: a maximal run of base64 characters. */
export function detectLegacyToken(text: string, start: number, end: number, out: Candidate[]): void {
  if (end - start !== LEGACY_LENGTH || continuesValue(text.charCodeAt(end)) || !ASSIGNED_VALUE_START.test(text[start - 1])) return;
  // Whatever the key, an accepted token has a Jira keyword within reach: the cheap, selective test first.
  if (!keywordNear(text, start, end, JIRA_KEYWORDS)) return;
  const value = text.slice(start, end);
  if (!isLegacyTokenShape(value)) return;
  const assignment = assignedKey(text, start);
  if (!assignment) return;
  const { key } = assignment;
  const keyNamesJira = JIRA_KEYWORDS.test(key);
  const credential = isCredentialKey(key) || endsBefore(text, assignment.start, CURL_USER, 32);
  const accepted = keyNamesJira
    ? credential || !isAllHex(value) // a hex value under a Jira key that names no credential is an id
    : credential && !isAllHex(value);
  if (!accepted) return;
  const kind = SECRET_KINDS.legacyToken;
  out.push({
    ruleId: 'atlassian-api-token-legacy',
    start,
    end,
    confidence: 'medium',
    secret: value,
    secretKind: kind,
    message: tokenMessage(kind, keyNamesJira ? `assigned to ${describeKey(key)}` : 'assigned to a credential near a Jira keyword'),
  });
}

/** `jiraApiToken`, `JIRA_API_TOKEN`, `jira.pat`, `me@example.com` (user:password), … */
function isCredentialKey(key: string): boolean {
  if (key.includes('@')) return true;
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/);
  return words.some((word, i) => CREDENTIAL_WORDS.has(word) || (word === 'key' && words[i - 1] === 'api'));
}

/** Keys are names, not secrets; long ones are shortened. */
function describeKey(key: string): string {
  return key.length <= 40 ? `“${key}”` : 'a Jira setting';
}

/** `…_suffix`, `…-suffix`, `…==`: the 24 characters are part of a longer value. */
function continuesValue(c: number): boolean {
  return c === 0x5f /* _ */ || c === 0x2d /* - */ || c === 0x3d /* = */;
}
