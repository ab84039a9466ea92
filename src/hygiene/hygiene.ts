// Assembles token hygiene: reminders, the status bar guard, the audit, terminals, export and import.
import * as vscode from 'vscode';
import { ConnectionStore } from '../connections/connectionStore';
import type { PickConnection } from '../connections/connectionPicker';
import { WorkspaceScanSummary } from '../core/findings/scanSummary';
import { Log } from '../common/log';
import { Ui } from '../common/ui';
import { Reminders } from './reminders';
import { StatusBarGuard } from './statusBar';
import { TerminalEnvironment } from './terminalEnvironment';
import { Commands } from '../common/constants';
import { guarded } from '../common/commandErrors';

export interface HygieneDeps {
  store: ConnectionStore;
  log: Log;
  ui: Ui;
  now: () => Date;
  globalState: vscode.Memento;
  terminals: TerminalEnvironment;
  pickConnection: PickConnection;
  lastWorkspaceScan: () => WorkspaceScanSummary | undefined;
}

export interface Hygiene {
  reminders: Reminders;
  statusBar: StatusBarGuard;
  disposables: vscode.Disposable[];
}

export function createHygiene(deps: HygieneDeps): Hygiene {
  const { store, log, ui, now, terminals } = deps;
  const reminders = new Reminders(store, deps.globalState, ui, log, now);
  const statusBar = new StatusBarGuard(store, now);
  // The audit and export/import code loads when one of their commands first runs, not at start-up.
  const audit = once(async () => new (await import('./auditCommand')).AuditCommand(store, log, now, deps.lastWorkspaceScan));
  const transfer = once(async () => new (await import('./exportImport')).ConnectionTransfer(store, log, ui, now));
  const command = (id: string, run: (arg: unknown) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, (arg?: unknown) => guarded(log, ui, id, arg, () => run(arg)));
  reminders.start();
  return {
    reminders,
    statusBar,
    disposables: [
      terminals,
      reminders,
      statusBar,
      ...terminals.register(deps.pickConnection),
      command(Commands.auditTokens, async (arg) => (await audit()).run(arg)),
      command(Commands.exportConnections, async (arg) => (await transfer()).export(arg)),
      command(Commands.importConnections, async (arg) => (await transfer()).import(arg)),
    ],
  };
}

/** Calls `make` on first use only; later calls share its result. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}
