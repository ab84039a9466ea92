// Test Connection and Test All Connections, and the optional periodic re-check.
import * as vscode from 'vscode';
import { CheckResult } from '../core/connection';
import { ConnectionStore } from '../connections/connectionStore';
import { ConnectionCommands } from '../connections/connectionCommands';
import { connectionIdOf, isArgumentObject } from '../connections/connectionArgs';
import { CredentialChecker } from './credentialChecker';
import { affectsGuardSetting, setting } from '../config';
import { Commands } from '../constants';

const HOUR_MS = 3_600_000;

export class CheckCommands implements vscode.Disposable {
  private recheckTimer: ReturnType<typeof setInterval> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly store: ConnectionStore,
    private readonly connections: ConnectionCommands,
    private readonly checker: CredentialChecker,
  ) {}

  register(): vscode.Disposable[] {
    this.scheduleRecheck();
    this.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => affectsGuardSetting(e, 'recheckIntervalHours') && this.scheduleRecheck()));
    return [
      vscode.commands.registerCommand(Commands.testConnection, (arg?: unknown) => this.testConnection(arg)),
      vscode.commands.registerCommand(Commands.testAllConnections, (arg?: unknown) => this.testAll(arg)),
      this,
    ];
  }

  /** Resolves to the verdict; notifies unless called with an argument object (then `notify: true` asks for it). */
  async testConnection(arg?: unknown): Promise<CheckResult | undefined> {
    const id = connectionIdOf(arg);
    const connection = id ? this.store.get(id) : await this.connections.resolveConnection(arg, 'Test which connection?');
    if (!connection) {
      if (isArgumentObject(arg)) throw new Error(`No connection has the id "${String(id ?? '')}".`);
      return undefined;
    }
    const result = await vscode.window.withProgress(
      { location: { viewId: 'jiraTokenGuard.connections' }, title: `Testing ${connection.label}` },
      () => this.checker.checkStored(connection.id),
    );
    const notify = !isArgumentObject(arg) || arg.notify === true;
    if (notify) this.checker.showResult(this.store.get(connection.id) ?? connection, result);
    return result;
  }

  /** Tests every connection in parallel (small limit) under a cancellable progress notification. */
  async testAll(arg?: unknown): Promise<Record<string, CheckResult>> {
    const connections = this.store.list();
    if (connections.length === 0) {
      void vscode.window.showInformationMessage('There are no Jira connections to test yet.');
      return {};
    }
    const results = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Testing Jira connections', cancellable: true },
      async (progress, cancel) => {
        const abort = new AbortController();
        const subscription = cancel.onCancellationRequested(() => abort.abort());
        let done = 0;
        try {
          return await this.checker.checkAllStored(connections.map((c) => c.id), abort.signal, () => {
            done++;
            progress.report({ message: `${done} of ${connections.length}`, increment: 100 / connections.length });
          });
        } finally {
          subscription.dispose();
        }
      },
    );
    const failing = [...results.entries()].filter(([, r]) => r.status !== 'valid');
    if (!isArgumentObject(arg) || arg.notify === true) {
      if (failing.length === 0) void vscode.window.showInformationMessage(`All ${results.size} Jira connections work.`);
      else {
        const names = failing.map(([id]) => this.store.get(id)?.label ?? id).join(', ');
        void vscode.window.showWarningMessage(`${failing.length} of ${results.size} connections failed: ${names}. Hover them in the tree for the reason.`, 'Show Connections')
          .then((c) => c && vscode.commands.executeCommand('jiraTokenGuard.connections.focus'));
      }
    }
    return Object.fromEntries(results);
  }

  /** Monitoring: re-checks in the background and warns once when a token that worked stops working. */
  private scheduleRecheck(): void {
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    this.recheckTimer = undefined;
    const hours = setting('recheckIntervalHours');
    if (!(hours > 0)) return;
    this.recheckTimer = setInterval(() => void this.recheck(), Math.max(hours, 0.25) * HOUR_MS);
  }

  async recheck(): Promise<void> {
    const before = new Map(this.store.list().map((c) => [c.id, c.lastCheck?.status]));
    const abort = new AbortController();
    await this.checker.checkAllStored([...before.keys()], abort.signal, (id, result) => {
      if (before.get(id) === 'valid' && result.status !== 'valid') {
        const connection = this.store.get(id);
        if (connection) this.checker.showResult(connection, result);
      }
    });
  }

  dispose(): void {
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    for (const s of this.subscriptions) s.dispose();
  }
}
