// The name a value is assigned to, in the ways code and configuration write it: `KEY=value`,
// typed declarations (`val jiraToken: String = …`, `var jiraToken string = …`, `String jiraToken = …`),
// compound operators (`.=`, `::=`, `:::=`, `?=`, `+=`, `!=`), `set -gx KEY value`, the key as a string
// argument (`os.Setenv("JIRA_TOKEN", "…")`), XML attributes (`<add key="JiraToken" value="…"/>`), and a
// value on the line after its key (`<jiraToken>` or `jira_token: |` above it). Also the sections and
// parents a line sits in (`[jira]`, `jira:`, `provider "jira" {`, `machine acme.atlassian.net`).
// Every look is bounded (a line, or a few KB upwards for sections): the scan stays linear.
import { BLANK, isIn, KEY, QUOTE, skipBackward, skipForward } from '../charClasses';

export interface Assignment {
  /** The name that best describes the value, for the message. */
  key: string;
  /** Start of the name next to the value (the one `curl -u` would precede). */
  start: number;
  /** Every name on the left-hand side (`String jiraToken`, `<add key="JiraToken" value`): they describe the value together. */
  names: string[];
  /** `fn("KEY", "value")`: weaker evidence than an operator, so the key must name a credential. */
  argument: boolean;
}

const MAX_KEY_LENGTH = 64;
/** How far back a left-hand side is read: a declaration with its type and modifiers. */
const LHS_REACH = 96;
/** Names of the left-hand side that count: enough for `val jiraToken: String` and `<add key="K" value`. */
const LHS_NAMES = 3;
/** Assignment operators are made of these: =, :, :=, ::=, :::=, ?=, +=, !=, .=, =>, ||=, ->. */
const OPERATOR_CHARS = '=:>?|+!.-';
/** Where a left-hand side starts: a statement, an argument list, a tag or a line. */
const LHS_STOPS = ';{(,<[\n\r';
/** Keys that say nothing about the value: the name is elsewhere (`<add key="K" value=`, `variable "k" { default =`). */
const GENERIC_KEYS = new Set(['value', 'default', 'val', 'v']);

/** The name a value starting at `valueStart` is assigned to, or undefined when it is not assigned. */
export function assignmentOf(text: string, valueStart: number, valueEnd: number): Assignment | undefined {
  return nextLineAssignment(text, valueStart, valueEnd) ?? argumentAssignment(text, valueStart) ?? operatorAssignment(text, valueStart);
}

/** `KEY = value`, `"key": "value"`, `<key>value`, `KEY value` (Dockerfile, fish, .netrc). */
function operatorAssignment(text: string, valueStart: number): Assignment | undefined {
  let i = skipBackward(text, valueStart, Math.max(0, valueStart - 5), BLANK | QUOTE);
  const blanks = /[ \t]/.test(text.slice(i, valueStart));
  const afterOperator = i;
  while (i > afterOperator - 4 && i > 0 && OPERATOR_CHARS.includes(text[i - 1])) i--;
  if (i === afterOperator) {
    if (!blanks) return undefined;
    // `KEY value`: only the word right before counts.
    const keyStart = skipBackward(text, i, Math.max(0, i - MAX_KEY_LENGTH), KEY);
    const key = trimName(text.slice(keyStart, i));
    return key ? { key, start: keyStart, names: [key], argument: false } : undefined;
  }
  // An operator that is all dashes or dots is punctuation, not an assignment (`--`, `...`).
  if (/^[-.]+$/.test(text.slice(i, afterOperator))) return undefined;
  return leftHandSide(text, i);
}

/** The names before an operator at `end`, nearest first. */
function leftHandSide(text: string, end: number): Assignment | undefined {
  let from = end;
  const limit = Math.max(0, end - LHS_REACH);
  while (from > limit && !LHS_STOPS.includes(text[from - 1])) from--;
  const names: string[] = [];
  let start = -1;
  const key = KEY;
  for (let j = end; j > from && names.length < LHS_NAMES;) {
    while (j > from && !isIn(text.charCodeAt(j - 1), key)) j--;
    const wordEnd = j;
    j = skipBackward(text, j, from, key);
    const name = trimName(text.slice(j, wordEnd));
    if (!name) continue;
    if (start < 0) start = j;
    names.push(name);
  }
  if (names.length === 0) return undefined;
  if (GENERIC_KEYS.has(names[0].toLowerCase())) {
    // `variable "jira_token" { default = …`: the text before the block on the same line names it.
    const lineStart = lineStartNear(text, from - 1, LHS_REACH);
    if (lineStart >= 0 && from - 1 > lineStart) names.push(...wordsOf(text.slice(lineStart, from - 1)));
  }
  return { key: bestName(names), start, names, argument: false };
}

/** `fn("KEY", "value")`, `put('X-Jira-Token', '…')`, `("me@acme.com", "…")`. */
function argumentAssignment(text: string, valueStart: number): Assignment | undefined {
  const quote = text[valueStart - 1];
  if (quote !== '"' && quote !== "'") return undefined;
  let i = skipBackward(text, valueStart - 1, Math.max(0, valueStart - 8), BLANK);
  if (text[i - 1] !== ',') return undefined;
  i = skipBackward(text, i - 1, Math.max(0, i - 8), BLANK);
  const keyQuote = text[i - 1];
  if (keyQuote !== '"' && keyQuote !== "'") return undefined;
  const keyEnd = i - 1;
  const keyStart = skipBackward(text, keyEnd, Math.max(0, keyEnd - MAX_KEY_LENGTH), KEY);
  if (keyStart === keyEnd || text[keyStart - 1] !== keyQuote) return undefined;
  const opening = skipBackward(text, keyStart - 1, Math.max(0, keyStart - 9), BLANK);
  if (!'({['.includes(text[opening - 1] ?? ' ')) return undefined;
  const key = text.slice(keyStart, keyEnd);
  return { key, start: keyStart, names: [key], argument: true };
}

/** A value alone on its line under `<jiraToken>` or `jira_token: |` (YAML block scalar) or `jira_token:`. */
function nextLineAssignment(text: string, valueStart: number, valueEnd: number): Assignment | undefined {
  const lineStart = skipBackward(text, valueStart, Math.max(0, valueStart - LHS_REACH), BLANK);
  if (lineStart === 0 || (text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r')) return undefined;
  // Alone on its line, or followed by the closing tag.
  const after = text[skipForward(text, valueEnd, Math.min(text.length, valueEnd + 64), BLANK)];
  if (after !== undefined && after !== '\n' && after !== '\r' && after !== '<') return undefined;
  const previous = previousLine(text, lineStart);
  if (!previous) return undefined;
  const tag = /<([A-Za-z_][\w.:-]*)(\s[^<>]*)?>$/.exec(previous);
  if (tag) {
    const names = [tag[1], ...wordsOf(attributeNames(tag[2] ?? ''))];
    return { key: bestName(names), start: -1, names, argument: false };
  }
  const yaml = /^(?:-[ \t]+)?["']?([\w.$@-]+)["']?[ \t]*:(?:[ \t]+[|>][0-9+-]{0,2})?$/.exec(previous);
  if (yaml) return { key: yaml[1], start: -1, names: [yaml[1]], argument: false };
  return undefined;
}

/** `name="X"`, `key="X"`, `id="X"` of a tag: the name of what the tag holds. */
function attributeNames(attributes: string): string {
  return [...attributes.matchAll(/\b(?:name|key|id)[ \t]*=[ \t]*["']([^"']{1,64})["']/g)].map((m) => m[1]).join(' ');
}

/** The last non-blank line before `lineStart`, trimmed (at most one blank line between; long lines are not read). */
function previousLine(text: string, lineStart: number): string | undefined {
  let end = lineStart - 1;
  for (let lines = 0; lines < 2 && end > 0; lines++) {
    if (text[end] === '\n' && text[end - 1] === '\r') end--;
    const start = lineStartNear(text, end, MAX_LINE_READ);
    if (start < 0) return undefined;
    const line = text.slice(start, end).trim();
    if (line) return line;
    end = start - 1;
  }
  return undefined;
}

const MAX_LINE_READ = 512;

/**
 * Start of the line holding `offset`, looked for at most `reach` characters back; -1 when it is
 * farther. Every look back is bounded, so a megabyte-long line costs no more than a short one.
 */
function lineStartNear(text: string, offset: number, reach: number): number {
  const limit = Math.max(0, offset - reach);
  for (let i = offset; i > limit; i--) {
    const c = text.charCodeAt(i - 1);
    if (c === 0x0a || c === 0x0d) return i;
  }
  return limit === 0 ? 0 : -1;
}

/**
 * A generic key (`<value>`, `default =`) takes its meaning from the block it sits in:
 * `<setting name="JiraApiToken">` or `variable "jira_api_token" {` on a line above.
 */
export function withEnclosingName(text: string, assignment: Assignment, valueStart: number): Assignment {
  if (!GENERIC_KEYS.has(assignment.names[0].toLowerCase())) return assignment;
  const [header] = enclosingHeaders(text, valueStart);
  if (!header) return assignment;
  const names = [...assignment.names, ...wordsOf(header)];
  return { ...assignment, names, key: bestName(names) };
}

const SECTIONED_EXTENSIONS = new Set([
  'yaml',
  'yml',
  'toml',
  'ini',
  'cfg',
  'conf',
  'properties',
  'xml',
  'config',
  'csproj',
  'props',
  'targets',
  'plist',
  'tf',
  'tfvars',
  'hcl',
  'json',
  'jsonc',
  'json5',
  'netrc',
]);
const SECTIONED_NAMES = new Set(['.netrc', '_netrc', 'pom.xml', '.npmrc', '.pypirc', '.gitconfig']);

/**
 * Files whose lines sit in sections or under parents (configuration: INI, TOML, YAML, XML, HCL, JSON,
 * .netrc). In code a Jira keyword must be near the value; there the section above it counts too.
 */
export function mayHaveSections(fileName: string | undefined): boolean {
  if (!fileName) return false;
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1).toLowerCase();
  return SECTIONED_NAMES.has(base) || SECTIONED_EXTENSIONS.has(base.slice(base.lastIndexOf('.') + 1));
}

/** How far up the sections and parents of a line are looked for. */
export const CONTEXT_LOOKBACK = 2048;
const CONTEXT_LINES = 40;

/**
 * The headers a line sits under, nearest first: the INI/TOML section (`[jira]`), the .netrc entry
 * (`machine acme.atlassian.net`), and the less-indented parents of YAML, JSON, XML and HCL
 * (`jira:`, `"jira": {`, `<jira>`, `provider "jira" {`). Bounded: 40 lines or 2 KB.
 */
export function enclosingHeaders(text: string, offset: number): string[] {
  const headers: string[] = [];
  const limit = Math.max(0, offset - CONTEXT_LOOKBACK);
  let lineStart = lineStartNear(text, offset, offset - limit);
  if (lineStart < 0) return headers;
  let indent = skipIndent(text, lineStart) - lineStart;
  for (let lines = 0; lines < CONTEXT_LINES && lineStart > limit; lines++) {
    let end = lineStart - 1;
    if (text[end] === '\n' && text[end - 1] === '\r') end--;
    lineStart = lineStartNear(text, end, end - limit);
    if (lineStart < 0) break;
    const contentStart = skipIndent(text, lineStart);
    const line = text.slice(contentStart, end).trim();
    if (!line || /^(?:#|\/\/|;|<!--)/.test(line)) continue;
    if (/^\[.*\]$/.test(line) || /^(?:machine[ \t]|default\b)/.test(line)) {
      headers.push(line);
      break;
    }
    const depth = contentStart - lineStart;
    if (depth < indent) {
      headers.push(line);
      indent = depth;
      // A top-level parent (`jira:`, `<jira>`) is the outermost: no section header sits above it.
      if (depth === 0) break;
    }
  }
  return headers;
}

function skipIndent(text: string, lineStart: number): number {
  let i = lineStart;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
}

const JIRA = /jira|atlassian|confluence/i;
/** Every credential word contains one of these: a cheap test before splitting the name into words. */
const CREDENTIAL_STEMS = /tok|pas|pwd|secret|pat|key|auth|cred|bearer/i;
const CREDENTIAL_WORDS = new Set([
  'token',
  'tokens',
  'pat',
  'password',
  'passwd',
  'pass',
  'pwd',
  'secret',
  'apikey',
  'auth',
  'credential',
  'credentials',
  'creds',
  'bearer',
]);

/** `jiraApiToken`, `JIRA_API_TOKEN`, `jira.pat`, `X-Jira-Token`, `me@example.com` (user:password), … */
export function isCredentialName(name: string): boolean {
  if (name.includes('@')) return true;
  if (!CREDENTIAL_STEMS.test(name)) return false;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.some((word, i) => CREDENTIAL_WORDS.has(word) || (word === 'key' && words[i - 1] === 'api'));
}

/** The name that says most: Jira and a credential, then Jira, then a credential, then the nearest. */
function bestName(names: string[]): string {
  const jira = names.filter((n) => JIRA.test(n));
  return jira.find(isCredentialName) ?? jira[0] ?? names.find(isCredentialName) ?? names[0];
}

function wordsOf(text: string): string[] {
  return text
    .split(/[^\w.$@-]+/)
    .map(trimName)
    .filter(Boolean);
}

/** `-`, `.`, `$` around a name are syntax (`- KEY`, `$var`, `.=`), not part of it. */
function trimName(name: string): string {
  return name.replace(/^[-.$]+|[-.]+$/g, '');
}
