// `scheme://user:password@host` where the host is Atlassian Cloud (*.atlassian.net, *.atlassian.com)
// or has "jira" in its name. Found from a native search for "@"; the span and the fingerprint are of
// the (percent-decoded) password.
import { HOST, isIn, LETTER, skipBackward, skipForward, USERINFO } from '../charClasses';
import { SECRET_KINDS, verifiedTokenMessage } from '../messages';
import { tokenKindOf } from '../context/tokenKinds';
import { Candidate } from '../types';

const MAX_USERINFO = 512;
const MAX_HOST = 253;

export function detectUrlCredentials(text: string, from: number, to: number, out: Candidate[]): void {
  const window = text.slice(from, to);
  const userinfo = new UserinfoStarts(text);
  for (let i = window.indexOf('@'); i !== -1; i = window.indexOf('@', i + 1)) {
    const at = from + i;
    if (!mayEndUserinfo(text.charCodeAt(at - 1)) || !startsHost(text.charCodeAt(at + 1)) || !isJiraHost(hostAfter(text, at + 1))) continue;
    const start = userinfo.startBefore(at);
    if (start < 4 || !text.startsWith('://', start - 3) || !isIn(text.charCodeAt(start - 4), LETTER)) continue;
    const colon = text.slice(start, at).indexOf(':');
    if (colon < 0) continue;
    const passwordStart = start + colon + 1;
    const password = percentDecode(text.slice(passwordStart, at));
    if (isPlaceholderPassword(password)) continue;
    const token = tokenKindOf(password);
    const kind = token?.verified ? token.kind : SECRET_KINDS.password;
    out.push({
      ruleId: 'atlassian-url-credentials',
      start: passwordStart,
      end: at,
      confidence: 'high',
      secret: password,
      secretKind: kind,
      message: verifiedTokenMessage(kind, 'in a URL to a Jira site'),
    });
  }
}

// Quick filters, written out because they run for every '@' of the text (JSDoc tags, package scopes,
// mentions, e-mail addresses); USERINFO and HOST decide exactly later.

/** Printable ASCII that code and prose do not put right before a bare '@' (`@param`, "@scope/x", `(@`). */
function mayEndUserinfo(c: number): boolean {
  return (
    c > 0x20 && c < 0x7f && c !== 0x22 && c !== 0x27 && c !== 0x60 && c !== 0x2f && c !== 0x28 && c !== 0x3c && c !== 0x7b && c !== 0x5b
  );
}

/** Host names start with a letter or a digit. */
function startsHost(c: number): boolean {
  return ((c | 0x20) - 0x61) >>> 0 < 26 || (c - 0x30) >>> 0 < 10;
}

function hostAfter(text: string, start: number): string {
  return text.slice(start, skipForward(text, start, Math.min(text.length, start + MAX_HOST), HOST));
}

export function isJiraHost(host: string): boolean {
  return /jira|(?:^|\.)atlassian\.(?:net|com)$/i.test(host);
}

function percentDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const PLACEHOLDER_WORD =
  /^(?:your|my|the)?[-_ ]?(?:jira[-_ ]?|atlassian[-_ ]?)?(?:api[-_ ]?)?(?:token|password|passwd|pass|pwd|secret|pat|key|apikey)$/i;
const PLACEHOLDER_SHAPES = [
  /^\$/, // $VAR, ${VAR}, $(command)
  /^%(?:\(\w+\))?[sd]$/, // printf: %s, %(password)s
  /^(?:<.*>|\{.*\}|\[.*\])$/, // <token>, {token}, {{token}}, [password]
  /^(.)\1*$/, // xxx, ****, ...
  /^[x*•]+$/i,
  /^(?:changeme|example|placeholder|redacted|secret|hunter2|p[a@]ssw[o0]rd\d*)$/i,
];

/** `${JIRA_TOKEN}`, `<token>`, `xxx`, `****`, `password`, `token`, `$VAR`, `API_TOKEN`, … */
export function isPlaceholderPassword(password: string): boolean {
  if (password === '' || PLACEHOLDER_WORD.test(password) || PLACEHOLDER_SHAPES.some((shape) => shape.test(password))) return true;
  // An environment variable's name stands for the value: `https://me:JIRA_API_TOKEN@…`.
  return /^[A-Z][A-Z0-9_]*$/.test(password) && /TOKEN|PASS|SECRET|KEY|PAT|PWD/.test(password);
}

/**
 * Start of the userinfo that ends at an '@', or -1 when it is longer than MAX_USERINFO. Runs shared by
 * several '@' (`a@b@c…`) are scanned once.
 */
class UserinfoStarts {
  private lastAt = -1;
  private lastStart = -1;

  constructor(private readonly text: string) {}

  startBefore(at: number): number {
    const limit = Math.max(0, at - MAX_USERINFO - 1, this.lastAt);
    let start = skipBackward(this.text, at, limit, USERINFO);
    if (start === this.lastAt) start = this.lastStart;
    else if (start === limit && isIn(this.text.charCodeAt(start - 1), USERINFO)) start = -1;
    this.lastAt = at;
    this.lastStart = start;
    return start >= 0 && at - start <= MAX_USERINFO ? start : -1;
  }
}
