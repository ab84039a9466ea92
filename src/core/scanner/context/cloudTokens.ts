// Cloud tokens (ATATT3…, ATCTT3…): a literal prefix, a base64url body, `=` and a CRC-32 tail. Read here
// for the two rules that report them, from the prefix each anchors on; checked locally.
import { hasValidCrcTail } from '../../tokens/tokenShapes';
import { allIn, CLOUD_BODY, isIn, skipForward, UPPER_HEX } from '../charClasses';
import { type SecretKind, unverifiedMessage } from '../findingMessages';
import type { RuleScan } from '../rule';

const MIN_CLOUD_LENGTH = 32;
/** Today's tokens are 192 characters; the format allows others. Bounds the work per candidate. */
export const MAX_CLOUD_LENGTH = 1024;
/** CRC attempts per run of token characters: a real token is the first anchor of its run, bar junk. */
const ATTEMPTS_PER_RUN = 3;
export const CRC_LENGTH = 8;

/** The Cloud token whose prefix is at `at`: high when its checksum holds, low when unverified ones are asked for. */
export function detectCloudToken(text: string, at: number, kind: SecretKind, verifiedMessage: string, scan: RuleScan): void {
  // Shared by both prefixes: the attempts are counted per run, whichever prefix the anchors have.
  const runs = scan.shared(bodyRuns);
  const bodyEnd = runs.endOf(at, MAX_CLOUD_LENGTH);
  if (bodyEnd < 0) return;
  const token = readCloudToken(text, at, bodyEnd);
  if (!token || token.value.length < MIN_CLOUD_LENGTH || token.value.length > MAX_CLOUD_LENGTH || !runs.attempt()) return;
  const verified = hasValidCrcTail(token.value);
  if (!verified && !scan.reportUnverified) return;
  scan.report({
    start: at,
    end: token.end,
    confidence: verified ? 'high' : 'low',
    secret: token.value,
    secretKind: kind,
    message: verified ? verifiedMessage : unverifiedMessage(kind),
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

const bodyRuns = (text: string) => new BodyRuns(text);

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
