// Assembles token hygiene: reminders, the status bar guard, the audit, terminals, export and import.
import * as vscode from 'vscode';
import { ConnectionStore } from '../connections/connectionStore';
import { Connection } from '../core/connection';
import { WorkspaceScanSummary } from '../core/scanSummary';
import { Log } from '../log';
import { Ui } from '../ui';
import { Reminders } from './reminders';
import { StatusBarGuard } from './statusBar';
import { AuditCommand } from './auditCommand';
import { TerminalEnvironment } from './terminalEnvironment';
import { ConnectionTransfer } from './exportImport';

export interface HygieneDeps {
  store: ConnectionStore;
  log: Log;
  ui: Ui;
  now: () => Date;
  globalState: vscode.Memento;
  terminals: TerminalEnvironment;
  pickConnection: (arg: unknown, placeHolder: string) => Promise<Connection | undefined>;
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
  const audit = new AuditCommand(store, log, ui, now, deps.lastWorkspaceScan);
  const transfer = new ConnectionTransfer(store, log, ui, now);
  reminders.start();
  return {
    reminders,
    statusBar,
    disposables: [terminals, reminders, statusBar, ...terminals.register(deps.pickConnection), ...audit.register(), ...transfer.register()],
  };
}
