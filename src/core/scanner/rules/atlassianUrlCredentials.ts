// `scheme://user:password@host` where the host is Atlassian Cloud (*.atlassian.net, *.atlassian.com)
// or has "jira" in its name. Anchored on the '@' before such a host; the span and the fingerprint are of
// the (percent-decoded) password.
import { userinfoEnd } from '../anchors';
import { isIn, LETTER, skipBackward, USERINFO } from '../charClasses';
import { SECRET_KINDS, verifiedTokenMessage } from '../findingMessages';
import { isPlaceholderPassword } from '../context/placeholders';
import { tokenKindOf } from '../context/tokenKinds';
import { defineRule, type RuleScan } from '../rule';

const MAX_USERINFO = 512;

export function isJiraHost(host: string): boolean {
  return /jira|(?:^|\.)atlassian\.(?:net|com)$/i.test(host);
}

export const atlassianUrlCredentials = defineRule({
  id: 'atlassian-url-credentials',
  title: 'Password in a Jira or Atlassian URL',
  description: 'A URL to an Atlassian Cloud or Jira host with a password in it (https://user:password@site.atlassian.net/…).',
  defaultConfidence: 'high',
  order: 70,
  anchors: [userinfoEnd(isJiraHost)],
  detect: detectUrlCredentials,
});

/** `at`: an '@' before a Jira host, where a userinfo may end. */
function detectUrlCredentials(text: string, at: number, _end: number, scan: RuleScan): void {
  const start = scan.shared(userinfoStarts).startBefore(at);
  if (start < 4 || !text.startsWith('://', start - 3) || !isIn(text.charCodeAt(start - 4), LETTER)) return;
  const colon = text.slice(start, at).indexOf(':');
  if (colon < 0) return;
  const passwordStart = start + colon + 1;
  const password = percentDecode(text.slice(passwordStart, at));
  if (isPlaceholderPassword(password)) return;
  const token = tokenKindOf(password);
  const kind = token?.verified ? token.kind : SECRET_KINDS.password;
  scan.report({
    start: passwordStart,
    end: at,
    confidence: 'high',
    secret: password,
    secretKind: kind,
    message: verifiedTokenMessage(kind, 'in a URL to a Jira site'),
  });
}

function percentDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const userinfoStarts = (text: string) => new UserinfoStarts(text);

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
