// Builds the services, hands each its dependencies, registers everything disposable.
import * as vscode from 'vscode';
import { ConnectionStore } from './connections/connectionStore';
import { ConnectionsTreeProvider } from './connections/connectionsTree';
import { ConnectionCommands } from './connections/connectionCommands';
import { CredentialChecker } from './checks/credentialChecker';
import { CheckCommands } from './checks/checkCommands';
import { createLeakGuard, LeakGuard } from './leaks/leakGuard';
import { TerminalEnvironment } from './hygiene/terminalEnvironment';
import { createHygiene } from './hygiene/hygiene';
import { HygieneTesting } from './hygiene/testingHooks';
import { Log } from './log';
import { ExternalLinks } from './externalLinks';
import { Prompts } from './prompts';
import { Clock } from './clock';
import { OUTPUT_CHANNEL_NAME, Views } from './constants';

/** What activate() returns: for other extensions and for the integration tests. */
export interface JiraTokenGuardApi {
  readonly store: ConnectionStore;
  readonly tree: ConnectionsTreeProvider;
  readonly leaks: LeakGuard;
  /** For tests and diagnostics: the output channel's log folder, the raw state, and seams to drive features. */
  readonly testing: { readonly logUri: vscode.Uri; readonly globalState: vscode.Memento; readonly links: ExternalLinks; readonly prompts: Prompts; readonly clock: Clock; readonly checks: CheckCommands; readonly hygiene: HygieneTesting };
}

export function activate(context: vscode.ExtensionContext): JiraTokenGuardApi {
  const clock = new Clock();
  const now = () => clock.now();
  const store = new ConnectionStore(context.secrets, context.globalState, now);
  const log = new Log(OUTPUT_CHANNEL_NAME, () => store.knownSecrets());
  const links = new ExternalLinks();
  const prompts = new Prompts();
  const checker = new CredentialChecker(store, log, links, prompts, now);
  const terminals = new TerminalEnvironment(context.environmentVariableCollection, store, log);
  const tree = new ConnectionsTreeProvider(store, now, terminals);
  const treeView = vscode.window.createTreeView(Views.connections, { treeDataProvider: tree, showCollapseAll: true });
  const connections = new ConnectionCommands(store, tree, log, links, checker, prompts, now);
  const checks = new CheckCommands(store, connections, checker, log);
  const leaks = createLeakGuard({ store, links, checker, log, now, addConnection: (args) => connections.add(args), replaceToken: (args) => connections.replaceToken(args), prompts });
  const hygiene = createHygiene({
    store, log, now, terminals, globalState: context.globalState,
    pickConnection: (arg, placeHolder) => connections.resolveConnection(arg, placeHolder),
    lastWorkspaceScan: () => leaks.workspaceScanner.lastWorkspaceScan(),
  });
  context.subscriptions.push(store, log, tree, treeView, ...connections.register(), ...checks.register(), ...leaks.disposables, ...hygiene.disposables);
  return { store, tree, leaks, testing: { logUri: context.logUri, globalState: context.globalState, links, prompts, clock, checks, hygiene: hygiene.testing } };
}

export function deactivate(): void {}
