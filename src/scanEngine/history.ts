// `scan --history`: what every commit added, read from one `git log -p` stream (all refs, or a range), each
// file's added lines scanned with the core scanner. A secret added in several commits is one finding: its
// first commit first, the others listed. No vscode here: the editor's history command runs this too.
//
// The repository is hostile: paths, author names and ref names are attacker-controlled. Nothing read from
// it becomes a git option (revisions follow --end-of-options, a date is glued to --since=), and git's
// own configuration is overridden where it would change the output's shape (prefixes, colour, textconv).
// git itself runs hardened (./git.ts): the repository cannot make it run a program.
//
// Measured (issue 25) on 20,001 commits of small edits: the scan is not the cost, git log -p is (Node idles
// 65-80% of the time). The byte scan of each change's added text, or one kernel pass per megabyte of it, cost
// 8-20% more of Node's CPU than the string scan here (texts of a few KB, already in memory), for the same
// findings (the differential fuzzer holds the two scans equal). Each blob once (`git log --raw` + `git
// cat-file --batch` over the 18,034 unique blobs) costs git 1.42 s of CPU against 1.57 s for `git log -p`, but
// a blob is the whole file: 45.5 MB to scan instead of 2.9 MB of added text, 0.96 s of Node's CPU against
// 0.82 s, the same total, and "added in" would need each blob's parent scanned and compared (renames, merges).
import * as path from 'path';
import { isProbablyBinary, scan } from '../core/scanner';
import {
  type CommitRef,
  type HistoryOccurrence,
  type ReportedFinding,
  compareReported,
  reportFinding,
} from '../core/findings/reportedFinding';
import { redactText } from '../core/tokens/redact';
import { escapeControls } from '../core/common/text';
import { GitError, MISSING_OBJECTS, git, missingObjects, spawnGit } from './git';

export interface HistoryScanOptions {
  /** The repository's top folder: reported paths are relative to it. */
  top: string;
  /** `A..B`, `main..feature`, a single commit (it and its ancestors): instead of every ref. */
  range?: string;
  /** Passed to git as --since (a date or "2 weeks ago"). */
  since?: string;
  maxFileBytes: number;
  includeBinary?: boolean;
  reportUnverified?: boolean;
  ignoredFingerprints?: ReadonlySet<string>;
  /** Honour ignore comments (default true). */
  inlineIgnores?: boolean;
  /** Paths with one of these folder names are not scanned (node_modules, .git). */
  skippedDirs?: ReadonlySet<string>;
  signal?: AbortSignal;
}

/** Read while the scan runs, for a progress display. */
export interface HistoryCounters {
  scannedCommits: number;
  /** Files changed by a commit, counted once per commit. */
  scannedFiles: number;
  skippedFiles: number;
  scannedBytes: number;
}

export interface HistoryOutcome extends HistoryCounters {
  /** One per secret, at the commit that first added it; sorted by file, line, column. */
  findings: ReportedFinding[];
  durationMs: number;
  errors: string[];
}

/** A problem with the repository or the arguments: the caller names it, exit code 2. */
export class HistoryError extends Error {}

const COMMIT_MARK = 0; // each commit header starts with two NUL bytes: no diff line can
const PLUS = 0x2b;
const MINUS = 0x2d;
const SPACE = 0x20;
const BACKSLASH = 0x5c;
const AT = 0x40;
const LF = 0x0a;
const NEWLINE = Buffer.from('\n');

export function newHistoryCounters(): HistoryCounters {
  return { scannedCommits: 0, scannedFiles: 0, skippedFiles: 0, scannedBytes: 0 };
}

/** The git arguments of the scan; exported for the tests that pin the hardening. */
export function historyGitArgs(options: Pick<HistoryScanOptions, 'range' | 'since'>): string[] {
  return [
    // Output shape fixed whatever the user's or the repository's configuration says.
    '-c',
    'core.quotePath=true',
    '-c',
    'diff.noprefix=false',
    '-c',
    'log.showSignature=false',
    'log',
    '-p',
    '-U0',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--no-relative',
    '--root',
    '--encoding=UTF-8',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    // Every change as text: the repository's .gitattributes (`*.env binary`, `-diff`) must not hide one.
    // Binaries are then told apart here, by content, as in a folder scan.
    '--text',
    '--format=%x00%x00%H%x00%aI%x00%an%x00%ae',
    ...(options.since !== undefined ? [`--since=${options.since}`] : []),
    // Revisions after --end-of-options, paths after --: neither can be read as an option.
    ...(options.range !== undefined ? ['--end-of-options', options.range] : ['--all']),
    '--',
  ];
}

/** Checks what `--range` and `--since` may hold before git sees them; the messages never quote the value. */
export function validateHistoryArgs(options: Pick<HistoryScanOptions, 'range' | 'since'>): void {
  // eslint-disable-next-line no-control-regex
  const unprintable = /[\x00-\x1f\x7f]/;
  if (options.range !== undefined && (!options.range.trim() || options.range.startsWith('-') || unprintable.test(options.range))) {
    throw new HistoryError('--range needs a revision range such as main..feature (it cannot start with "-")');
  }
  if (options.since !== undefined && (!options.since.trim() || unprintable.test(options.since))) {
    throw new HistoryError('--since needs a date such as 2024-01-31 or "6 months ago"');
  }
}

/** The top folder of the repository holding `dir`. */
export async function repositoryTop(dir: string): Promise<string> {
  let stdout: Buffer;
  try {
    stdout = await git(dir, ['rev-parse', '--show-toplevel']);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    if (error.code === 'ENOENT') throw new HistoryError('git was not found on PATH');
    throw new HistoryError(
      `--history needs a git repository: ${printable(firstLine(error.stderr).replace(/^fatal:\s*/, '')) || 'git rev-parse failed'}`,
    );
  }
  return stdout.toString('utf8').replace(/\n$/, '');
}

/**
 * Whether the repository is a shallow clone (actions/checkout's default, depth 1): its history stops at the
 * shallow boundary, and a history scan sees only what was fetched. False when git cannot tell.
 */
export async function isShallowRepository(top: string): Promise<boolean> {
  try {
    return (await git(top, ['rev-parse', '--is-shallow-repository'])).toString('utf8').trim() === 'true';
  } catch {
    return false;
  }
}

export async function scanHistory(options: HistoryScanOptions, counters: HistoryCounters = newHistoryCounters()): Promise<HistoryOutcome> {
  validateHistoryArgs(options);
  if (options.signal?.aborted) throw new HistoryError('cancelled');
  const started = Date.now();
  const occurrences = new Map<string, Occurrence[]>();
  const parser = new PatchParser(
    (change) => scanChange(change, options, counters, occurrences),
    () => counters.scannedCommits++,
    options.maxFileBytes,
  );
  let child: ReturnType<typeof spawnGit>;
  try {
    child = spawnGit(options.top, historyGitArgs(options));
  } catch (error) {
    throw error instanceof GitError && error.code === 'ENOENT' ? new HistoryError('git was not found on PATH') : error;
  }
  const onAbort = () => child.kill();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 64) stderr.push(chunk);
  });
  try {
    const exit = new Promise<number | null>((resolve, reject) => {
      child.on('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? new HistoryError('git was not found on PATH') : error),
      );
      child.on('close', resolve);
    });
    for await (const chunk of child.stdout) parser.push(chunk as Buffer);
    parser.end();
    const code = await exit;
    if (options.signal?.aborted) throw new HistoryError('cancelled');
    if (code !== 0) throw new HistoryError(gitFailure(Buffer.concat(stderr).toString('utf8'), options));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (child.exitCode === null) child.kill();
  }
  const findings = [...occurrences.values()]
    .map(groupOccurrences)
    .sort((a, b) => compareReported(a, b) || compare(a.introducedIn!.commit, b.introducedIn!.commit));
  return { findings, ...counters, durationMs: Date.now() - started, errors: [] };
}

/** git's reason, without echoing a revision or date given on the command line. */
function gitFailure(stderr: string, options: Pick<HistoryScanOptions, 'range'>): string {
  // First: a missing commit would read as a range naming none.
  if (missingObjects(stderr)) return `git log failed: ${MISSING_OBJECTS}`;
  if (options.range !== undefined && /bad revision|unknown revision|ambiguous argument|invalid revision|bad object/i.test(stderr)) {
    return '--range names no commit of this repository (use e.g. main..feature or a full commit id)';
  }
  if (/does not have any commits/i.test(stderr)) return 'the repository has no commits yet';
  return `git log failed: ${printable(firstLine(stderr)).replace(/^fatal:\s*/, '') || 'no reason given'}`;
}

/** One file's added lines in one commit. Its buffers are reused: valid only during the callback. */
export interface AddedText {
  commit: CommitRef;
  /** As of that commit, '/'-separated. */
  file: string;
  /** Every added line, each without its '+', joined with '\n'. */
  text: Buffer;
  /** The new-file line number (1-based) of each added line. */
  lineNumbers: Int32Array;
  /** git showed "Binary files … differ" (no lines). */
  binary: boolean;
  /** The added text was over the parser's `maxBytes`: `text` is cut short and should not be scanned. */
  tooLarge: boolean;
}

/** Grows by doubling; reused from file to file, so a scan allocates no object per line. */
class ByteBuilder {
  bytes = Buffer.allocUnsafe(64 * 1024);
  length = 0;

  append(from: Buffer, start: number, end: number): void {
    const needed = this.length + (end - start);
    if (needed > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    from.copy(this.bytes, this.length, start, end);
    this.length = needed;
  }
}

/**
 * Reads `git log -p -U0` output as it streams: commit headers (two NUL bytes, then fields split by NUL), file
 * headers (`diff --git`, `+++ b/path`), and hunks, where only '+' lines are kept. A line in a hunk cannot
 * start with NUL or `d`: it starts with '+', '-', ' ' or '\'; so an added line can never pass for a header.
 */
export class PatchParser {
  private rest: Buffer | undefined;
  private commit: CommitRef | undefined;
  private change: { file: string; binary: boolean; lines: number } | undefined;
  private inHunk = false;
  private nextLine = 0;
  private readonly text = new ByteBuilder();
  private lineNumbers = new Int32Array(1024);

  /** `maxBytes`: a file's added text beyond it is not kept (it will be skipped as too large). */
  constructor(
    private readonly onChange: (change: AddedText) => void,
    private readonly onCommit: (commit: CommitRef) => void = () => undefined,
    private readonly maxBytes = Number.MAX_SAFE_INTEGER,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    if (this.rest) {
      // Only the line cut at the previous chunk's end is copied, not the whole chunk.
      const end = chunk.indexOf(LF);
      if (end === -1) {
        this.rest = Buffer.concat([this.rest, chunk]);
        return;
      }
      const line = Buffer.concat([this.rest, chunk.subarray(0, end)]);
      this.rest = undefined;
      this.line(line, 0, line.length);
      start = end + 1;
    }
    for (let end = chunk.indexOf(LF, start); end !== -1; end = chunk.indexOf(LF, start)) {
      this.line(chunk, start, end);
      start = end + 1;
    }
    if (start < chunk.length) this.rest = Buffer.from(chunk.subarray(start));
  }

  end(): void {
    if (this.rest) {
      const rest = this.rest;
      this.rest = undefined;
      this.line(rest, 0, rest.length);
    }
    this.flush();
  }

  private line(buffer: Buffer, start: number, end: number): void {
    const first = start < end ? buffer[start] : LF;
    if (this.inHunk) {
      if (first === PLUS) {
        this.added(buffer, start + 1, end);
        return;
      }
      if (first === MINUS || first === BACKSLASH) return;
      if (first === SPACE) {
        this.nextLine++;
        return;
      }
      if (first === AT) {
        this.hunkHeader(buffer.toString('latin1', start, end));
        return;
      }
      this.inHunk = false;
    }
    if (first === COMMIT_MARK && buffer[start + 1] === COMMIT_MARK) {
      this.flush();
      const [id = '', date = '', name = '', email = ''] = buffer.toString('utf8', start + 2, end).split('\0');
      // Masked here, once: an author name is free text, and may hold a token like any other.
      this.commit = { commit: id, date, author: redactText(email ? `${name} <${email}>` : name) };
      this.onCommit(this.commit);
      return;
    }
    if (!this.commit) return;
    const text = buffer.toString('latin1', start, Math.min(end, start + 16));
    if (text.startsWith('diff --git ')) {
      this.flush();
      this.change = { file: '', binary: false, lines: 0 };
      this.text.length = 0;
    } else if (this.change && text.startsWith('+++ ')) {
      const name = unquotePath(buffer.subarray(start + 4, end));
      this.change.file = name.startsWith('b/') ? name.slice(2) : '';
    } else if (this.change && text.startsWith('Binary files ')) {
      // "Binary files a/x and b/y differ": the new name is after " and " (quoted when unusual).
      const line = buffer.subarray(start, end);
      const at = line.lastIndexOf(' and ');
      const name = at === -1 ? '' : unquotePath(line.subarray(at + 5, line.length - ' differ'.length));
      this.change.file = name.startsWith('b/') ? name.slice(2) : '';
      this.change.binary = true;
    } else if (this.change && first === AT) {
      this.hunkHeader(buffer.toString('latin1', start, end));
    }
  }

  private hunkHeader(header: string): void {
    const match = /^@@@* [^+]*\+(\d+)/.exec(header);
    this.nextLine = match ? Number(match[1]) : 1;
    this.inHunk = true;
  }

  private added(buffer: Buffer, start: number, end: number): void {
    const change = this.change!;
    if (change.lines === this.lineNumbers.length) {
      const grown = new Int32Array(this.lineNumbers.length * 2);
      grown.set(this.lineNumbers);
      this.lineNumbers = grown;
    }
    this.lineNumbers[change.lines++] = this.nextLine++;
    if (this.text.length > this.maxBytes) return;
    if (change.lines > 1) this.text.append(NEWLINE, 0, 1);
    this.text.append(buffer, start, end);
  }

  private flush(): void {
    const change = this.change;
    this.change = undefined;
    this.inHunk = false;
    if (!change || !change.file || !(change.lines || change.binary)) return;
    this.onChange({
      commit: this.commit!,
      file: change.file,
      text: this.text.bytes.subarray(0, this.text.length),
      lineNumbers: this.lineNumbers.subarray(0, change.lines),
      binary: change.binary,
      tooLarge: this.text.length > this.maxBytes,
    });
  }
}

/**
 * A path as git prints it: bare, or in double quotes with C escapes (`\t`, `\"`, `\\`, octal bytes) when it
 * holds unusual characters. git ends a bare name holding a space with a tab, which is dropped.
 */
export function unquotePath(raw: Buffer): string {
  let end = raw.length;
  if (end && raw[end - 1] === 0x09) end--;
  if (raw[0] !== 0x22 || raw[end - 1] !== 0x22) return raw.toString('utf8', 0, end);
  const bytes: number[] = [];
  const escapes: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 0x22, '\\': 0x5c };
  for (let i = 1; i < end - 1; i++) {
    const byte = raw[i];
    if (byte !== BACKSLASH) {
      bytes.push(byte);
      continue;
    }
    const next = String.fromCharCode(raw[++i]);
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(raw.toString('latin1', i, i + 3), 8) & 0xff);
      i += 2;
    } else bytes.push(escapes[next] ?? raw[i]);
  }
  return Buffer.from(bytes).toString('utf8');
}

interface Occurrence extends HistoryOccurrence {
  finding: ReportedFinding;
}

function scanChange(change: AddedText, options: HistoryScanOptions, counters: HistoryCounters, out: Map<string, Occurrence[]>): void {
  if (options.skippedDirs && change.file.split('/').some((part) => options.skippedDirs!.has(part))) return;
  if (change.binary) {
    counters.skippedFiles++;
    return;
  }
  const bytes = change.text;
  if (change.tooLarge || bytes.length > options.maxFileBytes || (!options.includeBinary && isProbablyBinary(bytes))) {
    counters.skippedFiles++;
    return;
  }
  counters.scannedFiles++;
  counters.scannedBytes += bytes.length;
  const text = bytes.toString('utf8');
  const found = scan(text, {
    reportUnverified: options.reportUnverified ?? false,
    ignoredFingerprints: options.ignoredFingerprints,
    inlineIgnores: options.inlineIgnores ?? true,
    fileName: path.join(options.top, ...change.file.split('/')),
  });
  for (const finding of found) {
    const reported = reportFinding(change.file, finding, text);
    // Lines of the added text are not the file's lines: map back to the new file's numbering.
    const line = change.lineNumbers[finding.line] ?? reported.line;
    reported.endLine += line - reported.line;
    reported.line = line;
    const occurrence: Occurrence = { ...change.commit, file: change.file, line, column: reported.column, finding: reported };
    const list = out.get(finding.fingerprint);
    if (list) list.push(occurrence);
    else out.set(finding.fingerprint, [occurrence]);
  }
}

/** git log lists the newest commit first: the last occurrence seen is where the secret first came in. */
function groupOccurrences(list: Occurrence[]): ReportedFinding {
  const ordered = [...list].reverse();
  const [first, ...others] = ordered;
  return {
    ...first.finding,
    introducedIn: { commit: first.commit, author: first.author, date: first.date },
    alsoAddedIn: others.map(({ commit, author, date, file, line, column }) => ({ commit, author, date, file, line, column })),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Text from the repository (a path, an author) made safe for a terminal: control characters (escape
 * sequences, carriage returns, bidi overrides) shown escaped, and token-shaped runs masked.
 */
export function printable(text: string): string {
  return escapeControls(redactText(text));
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
