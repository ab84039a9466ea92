// Builds the services, hands each its dependencies, registers everything disposable.
import * as vscode from 'vscode';
import { ConnectionStore } from './connections/connectionStore';
import { ConnectionsTreeProvider } from './connections/connectionsTree';
import { ConnectionCommands } from './connections/connectionCommands';
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
  readonly testing: { readonly logUri: vscode.Uri; readonly globalState: vscode.Memento; readonly links: ExternalLinks; readonly clock: Clock };
}

export function activate(context: vscode.ExtensionContext): JiraTokenGuardApi {
  const clock = new Clock();
  const now = () => clock.now();
  const store = new ConnectionStore(context.secrets, context.globalState, now);
  const log = new Log(OUTPUT_CHANNEL_NAME, () => store.knownSecrets());
  const links = new ExternalLinks();
  const checker = new CredentialChecker(store, log, links, now);
  const tree = new ConnectionsTreeProvider(store, now);
  const treeView = vscode.window.createTreeView(Views.connections, { treeDataProvider: tree, showCollapseAll: true });
  const connections = new ConnectionCommands(store, tree, log, links, checker, now);
  const checks = new CheckCommands(store, connections, checker);
  context.subscriptions.push(store, log, tree, treeView, ...connections.register(), ...checks.register());
  return { store, tree, testing: { logUri: context.logUri, globalState: context.globalState, links, clock } };
}

export function deactivate(): void {}
