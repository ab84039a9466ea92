// Builds the services, hands each its dependencies, registers everything disposable. What it returns is
// the public API of src/api.ts; the internals are added under `testing` only in an integration test run.
import * as os from 'os';
import * as vscode from 'vscode';
import { ConnectionStore } from './connections/connectionStore';
import { ConnectionsTreeProvider } from './connections/connectionsTree';
import { ConnectionCommands } from './connections/connectionCommands';
import { ConnectionPicker } from './connections/connectionPicker';
import { CredentialChecker } from './checks/credentialChecker';
import { CheckCommands } from './checks/checkCommands';
import { createLeakGuard } from './leaks/leakGuard';
import { TerminalEnvironment } from './hygiene/terminalEnvironment';
import { createHygiene } from './hygiene/hygiene';
import { createRotation } from './rotation/rotation';
import { Log } from './common/log';
import { SettingsGuard } from './common/settingsGuard';
import { installSettingsGuard } from './common/config';
import { VscodeUi } from './common/ui';
import { TestingHooks, TestSeams } from './common/testSeams';
import { createPublicApi, JiraTokenGuardApi } from './api';
import { detectMcpApi, McpServers } from './mcp/mcpServers';
import { DebugEnvironment } from './debug/debugEnvironment';
import { OUTPUT_CHANNEL_NAME, Views } from './common/constants';

export function activate(context: vscode.ExtensionContext): JiraTokenGuardApi | (JiraTokenGuardApi & { testing: TestingHooks }) {
  const seams = context.extensionMode === vscode.ExtensionMode.Test ? new TestSeams(context.secrets) : undefined;
  const ui = seams?.ui ?? new VscodeUi();
  const now = seams?.now ?? (() => new Date());
  const store = new ConnectionStore(seams?.secrets ?? context.secrets, context.globalState, now);
  const log = new Log(OUTPUT_CHANNEL_NAME, () => store.knownSecrets());
  const settings = new SettingsGuard(context.globalState, ui, log, restrictedSettings(context));
  installSettingsGuard(settings);
  context.subscriptions.push(settings, { dispose: () => installSettingsGuard(undefined) });
  const checker = new CredentialChecker(store, log, ui, now);
  const terminals = new TerminalEnvironment(context.environmentVariableCollection, store, log, ui);
  const tree = new ConnectionsTreeProvider(store, now, terminals);
  const treeView = vscode.window.createTreeView(Views.connections, { treeDataProvider: tree, showCollapseAll: true });
  const picker = new ConnectionPicker(store, ui);
  const connections = new ConnectionCommands(store, tree, log, checker, ui, picker, now, seams !== undefined);
  const checks = new CheckCommands(store, picker.pick, checker, log, ui);
  const leaks = createLeakGuard({
    store,
    checker,
    log,
    ui,
    now,
    addConnection: (args) => connections.add(args),
    replaceToken: (args, how) => connections.replaceToken(args, how),
    useInTerminals: (id) => terminals.use(id),
  });
  const rotation = createRotation({
    store,
    checker,
    ui,
    log,
    now,
    home: seams?.home ?? (() => os.homedir()),
    workspaceFiles: leaks.workspaceScanner,
    pickConnection: picker.pick,
  });
  const hygiene = createHygiene({
    store,
    log,
    ui,
    now,
    terminals,
    globalState: context.globalState,
    pickConnection: picker.pick,
    lastWorkspaceScan: () => leaks.workspaceScanner.lastWorkspaceScan(),
  });
  // MCP server definitions exist from VS Code 1.101; before that nothing is registered or shown.
  const mcpApi = detectMcpApi();
  const mcp = mcpApi && new McpServers(mcpApi, store, context.globalState, log, ui, picker.pick);
  const debug = new DebugEnvironment(store, terminals, context.globalState, log, ui);
  context.subscriptions.push(
    store,
    log,
    tree,
    treeView,
    ...connections.register(),
    ...checks.register(),
    ...leaks.disposables,
    ...rotation.disposables,
    ...hygiene.disposables,
  );
  context.subscriptions.push(debug, ...debug.register(), ...(mcp ? [mcp, ...mcp.register()] : []));
  const api = createPublicApi();
  if (!seams) return api;
  const testing = seams.hooks({
    store,
    log,
    settings,
    tree,
    leaks,
    checks,
    mcp,
    debug,
    logUri: context.logUri,
    globalState: context.globalState,
    rotation: rotation.testing,
    hygiene: { reminders: hygiene.reminders, statusBar: hygiene.statusBar, terminals, environmentVariableCollection: terminals.collection },
  });
  return { ...api, testing };
}

export function deactivate(): void {}

/** The settings a workspace may not set in Restricted Mode (package.json), without the section prefix. */
function restrictedSettings(context: vscode.ExtensionContext): Set<string> {
  const manifest = context.extension?.packageJSON as { capabilities?: { untrustedWorkspaces?: { restrictedConfigurations?: unknown } } } | undefined;
  const listed = manifest?.capabilities?.untrustedWorkspaces?.restrictedConfigurations;
  return new Set(
    (Array.isArray(listed) ? listed : []).filter((k): k is string => typeof k === 'string').map((k) => k.replace(/^jiraTokenGuard\./, '')),
  );
}
