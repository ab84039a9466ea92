// Owns the "Jira Token Guard" diagnostics: scans documents on open, rescans the changed lines after a
// debounce while typing, clears on close. Findings (offsets, fingerprints; never shown in full) are
// kept per document for the quick fixes.
import * as vscode from 'vscode';
import { Finding, KnownToken, scan, ScanOptions } from '../core/scanner';
import { ConnectionStore } from '../connections/connectionStore';
import { IgnoreFile } from './ignoreFile';
import { affectsGuardSetting, LeakSeverity, setting } from '../config';
import { DIAGNOSTIC_SOURCE } from '../constants';

export { DIAGNOSTIC_SOURCE };

const SCANNED_SCHEMES = new Set(['file', 'untitled', 'vscode-remote']);
/** Lines around an edit that are rescanned: keywords and ignore comments sit on nearby lines. */
const CONTEXT_LINES = 2;

const SEVERITIES: Record<LeakSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

interface PendingScan {
  timer: ReturnType<typeof setTimeout>;
  /** Region to rescan in the current document's offsets; undefined: the whole document. */
  region?: { start: number; end: number };
}

export class LeakDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('jira-token-guard');
  private readonly findings = new Map<string, Finding[]>();
  private readonly pending = new Map<string, PendingScan>();
  private knownTokens: KnownToken[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly scanned = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a document's diagnostics were updated (tests and the status bar can await it). */
  readonly onDidScan = this.scanned.event;

  constructor(private readonly store: ConnectionStore, private readonly ignoreFile: IgnoreFile) {}

  start(): void {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((doc) => this.scanNow(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      // A language change closes and reopens the same URI: forget it only when no open copy remains.
      vscode.workspace.onDidCloseTextDocument((doc) => !isOpen(doc.uri) && this.forget(doc.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => affectsGuardSetting(e) && this.rescanOpenDocuments()),
      this.store.onDidChange(() => void this.refreshKnownTokens()),
      this.ignoreFile.onDidChange(() => this.rescanOpenDocuments()),
    );
    void this.ignoreFile.reload();
    void this.refreshKnownTokens();
    this.rescanOpenDocuments();
  }

  /** Fingerprints of the stored tokens: a literal equal to one of them is the live token of a connection. */
  private async refreshKnownTokens(): Promise<void> {
    const stored = await this.store.tokenFingerprints();
    this.knownTokens = stored.map(({ connection, fingerprint, length }) => ({ fingerprint, length, connectionId: connection.id, label: connection.label }));
    this.rescanOpenDocuments();
  }

  rescanOpenDocuments(): void {
    for (const doc of vscode.workspace.textDocuments) this.scanNow(doc);
  }

  scanOptions(fileName?: string): ScanOptions {
    return {
      reportUnverified: setting('reportUnverifiedTokens'),
      knownTokens: this.knownTokens,
      ignoredFingerprints: this.ignoreFile.ignored(),
      fileName,
    };
  }

  private shouldScan(doc: vscode.TextDocument): boolean {
    return SCANNED_SCHEMES.has(doc.uri.scheme) && setting('leakDetection');
  }

  scanNow(doc: vscode.TextDocument): void {
    this.cancelPending(doc.uri);
    if (!this.shouldScan(doc)) {
      this.forget(doc.uri);
      return;
    }
    this.publish(doc, scan(doc.getText(), this.scanOptions(doc.fileName)));
  }

  private onChange(event: vscode.TextDocumentChangeEvent): void {
    const doc = event.document;
    if (!this.shouldScan(doc) || event.contentChanges.length === 0) return;
    const key = doc.uri.toString();
    const previous = this.pending.get(key);
    if (previous) clearTimeout(previous.timer);
    let region: PendingScan['region'];
    const change = event.contentChanges.length === 1 ? event.contentChanges[0] : undefined;
    const known = this.findings.get(key);
    if (change && known && (!previous || previous.region)) {
      // Shift what was found after the edit; drop what the edit touched; rescan only the edited lines.
      const delta = change.text.length - change.rangeLength;
      const editEnd = change.rangeOffset + change.rangeLength;
      this.findings.set(key, known.flatMap((f) => {
        if (f.end <= change.rangeOffset) return [f];
        if (f.start >= editEnd) return [{ ...f, start: f.start + delta, end: f.end + delta }];
        return [];
      }));
      const shifted = previous?.region && {
        start: previous.region.start >= editEnd ? previous.region.start + delta : Math.min(previous.region.start, change.rangeOffset),
        end: previous.region.end >= change.rangeOffset ? previous.region.end + delta : previous.region.end,
      };
      const editRegion = { start: change.rangeOffset, end: change.rangeOffset + change.text.length };
      region = shifted ? { start: Math.min(shifted.start, editRegion.start), end: Math.max(shifted.end, editRegion.end) } : editRegion;
    }
    const timer = setTimeout(() => {
      this.pending.delete(key);
      if (doc.isClosed) return;
      if (region) this.rescanRegion(doc, region);
      else this.scanNow(doc);
    }, setting('scanDebounceMs'));
    this.pending.set(key, { timer, region });
  }

  private rescanRegion(doc: vscode.TextDocument, region: { start: number; end: number }): void {
    const text = doc.getText();
    const firstLine = Math.max(0, doc.positionAt(Math.max(0, region.start)).line - CONTEXT_LINES);
    const lastLine = Math.min(doc.lineCount - 1, doc.positionAt(Math.min(text.length, region.end)).line + CONTEXT_LINES);
    const start = doc.offsetAt(new vscode.Position(firstLine, 0));
    const end = doc.offsetAt(doc.lineAt(lastLine).rangeIncludingLineBreak.end);
    const fresh = scan(text, { ...this.scanOptions(doc.fileName), range: { start, end } }).filter((f) => f.start >= start && f.start < end);
    const kept = (this.findings.get(doc.uri.toString()) ?? []).filter((f) => f.start < start || f.start >= end);
    this.publish(doc, [...kept, ...fresh].sort((a, b) => a.start - b.start));
  }

  /** Sets the diagnostics of a document from its findings. */
  private publish(doc: vscode.TextDocument, findings: Finding[]): void {
    this.findings.set(doc.uri.toString(), findings);
    this.collection.set(doc.uri, findings.map((f) => toDiagnostic(f, new vscode.Range(doc.positionAt(f.start), doc.positionAt(f.end)))));
    this.scanned.fire(doc.uri);
  }

  /** For files scanned from disk (workspace scan): line and column come from the finding. */
  publishForFile(uri: vscode.Uri, findings: Finding[], text: string): void {
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return; // the live scan owns open files
    const lineStarts = lineStartOffsets(text);
    const position = (offset: number) => {
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (lineStarts[mid] <= offset) lo = mid;
        else hi = mid - 1;
      }
      return new vscode.Position(lo, offset - lineStarts[lo]);
    };
    this.findings.set(uri.toString(), findings);
    this.collection.set(uri, findings.map((f) => toDiagnostic(f, new vscode.Range(position(f.start), position(f.end)))));
    this.scanned.fire(uri);
  }

  /** The finding behind one of our diagnostics. */
  findingFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic, doc?: vscode.TextDocument): Finding | undefined {
    const list = this.findings.get(uri.toString()) ?? [];
    if (doc) {
      const start = doc.offsetAt(diagnostic.range.start);
      const end = doc.offsetAt(diagnostic.range.end);
      return list.find((f) => f.start === start && f.end === end && f.ruleId === diagnosticCode(diagnostic));
    }
    return list.find((f) => f.line === diagnostic.range.start.line && f.ruleId === diagnosticCode(diagnostic));
  }

  /** Every finding the editor currently shows, per document URI (for the status bar and the audit). */
  allFindings(): ReadonlyMap<string, readonly Finding[]> {
    return this.findings;
  }

  clearFile(uri: vscode.Uri): void {
    this.forget(uri);
  }

  private forget(uri: vscode.Uri): void {
    this.cancelPending(uri);
    this.findings.delete(uri.toString());
    this.collection.delete(uri);
  }

  private cancelPending(uri: vscode.Uri): void {
    const pending = this.pending.get(uri.toString());
    if (pending) clearTimeout(pending.timer);
    this.pending.delete(uri.toString());
  }

  dispose(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
    this.scanned.dispose();
  }
}

export function toDiagnostic(finding: Finding, range: vscode.Range): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(range, finding.message, SEVERITIES[setting('leakSeverity')] ?? vscode.DiagnosticSeverity.Warning);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = finding.ruleId;
  return diagnostic;
}

export function diagnosticCode(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

function isOpen(uri: vscode.Uri): boolean {
  return vscode.workspace.textDocuments.some((d) => !d.isClosed && d.uri.toString() === uri.toString());
}

function lineStartOffsets(text: string): number[] {
  const starts = [0];
  let index = text.indexOf('\n');
  while (index !== -1) {
    starts.push(index + 1);
    index = text.indexOf('\n', index + 1);
  }
  return starts;
}
