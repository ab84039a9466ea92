// Builds the services, hands each its dependencies, registers everything disposable.
import * as vscode from 'vscode';
import { ConnectionStore } from './connections/connectionStore';
import { ConnectionsTreeProvider } from './connections/connectionsTree';
import { ConnectionCommands } from './connections/connectionCommands';
import { Notifications } from './hygiene/notifications';
import { Reminders } from './hygiene/reminders';
import { StatusBarGuard } from './hygiene/statusBar';
import { AuditCommand } from './hygiene/auditCommand';
import { TerminalEnvironment } from './hygiene/terminalEnvironment';
import { ConnectionTransfer } from './hygiene/exportImport';
import { HygieneTesting } from './hygiene/testingHooks';
import { CredentialChecker } from './checks/credentialChecker';
import { CheckCommands } from './checks/checkCommands';
import { Log } from './log';
import { ExternalLinks } from './externalLinks';
import { Clock } from './clock';
import { OUTPUT_CHANNEL_NAME, Views } from './constants';

/** What activate() returns: for other extensions and for the integration tests. */
export interface JiraTokenGuardApi {
  readonly store: ConnectionStore;
  readonly tree: ConnectionsTreeProvider;
  /** For tests and diagnostics: where the output channel's log lives, and the raw stores to audit. */
  readonly testing: { readonly logUri: vscode.Uri; readonly globalState: vscode.Memento; readonly links: ExternalLinks; readonly clock: Clock; readonly hygiene: HygieneTesting };
}

export function activate(context: vscode.ExtensionContext): JiraTokenGuardApi {
  const clock = new Clock();
  const now = () => clock.now();
  const store = new ConnectionStore(context.secrets, context.globalState, now);
  const log = new Log(OUTPUT_CHANNEL_NAME, () => store.knownSecrets());
  const links = new ExternalLinks();
  const checker = new CredentialChecker(store, log, links, now);
  const terminals = new TerminalEnvironment(context.environmentVariableCollection, store, log);
  const tree = new ConnectionsTreeProvider(store, now, terminals);
  const treeView = vscode.window.createTreeView(Views.connections, { treeDataProvider: tree, showCollapseAll: true });
  const connections = new ConnectionCommands(store, tree, log, links, checker, now);
  const checks = new CheckCommands(store, connections, checker);
  const notifications = new Notifications();
  const reminders = new Reminders(store, context.globalState, notifications, log, now);
  const statusBar = new StatusBarGuard(store, now);
  const audit = new AuditCommand(store, log, now);
  const transfer = new ConnectionTransfer(store, log, now);
  context.subscriptions.push(terminals, reminders, statusBar, ...terminals.register((arg, placeHolder) => connections.resolveConnection(arg, placeHolder)), ...audit.register(), ...transfer.register());
  reminders.start();
  const hygiene: HygieneTesting = { notifications, reminders, statusBar, terminals, environmentVariableCollection: context.environmentVariableCollection };
  context.subscriptions.push(store, log, tree, treeView, ...connections.register(), ...checks.register());
  return { store, tree, testing: { logUri: context.logUri, globalState: context.globalState, links, clock, hygiene } };
}

export function deactivate(): void {}
