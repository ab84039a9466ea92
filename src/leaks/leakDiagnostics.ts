// Owns the "Jira Token Guard" diagnostics: scans documents on open, rescans the changed lines after a
// debounce while typing, clears on close. Findings (offsets, fingerprints; never shown in full) are
// kept per document for the quick fixes.
import * as vscode from 'vscode';
import { type Finding, type KnownToken, scan, type ScanOptions } from '../core/scanner';
import type { LocatedFinding } from '../core/scanner';
import { type Verification } from '../core/findings/reportedFinding';
import { type ConnectionStore } from '../connections/connectionStore';
import { type IgnoreFile } from './ignoreFile';
import { type ProjectConfigs } from './projectConfigs';
import { onDidChangeSettings, inlineIgnoresEnabled, type LeakSeverity, setting } from '../common/config';
import { DIAGNOSTIC_SOURCE } from '../common/constants';
import { Disposable, toDisposable } from '../common/lifecycle';
import { classifyToken, decodePatId } from '../core/tokens/tokenShapes';

export { DIAGNOSTIC_SOURCE };

const SCANNED_SCHEMES = new Set(['file', 'untitled', 'vscode-remote']);
const LEAK_SETTINGS = ['leakDetection', 'leakSeverity', 'reportUnverifiedTokens', 'inlineIgnores'] as const;
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

export class LeakDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('jira-token-guard'));
  private readonly findings = new Map<string, Finding[]>();
  private readonly pending = new Map<string, PendingScan>();
  private knownTokens: KnownToken[] = [];
  private debounceMs = setting('scanDebounceMs');
  private readonly enabled = new Map<string, boolean>();
  private prepared: Promise<void> | undefined;
  /** Verify Leaked Tokens' answers, by fingerprint (a hash of the secret): said on every diagnostic of it. */
  private readonly verdicts = new Map<string, Verification>();

  constructor(
    private readonly store: ConnectionStore,
    private readonly ignoreFile: IgnoreFile,
    /** The folders' .jira-token-guard.json (none in tests that build the guard without one). */
    private readonly projectConfigs?: ProjectConfigs,
    /** Told the id inside each leaked Data Center PAT found (never the PAT), and its connection when it is a stored one. */
    private readonly onLeakedPat?: (id: string, connectionId: string | undefined) => void,
  ) {
    super();
    this._register(
      toDisposable(() => {
        for (const p of this.pending.values()) clearTimeout(p.timer);
      }),
    );
  }

  start(): void {
    this._register(vscode.workspace.onDidOpenTextDocument((doc) => this.scanNow(doc)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)));
    // A language change closes and reopens the same URI: forget it only when no open copy remains.
    this._register(vscode.workspace.onDidCloseTextDocument((doc) => !isOpen(doc.uri) && this.forget(doc.uri)));
    this._register(
      onDidChangeSettings((e) => {
        if (e.affects('scanDebounceMs')) this.debounceMs = setting('scanDebounceMs');
        if (LEAK_SETTINGS.some((key) => e.affects(key))) {
          this.enabled.clear();
          this.rescanOpenDocuments();
        }
      }),
    );
    this._register(this.store.onDidChange(() => this.refreshKnownTokens() && this.rescanOpenDocuments()));
    this._register(this.ignoreFile.onDidChange(() => this.rescanOpenDocuments()));
    if (this.projectConfigs) this._register(this.projectConfigs.onDidChange(() => this.rescanOpenDocuments()));
    // The stored tokens are known by their fingerprints in the metadata: no secret is read for this.
    this.refreshKnownTokens();
    // What is open is scanned once the ignore list is known (read by the first scan, see ready()).
    if (vscode.workspace.textDocuments.some((doc) => this.shouldScan(doc))) void this.ready();
  }

  /**
   * Reads the ignore list, then scans what is open again. Runs once, on the first scan rather than at
   * start-up: a window without an open file reads no file.
   */
  ready(): Promise<void> {
    // Disposed meanwhile (deactivation): the collection is gone, nothing to scan into.
    const rescan = () => (this.isDisposed ? undefined : this.rescanOpenDocuments());
    const configs = this.projectConfigs?.ready().catch(() => undefined);
    this.prepared ??= Promise.all([this.ignoreFile.reload(), configs]).then(rescan, rescan);
    return this.prepared;
  }

  /**
   * Fingerprints of the stored tokens: a literal equal to one of them is the live token of a connection.
   * Returns whether they (or the connection names the messages use) changed.
   */
  private refreshKnownTokens(): boolean {
    const next = this.store.knownTokens();
    const key = (tokens: KnownToken[]) =>
      tokens
        .map((t) => `${t.connectionId}\u0000${t.fingerprint}\u0000${t.label}`)
        .sort()
        .join('\n');
    if (key(next) === key(this.knownTokens)) return false;
    this.knownTokens = next;
    return true;
  }

  rescanOpenDocuments(): void {
    for (const doc of vscode.workspace.textDocuments) this.scanNow(doc);
  }

  scanOptions(fileName?: string, scope?: vscode.Uri): ScanOptions {
    // The folder's .jira-token-guard.json can only add to these (in Restricted Mode as anywhere).
    const config = scope && this.projectConfigs ? this.projectConfigs.forResource(scope).config : {};
    return {
      reportUnverified: setting('reportUnverifiedTokens', scope) || config.reportUnverified === true,
      knownTokens: this.knownTokens,
      ignoredFingerprints: this.ignoreFile.ignored(),
      inlineIgnores: inlineIgnoresEnabled(scope) && config.inlineIgnores !== false,
      fileName,
    };
  }

  /** The size limit of a folder's scan: its .jira-token-guard.json's "maxFileSize", or the setting. */
  maxFileBytes(scope: vscode.Uri): number {
    return this.projectConfigs?.forResource(scope).config.maxFileBytes ?? setting('maxFileSizeKB', scope) * 1024;
  }

  /** Whether the folder's .jira-token-guard.json lets a finding of `ruleId` in `uri` be reported (exclude, rules). */
  reports(uri: vscode.Uri, ruleId: string): boolean {
    return this.projectConfigs?.reports(uri, ruleId) ?? true;
  }

  /** Read once per document (the setting can differ per folder), not on every keystroke. */
  private shouldScan(doc: vscode.TextDocument): boolean {
    if (!SCANNED_SCHEMES.has(doc.uri.scheme)) return false;
    const key = doc.uri.toString();
    let enabled = this.enabled.get(key);
    if (enabled === undefined) {
      enabled = setting('leakDetection', doc.uri);
      this.enabled.set(key, enabled);
    }
    return enabled;
  }

  scanNow(doc: vscode.TextDocument): void {
    this.cancelPending(doc.uri);
    if (!this.shouldScan(doc)) {
      this.forget(doc.uri);
      return;
    }
    void this.ready();
    this.publish(doc, scan(doc.getText(), this.scanOptions(doc.fileName, doc.uri)));
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
      this.findings.set(
        key,
        known.flatMap((f) => {
          if (f.end <= change.rangeOffset) return [f];
          if (f.start >= editEnd) return [{ ...f, start: f.start + delta, end: f.end + delta }];
          return [];
        }),
      );
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
    }, this.debounceMs);
    this.pending.set(key, { timer, region });
  }

  private rescanRegion(doc: vscode.TextDocument, region: { start: number; end: number }): void {
    const text = doc.getText();
    const firstLine = Math.max(0, doc.positionAt(Math.max(0, region.start)).line - CONTEXT_LINES);
    const lastLine = Math.min(doc.lineCount - 1, doc.positionAt(Math.min(text.length, region.end)).line + CONTEXT_LINES);
    const start = doc.offsetAt(new vscode.Position(firstLine, 0));
    const end = doc.offsetAt(doc.lineAt(lastLine).rangeIncludingLineBreak.end);
    const fresh = scan(text, { ...this.scanOptions(doc.fileName, doc.uri), range: { start, end } }).filter(
      (f) => f.start >= start && f.start < end,
    );
    const kept = (this.findings.get(doc.uri.toString()) ?? []).filter((f) => f.start < start || f.start >= end);
    this.publish(
      doc,
      [...kept, ...fresh].sort((a, b) => a.start - b.start),
    );
  }

  /** Sets the diagnostics of a document from its findings. */
  private publish(doc: vscode.TextDocument, all: Finding[]): void {
    const findings = all.filter((f) => this.reports(doc.uri, f.ruleId));
    this.findings.set(doc.uri.toString(), findings);
    if (findings.length) {
      const text = doc.getText();
      for (const f of findings) this.noticeLeakedPat(text.slice(f.start, f.end), f.connectionId);
    }
    const severity = severityFor(doc.uri);
    this.collection.set(
      doc.uri,
      findings.map((f) => this.diagnosticOf(f, new vscode.Range(doc.positionAt(f.start), doc.positionAt(f.end)), severity)),
    );
  }

  /** For files scanned from disk (workspace scan): positions come from the finding (a token never spans lines). */
  publishForFile(uri: vscode.Uri, all: Finding[]): void {
    if (isOpen(uri)) return; // the live scan owns open files
    const findings = all.filter((f) => this.reports(uri, f.ruleId));
    this.findings.set(uri.toString(), findings);
    const severity = severityFor(uri);
    this.collection.set(
      uri,
      findings.map((f) => this.diagnosticOf(f, new vscode.Range(f.line, f.column, f.line, f.column + (f.end - f.start)), severity)),
    );
  }

  /**
   * A workspace scan's results for files read from disk, as one batch (one message to the editor instead
   * of one per file). `stale`: files whose old diagnostics go (scanned clean, or no longer scanned).
   * Offsets are unknown for a file read as bytes: opening it rescans it and sets them.
   */
  publishScanned(
    results: ReadonlyArray<{ uri: vscode.Uri; findings: readonly LocatedFinding[] }>,
    stale: readonly vscode.Uri[] = [],
  ): void {
    const open = new Set(vscode.workspace.textDocuments.filter((d) => !d.isClosed).map((d) => d.uri.toString()));
    const entries: Array<[vscode.Uri, vscode.Diagnostic[]]> = [];
    const severities = new Map<string, vscode.DiagnosticSeverity>();
    for (const { uri, findings: all } of results) {
      const findings = all.filter((f) => this.reports(uri, f.ruleId));
      const key = uri.toString();
      if (open.has(key)) continue; // the live scan owns open files
      for (const f of findings) this.noticeLeakedPat(f.span, f.connectionId);
      const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() ?? '';
      let severity = severities.get(folder);
      if (severity === undefined) severities.set(folder, (severity = severityFor(uri)));
      // The secret (span) is not kept: only where it is and what it is.
      this.findings.set(
        key,
        findings.map(({ span, ...f }) => ({ ...f, start: 0, end: span.length })),
      );
      entries.push([
        uri,
        findings.map((f) => this.diagnosticOf(f, new vscode.Range(f.line, f.column, f.line, f.column + f.span.length), severity)),
      ]);
    }
    for (const uri of stale) {
      const key = uri.toString();
      if (open.has(key) || !this.findings.has(key)) continue;
      this.findings.delete(key);
      entries.push([uri, []]);
    }
    if (entries.length) this.collection.set(entries);
  }

  /** A leaked Data Center PAT's id (only the id leaves here): token activity alerts while it is still listed. */
  private noticeLeakedPat(secret: string, connectionId: string | undefined): void {
    if (!this.onLeakedPat || classifyToken(secret) !== 'datacenter-pat') return;
    const id = decodePatId(secret);
    if (id !== undefined) this.onLeakedPat(id, connectionId);
  }

  /** URIs of files read from disk (not open) that currently have findings. */
  closedFilesWithFindings(): vscode.Uri[] {
    const open = new Set(vscode.workspace.textDocuments.filter((d) => !d.isClosed).map((d) => d.uri.toString()));
    return [...this.findings.keys()].filter((key) => !open.has(key)).map((key) => vscode.Uri.parse(key));
  }

  /** Verify Leaked Tokens' answers: every diagnostic of each secret says it (a live one as an error). */
  setVerdicts(verdicts: ReadonlyMap<string, Verification>): void {
    for (const [fingerprint, verdict] of verdicts) this.verdicts.set(fingerprint, verdict);
    const entries: Array<[vscode.Uri, vscode.Diagnostic[]]> = [];
    for (const [key, findings] of this.findings) {
      const uri = vscode.Uri.parse(key);
      const doc = vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === key);
      const severity = severityFor(uri);
      entries.push([
        uri,
        findings.map((f) =>
          this.diagnosticOf(
            f,
            doc
              ? new vscode.Range(doc.positionAt(f.start), doc.positionAt(f.end))
              : new vscode.Range(f.line, f.column, f.line, f.column + (f.end - f.start)),
            severity,
          ),
        ),
      ]);
    }
    if (entries.length) this.collection.set(entries);
  }

  private diagnosticOf(
    finding: Pick<Finding, 'message' | 'ruleId' | 'fingerprint'>,
    range: vscode.Range,
    severity: vscode.DiagnosticSeverity,
  ): vscode.Diagnostic {
    return toDiagnostic(finding, range, severity, this.verdicts.get(finding.fingerprint));
  }

  /** The finding behind one of our diagnostics. */
  findingFor(doc: vscode.TextDocument, diagnostic: vscode.Diagnostic): Finding | undefined {
    const start = doc.offsetAt(diagnostic.range.start);
    const end = doc.offsetAt(diagnostic.range.end);
    return (this.findings.get(doc.uri.toString()) ?? []).find(
      (f) => f.start === start && f.end === end && f.ruleId === diagnosticCode(diagnostic),
    );
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
}

function severityFor(uri: vscode.Uri): vscode.DiagnosticSeverity {
  return SEVERITIES[setting('leakSeverity', uri)] ?? vscode.DiagnosticSeverity.Warning;
}

export function toDiagnostic(
  finding: Pick<Finding, 'message' | 'ruleId'>,
  range: vscode.Range,
  severity: vscode.DiagnosticSeverity,
  verdict?: Verification,
): vscode.Diagnostic {
  // A token Jira still accepts is an error whatever the chosen severity: it is to be revoked now.
  const message = verdict ? `${finding.message} Verified ${verdict.status}: ${verdict.reason}.` : finding.message;
  const diagnostic = new vscode.Diagnostic(range, message, verdict?.status === 'live' ? vscode.DiagnosticSeverity.Error : severity);
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
