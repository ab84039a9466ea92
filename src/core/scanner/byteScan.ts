// The scan of a file's bytes, for folder scans: tokens are ASCII, so the rules' anchors (anchors.ts) are
// found in the raw UTF-8 buffer (by the SIMD byte kernels, which apply the byte tests of
// kernels/anchorBytes.ts), and only the few kilobytes around them are decoded and handed to the string
// scanner, whose rules decide as they always do. A file without an anchor is never decoded. Findings,
// lines and columns are those of `scan(decodeText(bytes))`.
//
// The anchors are a superset of where the rules' candidates start (checked by tests against the string
// scanner): "ATATT3", "ATCTT3", "ATBB"; an '@' before a Jira host; base64 runs of 44 characters with a
// PAT's lead, of 45 to 204 with one at the start or after a '/', of 24 next to a Jira keyword after an
// assignment, or after "Basic". A finding may start before its anchor ("BBDC-") or after it (a PAT at the
// end of a path): `anchorUnitOf` says where its anchor is. A file a rule reads
// whole (an MCP configuration), and any file when stored tokens are looked for, is decoded whole.
import { indexOfBytes, latin1Bytes, latin1Text, utf8Length, utf8Text } from '../common/bytes';
import { type FileAnchor, MAX_HOST } from './anchors';
import { RULE_LIST } from './rules';
import { type Finding, type ScanOptions } from './types';
import { scan, CONTEXT_MARGIN } from './scan';
import { HOST, isIn } from './charClasses';
import { BITBUCKET_DC_PREFIX, MAX_PATH_RUN } from './context/dataCenterPats';
import { bitbucketDcHttpToken } from './rules/bitbucketDcHttpToken';
import { jiraDcPat } from './rules/jiraDcPat';
import {
  basicEndBefore,
  BYTES_PER_UNIT,
  hasLegacyShape,
  hasPatShape,
  hasPatWindow,
  KEYWORD_REACH_BYTES,
  mayEndUserinfo,
} from './kernels/anchorBytes';
import { type ByteKernels, byteKernels, CandidateMode } from './kernels/byteKernels';
import { isLockFile } from './lockFiles';
import { decodeText, detectEncoding } from './textDecoding';
import { isProbablyBinary } from './binary';

/** A finding located by line and column (0-based, UTF-16 code units) instead of offsets. */
export interface LocatedFinding extends Omit<Finding, 'start' | 'end'> {
  /** The finding's text as the file holds it (a token, a Basic value, a URL password). */
  span: string;
}

export type ByteScanOptions = Omit<ScanOptions, 'range'>;

/** Text every rule may read around its candidate, in bytes. */
export const CONTEXT_BYTES = BYTES_PER_UNIT * CONTEXT_MARGIN;
/** A URL password starts at most this far before its '@' (userinfo is at most 512 ASCII characters). */
const LEAD_BYTES = 1024;
/** What a region's buffer must hold of the file on each side of the region (see ByteScanner). */
export const REGION_MARGIN = CONTEXT_BYTES + LEAD_BYTES + 4096;
/** Windows closer than this share one decode. */
const MERGE_GAP = 2 * CONTEXT_BYTES + LEAD_BYTES;

/**
 * A test seam: issue 25's two faults, put back on demand so the differential fuzzer can show it catches them
 * (findings kept only when they start at their anchor; PATs looked for only in runs of exactly 44).
 */
export const FAULTS_FOR_TESTS = { findingsStartAtAnchor: false, patRunsOf44Only: false };

/** Line breaks over more bytes than this are counted by the kernels, not found one by one. */
const LONG_STRETCH = 64 * 1024;

/** Files some rule reads whole, by their name (their credentials may be in any format, with no anchor to find). */
const FILE_ANCHORS = RULE_LIST.flatMap((rule) => rule.anchors.filter((anchor): anchor is FileAnchor => anchor.kind === 'file'));
/** Stored tokens have no anchor: any run of token characters of a stored length. */
const STORED_TOKENS = RULE_LIST.some((rule) => rule.anchors.some((anchor) => anchor.kind === 'stored-token'));
/** The host tests of the '@' anchors. */
const USERINFO_HOSTS = RULE_LIST.flatMap((rule) => rule.anchors.flatMap((anchor) => (anchor.kind === 'userinfo-end' ? [anchor.host] : [])));
/** Findings of these rules end at their anchor (an '@'); every other finding starts at its anchor. */
const ENDS_AT_ANCHOR = new Set<string>(
  RULE_LIST.filter((rule) => rule.anchors.some((anchor) => anchor.kind === 'userinfo-end')).map((rule) => rule.id),
);

/**
 * Where the anchor the kernels mark for a finding is, in `text`: each finding is kept by the window (and the
 * region) of its anchor only. Every finding starts at its anchor but these: a URL password ends at its '@',
 * a "BBDC-" token starts 5 characters before its run, and a PAT may be the tail of a longer run.
 */
function anchorUnitOf(f: Finding, text: string): number {
  if (ENDS_AT_ANCHOR.has(f.ruleId)) return f.end;
  if (f.ruleId === bitbucketDcHttpToken.id) return f.start + BITBUCKET_DC_PREFIX.length;
  if (f.ruleId === jiraDcPat.id) {
    let i = f.start;
    while (i > f.start - MAX_PATH_RUN && i > 0 && isBase64(text.charCodeAt(i - 1))) i--;
    return i;
  }
  return f.start;
}

function isBase64(c: number): boolean {
  return ((c | 0x20) - 0x61) >>> 0 < 26 || (c - 0x30) >>> 0 < 10 || c === 0x2b || c === 0x2f;
}

/** The findings of a whole file's bytes. */
export function scanBytes(bytes: Uint8Array, options: ByteScanOptions = {}): LocatedFinding[] {
  return scanFileBytes(bytes, options, true) as LocatedFinding[];
}

/**
 * The findings of a whole file's bytes, or 'binary' when it looks binary (a NUL or many control bytes
 * in its first 8 KB; UTF-16 with a byte order mark is text) and binaries are not scanned.
 */
export function scanFileBytes(bytes: Uint8Array, options: ByteScanOptions, includeBinary: boolean): LocatedFinding[] | 'binary' {
  const { encoding, bomLength } = detectEncoding(bytes);
  // UTF-16 is decoded whole.
  if (encoding !== 'utf8') return scanText(decodeText(bytes), options);
  if (
    (STORED_TOKENS && options.knownTokens?.length) ||
    FILE_ANCHORS.some((anchor) => anchor.accepts(options.fileName) && bytes.length <= anchor.maxLength)
  )
    return !includeBinary && isProbablyBinary(bytes) ? 'binary' : scanText(decodeText(bytes), options);
  const buffer = bytes;
  const kernels = byteKernels();
  kernels.load(buffer);
  try {
    const lockFile = isLockFile(options.fileName);
    const mode = includeBinary ? CandidateMode.Anchors : lockFile ? CandidateMode.BinaryTest : CandidateMode.BinaryTestAndAnchors;
    if (kernels.findCandidates(mode) === 'binary') return 'binary';
    if (lockFile) return [];
    // Most files have no anchor: they cost no scanner, line tracker or window.
    const anchors = anchorsAmongCandidates(kernels, buffer, 0, bomLength, buffer.length, true);
    return anchors.length ? new ByteScanner(options, bomLength).scanAnchors(buffer, 0, anchors) : [];
  } finally {
    // The kernels' memory outlives the scan (in an extension host, for ever): no file's text stays in it.
    kernels.forget(buffer.length);
  }
}

/**
 * A file read straight into the byte scan's own memory, where the kernels scan it with no copy: `read`
 * fills the start of a buffer of `capacity` bytes and says how many it wrote, `use` gets them (to hand to
 * `scanFileBytes`, or to decide the file is too large). The bytes are zeroed before this returns.
 */
export function readInPlace<T>(capacity: number, read: (buffer: Uint8Array) => number, use: (bytes: Uint8Array) => T): T {
  const kernels = byteKernels();
  const buffer = kernels.textBuffer(capacity);
  let length = capacity;
  try {
    length = read(buffer);
    return use(buffer.subarray(0, length));
  } finally {
    kernels.forget(length);
  }
}

/** The string scanner's findings, located: the reference the byte scan is held to. */
export function scanText(text: string, options: ScanOptions = {}): LocatedFinding[] {
  return scan(text, options).map((f) => locatedFinding(f, f.line, f.column, text.slice(f.start, f.end)));
}

/**
 * Scans a file region by region (a file too large to hold: see `scanLargeFile` in the CLI). Each call
 * passes a buffer holding the region plus at least CONTEXT_BYTES + LEAD_BYTES of the file on each side
 * (less only at the file's edges); regions come in order and cover the file.
 */
export class ByteScanner {
  private readonly lines: LineTracker;
  private readonly lockFile: boolean;

  /** `textStart`: the length of the file's byte order mark, which is not text. */
  constructor(
    private readonly options: ByteScanOptions,
    textStart = 0,
  ) {
    this.lockFile = isLockFile(options.fileName);
    this.lines = new LineTracker(textStart);
  }

  /**
   * Findings anchored in [from, to) of the file. `buffer` holds the file's bytes from offset `base`;
   * `fileLength` tells whether its end is the file's. `from` and `to` must not split a character or a CRLF.
   */
  scanRegion(buffer: Uint8Array, base: number, from: number, to: number, fileLength: number): LocatedFinding[] {
    const kernels = this.lockFile ? undefined : byteKernels();
    try {
      const anchors = kernels ? findAnchors(kernels, buffer, base, from, to, base + buffer.length === fileLength) : [];
      const found = this.scanAnchors(buffer, base, anchors);
      // The next region's first finding may start up to LEAD_BYTES before it.
      // findAnchors loaded this buffer into the kernels (not for a lock file).
      if (to < fileLength) this.lines.advance(buffer, base, Math.max(from, characterStart(buffer, base, to - LEAD_BYTES)), kernels);
      return found;
    } finally {
      kernels?.forget(buffer.length);
    }
  }

  /** The findings at `anchors`, which `findAnchors` found in this buffer. */
  scanAnchors(buffer: Uint8Array, base: number, anchors: readonly number[]): LocatedFinding[] {
    const found: LocatedFinding[] = [];
    this.lines.startBuffer();
    for (const cluster of clusters(anchors)) this.scanWindow(buffer, base, cluster, found);
    return found;
  }

  private scanWindow(buffer: Uint8Array, base: number, cluster: { first: number; last: number }, out: LocatedFinding[]): void {
    const start = characterStart(buffer, base, Math.max(base, cluster.first - LEAD_BYTES - CONTEXT_BYTES));
    const end = Math.min(base + buffer.length, cluster.last + CONTEXT_BYTES);
    // A byte order mark is not text; skipping continuation bytes starts the window on a character.
    let windowStart = start;
    if (windowStart === 0 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) windowStart = 3;
    const text = utf8Text(buffer, windowStart - base, end - base);
    for (const f of scan(text, { ...this.options, range: undefined, knownTokens: undefined })) {
      const span = text.slice(f.start, f.end);
      const startByte = byteOffsetOf(buffer, base, windowStart, text, f.start, span);
      // ASCII between the finding's start and its anchor: units are bytes.
      const anchor =
        startByte + ((FAULTS_FOR_TESTS.findingsStartAtAnchor && !ENDS_AT_ANCHOR.has(f.ruleId) ? f.start : anchorUnitOf(f, text)) - f.start);
      if (anchor < cluster.first || anchor > cluster.last) continue;
      const { line, column } = this.lines.at(buffer, base, startByte);
      out.push(locatedFinding(f, line, column, span));
    }
  }
}

function locatedFinding(f: Finding, line: number, column: number, span: string): LocatedFinding {
  const located: LocatedFinding = {
    ruleId: f.ruleId,
    line,
    column,
    confidence: f.confidence,
    fingerprint: f.fingerprint,
    secretKind: f.secretKind,
    message: f.message,
    span,
  };
  if (f.connectionId) located.connectionId = f.connectionId;
  return located;
}

/** Sorted anchors (file offsets) in [from, to). */
function findAnchors(kernels: ByteKernels, buffer: Uint8Array, base: number, from: number, to: number, reachesFileEnd: boolean): number[] {
  kernels.load(buffer);
  kernels.findCandidates(CandidateMode.Anchors);
  return anchorsAmongCandidates(kernels, buffer, base, from, to, reachesFileEnd);
}

/** The anchors in [from, to) among the candidates the kernels found in `buffer`. */
function anchorsAmongCandidates(
  kernels: ByteKernels,
  buffer: Uint8Array,
  base: number,
  from: number,
  to: number,
  reachesFileEnd: boolean,
): number[] {
  const anchors: number[] = [];
  const lo = from - base;
  const hi = to - base;
  // The kernels have applied the byte tests: what is left is a prefixed token's start or an '@' to follow.
  const marks = kernels.candidateMarks;
  for (let m = 0; m < marks.length; m++) {
    const i = marks[m];
    if (i < lo) continue;
    if (i >= hi) break;
    if (buffer[i] !== 0x40 || atUserinfoEnd(buffer, i)) anchors.push(base + i);
  }
  // Runs are found in the whole buffer: one cut by the region's edge would look shorter than it is.
  const runs = kernels.candidateRuns;
  for (let r = 0; r < runs.length; r += 2) {
    const start = runs[r];
    if (start < lo) continue;
    if (start >= hi) break;
    const end = runs[r + 1];
    // Cut by the buffer's end: longer than any rule takes (the buffer reaches far past the region).
    if (end === buffer.length && !reachesFileEnd) continue;
    if (isRunAnchor(buffer, start, end, kernels)) anchors.push(base + start);
  }
  return anchors.sort((a, b) => a - b);
}

/** The string scanner's first, cheap tests on a run, loosened where they read more than a byte or two. */
function isRunAnchor(buffer: Uint8Array, start: number, end: number, kernels: ByteKernels): boolean {
  // Data Center PAT: a digit id encodes to M, N or O then D, T, j or z; no padding after it. Or a PAT
  // slash-delimited in a path-length run (`…/oauth/token/<PAT>`), as `patsInRun` looks for one.
  if (hasPatShape(buffer, start, end) || (!FAULTS_FOR_TESTS.patRunsOf44Only && hasPatWindow(buffer, start, end))) return true;
  // Legacy token: assigned (a quote, blank or operator before it), not continued, a keyword in reach.
  if (hasLegacyShape(buffer, start, end) && keywordInReach(buffer, start, end, kernels)) return true;
  // Basic credentials: "basic" and blanks right before the run.
  return basicEndBefore(buffer, start) >= 0 && BASIC_BEFORE.test(latin1Text(buffer, Math.max(0, start - 24), start));
}

/** JIRA_KEYWORDS in the bytes around a run (found by the kernels, in their copy of the buffer). */
function keywordInReach(buffer: Uint8Array, start: number, end: number, kernels: ByteKernels): boolean {
  return kernels.keywordAt(Math.max(0, start - KEYWORD_REACH_BYTES), Math.min(buffer.length, end + KEYWORD_REACH_BYTES)) >= 0;
}

const BASIC_BEFORE = /basic[ \t]+$/i;

/** The tests of an '@' anchor: the userinfo may end here and a host an anchor accepts follows. */
function atUserinfoEnd(buffer: Uint8Array, at: number): boolean {
  if (!mayEndUserinfo(buffer, at)) return false;
  let end = at + 1;
  const limit = Math.min(buffer.length, at + 1 + MAX_HOST);
  while (end < limit && isIn(buffer[end], HOST)) end++;
  const host = latin1Text(buffer, at + 1, end);
  return USERINFO_HOSTS.some((accepts) => accepts(host));
}

/** Anchors grouped so that each group's window (its context on both sides) is decoded once. */
function clusters(anchors: readonly number[]): Array<{ first: number; last: number }> {
  const groups: Array<{ first: number; last: number }> = [];
  for (const anchor of anchors) {
    const last = groups[groups.length - 1];
    if (last && anchor - last.last <= MERGE_GAP) last.last = anchor;
    else groups.push({ first: anchor, last: anchor });
  }
  return groups;
}

/** The offset, moved back to the first byte of the character it falls in. */
function characterStart(buffer: Uint8Array, base: number, offset: number): number {
  let i = offset;
  while (i > base && (buffer[i - base] & 0xc0) === 0x80) i--;
  return i;
}

/**
 * The file offset of the UTF-16 offset `unit` of `text` (decoded from `windowStart`), where `span`
 * (ASCII) starts. Exact for valid UTF-8; after invalid bytes (each replaced by U+FFFD, 3 bytes when
 * encoded again) the span is searched for among the few places it can be.
 */
function byteOffsetOf(buffer: Uint8Array, base: number, windowStart: number, text: string, unit: number, span: string): number {
  const prefix = text.slice(0, unit);
  const guess = windowStart + utf8Length(prefix);
  if (!prefix.includes('\uFFFD') || latin1Text(buffer, guess - base, guess - base + span.length) === span) return guess;
  let replaced = 0;
  for (let i = prefix.indexOf('\uFFFD'); i !== -1; i = prefix.indexOf('\uFFFD', i + 1)) replaced++;
  const needle = latin1Bytes(span);
  for (
    let i = indexOfBytes(buffer, needle, Math.max(windowStart, guess - 2 * replaced) - base);
    i !== -1 && base + i <= guess;
    i = indexOfBytes(buffer, needle, i + 1)
  ) {
    if (utf8Text(buffer, windowStart - base, i).length === unit) return base + i;
  }
  return guess;
}

/**
 * Lines and columns at increasing file offsets, from line breaks found by native searches (\n, \r\n
 * and \r, as the string scanner counts them) and columns counted in decoded UTF-16 code units.
 */
class LineTracker {
  private line = 0;
  /** A file offset on the current line, its column, and where the next breaks are in `buffer`. */
  private column = 0;
  private buffer: Uint8Array | undefined;
  private nextLf = -1;
  private nextCr = -1;

  constructor(private cursor: number) {}

  /** The buffer's content changed (a buffer may be reused for the next region). */
  startBuffer(): void {
    this.buffer = undefined;
  }

  at(buffer: Uint8Array, base: number, offset: number): { line: number; column: number } {
    this.advance(buffer, base, offset);
    return { line: this.line, column: this.column };
  }

  /** `kernels`: they hold `buffer`, and count the breaks of a long stretch (a chunk's end) in one call. */
  advance(buffer: Uint8Array, base: number, offset: number, kernels?: ByteKernels): void {
    if (offset < this.cursor) return;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.nextLf = -1;
      this.nextCr = -1;
    }
    if (kernels && offset - this.cursor > LONG_STRETCH) {
      const { count, lineStart } = kernels.lineBreaks(this.cursor - base, offset - base);
      if (count) {
        this.line += count;
        this.cursor = base + lineStart;
        this.column = 0;
      }
    }
    for (;;) {
      if (this.nextLf < this.cursor) this.nextLf = find(buffer, base, 0x0a, this.cursor);
      if (this.nextCr < this.cursor) this.nextCr = find(buffer, base, 0x0d, this.cursor);
      const lineBreak = Math.min(this.nextLf, this.nextCr);
      if (lineBreak >= offset) break;
      this.line++;
      this.cursor = lineBreak + (lineBreak === this.nextCr && this.nextLf === lineBreak + 1 ? 2 : 1);
      this.column = 0;
    }
    if (offset > this.cursor) {
      this.column += utf8Text(buffer, this.cursor - base, offset - base).length;
      this.cursor = offset;
    }
  }
}

function find(buffer: Uint8Array, base: number, byte: number, from: number): number {
  const index = buffer.indexOf(byte, from - base);
  return index < 0 ? Infinity : base + index;
}
