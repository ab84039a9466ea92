// The byte tests that say where a token may start, in one place: the byte scan applies them exactly, and
// the byte kernels (SIMD WebAssembly assembled from these lists, and their portable stand-ins) apply them
// first to every '@', "AT" and base64 run, so that JavaScript sees only the few that pass.

import { MAX_PATH_RUN } from '../context/dataCenterPats';
import { JIRA_KEYWORD_WORDS, KEYWORD_REACH } from '../context/textContext';

/** JIRA_KEYWORDS, lower case: one of them within KEYWORD_REACH_BYTES of a legacy token's run. */
export const KEYWORDS = JIRA_KEYWORD_WORDS;
/** A UTF-16 code unit is at most 3 bytes of UTF-8: a reach in characters is at most this many times as many bytes. */
export const BYTES_PER_UNIT = 3;
export const KEYWORD_REACH_BYTES = BYTES_PER_UNIT * KEYWORD_REACH;

/** A legacy Cloud token's length, and a Data Center PAT's. */
export const LEGACY_RUN_LENGTH = 24;
export const PAT_RUN_LENGTH = 44;
/** The longest run a PAT is looked for in, slash-delimited inside it (`…/oauth/token/<PAT>`). */
export const PAT_PATH_RUN_LENGTH = MAX_PATH_RUN;
/** A PAT's digit id encodes to M, N or O, then D, T, j or z. */
export const PAT_FIRST_BYTES = [0x4d, 0x4e, 0x4f];
export const PAT_SECOND_BYTES = [0x44, 0x54, 0x6a, 0x7a];
/** Right before an assigned value: a blank, a quote or an operator. */
export const ASSIGNED_VALUE_STARTS = [0x20, 0x09, 0x27, 0x22, 0x60, 0x3d, 0x3a, 0x3e, 0x3f, 0x7c];
/** Right after a run, these continue the value: it is not a token. */
export const VALUE_CONTINUATIONS = [0x5f, 0x2d, 0x3d];
/** Printable bytes that cannot end a URL's userinfo right before its '@'. */
export const NOT_USERINFO_ENDS = [0x22, 0x27, 0x60, 0x2f, 0x28, 0x3c, 0x7b, 0x5b];
export const BLANKS = [0x20, 0x09];
const AT_SIGN = 0x40;
const PADDING = 0x3d;

export function isPatLead(first: number, second: number): boolean {
  return PAT_FIRST_BYTES.includes(first) && PAT_SECOND_BYTES.includes(second);
}

export function isAssignedValueStart(c: number): boolean {
  return ASSIGNED_VALUE_STARTS.includes(c);
}

export function continuesValue(c: number): boolean {
  return VALUE_CONTINUATIONS.includes(c);
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** The URL rule's tests around an '@': the userinfo may end before it, and a host name starts after it. */
export function mayEndUserinfo(bytes: Uint8Array, at: number): boolean {
  // Past either end reads as 0, as the kernels read (undefined would pass the digit test: NaN >>> 0 is 0).
  const before = at > 0 ? bytes[at - 1] : 0;
  const first = at + 1 < bytes.length ? bytes[at + 1] : 0;
  return (
    before > 0x20 &&
    before < 0x7f &&
    !NOT_USERINFO_ENDS.includes(before) &&
    (((first | 0x20) - 0x61) >>> 0 < 26 || (first - 0x30) >>> 0 < 10)
  );
}

/**
 * The prefix literals the kernels mark (byteKernelCode.ts tests the same bytes): the prefix anchors of the
 * rules must be exactly these (test/unit/core/scanner/rules.test.ts); a new one changes both files.
 */
export const KERNEL_PREFIXES: readonly string[] = ['ATATT3', 'ATCTT3', 'ATBB'];

/** "ATATT3", "ATCTT3" or "ATBB" at `at`. */
export function startsPrefixedToken(bytes: Uint8Array, at: number): boolean {
  if (bytes[at] !== 0x41 || bytes[at + 1] !== 0x54) return false;
  const c = bytes[at + 2];
  if (c === 0x42) return bytes[at + 3] === 0x42;
  return (c === 0x41 || c === 0x43) && bytes[at + 3] === 0x54 && bytes[at + 4] === 0x54 && bytes[at + 5] === 0x33;
}

/** What the kernels' marks are: an '@' that passes `mayEndUserinfo`, or a prefixed token's start. */
export function isAnchorMark(bytes: Uint8Array, at: number): boolean {
  return bytes[at] === AT_SIGN ? mayEndUserinfo(bytes, at) : startsPrefixedToken(bytes, at);
}

/** A PAT's shape: 44 characters with a PAT's lead, and no padding after them. */
export function hasPatShape(bytes: Uint8Array, start: number, end: number): boolean {
  return end - start === PAT_RUN_LENGTH && isPatLead(bytes[start], bytes[start + 1]) && bytes[end] !== PADDING;
}

/**
 * What the kernels keep for a PAT: a PAT's shape, or any run longer than a PAT that is short enough to be a
 * path, where a slash-delimited PAT may sit (`hasPatWindow` then tests it in JavaScript).
 */
export function mayHoldPat(bytes: Uint8Array, start: number, end: number): boolean {
  return hasPatShape(bytes, start, end) || (end - start > PAT_RUN_LENGTH && end - start <= PAT_PATH_RUN_LENGTH);
}

const SLASH = 0x2f;

/**
 * A run longer than a PAT and short enough to be a path, with a PAT's lead where `patsInRun` looks for one:
 * at the run's start before a '/', or right after a '/' and up to another '/' or the run's end (no padding).
 */
export function hasPatWindow(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start <= PAT_RUN_LENGTH || end - start > PAT_PATH_RUN_LENGTH) return false;
  if (bytes[start + PAT_RUN_LENGTH] === SLASH && isPatLead(bytes[start], bytes[start + 1])) return true;
  for (let i = start; i < end - PAT_RUN_LENGTH; i++) {
    if (bytes[i] !== SLASH || !isPatLead(bytes[i + 1], bytes[i + 2])) continue;
    const windowEnd = i + 1 + PAT_RUN_LENGTH;
    if (windowEnd === end ? bytes[end] !== PADDING : bytes[windowEnd] === SLASH) return true;
  }
  return false;
}

/** A legacy token's shape: 24 characters, assigned (after a quote, blank or operator), not continued. */
export function hasLegacyShape(bytes: Uint8Array, start: number, end: number): boolean {
  return end - start === LEGACY_RUN_LENGTH && start > 0 && isAssignedValueStart(bytes[start - 1]) && !continuesValue(bytes[end]);
}

/** Blanks before the run, and before them a 'c' or 'C' (the end of "Basic"); -1 when not. */
export function basicEndBefore(bytes: Uint8Array, start: number): number {
  let i = start - 1;
  if (i < 0 || !isBlank(bytes[i])) return -1;
  while (i >= 0 && isBlank(bytes[i])) i--;
  return i >= 0 && (bytes[i] | 0x20) === 0x63 ? i : -1;
}

/** The first offset in [from, to) where one of KEYWORDS starts and ends before `to`, in any case (bit 5 set), or -1. */
export function keywordAt(bytes: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = bytes[i] | 0x20;
    for (const word of KEYWORDS) {
      if (c !== word.charCodeAt(0) || i + word.length > to) continue;
      let k = 1;
      while (k < word.length && (bytes[i + k] | 0x20) === word.charCodeAt(k)) k++;
      if (k === word.length) return i;
    }
  }
  return -1;
}

/** A legacy token's shape with a keyword in reach. */
export function isLegacyAnchor(bytes: Uint8Array, start: number, end: number): boolean {
  return (
    hasLegacyShape(bytes, start, end) &&
    keywordAt(bytes, Math.max(0, start - KEYWORD_REACH_BYTES), Math.min(bytes.length, end + KEYWORD_REACH_BYTES)) >= 0
  );
}

/** What the kernels' runs are: a PAT's shape or a path-length run, a legacy token's with a keyword in reach, or blanks and a 'c' before the run. */
export function isAnchorRunShape(bytes: Uint8Array, start: number, end: number): boolean {
  return mayHoldPat(bytes, start, end) || isLegacyAnchor(bytes, start, end) || basicEndBefore(bytes, start) >= 0;
}
