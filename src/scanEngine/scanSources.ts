// Runs the core scanner over a stream of files, as the editor's Scan Workspace does file by file: files
// over the size limit and binaries are skipped and counted, every other file is scanned with the same
// options. Files on disk are read synchronously into one reused buffer (on a warm cache, several times
// faster than promise-based reads, and no garbage per file) and scanned as bytes: only the text around
// a possible token is ever decoded. Files larger than a chunk are streamed chunk by chunk, so memory
// stays bounded whatever the size limit. Sources that are slow to read (git) are read several at a time.
import * as fs from 'fs';
import { eventLoopTurns } from '../core/common/eventLoopTurns';
import {
  ByteScanner,
  detectEncoding,
  isProbablyBinary,
  isUtf16Text,
  type LocatedFinding,
  readInPlace,
  REGION_MARGIN,
  scanFileBytes,
} from '../core/scanner';
import type { ScanOptions } from '../core/scanner';
import { type ReportedFinding, compareReported, reportLocatedFinding } from '../core/findings/reportedFinding';

/** The editor's default for `jiraTokenGuard.maxFileSizeKB`. */
export const DEFAULT_MAX_FILE_KB = 2048;
const READ_CONCURRENCY = 8;
/** Files up to this size are read whole; larger ones in chunks of this size. */
export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;

export interface SourceFile {
  /** What reports show: relative to the scanned root, '/'-separated. */
  file: string;
  /** Given to the scanner as `fileName` (an absolute path, as the editor gives). */
  fileName: string;
  /** A file on disk, read (and streamed when large) by the scan itself. */
  disk?: { absolute: string; followLinks: boolean };
  /** The content, or 'too-large' without reading it all when it is over `maxBytes`. */
  read(maxBytes: number): Promise<Uint8Array | 'too-large'>;
}

export interface ScanSettings {
  maxFileBytes: number;
  /** Scan files that look binary too (decoded as UTF-8). Default false. */
  includeBinary?: boolean;
  /** Also report ATATT3… strings with a wrong checksum. Default false, as in the editor. */
  reportUnverified?: boolean;
  ignoredFingerprints?: ReadonlySet<string>;
  /** Honour ignore comments in the files. Default true; `--no-inline-ignores` turns them off. */
  inlineIgnores?: boolean;
  /** Larger files on disk are streamed in chunks of this size (a test seam). */
  chunkBytes?: number;
  /** The live tokens of the editor's store (matched by fingerprint). */
  knownTokens?: ScanOptions['knownTokens'];
  /** The event loop gets a turn at least this often (default 50 ms; the editor asks for less). */
  yieldEveryMs?: number;
  /** Checked between files: a cancelled scan stops reading and resolves with what it has. */
  cancelled?: () => boolean;
  /** Each scanned file's findings, as the scanner located them (the editor publishes them as diagnostics). */
  onFileFindings?: (source: SourceFile, findings: readonly LocatedFinding[]) => void;
}

/** Counters a progress display can read while the scan runs. */
export interface ScanCounters {
  scannedFiles: number;
  skippedFiles: number;
  scannedBytes: number;
}

export interface ScanOutcome extends ScanCounters {
  /** Sorted by file, line, column. */
  findings: ReportedFinding[];
  durationMs: number;
  /** One line per file that could not be read: the scan is incomplete. */
  errors: string[];
}

/** `sources`: files, or batches of files (a folder's at a time: one await per batch). */
export async function scanSources(
  sources: AsyncIterable<SourceFile | SourceFile[]> | Iterable<SourceFile | SourceFile[]>,
  settings: ScanSettings,
  counters: ScanCounters = { scannedFiles: 0, skippedFiles: 0, scannedBytes: 0 },
): Promise<ScanOutcome> {
  const started = Date.now();
  const findings: ReportedFinding[] = [];
  const errors: string[] = [];
  const iterator: Iterator<SourceFile | SourceFile[]> | AsyncIterator<SourceFile | SourceFile[]> =
    Symbol.asyncIterator in sources ? sources[Symbol.asyncIterator]() : sources[Symbol.iterator]();
  const reader = new DiskReader(settings);

  const record = (source: SourceFile, result: ScannedFile): void => {
    if (result === 'skipped') {
      counters.skippedFiles++;
      return;
    }
    counters.scannedFiles++;
    counters.scannedBytes += result.bytes;
    // Most files have none: their empty arrays must not be the only kind of array this loop has seen.
    if (result.findings.length)
      for (const finding of result.findings) findings.push(reportLocatedFinding(source.file, finding, finding.span));
    settings.onFileFindings?.(source, result.findings);
  };

  const failed = (source: SourceFile, error: unknown): void => {
    errors.push(`cannot read ${source.file}: ${describeError(error)}`);
  };

  /** Files on disk are read and scanned synchronously, without a promise per file (large ones chunk by chunk). */
  const scanOnDisk = (source: SourceFile): void | Promise<void> => {
    const done = (result: ScannedFile | 'gone') => {
      if (result !== 'gone') record(source, result);
    };
    try {
      const result = reader.scan(source, pause);
      if (!(result instanceof Promise)) return done(result);
      return result.then(done, (error: unknown) => failed(source, error));
    } catch (error) {
      failed(source, error);
    }
  };

  const scanRead = async (source: SourceFile): Promise<void> => {
    try {
      const bytes = await source.read(settings.maxFileBytes);
      record(source, bytes === 'too-large' ? 'skipped' : scanWhole(bytes, settings, source));
    } catch (error) {
      failed(source, error);
    }
  };

  // One clock for every worker: they all wait on the same turn.
  const turns = eventLoopTurns(settings.yieldEveryMs);
  const pause = () => turns.due();
  const worker = async (): Promise<void> => {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      for (const source of Array.isArray(next.value) ? next.value : [next.value]) {
        // Another worker asked for a turn: wait for it too rather than run on in the microtask queue.
        while (turns.pending) await turns.pending;
        if (settings.cancelled?.()) return;
        const scanned = source.disk ? scanOnDisk(source) : scanRead(source);
        if (scanned) await scanned;
        const paused = pause();
        if (paused) await paused;
      }
    }
  };
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
  findings.sort(compareReported);
  return { findings, ...counters, durationMs: Date.now() - started, errors };
}

type ScannedFile = 'skipped' | { bytes: number; findings: LocatedFinding[] };

function scanWhole(bytes: Uint8Array, settings: ScanSettings, source: SourceFile): ScannedFile {
  const findings = scanFileBytes(bytes, scanOptions(settings, source), settings.includeBinary ?? false);
  return findings === 'binary' ? 'skipped' : { bytes: bytes.byteLength, findings };
}

function scanOptions(settings: ScanSettings, source: SourceFile) {
  return {
    reportUnverified: settings.reportUnverified ?? false,
    ignoredFingerprints: settings.ignoredFingerprints,
    inlineIgnores: settings.inlineIgnores ?? true,
    knownTokens: settings.knownTokens,
    fileName: source.fileName,
  };
}

function isSkippedBinary(bytes: Uint8Array, settings: ScanSettings): boolean {
  return !settings.includeBinary && isProbablyBinary(bytes) && !isUtf16Text(bytes);
}

/**
 * Reads files on disk into one buffer, reused from file to file: one read tells a small file's size
 * (a short read is the end of a regular file) and a file over the limit, with no stat and no garbage.
 * The buffer is the byte scan's own memory (`readInPlace`), so the file is read where it is scanned.
 */
class DiskReader {
  private readonly maxBytes: number;
  private readonly chunkBytes: number;
  private readonly bufferBytes: number;

  constructor(private readonly settings: ScanSettings) {
    this.maxBytes = settings.maxFileBytes;
    this.chunkBytes = settings.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.bufferBytes = Math.min(this.maxBytes, this.chunkBytes) + 1;
  }

  /**
   * 'gone': listed but no longer a regular file (deleted, a link, a folder): not a scan error. A file
   * larger than a chunk is scanned asynchronously, waiting on `pause` between chunks when it asks to.
   */
  scan(source: SourceFile, pause: () => Promise<void> | undefined): ScannedFile | 'gone' | Promise<ScannedFile | 'gone'> {
    const { absolute, followLinks } = source.disk!;
    let fd: number;
    try {
      // O_NONBLOCK: a FIFO must not block the open. O_NOFOLLOW: a listed link is not followed.
      fd = fs.openSync(absolute, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (followLinks ? 0 : fs.constants.O_NOFOLLOW));
    } catch (error) {
      if (!followLinks && ['ENOENT', 'ELOOP', 'EMLINK', 'ENOTDIR', 'ENXIO'].includes((error as NodeJS.ErrnoException).code ?? ''))
        return 'gone';
      throw error;
    }
    let chunked = false;
    try {
      let unreadable = false;
      const read = (buffer: Uint8Array): number => {
        try {
          // One read: on a regular file, fewer bytes than asked for means the end of the file.
          return fs.readSync(fd, buffer, 0, this.bufferBytes, 0);
        } catch (error) {
          // A submodule (a folder), or a device or socket git lists as untracked: not files to scan.
          if (!followLinks && ['EISDIR', 'EAGAIN', 'EWOULDBLOCK', 'EINVAL'].includes((error as NodeJS.ErrnoException).code ?? '')) {
            unreadable = true;
            return 0;
          }
          throw error;
        }
      };
      const whole = readInPlace(this.bufferBytes, read, (bytes): ScannedFile | 'gone' | 'larger' => {
        if (unreadable || (bytes.length === 0 && !fs.fstatSync(fd).isFile())) return 'gone';
        return bytes.length < this.bufferBytes ? scanWhole(bytes, this.settings, source) : 'larger';
      });
      if (whole !== 'larger') return whole;
      const stats = fs.fstatSync(fd);
      if (!stats.isFile()) return 'gone';
      if (stats.size > this.maxBytes) return 'skipped';
      chunked = true;
      return this.scanInChunks(fd, stats.size, source, pause).finally(() => fs.closeSync(fd));
    } finally {
      if (!chunked) fs.closeSync(fd);
    }
  }

  /** A file larger than a chunk: regions of `chunkBytes`, each read with REGION_MARGIN of context either side. */
  private async scanInChunks(fd: number, size: number, source: SourceFile, pause: () => Promise<void> | undefined): Promise<ScannedFile> {
    const first = Buffer.allocUnsafe(Math.min(size, this.chunkBytes + REGION_MARGIN));
    readInto(fd, first, 0, first.length, 0);
    if (isSkippedBinary(first, this.settings)) return 'skipped';
    const { encoding, bomLength } = detectEncoding(first);
    if (encoding !== 'utf8') {
      // UTF-16 is decoded whole: rare, and never larger than the size limit.
      const whole = Buffer.allocUnsafe(size);
      return scanWhole(whole.subarray(0, readInto(fd, whole, 0, size, 0)), this.settings, source);
    }
    const scanner = new ByteScanner(scanOptions(this.settings, source), bomLength);
    const buffer = Buffer.allocUnsafe(Math.min(size, this.chunkBytes + 2 * REGION_MARGIN));
    const findings: LocatedFinding[] = [];
    let from = bomLength;
    while (from < size) {
      const base = Math.max(0, from - REGION_MARGIN);
      const end = Math.min(size, from + this.chunkBytes + REGION_MARGIN);
      const held = buffer.subarray(0, readInto(fd, buffer, 0, end - base, base));
      // The file may shrink while it is read: scan what is there.
      const fileEnd = base + held.length < end ? base + held.length : size;
      let to = Math.min(fileEnd, from + this.chunkBytes);
      if (to < fileEnd) to = regionEnd(held, base, to);
      findings.push(...scanner.scanRegion(held, base, from, to, fileEnd));
      if (fileEnd < size || this.settings.cancelled?.()) break;
      from = to;
      const paused = pause();
      if (paused) await paused;
    }
    return { bytes: size, findings };
  }
}

/** Moved back so that a region never ends inside a character or between the \r and \n of a line break. */
function regionEnd(buffer: Buffer, base: number, to: number): number {
  let end = to;
  while ((buffer[end - base] & 0xc0) === 0x80) end--;
  if (buffer[end - base] === 0x0a && buffer[end - base - 1] === 0x0d) end--;
  return end;
}

function readInto(fd: number, buffer: Buffer, offset: number, length: number, position: number): number {
  let filled = 0;
  while (filled < length) {
    const read = fs.readSync(fd, buffer, offset + filled, length - filled, position + filled);
    if (read === 0) break;
    filled += read;
  }
  return filled;
}

/** A file on disk. Links are followed for a file named on the command line, not for listed ones. */
export function diskSource(file: string, absolute: string, followLinks = true): SourceFile {
  return new DiskSource(file, absolute, followLinks);
}

class DiskSource implements SourceFile {
  readonly disk: { absolute: string; followLinks: boolean };

  constructor(
    readonly file: string,
    readonly fileName: string,
    followLinks: boolean,
  ) {
    this.disk = { absolute: fileName, followLinks };
  }

  async read(maxBytes: number): Promise<Uint8Array | 'too-large'> {
    const bytes = await fs.promises.readFile(this.fileName);
    return bytes.length > maxBytes ? 'too-large' : bytes;
  }
}

/** A read failure whose message was written to be shown: it quotes no value the user typed. */
export class ReadError extends Error {}

const ERROR_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EMFILE: 'too many open files',
  EBUSY: 'the file is busy',
};

/** The cause in a few words. Never Node's message: it quotes the path, which may be what the user pasted. */
export function describeError(error: unknown): string {
  const { code, message } = (error ?? {}) as NodeJS.ErrnoException;
  if (code && ERROR_WORDS[code]) return ERROR_WORDS[code];
  if (typeof code === 'string' && /^E[A-Z0-9_]{1,30}$/.test(code)) return code;
  // Our own errors (not Node's) say what went wrong without quoting anything.
  return error instanceof ReadError ? message : 'unexpected error';
}
