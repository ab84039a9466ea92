// "Scan Workspace for Leaked Tokens": every text file the search would include (files.exclude,
// search.exclude, .gitignore), binaries and very large files skipped and counted; findings go to the
// Problems panel. Reading files never runs workspace code, so it works in Restricted Mode.
//
// A folder on this machine's disk (`file:`) is listed and read the way the command line does it, with
// the same walker (or git's listing inside a work tree) and the same byte-level reader and scanner:
// workspace.findFiles and workspace.fs cost a message per file and decode every file to a string. The
// work is cut into slices of a few milliseconds so the extension host keeps answering, and stops
// between files when cancelled. Other schemes (remote, virtual) go through workspace.fs as before.
import * as vscode from 'vscode';
import { decodeText, type Finding, isProbablyBinary, isUtf16Text, scan } from '../core/scanner';
import type { LocatedFinding } from '../core/scanner';
import { ALWAYS_SKIPPED_DIRS, type DroppedPattern, GitignoreMatcher } from '../core/files/gitignore';
import { excludeGlobsAsIgnoreLines } from '../core/files/excludeGlobs';
import { progressIncrement, type WorkspaceScanFinding, type WorkspaceScanSummary } from '../core/findings/scanSummary';
import { scanSources, type ScanCounters, type SourceFile } from '../scanEngine/scanSources';
import { treeSources } from '../scanEngine/treeScan';
import { gitListedFilesAsync } from '../scanEngine/walker';
import { type LeakDiagnostics } from './leakDiagnostics';
import { Commands, WorkbenchCommands } from '../common/constants';
import { type Ui } from '../common/ui';

const READ_CONCURRENCY = 8;
/** The longest stretch of scanning between two turns of the event loop (the guard is 50 ms). */
const SLICE_MS = 8;
const PROGRESS_EVERY_MS = 100;
const VERIFY_CHOICE = 'Verify Live or Dead…';

export class WorkspaceScanner {
  private last: WorkspaceScanSummary | undefined;
  private running: Promise<WorkspaceScanSummary | undefined> | undefined;
  private stop: vscode.CancellationTokenSource | undefined;
  private started = 0;
  /** .gitignore and excluded-glob patterns the last scan found too costly to match (it then scanned more). */
  private droppedPatterns: DroppedPattern[] = [];

  constructor(
    private readonly diagnostics: LeakDiagnostics,
    private readonly ui: Ui,
    private readonly now: () => Date,
    private readonly readPasswords: () => Promise<void> = () => Promise.resolve(),
  ) {}

  lastWorkspaceScan(): WorkspaceScanSummary | undefined {
    return this.last;
  }

  /** How many scans have started since activation (a second request while one runs starts none). */
  scansStarted(): number {
    return this.started;
  }

  /** Stops the running scan, as its notification's Cancel button does. */
  cancel(): void {
    this.stop?.cancel();
  }

  /**
   * Runs the scan with a cancellable progress notification. While one runs, another request gets the
   * running one: any extension can run the command, and two scans would only race for the same files.
   */
  run(): Thenable<WorkspaceScanSummary | undefined> {
    if (!vscode.workspace.workspaceFolders?.length) {
      void this.ui.showInformationMessage('Open a folder to scan it for leaked Jira tokens.', {});
      return Promise.resolve(undefined);
    }
    if (this.running) {
      void this.ui.showInformationMessage('A scan for leaked Jira tokens is already running.', {});
      return this.running;
    }
    this.started++;
    const stop = new vscode.CancellationTokenSource();
    this.stop = stop;
    const running = Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Scanning for leaked Jira tokens', cancellable: true },
        async (progress, cancel) => {
          const relay = cancel.onCancellationRequested(() => stop.cancel());
          try {
            // `increment` adds up: report the share of the files done since the last report.
            let reported = 0;
            const summary = await this.scan(stop.token, (done, total) => {
              progress.report({
                message: total ? `${done} of ${total} files` : 'listing files…',
                increment: progressIncrement(reported, done, total),
              });
              reported = done;
            });
            if (!stop.token.isCancellationRequested) this.report(summary);
            return summary;
          } finally {
            relay.dispose();
          }
        },
      ),
    ).finally(() => {
      this.running = undefined;
      this.stop = undefined;
      stop.dispose();
    });
    this.running = running;
    return running;
  }

  async scan(cancel?: vscode.CancellationToken, onProgress?: (done: number, total: number) => void): Promise<WorkspaceScanSummary> {
    // Passwords are matched only once read: an explicit scan is a moment to read them (see docs/security.md, "Where things are kept").
    await this.readPasswords();
    await this.diagnostics.ready();
    const summary: WorkspaceScanSummary = { scannedAt: this.now().toISOString(), scannedFiles: 0, skippedFiles: 0, findings: [] };
    this.droppedPatterns = [];
    const progress = new ProgressTicker(onProgress);
    try {
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        if (cancel?.isCancellationRequested) break;
        if (folder.uri.scheme === 'file') await this.scanDiskFolder(folder, summary, progress, cancel);
        else await this.scanFolderThroughWorkspaceFs(folder, summary, progress, cancel);
      }
    } finally {
      progress.stop();
    }
    summary.findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    if (!cancel?.isCancellationRequested) this.last = summary;
    return summary;
  }

  /** A folder on this machine: listed and read as the command line does, in short slices. */
  private async scanDiskFolder(
    folder: vscode.WorkspaceFolder,
    summary: WorkspaceScanSummary,
    progress: ProgressTicker,
    cancel?: vscode.CancellationToken,
  ): Promise<void> {
    const cancelled = () => cancel?.isCancellationRequested ?? false;
    const root = folder.uri.fsPath;
    const abort = new AbortController();
    const relay = cancel?.onCancellationRequested(() => abort.abort());
    let gitListed: string[] | undefined;
    try {
      // git's listing follows the user's git (info/exclude, global excludes) as the command line does; in
      // Restricted Mode no program is started for the folder at all, and its .gitignore files are walked.
      if (vscode.workspace.isTrusted) gitListed = await gitListedFilesAsync(root, abort.signal);
    } finally {
      relay?.dispose();
    }
    if (cancelled()) return;
    const openByPath = new Map<string, vscode.TextDocument>();
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === 'file' && !doc.isClosed) openByPath.set(doc.uri.fsPath, doc);
    const options = {
      excludePatterns: excludeLines(folder.uri),
      cancelled,
      yieldEveryMs: SLICE_MS,
      onPatternDropped: (dropped: DroppedPattern) => this.droppedPatterns.push(dropped),
    };
    const listing = treeSources(
      root,
      '',
      gitListed?.length ? { ...options, gitListed } : { ...options, useGit: false },
      () => summary.skippedFiles++,
    );
    // The whole list first: progress can then say "n of total".
    const sources: SourceFile[] = [];
    const open: Array<{ file: string; doc: vscode.TextDocument }> = [];
    for await (const batch of listing) {
      for (const source of batch) {
        const doc = openByPath.size ? openByPath.get(source.disk!.absolute) : undefined;
        if (doc) open.push({ file: source.file, doc });
        else sources.push(source);
      }
    }
    if (cancelled()) return;

    const maxBytes = this.diagnostics.maxFileBytes(folder.uri);
    const scanOptions = this.diagnostics.scanOptions(undefined, folder.uri);
    const published: Array<{ uri: vscode.Uri; findings: readonly LocatedFinding[] }> = [];
    const counters: ScanCounters = { scannedFiles: 0, skippedFiles: 0, scannedBytes: 0 };
    const base = summary.scannedFiles + summary.skippedFiles;
    let openDone = 0;
    progress.track(() => base + counters.scannedFiles + counters.skippedFiles + openDone, base + sources.length + open.length);
    const outcome = await scanSources(
      sources,
      {
        maxFileBytes: maxBytes,
        reportUnverified: scanOptions.reportUnverified,
        ignoredFingerprints: scanOptions.ignoredFingerprints,
        inlineIgnores: scanOptions.inlineIgnores,
        knownTokens: scanOptions.knownTokens,
        yieldEveryMs: SLICE_MS,
        cancelled,
        onFileFindings: (source, findings) => {
          if (findings.length) published.push({ uri: vscode.Uri.file(source.fileName), findings });
        },
      },
      counters,
    );
    summary.scannedFiles += outcome.scannedFiles;
    summary.skippedFiles += outcome.skippedFiles + outcome.errors.length;
    for (const f of outcome.findings)
      if (this.diagnostics.reports(vscode.Uri.joinPath(folder.uri, f.file), f.ruleId))
        summary.findings.push({ file: f.file, line: f.line, ruleId: f.ruleId, fingerprint: f.fingerprint, confidence: f.confidence });
    for (const { file, doc } of open) {
      if (cancelled()) break;
      this.scanOpenFile(doc, file, maxBytes, summary);
      openDone++;
    }
    // Old diagnostics of files now clean or no longer scanned go, unless the scan was cut short.
    const found = new Set(published.map((p) => p.uri.fsPath));
    const stale = cancelled()
      ? []
      : this.diagnostics
          .closedFilesWithFindings()
          .filter((uri) => uri.scheme === 'file' && isInside(root, uri.fsPath) && !found.has(uri.fsPath));
    this.diagnostics.publishScanned(published, stale);
  }

  private scanOpenFile(doc: vscode.TextDocument, file: string, maxBytes: number, summary: WorkspaceScanSummary): void {
    const findings = this.scanOpenDocument(doc, maxBytes);
    if (!findings) {
      summary.skippedFiles++;
      return;
    }
    summary.scannedFiles++;
    for (const f of findings) if (this.diagnostics.reports(doc.uri, f.ruleId)) summary.findings.push(summaryFinding(file, f));
  }

  /** A remote or virtual folder: listed by findFiles, read through workspace.fs. */
  private async scanFolderThroughWorkspaceFs(
    folder: vscode.WorkspaceFolder,
    summary: WorkspaceScanSummary,
    progress: ProgressTicker,
    cancel?: vscode.CancellationToken,
  ): Promise<void> {
    const files = await this.folderCandidateFiles(folder, cancel);
    const maxBytes = this.diagnostics.maxFileBytes(folder.uri);
    const open = new Map<string, vscode.TextDocument>();
    for (const doc of vscode.workspace.textDocuments) if (!doc.isClosed) open.set(doc.uri.toString(), doc);
    const base = summary.scannedFiles + summary.skippedFiles;
    let done = 0;
    progress.track(() => base + done, base + files.length);
    let next = 0;
    const worker = async () => {
      while (next < files.length && !cancel?.isCancellationRequested) {
        const uri = files[next++];
        await this.scanFile(uri, open.get(uri.toString()), maxBytes, summary);
        done++;
      }
    };
    await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
  }

  private async scanFile(
    uri: vscode.Uri,
    open: vscode.TextDocument | undefined,
    maxBytes: number,
    summary: WorkspaceScanSummary,
  ): Promise<void> {
    try {
      const file = vscode.workspace.asRelativePath(uri, false);
      if (open) return this.scanOpenFile(open, file, maxBytes, summary);
      const findings = await this.scanClosedFile(uri, maxBytes);
      if (!findings) {
        summary.skippedFiles++;
        return;
      }
      summary.scannedFiles++;
      for (const f of findings) if (this.diagnostics.reports(uri, f.ruleId)) summary.findings.push(summaryFinding(file, f));
    } catch {
      summary.skippedFiles++;
    }
  }

  /**
   * An open file: the live guard scans the editor's text (what the user sees, saved or not) and its findings
   * are the scan's; nothing is read from disk. Undefined when skipped as too large.
   */
  private scanOpenDocument(open: vscode.TextDocument, maxBytes: number): readonly Finding[] | undefined {
    const text = open.getText();
    if (Buffer.byteLength(text, 'utf8') > maxBytes) return undefined;
    this.diagnostics.scanNow(open);
    // No entry when the live guard is off for this document: the explicit scan still reports what the text holds.
    return this.diagnostics.allFindings().get(open.uri.toString()) ?? scan(text, this.diagnostics.scanOptions(open.fileName, open.uri));
  }

  /** A file that is not open, read through workspace.fs. Undefined when skipped as too large or binary. */
  private async scanClosedFile(uri: vscode.Uri, maxBytes: number): Promise<readonly Finding[] | undefined> {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > maxBytes) return undefined;
    const bytes = await vscode.workspace.fs.readFile(uri);
    // UTF-16 with a byte order mark is text (full of NUL bytes); the text is what the editor shows: no BOM.
    if (isProbablyBinary(bytes) && !isUtf16Text(bytes)) return undefined;
    const text = decodeText(bytes);
    const findings = scan(text, this.diagnostics.scanOptions(uri.path, uri));
    this.diagnostics.publishScanned(
      [{ uri, findings: findings.map((f) => ({ ...f, span: text.slice(f.start, f.end) })) }],
      findings.length ? [] : [uri],
    );
    return findings;
  }

  /** The files the workspace search would include, in every folder (where Find Where This Token Is Used looks). */
  async candidateFiles(cancel?: vscode.CancellationToken): Promise<vscode.Uri[]> {
    const all: vscode.Uri[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) all.push(...(await this.folderCandidateFiles(folder, cancel)));
    return all;
  }

  /**
   * The files the workspace search would include in one folder. Each .gitignore is read (through
   * workspace.fs, so remote workspaces work too) and compiled once; a file is tested against its ancestors' only.
   */
  private async folderCandidateFiles(folder: vscode.WorkspaceFolder, cancel?: vscode.CancellationToken): Promise<vscode.Uri[]> {
    const exclude = excludeGlob(folder.uri);
    const files = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), exclude, undefined, cancel);
    const ignoreFiles = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/.gitignore'), exclude, undefined, cancel);
    const matcher = new GitignoreMatcher(undefined, (dropped) => this.droppedPatterns.push(dropped));
    for (const ignoreFile of ignoreFiles) {
      const dir = relativeTo(folder.uri, ignoreFile).replace(/\/?\.gitignore$/, '');
      matcher.add(dir, Buffer.from(await vscode.workspace.fs.readFile(ignoreFile)).toString('utf8'));
    }
    return files.filter((uri) => {
      const relative = relativeTo(folder.uri, uri);
      if (relative.split('/').some((part) => ALWAYS_SKIPPED_DIRS.has(part))) return false;
      return !matcher.ignores(relative);
    });
  }

  private report(summary: WorkspaceScanSummary): void {
    const skipped = summary.skippedFiles ? ` (${summary.skippedFiles} binary, unreadable or very large files skipped)` : '';
    // The workspace wrote these patterns: counted, not quoted.
    const dropped = this.droppedPatterns.length
      ? ` ${this.droppedPatterns.length} .gitignore or excluded-glob pattern(s) were too costly to match and were dropped: the files they would have excluded were scanned.`
      : '';
    if (summary.findings.length === 0) {
      void this.ui.showInformationMessage(`No leaked Jira tokens in ${summary.scannedFiles} files${skipped}.${dropped}`, {});
      return;
    }
    const files = new Set(summary.findings.map((f) => f.file)).size;
    void this.ui
      .showWarningMessage(
        `Found ${summary.findings.length} possible Jira token leak(s) in ${files} file(s)${skipped}.${dropped}`,
        {},
        'Show Problems',
        VERIFY_CHOICE,
      )
      .then((choice) =>
        choice === VERIFY_CHOICE
          ? vscode.commands.executeCommand(Commands.verifyLeakedTokens)
          : choice && vscode.commands.executeCommand(WorkbenchCommands.showProblems),
      );
  }
}

/** Reports progress on a timer while a scan runs: steady, and never a message per file. */
class ProgressTicker {
  private timer: ReturnType<typeof setInterval> | undefined;
  private done: () => number = () => 0;
  private total = 0;

  constructor(private readonly onProgress?: (done: number, total: number) => void) {
    if (onProgress) this.timer = setInterval(() => this.tick(), PROGRESS_EVERY_MS);
  }

  track(done: () => number, total: number): void {
    this.done = done;
    this.total = total;
    this.tick();
  }

  private tick(): void {
    this.onProgress?.(Math.min(this.done(), this.total), this.total);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.tick();
  }
}

function summaryFinding(file: string, f: Finding): WorkspaceScanFinding {
  return { file, line: f.line + 1, ruleId: f.ruleId, fingerprint: f.fingerprint, confidence: f.confidence };
}

/** The folder's files.exclude and search.exclude globs that are switched on (`true`). */
function excludedGlobs(scope: vscode.Uri): Set<string> {
  const globs = new Set<string>();
  for (const section of ['files.exclude', 'search.exclude']) {
    const value = vscode.workspace.getConfiguration(undefined, scope).get<Record<string, unknown>>(section) ?? {};
    for (const [glob, enabled] of Object.entries(value)) if (enabled === true) globs.add(glob);
  }
  return globs;
}

/** The same globs as .gitignore lines, for the shared walker. */
function excludeLines(scope: vscode.Uri): string {
  return excludeGlobsAsIgnoreLines(excludedGlobs(scope));
}

/** files.exclude and search.exclude as one glob (findFiles applies neither once an exclude is given). */
function excludeGlob(scope: vscode.Uri): string | undefined {
  const globs = excludedGlobs(scope);
  for (const dir of ALWAYS_SKIPPED_DIRS) globs.add(`**/${dir}/**`);
  return globs.size ? `{${[...globs].join(',')}}` : undefined;
}

function relativeTo(folder: vscode.Uri, uri: vscode.Uri): string {
  const base = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : uri.path;
}

function isInside(root: string, file: string): boolean {
  const base = root.endsWith('/') || root.endsWith('\\') ? root : root + (root.includes('\\') ? '\\' : '/');
  return file.startsWith(base);
}
