// Runs the core scanner over a stream of files, as the editor's Scan Workspace does file by file: files
// over the size limit and binaries are skipped and counted, every other file is decoded as UTF-8 and
// scanned with the same options. Files on disk are read synchronously (several times faster than
// promise-based reads on a warm cache); sources that are slow to read (git) are read several at a time.
import * as fs from 'fs';
import { setImmediate as nextTurn } from 'timers/promises';
import { isProbablyBinary, scan } from '../core/scanner';
import { ReportedFinding, compareReported, reportFinding } from '../core/reportedFinding';

/** The editor's default for `jiraTokenGuard.maxFileSizeKB`. */
export const DEFAULT_MAX_FILE_KB = 2048;
const READ_CONCURRENCY = 8;
/** The scan gives the event loop a turn this often (a progress timer, a signal). */
const YIELD_EVERY_MS = 50;

export interface SourceFile {
  /** What reports show: relative to the scanned root, '/'-separated. */
  file: string;
  /** Given to the scanner as `fileName` (an absolute path, as the editor gives). */
  fileName: string;
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

export async function scanSources(
  sources: AsyncIterable<SourceFile> | Iterable<SourceFile>,
  settings: ScanSettings,
  counters: ScanCounters = { scannedFiles: 0, skippedFiles: 0, scannedBytes: 0 },
): Promise<ScanOutcome> {
  const started = Date.now();
  const findings: ReportedFinding[] = [];
  const errors: string[] = [];
  const iterator: Iterator<SourceFile> | AsyncIterator<SourceFile> = Symbol.asyncIterator in sources ? sources[Symbol.asyncIterator]() : sources[Symbol.iterator]();
  let lastYield = Date.now();

  const scanOne = async (source: SourceFile): Promise<void> => {
    let bytes: Uint8Array | 'too-large';
    try {
      bytes = await source.read(settings.maxFileBytes);
    } catch (error) {
      errors.push(`cannot read ${source.file}: ${describeError(error)}`);
      return;
    }
    if (bytes === 'too-large' || (!settings.includeBinary && isProbablyBinary(bytes))) {
      counters.skippedFiles++;
      return;
    }
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    const found = scan(text, {
      reportUnverified: settings.reportUnverified ?? false,
      ignoredFingerprints: settings.ignoredFingerprints,
      inlineIgnores: settings.inlineIgnores ?? true,
      fileName: source.fileName,
    });
    counters.scannedFiles++;
    counters.scannedBytes += bytes.byteLength;
    for (const finding of found) findings.push(reportFinding(source.file, finding, text));
  };

  const worker = async (): Promise<void> => {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      await scanOne(next.value);
      if (Date.now() - lastYield >= YIELD_EVERY_MS) {
        lastYield = Date.now();
        await nextTurn();
      }
    }
  };
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
  findings.sort(compareReported);
  return { findings, ...counters, durationMs: Date.now() - started, errors };
}

/** A file on disk: the size is checked on the open descriptor before anything is read. */
export function diskSource(file: string, absolute: string): SourceFile {
  return {
    file,
    fileName: absolute,
    read: async (maxBytes) => readFileUpTo(absolute, maxBytes),
  };
}

function readFileUpTo(absolute: string, maxBytes: number): Uint8Array | 'too-large' {
  const fd = fs.openSync(absolute, 'r');
  try {
    const { size } = fs.fstatSync(fd);
    if (size > maxBytes) return 'too-large';
    const buffer = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const read = fs.readSync(fd, buffer, filled, size - filled, filled);
      if (read === 0) break; // truncated while being read
      filled += read;
    }
    return buffer.subarray(0, filled);
  } finally {
    fs.closeSync(fd);
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
