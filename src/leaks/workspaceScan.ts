// "Scan Workspace for Leaked Tokens": every text file the search would include (files.exclude,
// search.exclude, .gitignore), binaries and very large files skipped and counted; findings go to the
// Problems panel. Reading files never runs workspace code, so it works in Restricted Mode.
import * as vscode from 'vscode';
import { Finding, isProbablyBinary, scan } from '../core/scanner';
import { decodeText, isUtf16Text } from '../core/scanner/textDecoding';
import { ALWAYS_SKIPPED_DIRS, GitignoreMatcher } from '../core/gitignore';
import { progressIncrement, WorkspaceScanSummary } from '../core/scanSummary';
import { LeakDiagnostics } from './leakDiagnostics';
import { setting } from '../config';
import { WorkbenchCommands } from '../constants';
import { Ui } from '../ui';

const READ_CONCURRENCY = 8;

export class WorkspaceScanner {
  private last: WorkspaceScanSummary | undefined;

  constructor(
    private readonly diagnostics: LeakDiagnostics,
    private readonly ui: Ui,
    private readonly now: () => Date,
    private readonly readPasswords: () => Promise<void> = async () => undefined,
  ) {}

  lastWorkspaceScan(): WorkspaceScanSummary | undefined {
    return this.last;
  }

  /** Runs the scan with a cancellable progress notification. */
  run(): Thenable<WorkspaceScanSummary | undefined> {
    if (!vscode.workspace.workspaceFolders?.length) {
      void this.ui.showInformationMessage('Open a folder to scan it for leaked Jira tokens.', {});
      return Promise.resolve(undefined);
    }
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Scanning for leaked Jira tokens', cancellable: true },
      async (progress, cancel) => {
        // `increment` adds up: report the share of the files done since the last report.
        let reported = 0;
        const summary = await this.scan(cancel, (done, total) => {
          progress.report({ message: `${done} of ${total} files`, increment: progressIncrement(reported, done, total) });
          reported = done;
        });
        if (!cancel.isCancellationRequested) this.report(summary);
        return summary;
      },
    );
  }

  async scan(cancel?: vscode.CancellationToken, onProgress?: (done: number, total: number) => void): Promise<WorkspaceScanSummary> {
    // Passwords are matched only once read: an explicit scan is a moment to read them (see README).
    await this.readPasswords();
    const files = await this.candidateFiles(cancel);
    const maxBytes = setting('maxFileSizeKB') * 1024;
    const summary: WorkspaceScanSummary = { scannedAt: this.now().toISOString(), scannedFiles: 0, skippedFiles: 0, findings: [] };
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < files.length && !cancel?.isCancellationRequested) {
        const uri = files[next++];
        await this.scanFile(uri, maxBytes, summary);
        if (++done % 50 === 0 || done === files.length) onProgress?.(done, files.length);
      }
    };
    await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
    summary.findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    if (!cancel?.isCancellationRequested) this.last = summary;
    return summary;
  }

  private async scanFile(uri: vscode.Uri, maxBytes: number, summary: WorkspaceScanSummary): Promise<void> {
    try {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const findings = open ? this.scanOpenDocument(open, maxBytes) : await this.scanClosedFile(uri, maxBytes);
      if (!findings) {
        summary.skippedFiles++;
        return;
      }
      summary.scannedFiles++;
      const file = vscode.workspace.asRelativePath(uri, false);
      for (const f of findings) summary.findings.push({ file, line: f.line + 1, ruleId: f.ruleId, fingerprint: f.fingerprint, confidence: f.confidence });
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

  /** A file that is not open, read from disk. Undefined when skipped as too large or binary. */
  private async scanClosedFile(uri: vscode.Uri, maxBytes: number): Promise<readonly Finding[] | undefined> {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > maxBytes) return undefined;
    const bytes = await vscode.workspace.fs.readFile(uri);
    // UTF-16 with a byte order mark is text (full of NUL bytes); the text is what the editor shows: no BOM.
    if (isProbablyBinary(bytes) && !isUtf16Text(bytes)) return undefined;
    const findings = scan(decodeText(bytes), this.diagnostics.scanOptions(uri.path, uri));
    if (findings.length) this.diagnostics.publishForFile(uri, findings);
    else this.diagnostics.clearFile(uri);
    return findings;
  }

  /**
   * The files the workspace search would include (also where Find Where This Token Is Used looks). Each
   * .gitignore is read (through workspace.fs, so remote workspaces work too) and compiled once; a file is
   * tested against its ancestors' only.
   */
  async candidateFiles(cancel?: vscode.CancellationToken): Promise<vscode.Uri[]> {
    const exclude = excludeGlob();
    const files = await vscode.workspace.findFiles('**/*', exclude, undefined, cancel);
    const ignoreFiles = await vscode.workspace.findFiles('**/.gitignore', exclude, undefined, cancel);
    const matchers = new Map<string, GitignoreMatcher>();
    for (const ignoreFile of ignoreFiles) {
      const folder = vscode.workspace.getWorkspaceFolder(ignoreFile);
      if (!folder) continue;
      const matcher = matchers.get(folder.uri.toString()) ?? new GitignoreMatcher();
      matchers.set(folder.uri.toString(), matcher);
      const dir = relativeTo(folder.uri, ignoreFile).replace(/\/?\.gitignore$/, '');
      matcher.add(dir, Buffer.from(await vscode.workspace.fs.readFile(ignoreFile)).toString('utf8'));
    }
    return files.filter((uri) => {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder) return true;
      const relative = relativeTo(folder.uri, uri);
      if (relative.split('/').some((part) => ALWAYS_SKIPPED_DIRS.has(part))) return false;
      return !matchers.get(folder.uri.toString())?.ignores(relative);
    });
  }

  private report(summary: WorkspaceScanSummary): void {
    const skipped = summary.skippedFiles ? ` (${summary.skippedFiles} binary, unreadable or very large files skipped)` : '';
    if (summary.findings.length === 0) {
      void this.ui.showInformationMessage(`No leaked Jira tokens in ${summary.scannedFiles} files${skipped}.`, {});
      return;
    }
    const files = new Set(summary.findings.map((f) => f.file)).size;
    void this.ui
      .showWarningMessage(`Found ${summary.findings.length} possible Jira token leak(s) in ${files} file(s)${skipped}.`, {}, 'Show Problems')
      .then((choice) => choice && vscode.commands.executeCommand(WorkbenchCommands.showProblems));
  }
}

/** files.exclude and search.exclude as one glob (findFiles applies neither once an exclude is given). */
function excludeGlob(): string | undefined {
  const globs = new Set<string>();
  for (const section of ['files.exclude', 'search.exclude']) {
    const value = vscode.workspace.getConfiguration().get<Record<string, unknown>>(section) ?? {};
    for (const [glob, enabled] of Object.entries(value)) if (enabled === true) globs.add(glob);
  }
  for (const dir of ALWAYS_SKIPPED_DIRS) globs.add(`**/${dir}/**`);
  return globs.size ? `{${[...globs].join(',')}}` : undefined;
}

function relativeTo(folder: vscode.Uri, uri: vscode.Uri): string {
  const base = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : uri.path;
}
