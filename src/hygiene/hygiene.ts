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
import { OptionalFeatures } from '../core/common/optionalFeatures';

export interface HygieneDeps {
  /** Reminders and the status bar start as optional features: their failure cannot stop activation. */
  features: OptionalFeatures;
  store: ConnectionStore;
  log: Log;
  ui: Ui;
  now: () => Date;
  globalState: vscode.Memento;
  /** Undefined when tokens in terminals could not start (its commands then say why). */
  terminals: TerminalEnvironment | undefined;
  pickConnection: PickConnection;
  lastWorkspaceScan: () => WorkspaceScanSummary | undefined;
}

export interface Hygiene {
  reminders: Reminders | undefined;
  statusBar: StatusBarGuard | undefined;
  disposables: vscode.Disposable[];
}

export function createHygiene(deps: HygieneDeps): Hygiene {
  const { store, log, ui, now, terminals, features } = deps;
  const reminders = features.start('reminders', 'rotation and expiry reminders', () => {
    const started = new Reminders(store, deps.globalState, ui, log, now);
    started.start();
    return started;
  });
  const statusBar = features.start('statusBar', 'the status bar shield', () => new StatusBarGuard(store, now));
  // The audit and export/import code loads when one of their commands first runs, not at start-up.
  const audit = once(async () => new (await import('./auditCommand')).AuditCommand(store, log, now, deps.lastWorkspaceScan));
  const transfer = once(async () => new (await import('./exportImport')).ConnectionTransfer(store, log, ui, now));
  const command = (id: string, run: (arg: unknown) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, (arg?: unknown) => guarded(log, ui, id, arg, () => run(arg)));
  // Without them, registerUnavailableCommands (extension.ts) registers commands that say why.
  const terminalCommands =
    (terminals && features.start('terminalCommands', 'tokens in terminals', () => terminals.register(deps.pickConnection))) ?? [];
  return {
    reminders,
    statusBar,
    disposables: [
      ...(terminals ? [terminals] : []),
      ...(reminders ? [reminders] : []),
      ...(statusBar ? [statusBar] : []),
      ...terminalCommands,
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
