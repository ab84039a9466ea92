// Legacy Atlassian Cloud API tokens: 24 alphanumerics, no checksum. Reported only when assigned to a
// Jira/Atlassian/Confluence key (JIRA_API_TOKEN=…, "jiraToken": "…", atlassian_token: …), or to a
// credential key with such a keyword close by or in the section it sits in, and only when random-looking.
import { run } from '../anchors';
import { SECRET_KINDS, tokenMessage } from '../findingMessages';
import { isAllHex } from '../context/randomness';
import {
  assignmentOf,
  CONTEXT_LOOKBACK,
  enclosingHeaders,
  isCredentialName,
  mayHaveSections,
  withEnclosingName,
} from '../context/assignments';
import { endsBefore, JIRA_KEYWORDS, KeywordIndex, keywordNear } from '../context/textContext';
import { isLegacyTokenShape, LEGACY_LENGTH } from '../context/tokenKinds';
import { defineRule, type RuleScan } from '../rule';

export const atlassianApiTokenLegacy = defineRule({
  id: 'atlassian-api-token-legacy',
  title: 'Atlassian API token (legacy format)',
  description:
    'A random-looking 24-character value assigned to a Jira, Atlassian or Confluence setting (or to a credential in a Jira section: `[jira]`, `jira:`, `<jira>`, `provider "jira" {`, a .netrc entry for a Jira host): the format of Atlassian Cloud API tokens before 2023. It has no checksum, so it is reported with medium confidence.',
  defaultConfidence: 'medium',
  order: 90,
  anchors: [run({ minLength: LEGACY_LENGTH, maxLength: LEGACY_LENGTH })],
  detect: detectLegacyToken,
});

/** In a configuration file, the Jira keywords of the text, shared by the scan's candidates (visited in text order). */
const sectionsOf = (text: string, scan: RuleScan) => (mayHaveSections(scan.fileName) ? new KeywordIndex(text, JIRA_KEYWORDS) : undefined);
/** What precedes an assigned value: its quote, a blank, the operator, or a line break (value under its key). */
const ASSIGNED_VALUE_START = /^[ \t'"`=:>?|\n\r]$/;
const CURL_USER = /(?:^|[ \t])(?:-u|--user)[ \t]*['"]?$/;
/** A credential or generic key on the line: only those can take their Jira keyword from a section header. */
const CREDENTIAL_HINT = /tok|pass|pwd|secret|pat(?![a-z])|api.?key|auth|cred|bearer|default|value/i;
/** The key of a value in a section sits just before it (`password = "…"`, `<token>…`, `default = "…"`). */
const HINT_REACH = 40;

/**
 * `start`/`end`: a maximal run of base64 characters. `sections`: in a configuration file, the Jira
 * keywords of the text, so that a credential in a Jira section counts; undefined in code, where the
 * keyword must be near.
 */
function detectLegacyToken(text: string, start: number, end: number, scan: RuleScan): void {
  if (end - start !== LEGACY_LENGTH || continuesValue(text.charCodeAt(end)) || !ASSIGNED_VALUE_START.test(text[start - 1])) return;
  const sections = scan.shared(sectionsOf);
  // Without a keyword near, only a credential key can qualify, and only with a keyword in the lines
  // above (its section or parent): both are settled before the value is looked at.
  const near = keywordNear(text, start, end, JIRA_KEYWORDS);
  if (
    !near &&
    (!sections ||
      !CREDENTIAL_HINT.test(text.slice(Math.max(0, start - HINT_REACH), start)) ||
      !sections.endsWithin(start - CONTEXT_LOOKBACK, start))
  )
    return;
  const value = text.slice(start, end);
  if (!isLegacyTokenShape(value)) return;
  const found = assignmentOf(text, start, end);
  if (!found) return;
  const assignment = sections ? withEnclosingName(text, found, start) : found;
  const { key, names } = assignment;
  const keyNamesJira = names.some((name) => JIRA_KEYWORDS.test(name));
  const credential = names.some(isCredentialName) || (assignment.start >= 0 && endsBefore(text, assignment.start, CURL_USER, 32));
  const random = !isAllHex(value);
  let accepted: boolean;
  if (assignment.argument) accepted = credential && (keyNamesJira || (near && random));
  else if (keyNamesJira)
    accepted = credential || random; // a hex value under a Jira key that names no credential is an id
  else accepted = credential && random && (near || enclosingHeaders(text, start).some((header) => JIRA_KEYWORDS.test(header)));
  if (!accepted) return;
  const kind = SECRET_KINDS.legacyToken;
  scan.report({
    start,
    end,
    confidence: 'medium',
    secret: value,
    secretKind: kind,
    message: tokenMessage(
      kind,
      keyNamesJira
        ? `assigned to ${describeKey(key)}`
        : near
          ? 'assigned to a credential near a Jira keyword'
          : 'assigned to a credential in a Jira section',
    ),
  });
}

/** Keys are names, not secrets; long ones are shortened. */
function describeKey(key: string): string {
  return key.length <= 40 ? `“${key}”` : 'a Jira setting';
}

/** `…_suffix`, `…-suffix`, `…==`: the 24 characters are part of a longer value. */
function continuesValue(c: number): boolean {
  return c === 0x5f /* _ */ || c === 0x2d /* - */ || c === 0x3d; /* = */
}
