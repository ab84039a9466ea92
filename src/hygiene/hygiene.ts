// Assembles token hygiene: reminders, the status bar guard, the audit, terminals, export and import.
import * as vscode from 'vscode';
import { ConnectionStore } from '../connections/connectionStore';
import { Connection } from '../core/connection';
import { WorkspaceScanSummary } from '../core/scanSummary';
import { Log } from '../log';
import { Notifications } from './notifications';
import { Reminders } from './reminders';
import { StatusBarGuard } from './statusBar';
import { AuditCommand } from './auditCommand';
import { TerminalEnvironment } from './terminalEnvironment';
import { ConnectionTransfer } from './exportImport';
import { HygieneTesting } from './testingHooks';

export interface HygieneDeps {
  store: ConnectionStore;
  log: Log;
  now: () => Date;
  globalState: vscode.Memento;
  terminals: TerminalEnvironment;
  pickConnection: (arg: unknown, placeHolder: string) => Promise<Connection | undefined>;
  lastWorkspaceScan: () => WorkspaceScanSummary | undefined;
}

export function createHygiene(deps: HygieneDeps): { testing: HygieneTesting; disposables: vscode.Disposable[] } {
  const { store, log, now, terminals } = deps;
  const notifications = new Notifications();
  const reminders = new Reminders(store, deps.globalState, notifications, log, now);
  const statusBar = new StatusBarGuard(store, now);
  const audit = new AuditCommand(store, log, now, deps.lastWorkspaceScan);
  const transfer = new ConnectionTransfer(store, log, now);
  reminders.start();
  return {
    testing: { notifications, reminders, statusBar, terminals, environmentVariableCollection: terminals.collection },
    disposables: [terminals, reminders, statusBar, ...terminals.register(deps.pickConnection), ...audit.register(), ...transfer.register()],
  };
}
