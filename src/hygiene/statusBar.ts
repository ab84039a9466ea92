// The status bar guard: one shield counting the leaked tokens the Problems panel lists (read from the diagnostics any
// leak detector publishes under our source name, so it does not depend on the leak feature's code) plus
// connections that need attention. Hidden when all is well unless `jiraTokenGuard.statusBar` is "always".
import * as vscode from 'vscode';
import {
  type AttentionSummary,
  type LeakCount,
  readStatusBarMode,
  type StatusBarMode,
  summarizeAttention,
} from '../core/hygiene/attention';
import { describeHealth } from '../core/hygiene/health';
import { escapeMarkdown } from '../core/common/text';
import { type ConnectionStore } from '../connections/connectionStore';
import { Commands, DIAGNOSTIC_SOURCE, Views, WorkbenchCommands } from '../common/constants';
import { onDidChangeSettings, setting } from '../common/config';
import { currentHealth } from '../common/healthPolicy';
import { Disposable, toDisposable } from '../common/lifecycle';

export const STATUS_BAR_SETTING = 'statusBar' as const;
/** Diagnostics change on every keystroke while a leak detector rescans: update at most this often. */
const DIAGNOSTICS_DEBOUNCE_MS = 150;
/** Health depends on the date: look again every hour even when nothing else happens. */
const TIME_REFRESH_MS = 3_600_000;

export interface StatusBarSnapshot extends AttentionSummary {
  tooltip: string;
  command: string | undefined;
}

export class StatusBarGuard extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('jiraTokenGuard.status', vscode.StatusBarAlignment.Left, 50));
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private summary: AttentionSummary | undefined;
  private shown = false;

  constructor(
    private readonly store: ConnectionStore,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
    this.item.name = 'Jira Token Guard';
    this._register(vscode.languages.onDidChangeDiagnostics(() => this.refreshSoon()));
    this._register(vscode.workspace.onDidOpenTextDocument(() => this.refreshSoon()));
    this._register(vscode.workspace.onDidCloseTextDocument(() => this.refreshSoon()));
    this._register(store.onDidChange(() => this.refresh()));
    this._register(onDidChangeSettings((e) => e.affects() && this.refresh()));
    const timer = setInterval(() => this.refresh(), TIME_REFRESH_MS);
    // After the listeners: none of them can plan a refresh once the timers are stopped.
    this._register(
      toDisposable(() => {
        clearInterval(timer);
        clearTimeout(this.debounce);
      }),
    );
    this.refresh();
  }

  refresh(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = undefined;
    const now = this.now();
    const connections = this.store
      .list()
      .sort((a, b) => a.label.localeCompare(b.label))
      .map((c) => {
        const health = currentHealth(c, now);
        return { label: c.label, health, description: describeHealth(c, health, now) };
      });
    const summary = summarizeAttention(leaksInProblems(), connections, statusBarMode());
    this.summary = summary;
    this.item.text = summary.text;
    this.item.tooltip = tooltip(summary);
    this.item.command = summary.target === 'problems' ? WorkbenchCommands.showProblems : `${Views.connections}.focus`;
    this.item.backgroundColor =
      summary.severity === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : summary.severity === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.accessibilityInformation = { label: `Jira Token Guard: ${summary.lines.join('; ')}` };
    if (summary.visible) this.item.show();
    else this.item.hide();
    this.shown = summary.visible;
  }

  /** What the item shows now (tests; the item itself cannot be read back from the workbench). */
  snapshot(): StatusBarSnapshot {
    const summary = this.summary!;
    const tip = this.item.tooltip;
    return {
      ...summary,
      visible: this.shown,
      tooltip: typeof tip === 'string' ? tip : (tip?.value ?? ''),
      command: typeof this.item.command === 'string' ? this.item.command : this.item.command?.command,
    };
  }

  private refreshSoon(): void {
    if (this.debounce) return;
    this.debounce = setTimeout(() => this.refresh(), DIAGNOSTICS_DEBOUNCE_MS);
  }
}

export function statusBarMode(): StatusBarMode {
  return readStatusBarMode(setting(STATUS_BAR_SETTING));
}

/** Our diagnostics, counted per file: what the Problems panel lists (open files and the last workspace scan). */
function leaksInProblems(): LeakCount[] {
  const counts: LeakCount[] = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    const count = diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE).length;
    if (count > 0) counts.push({ file: displayName(uri), count });
  }
  return counts;
}

function displayName(uri: vscode.Uri): string {
  return uri.scheme === 'untitled' ? uri.path : vscode.workspace.asRelativePath(uri);
}

function tooltip(summary: AttentionSummary): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown('**Jira Token Guard**\n\n');
  for (const line of summary.lines) md.appendMarkdown(`- ${escapeMarkdown(line)}\n`);
  if (summary.count > 0) {
    md.appendMarkdown(`\n${summary.target === 'problems' ? 'Click to open the Problems panel.' : 'Click to open the connections.'}`);
    if (summary.connections > 0) md.appendMarkdown(` [Audit Tokens](command:${Commands.auditTokens})`);
  }
  md.isTrusted = { enabledCommands: [Commands.auditTokens] };
  return md;
}
