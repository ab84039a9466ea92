// Test Connection and Test All Connections, and the optional periodic re-check.
import * as vscode from 'vscode';
import { type CheckResult } from '../core/connections/connection';
import { type ConnectionStore } from '../connections/connectionStore';
import type { PickConnection } from '../connections/connectionPicker';
import { connectionIdOf, isArgumentObject } from '../common/commandArgs';
import { type CredentialChecker } from './credentialChecker';
import { onDidChangeSettings, setting } from '../common/config';
import { Commands, Views } from '../common/constants';
import { UserFacingError } from '../common/commandErrors';
import { registerGuardedCommands } from '../common/guardedCommands';
import { type Log } from '../common/log';
import { type Ui } from '../common/ui';
import { Disposable, toDisposable } from '../common/lifecycle';

const HOUR_MS = 3_600_000;

/** Background re-checks run at most weekly apart (and never below a quarter hour): timers past 2^31 ms fire at once. */
const MAX_RECHECK_HOURS = 168;
const MIN_RECHECK_HOURS = 0.25;

export interface CheckDeps {
  store: ConnectionStore;
  pickConnection: PickConnection;
  checker: CredentialChecker;
  log: Log;
  ui: Ui;
}

/** Test Connection, Test All Connections and the background re-check: registered when made, released on dispose. */
export class CheckCommands extends Disposable {
  private recheckTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly store: ConnectionStore;
  private readonly pickConnection: PickConnection;
  private readonly checker: CredentialChecker;
  private readonly ui: Ui;

  constructor(deps: CheckDeps) {
    super();
    this.store = deps.store;
    this.pickConnection = deps.pickConnection;
    this.checker = deps.checker;
    this.ui = deps.ui;
    this._register(toDisposable(() => clearTimeout(this.recheckTimer)));
    this._register(
      registerGuardedCommands(deps, {
        [Commands.testConnection]: (arg) => this.testConnection(arg),
        [Commands.testAllConnections]: (arg) => this.testAll(arg),
      }),
    );
    this._register(onDidChangeSettings((e) => e.affects('recheckIntervalHours') && this.scheduleRecheck()));
    this.scheduleRecheck();
  }

  /** Resolves to the verdict; notifies unless called with an argument object (then `notify: true` asks for it). */
  async testConnection(arg?: unknown): Promise<CheckResult | undefined> {
    const connection = await this.pickConnection(arg, 'Test which connection?');
    if (!connection) {
      if (isArgumentObject(arg)) {
        const id = connectionIdOf(arg);
        throw new UserFacingError(id ? `No connection has the id "${id}".` : 'Say which connection to test: { id }.');
      }
      return undefined;
    }
    const result = await vscode.window.withProgress({ location: { viewId: Views.connections }, title: `Testing ${connection.label}` }, () =>
      this.checker.checkStored(connection.id),
    );
    const notify = !isArgumentObject(arg) || arg.notify === true;
    if (notify) this.checker.showResult(this.store.get(connection.id) ?? connection, result);
    return result;
  }

  /** Tests every connection in parallel (small limit) under a cancellable progress notification. */
  async testAll(arg?: unknown): Promise<Record<string, CheckResult>> {
    const connections = this.store.list();
    if (connections.length === 0) {
      void this.ui.showInformationMessage('There are no Jira connections to test yet.', {});
      return {};
    }
    const results = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Testing Jira connections', cancellable: true },
      async (progress, cancel) => {
        const abort = new AbortController();
        const subscription = cancel.onCancellationRequested(() => abort.abort());
        let done = 0;
        try {
          return await this.checker.checkAllStored(
            connections.map((c) => c.id),
            abort.signal,
            () => {
              done++;
              progress.report({ message: `${done} of ${connections.length}`, increment: 100 / connections.length });
            },
          );
        } finally {
          subscription.dispose();
        }
      },
    );
    const failing = [...results.entries()].filter(([, r]) => r.status !== 'valid');
    if (!isArgumentObject(arg) || arg.notify === true) {
      if (failing.length === 0) void this.ui.showInformationMessage(`All ${results.size} Jira connections work.`, {});
      else {
        const names = failing.map(([id]) => this.store.get(id)?.label ?? id).join(', ');
        void this.ui
          .showWarningMessage(
            `${failing.length} of ${results.size} connections failed: ${names}. Hover them in the tree for the reason.`,
            {},
            'Show Connections',
          )
          .then((c) => c && vscode.commands.executeCommand(`${Views.connections}.focus`));
      }
    }
    return Object.fromEntries(results);
  }

  /** Monitoring: re-checks in the background and warns once when a token that worked stops working. */
  private scheduleRecheck(): void {
    if (this.recheckTimer) clearTimeout(this.recheckTimer);
    this.recheckTimer = undefined;
    if (this.isDisposed) return;
    const hours = setting('recheckIntervalHours');
    if (!(hours > 0)) return;
    const delay = Math.min(Math.max(hours, MIN_RECHECK_HOURS), MAX_RECHECK_HOURS) * HOUR_MS;
    // Chained, not an interval: the next round is planned only after this one has finished.
    this.recheckTimer = setTimeout(() => void this.recheck().finally(() => this.scheduleRecheck()), delay);
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
}
