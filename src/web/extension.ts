// The composition root in the browser (package.json `browser`: vscode.dev, github.dev, code-server's web worker):
// the connections (store, tree, commands), the checks and the leak guard on open files, which need only core and
// the vscode API. Built for the browser: a Node module reached from here fails the build. What needs a terminal,
// a debugger, a program, git or the disk is not started; its commands stay registered and say why, and its menu
// items are hidden in the browser (`!isWeb` in package.json).
import * as vscode from 'vscode';
import { ConnectionStore } from '../connections/connectionStore';
import { ConnectionsTreeProvider } from '../connections/connectionsTree';
import { ConnectionCommands } from '../connections/connectionCommands';
import { ConnectionPicker } from '../connections/connectionPicker';
import { CredentialChecker } from '../checks/credentialChecker';
import { CheckCommands } from '../checks/checkCommands';
import { Log } from '../common/log';
import { restrictedSettingsOf, SettingsGuard } from '../common/settingsGuard';
import { installSettingsGuard } from '../common/config';
import { type Ui, VscodeUi } from '../common/ui';
import { Commands, OUTPUT_CHANNEL_NAME, Views } from '../common/constants';
import { UserFacingError } from '../common/userFacingError';
import { createPublicApi, type JiraTokenGuardApi } from '../api';
import { BrowserLeakGuard } from './browserLeakGuard';
import { OptionalFeatures } from '../core/common/optionalFeatures';
import { reportFailedFeatures } from '../common/unavailableFeatures';

export function activate(context: vscode.ExtensionContext): JiraTokenGuardApi {
  const ui = new VscodeUi();
  const now = () => new Date();
  const own = <T extends vscode.Disposable>(part: T): T => (context.subscriptions.push(part), part);
  const store = own(new ConnectionStore(context.secrets, context.globalState, now));
  const log = own(new Log(OUTPUT_CHANNEL_NAME, () => store.knownSecrets()));
  const settings = own(new SettingsGuard(context.globalState, ui, log, restrictedSettingsOf(context)));
  installSettingsGuard(settings);
  own({ dispose: () => installSettingsGuard(undefined) });
  const base = { store, log, ui, now };
  const checker = new CredentialChecker(store, log, ui, now);
  const picker = new ConnectionPicker(store, ui);
  const tree = own(new ConnectionsTreeProvider(store, now));
  own(vscode.window.createTreeView(Views.connections, { treeDataProvider: tree, showCollapseAll: true }));
  const connections = own(new ConnectionCommands({ ...base, tree, picker, verifier: checker }));
  own(new CheckCommands({ ...base, checker, pickConnection: picker.pick }));
  // Started in isolation: a failure is logged and named once, and the connections still work.
  const features = new OptionalFeatures(log);
  features.start('leaks', 'the leak guard', () =>
    own(
      new BrowserLeakGuard({
        ...base,
        checker,
        addConnection: (args) => connections.add(args),
        replaceToken: (args, how) => connections.replaceToken(args, how),
        useInTerminals: () =>
          Promise.reject(new UserFacingError('Use in Terminals is not available in the browser: a browser tab has no terminals.')),
      }),
    ),
  );
  reportFailedFeatures(features, ui, log);
  for (const command of commandsNotInBrowser(ui)) own(command);
  log.info(`Started in the browser (VS Code ${vscode.version}).`);
  return createPublicApi();
}

export function deactivate(): void {}

/**
 * The desktop's commands the browser cannot run: each is registered anyway and says why (a keybinding, a
 * walkthrough link or another extension may still call it), instead of "command not found".
 */
function commandsNotInBrowser(ui: Ui): vscode.Disposable[] {
  const why = {
    [Commands.useInTerminals]: 'a browser tab has no terminals to put a token into',
    [Commands.stopUsingInTerminals]: 'a browser tab has no terminals to put a token into',
    [Commands.rotateToken]: 'rotation searches the files on disk where the token is used',
    [Commands.findTokenUses]: 'finding uses searches the files on disk',
    [Commands.offerToMcp]: 'MCP servers run as programs on a computer',
    [Commands.stopOfferingToMcp]: 'MCP servers run as programs on a computer',
    [Commands.scanGitHistory]: 'the history scan runs git',
    [Commands.auditTokens]: 'the audit reads files on disk',
    [Commands.exportConnections]: 'export writes a file on disk',
    [Commands.importConnections]: 'import reads a file on disk',
    [Commands.exportTokenInventory]: 'the token inventory is not in the browser version yet',
    [Commands.checkTokenActivity]: 'token activity is not in the browser version yet',
    [Commands.addOrganisation]: 'organisations are not in the browser version yet',
    [Commands.removeOrganisation]: 'organisations are not in the browser version yet',
    [Commands.revokeOrgTokens]: 'organisations are not in the browser version yet',
    [Commands.revokeAccountToken]: 'the account tokens are not in the browser version yet',
  };
  return Object.entries(why).map(([command, reason]) =>
    vscode.commands.registerCommand(command, () => {
      void ui.showInformationMessage(`Jira Token Guard: not available in the browser: ${reason}. Use desktop VS Code for it.`, {});
    }),
  );
}
