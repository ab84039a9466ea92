// A folder scan on two threads: the walk goes on in the main thread and hands out the files it finds in
// chunks; for each chunk the main thread and one worker thread (the command line's own script, started
// once the tree proves large) take files by an atomic counter in shared memory, so neither waits for
// the other and neither can take a file twice. Reading from the page cache and scanning are CPU work:
// on a machine with two cores this halves the longest part of a scan. Only paths go to the worker and
// only findings come back; nothing is held per file beyond the chunk in hand.
import * as os from 'os';
import { Worker, isMainThread, parentPort, workerData } from 'worker_threads';
import { compareReported, ReportedFinding } from '../core/findings/reportedFinding';
import { ScanCounters, ScanOutcome, ScanSettings, SourceFile, diskSource, scanSources } from './scanSources';

/** Files handed out at a time: small enough that the walk keeps both threads fed. */
const CHUNK_FILES = 256;
/** A tree smaller than this is done before a worker would have started. */
const WORKER_AFTER_FILES = 1024;
const WORKER_MARK = 'jira-token-guard-scan-worker';

/** What the worker gets once: the settings that are plain data. */
interface WorkerSettings {
  maxFileBytes: number;
  includeBinary?: boolean;
  reportUnverified?: boolean;
  inlineIgnores?: boolean;
  chunkBytes?: number;
  ignoredFingerprints: string[];
}

interface ChunkRequest {
  id: number;
  /** [reported path, absolute path, follow links] */
  files: Array<[string, string, boolean]>;
  /** Index of the next file to take, shared with the main thread. */
  next: Int32Array;
}

interface ChunkResult {
  id: number;
  findings: ReportedFinding[];
  errors: string[];
  scannedFiles: number;
  skippedFiles: number;
  scannedBytes: number;
}

export interface ParallelOptions {
  /** The script a worker runs (this command line's own file); without it, one thread. */
  workerScript?: string;
  /** Start the worker after this many files (a test seam; default 1024). */
  workerAfterFiles?: number;
  /** Told how many files each chunk's worker share held (a test seam). */
  onWorkerScanned?: (files: number) => void;
  /** False: the worker takes every file of the chunks it is sent (a test seam). Default true. */
  mainThreadScans?: boolean;
}

/** As scanSources, with a worker thread for the files on disk once the tree is large enough. */
export async function scanSourcesInParallel(
  sources: AsyncIterable<SourceFile | SourceFile[]> | Iterable<SourceFile | SourceFile[]>,
  settings: ScanSettings,
  counters: ScanCounters,
  options: ParallelOptions,
): Promise<ScanOutcome> {
  const started = Date.now();
  const threads = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  if (!options.workerScript || threads < 2 || settings.onFileFindings || settings.knownTokens?.length) return scanSources(sources, settings, counters);
  const findings: ReportedFinding[] = [];
  const errors: string[] = [];
  let worker: ScanWorker | undefined;
  let seen = 0;
  let chunk: SourceFile[] = [];
  const scanChunk = async (files: SourceFile[]): Promise<void> => {
    if (!worker && seen >= (options.workerAfterFiles ?? WORKER_AFTER_FILES)) worker = new ScanWorker(options.workerScript!, settings, counters, options.onWorkerScanned);
    const next = new Int32Array(new SharedArrayBuffer(4));
    if (worker && files.every((file) => file.disk)) {
      worker.scan(files, next);
      if (options.mainThreadScans === false) return;
    }
    const outcome = await scanSources(claimed(files, next), settings, counters);
    findings.push(...outcome.findings);
    errors.push(...outcome.errors);
  };
  for await (const item of sources) {
    for (const source of Array.isArray(item) ? item : [item]) {
      chunk.push(source);
      seen++;
      if (chunk.length >= CHUNK_FILES) {
        await scanChunk(chunk);
        chunk = [];
      }
    }
  }
  if (chunk.length) await scanChunk(chunk);
  if (worker) {
    const done = await worker.finish();
    findings.push(...done.findings);
    errors.push(...done.errors);
  }
  findings.sort(compareReported);
  // Both threads report read errors as they meet them: sorted, the report does not depend on timing.
  errors.sort();
  return { findings, ...counters, durationMs: Date.now() - started, errors };
}

/** The files of a chunk that this thread takes, one at a time, as the other thread takes its own. */
function claimed<T>(files: readonly T[], next: Int32Array): Iterable<T> {
  return {
    [Symbol.iterator]: () => ({
      next: () => {
        const index = Atomics.add(next, 0, 1);
        return index < files.length ? { value: files[index], done: false } : { value: undefined, done: true };
      },
    }),
  };
}

class ScanWorker {
  private readonly worker: Worker;
  private readonly waiting = new Set<number>();
  private readonly results: ChunkResult[] = [];
  private failure: string | undefined;
  private stopping = false;
  private nextId = 0;
  private settle: (() => void) | undefined;

  constructor(script: string, settings: ScanSettings, private readonly counters: ScanCounters, onScanned?: (files: number) => void) {
    const plain: WorkerSettings = {
      maxFileBytes: settings.maxFileBytes,
      includeBinary: settings.includeBinary,
      reportUnverified: settings.reportUnverified,
      inlineIgnores: settings.inlineIgnores,
      chunkBytes: settings.chunkBytes,
      ignoredFingerprints: [...(settings.ignoredFingerprints ?? [])],
    };
    this.worker = new Worker(script, { workerData: { [WORKER_MARK]: plain }, stdout: true, stderr: true });
    this.worker.on('message', (result: ChunkResult) => {
      this.waiting.delete(result.id);
      this.results.push(result);
      this.counters.scannedFiles += result.scannedFiles;
      this.counters.skippedFiles += result.skippedFiles;
      this.counters.scannedBytes += result.scannedBytes;
      onScanned?.(result.scannedFiles + result.skippedFiles);
      this.check();
    });
    // Never silent: files the worker took and did not report make the scan incomplete.
    this.worker.on('error', () => this.fail());
    this.worker.on('exit', () => this.fail());
  }

  scan(files: readonly SourceFile[], next: Int32Array): void {
    // Gone: the thread that remains takes every file.
    if (this.failure) return;
    const id = this.nextId++;
    this.waiting.add(id);
    const request: ChunkRequest = { id, next, files: files.map((file) => [file.file, file.disk!.absolute, file.disk!.followLinks]) };
    this.worker.postMessage(request);
  }

  /** Waits for every chunk, then stops the worker. */
  async finish(): Promise<{ findings: ReportedFinding[]; errors: string[] }> {
    await new Promise<void>((resolve) => {
      this.settle = resolve;
      this.check();
    });
    this.settle = undefined;
    this.stopping = true;
    await this.worker.terminate();
    const findings = this.results.flatMap((result) => result.findings);
    const errors = this.results.flatMap((result) => result.errors);
    if (this.failure) errors.push(this.failure);
    return { findings, errors };
  }

  /** Whether or not it had taken files yet: which it took cannot be known, so the scan is incomplete. */
  private fail(): void {
    if (this.stopping || this.failure) return;
    this.failure = 'a scan thread stopped before it was done: some files may not have been scanned';
    this.waiting.clear();
    this.check();
  }

  private check(): void {
    if (this.waiting.size === 0) this.settle?.();
  }
}

/** In a worker started by scanSourcesInParallel: scans the chunks it is sent. False anywhere else. */
export function runScanWorkerIfAsked(): boolean {
  const data = workerData as Record<string, WorkerSettings> | undefined;
  if (isMainThread || !parentPort || !data?.[WORKER_MARK]) return false;
  const port = parentPort;
  const plain = data[WORKER_MARK];
  const settings: ScanSettings = { ...plain, ignoredFingerprints: new Set(plain.ignoredFingerprints) };
  // One chunk at a time, in order.
  let queue = Promise.resolve();
  port.on('message', (request: ChunkRequest) => {
    queue = queue.then(async () => {
      const sources = claimed(request.files, request.next);
      const mapped: Iterable<SourceFile> = {
        [Symbol.iterator]: () => {
          const inner = sources[Symbol.iterator]();
          return {
            next: () => {
              const step = inner.next();
              return step.done ? { value: undefined, done: true } : { value: diskSource(step.value[0], step.value[1], step.value[2]), done: false };
            },
          };
        },
      };
      const counters: ScanCounters = { scannedFiles: 0, skippedFiles: 0, scannedBytes: 0 };
      const outcome = await scanSources(mapped, settings, counters);
      const result: ChunkResult = { id: request.id, findings: outcome.findings, errors: outcome.errors, ...counters };
      port.postMessage(result);
    });
  });
  return true;
}
