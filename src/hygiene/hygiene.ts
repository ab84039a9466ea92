// Token hygiene: reminders, the status bar guard, the audit, export and import (terminals: terminalEnvironment.ts).
import type * as vscode from 'vscode';
import { type OrganisationStore } from '../connections/organisationStore';
import { type ConnectionStore } from '../connections/connectionStore';
import { type WorkspaceScanSummary } from '../core/findings/scanSummary';
import { type Log } from '../common/log';
import { type Ui } from '../common/ui';
import { Reminders } from './reminders';
import { StatusBarGuard } from './statusBar';
import { Commands } from '../common/constants';
import { registerGuardedCommands } from '../common/guardedCommands';
import { Disposable } from '../common/lifecycle';
import { type OptionalFeatures } from '../core/common/optionalFeatures';
import { TokenActivity } from './tokenActivity';
import { type DeadTokens } from './deadTokens';

export interface HygieneDeps {
  /** Reminders and the status bar start as optional features: their failure cannot stop activation. */
  features: OptionalFeatures;
  store: ConnectionStore;
  /** Token activity reads the organisations' tokens too. */
  organisations: OrganisationStore;
  log: Log;
  ui: Ui;
  now: () => Date;
  globalState: vscode.Memento;
  lastWorkspaceScan: () => WorkspaceScanSummary | undefined;
  /** Ids of the tokens that should be dead, recorded by rotation, revocation and the leak guard. */
  deadTokens: DeadTokens;
}

/** Token hygiene: reminders and the status bar (each an optional feature), the audit, export and import, token activity. */
export class Hygiene extends Disposable {
  readonly reminders: Reminders | undefined;
  readonly statusBar: StatusBarGuard | undefined;
  readonly activity: TokenActivity;

  constructor(deps: HygieneDeps) {
    super();
    const { store, log, ui, now, features } = deps;
    this.reminders = features.start('reminders', 'rotation and expiry reminders', () => {
      const started = this._register(new Reminders(store, deps.globalState, ui, log, now));
      started.start();
      return started;
    });
    this.statusBar = features.start('statusBar', 'the status bar shield', () => this._register(new StatusBarGuard(store, now)));
    // Only a timer at start-up: the first look waits for its interval.
    this.activity = this._register(
      new TokenActivity({
        store,
        organisations: deps.organisations,
        log,
        ui,
        now,
        globalState: deps.globalState,
        deadTokens: deps.deadTokens,
      }),
    );
    this.activity.start();
    // The audit and export/import code loads when one of their commands first runs, not at start-up.
    const audit = once(
      async () =>
        new (await import('./auditCommand')).AuditCommand(store, log, now, deps.lastWorkspaceScan, () => this.activity.auditInventory()),
    );
    const transfer = once(async () => new (await import('./exportImport')).ConnectionTransfer(store, log, ui, now));
    this._register(
      registerGuardedCommands(deps, {
        [Commands.auditTokens]: async (arg) => (await audit()).run(arg),
        [Commands.exportConnections]: async (arg) => (await transfer()).export(arg),
        [Commands.importConnections]: async (arg) => (await transfer()).import(arg),
        [Commands.exportTokenInventory]: (arg) => this.activity.export(arg),
        [Commands.checkTokenActivity]: () => this.activity.check(),
      }),
    );
  }
}

/** Calls `make` on first use only; later calls share its result. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}
