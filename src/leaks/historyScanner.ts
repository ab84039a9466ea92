// "Scan Git History for Leaked Tokens": the command line's `scan --history` for each workspace folder's
// repository, with a cancellable progress notification; findings go to the Problems panel under their
// own source, each naming the commit that first added the token (the file may no longer hold it).
import * as vscode from 'vscode';
import { HistoryError, type HistoryOutcome, newHistoryCounters, printable, repositoryTop, scanHistory } from '../scanEngine/history';
import { readIgnoreList } from '../scanEngine/ignoreList';
import { skippedDirsFor } from '../scanEngine/treeScan';
import { type ReportedFinding } from '../core/findings/reportedFinding';
import { inlineIgnoresEnabled, setting } from '../common/config';
import { WorkbenchCommands } from '../common/constants';
import { type Log } from '../common/log';
import { type Ui } from '../common/ui';
import { UserFacingError } from '../common/userFacingError';
import { Disposable } from '../common/lifecycle';

export const HISTORY_DIAGNOSTIC_SOURCE = 'Jira Token Guard (git history)';
const PROGRESS_EVERY_MS = 200;
const MANAGE_TRUST = 'Manage Workspace Trust';

/** What the command resolves to: no secrets, positions, commits and fingerprints only. */
export interface HistoryScanSummary {
  repositories: number;
  scannedCommits: number;
  findings: Array<{
    repository: string;
    file: string;
    line: number;
    ruleId: string;
    fingerprint: string;
    commit: string;
    author: string;
    date: string;
    alsoAddedIn: Array<{ commit: string; file: string; line: number }>;
  }>;
}

export class HistoryScanner extends Disposable {
  private readonly diagnostics = this._register(vscode.languages.createDiagnosticCollection('jiraTokenGuard.history'));

  constructor(
    private readonly ui: Ui,
    private readonly log: Log,
  ) {
    super();
  }

  clear(): void {
    this.diagnostics.clear();
  }

  /** Undefined when there is nothing to scan or the scan was cancelled. */
  async run(): Promise<HistoryScanSummary | undefined> {
    // git reads the repository's own configuration, and an untrusted repository gets to start nothing.
    if (!vscode.workspace.isTrusted) {
      void this.ui
        .showWarningMessage(
          'Scan Git History runs git, which reads the repository’s own configuration, so it does not run in Restricted Mode. Trust this folder to scan its history (the files are scanned in any mode: Scan Workspace).',
          {},
          MANAGE_TRUST,
        )
        .then((choice) => choice === MANAGE_TRUST && vscode.commands.executeCommand(WorkbenchCommands.manageTrust));
      return undefined;
    }
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    if (!folders.length) {
      void this.ui.showInformationMessage('Open a folder that is a git repository to scan its history for leaked Jira tokens.', {});
      return undefined;
    }
    const tops = new Set<string>();
    for (const folder of folders) {
      try {
        tops.add(await repositoryTop(folder.uri.fsPath));
      } catch (error) {
        if (!(error instanceof HistoryError)) throw error;
      }
    }
    if (!tops.size) {
      void this.ui.showInformationMessage('No git repository in the workspace: there is no history to scan.', {});
      return undefined;
    }
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Scanning git history for leaked Jira tokens', cancellable: true },
      async (progress, cancel) => {
        const abort = new AbortController();
        const onCancel = cancel.onCancellationRequested(() => abort.abort());
        try {
          const outcomes: Array<{ top: string; outcome: HistoryOutcome }> = [];
          for (const top of tops) {
            const counters = newHistoryCounters();
            const timer = setInterval(() => progress.report({ message: `${counters.scannedCommits} commits` }), PROGRESS_EVERY_MS);
            try {
              outcomes.push({
                top,
                outcome: await scanHistory(this.options(top, abort.signal, (await readIgnoreList(top)).fingerprints), counters),
              });
            } catch (error) {
              if (abort.signal.aborted) return undefined;
              this.log.error('Scan Git History failed', error);
              throw new UserFacingError(
                error instanceof HistoryError
                  ? `Could not scan the git history: ${error.message}.`
                  : 'Could not scan the git history; the details are in the Jira Token Guard output.',
              );
            } finally {
              clearInterval(timer);
            }
          }
          return this.publish(outcomes);
        } finally {
          onCancel.dispose();
        }
      },
    );
  }

  private options(top: string, signal: AbortSignal, ignoredFingerprints: ReadonlySet<string>) {
    const scope = vscode.Uri.file(top);
    return {
      top,
      signal,
      maxFileBytes: setting('maxFileSizeKB', scope) * 1024,
      reportUnverified: setting('reportUnverifiedTokens', scope),
      ignoredFingerprints,
      inlineIgnores: inlineIgnoresEnabled(scope),
      skippedDirs: skippedDirsFor({}),
    };
  }

  private publish(outcomes: Array<{ top: string; outcome: HistoryOutcome }>): HistoryScanSummary {
    this.diagnostics.clear();
    const byFile = new Map<string, { uri: vscode.Uri; list: vscode.Diagnostic[] }>();
    const summary: HistoryScanSummary = { repositories: outcomes.length, scannedCommits: 0, findings: [] };
    for (const { top, outcome } of outcomes) {
      summary.scannedCommits += outcome.scannedCommits;
      const root = vscode.Uri.file(top);
      for (const finding of outcome.findings) {
        const uri = inRepository(root, finding.file);
        const entry = byFile.get(uri.toString()) ?? { uri, list: [] };
        byFile.set(uri.toString(), entry);
        entry.list.push(this.diagnostic(root, finding));
        const first = finding.introducedIn!;
        summary.findings.push({
          repository: top,
          file: finding.file,
          line: finding.line,
          ruleId: finding.ruleId,
          fingerprint: finding.fingerprint,
          commit: first.commit,
          author: first.author,
          date: first.date,
          alsoAddedIn: (finding.alsoAddedIn ?? []).map((o) => ({ commit: o.commit, file: o.file, line: o.line })),
        });
      }
    }
    for (const { uri, list } of byFile.values()) this.diagnostics.set(uri, list);
    this.report(summary);
    return summary;
  }

  private diagnostic(root: vscode.Uri, finding: ReportedFinding): vscode.Diagnostic {
    const first = finding.introducedIn!;
    const others = finding.alsoAddedIn ?? [];
    const range = new vscode.Range(finding.line - 1, finding.column - 1, finding.endLine - 1, finding.endColumn - 1);
    const again = others.length ? `, and again in ${others.length} more place${others.length === 1 ? '' : 's'}` : '';
    const diagnostic = new vscode.Diagnostic(
      range,
      `${finding.message.split(':')[0]} (${finding.redacted}) committed in ${first.commit.slice(0, 12)} by ${printable(first.author)} on ${first.date.slice(0, 10)}${again}. ` +
        'It stays in every clone even if removed: revoke it.',
      vscode.DiagnosticSeverity.Warning,
    );
    diagnostic.source = HISTORY_DIAGNOSTIC_SOURCE;
    diagnostic.code = finding.ruleId;
    diagnostic.relatedInformation = others.map(
      (o) =>
        new vscode.DiagnosticRelatedInformation(
          new vscode.Location(inRepository(root, o.file), new vscode.Position(o.line - 1, o.column - 1)),
          `Also added in commit ${o.commit.slice(0, 12)} by ${printable(o.author)} on ${o.date.slice(0, 10)}`,
        ),
    );
    return diagnostic;
  }

  private report(summary: HistoryScanSummary): void {
    const commits = `${summary.scannedCommits} commit${summary.scannedCommits === 1 ? '' : 's'}`;
    if (!summary.findings.length) {
      void this.ui.showInformationMessage(`No leaked Jira tokens in the git history (${commits} scanned).`, {});
      return;
    }
    void this.ui
      .showWarningMessage(
        `Found ${summary.findings.length} Jira token${summary.findings.length === 1 ? '' : 's'} in the git history (${commits} scanned). Revoke them: removing a committed token does not unleak it.`,
        {},
        'Show Problems',
      )
      .then((choice) => choice && vscode.commands.executeCommand(WorkbenchCommands.showProblems));
  }

  /** What the Problems panel shows for the history, by file (for tests and the audit). */
  allDiagnostics(): ReadonlyArray<[vscode.Uri, readonly vscode.Diagnostic[]]> {
    const all: Array<[vscode.Uri, readonly vscode.Diagnostic[]]> = [];
    this.diagnostics.forEach((uri, list) => {
      all.push([uri, list]);
    });
    return all;
  }
}

/** A path from a commit, under the repository's root: a crafted tree's `..` segment cannot point outside it. */
function inRepository(root: vscode.Uri, file: string): vscode.Uri {
  const literal = new Map([
    ['..', '%2E%2E'],
    ['.', '%2E'],
    ['', '%20'],
  ]);
  return vscode.Uri.joinPath(root, ...file.split('/').map((segment) => literal.get(segment) ?? segment));
}
