// Tokens with a literal prefix and a CRC-32 tail: Cloud API tokens (ATATT3…), access tokens (ATCTT3…)
// and Bitbucket app passwords (ATBB…). Found from a native search for "AT", checked locally.
import { hasValidCrcTail } from '../../tokens/tokenShapes';
import { allIn, ALPHANUMERIC, CLOUD_BODY, isIn, skipForward, UPPER_HEX } from '../charClasses';
import { accessTokenMessage, appPasswordMessage, SECRET_KINDS, SecretKind, tokenMessage, unverifiedMessage } from '../messages';
import { Candidate, RuleId } from '../types';

const MIN_CLOUD_LENGTH = 32;
/** Today's tokens are 192 characters; the format allows others. Bounds the work per candidate. */
export const MAX_CLOUD_LENGTH = 1024;
/** CRC attempts per run of token characters: a real token is the first anchor of its run, bar junk. */
const ATTEMPTS_PER_RUN = 3;
const APP_PASSWORD_LENGTH = 36;
const CRC_LENGTH = 8;

interface CloudPrefix {
  /** What follows "AT". */
  rest: string;
  ruleId: RuleId;
  kind: SecretKind;
}
const CLOUD_PREFIXES: readonly CloudPrefix[] = [
  { rest: 'ATT3', ruleId: 'atlassian-api-token', kind: SECRET_KINDS.cloudToken },
  { rest: 'CTT3', ruleId: 'atlassian-access-token', kind: SECRET_KINDS.accessToken },
];

export function detectPrefixedTokens(text: string, from: number, to: number, reportUnverified: boolean, out: Candidate[]): void {
  const window = text.slice(from, to);
  const runs = new BodyRuns(text);
  for (let i = window.indexOf('AT'); i !== -1; i = window.indexOf('AT', i + 1)) {
    const at = from + i;
    const cloud = CLOUD_PREFIXES.find((prefix) => text.startsWith(prefix.rest, at + 2));
    if (!cloud && !text.startsWith('BB', at + 2)) continue;
    // Glued to a word ("…ATATT3ATATT3…"): not where a token starts.
    if (isIn(text.charCodeAt(at - 1), ALPHANUMERIC)) continue;
    if (cloud) detectCloudToken(text, at, cloud, runs, reportUnverified, out);
    else detectAppPassword(text, at, reportUnverified, out);
  }
}

function detectCloudToken(
  text: string,
  at: number,
  prefix: CloudPrefix,
  runs: BodyRuns,
  reportUnverified: boolean,
  out: Candidate[],
): void {
  const bodyEnd = runs.endOf(at, MAX_CLOUD_LENGTH);
  if (bodyEnd < 0) return;
  const token = readCloudToken(text, at, bodyEnd);
  if (!token || token.value.length < MIN_CLOUD_LENGTH || token.value.length > MAX_CLOUD_LENGTH || !runs.attempt()) return;
  const verified = hasValidCrcTail(token.value);
  if (!verified && !reportUnverified) return;
  out.push({
    ruleId: prefix.ruleId,
    start: at,
    end: token.end,
    confidence: verified ? 'high' : 'low',
    secret: token.value,
    secretKind: prefix.kind,
    message: !verified
      ? unverifiedMessage(prefix.kind)
      : prefix.ruleId === 'atlassian-access-token'
        ? accessTokenMessage('its checksum is valid')
        : tokenMessage(prefix.kind, 'its checksum is valid'),
  });
}

/** `=` + 8 upper-case hex ends the token; the `=` may be written `\=` or `%3D`. */
function readCloudToken(text: string, at: number, bodyEnd: number): { value: string; end: number } | undefined {
  const tail = bodyEnd - CRC_LENGTH;
  if (text.charCodeAt(tail - 1) === 0x3d /* = */ && allIn(text, tail, bodyEnd, UPPER_HEX))
    return { value: text.slice(at, bodyEnd), end: bodyEnd };
  const escape = text.startsWith('\\=', bodyEnd) ? 2 : /^%3[Dd]$/.test(text.slice(bodyEnd, bodyEnd + 3)) ? 3 : 0;
  const crcStart = bodyEnd + escape;
  const end = crcStart + CRC_LENGTH;
  if (escape === 0 || !allIn(text, crcStart, end, UPPER_HEX) || isIn(text.charCodeAt(end), CLOUD_BODY)) return undefined;
  return { value: `${text.slice(at, bodyEnd)}=${text.slice(crcStart, end)}`, end };
}

function detectAppPassword(text: string, at: number, reportUnverified: boolean, out: Candidate[]): void {
  const end = at + APP_PASSWORD_LENGTH;
  const crcStart = end - CRC_LENGTH;
  if (!allIn(text, at + 4, crcStart, ALPHANUMERIC) || !allIn(text, crcStart, end, UPPER_HEX) || isIn(text.charCodeAt(end), ALPHANUMERIC))
    return;
  const value = text.slice(at, end);
  const verified = hasValidCrcTail(value);
  if (!verified && !reportUnverified) return;
  const kind = SECRET_KINDS.appPassword;
  out.push({
    ruleId: 'bitbucket-app-password',
    start: at,
    end,
    confidence: verified ? 'high' : 'low',
    secret: value,
    secretKind: kind,
    message: verified ? appPasswordMessage() : unverifiedMessage(kind),
  });
}

/**
 * The runs of body characters the anchors sit in, scanned once however many anchors share a run
 * ("ATATT3-ATATT3-…" must not cost a scan per anchor), with the CRC attempts made in each.
 */
class BodyRuns {
  private start = -1;
  private scanned = -1;
  private end = -1;
  private attempts = 0;

  constructor(private readonly text: string) {}

  /** End of the run of body characters from `at`, or -1 when it is more than `reach` away. */
  endOf(at: number, reach: number): number {
    if (at < this.start || at >= this.scanned) {
      this.start = at;
      this.scanned = at;
      this.end = -1;
      this.attempts = 0;
    }
    if (this.end < 0) {
      const limit = Math.min(this.text.length, at + reach + 1);
      this.scanned = skipForward(this.text, this.scanned, limit, CLOUD_BODY);
      if (this.scanned < limit || this.scanned === this.text.length) this.end = this.scanned;
    }
    return this.end >= 0 && this.end - at <= reach ? this.end : -1;
  }

  attempt(): boolean {
    return ++this.attempts <= ATTEMPTS_PER_RUN;
  }
}
