// The composition root: builds the shared parts, then lists the features, each a Disposable that registers
// its commands, listeners and timers when it is made. What it returns is the public API of src/api.ts; the
// internals are added under `testing` only in an integration test run (testSeams.ts).
import * as os from 'os';
import * as vscode from 'vscode';
import { ConnectionStore } from './connections/connectionStore';
import { SerialMemento } from './common/serialMemento';
import { ConnectionsTreeProvider } from './connections/connectionsTree';
import { AccountTokens } from './connections/accountTokens';
import { OrganisationStore } from './connections/organisationStore';
import { Organisations } from './connections/organisations';
import { ConnectionCommands } from './connections/connectionCommands';
import { ConnectionPicker } from './connections/connectionPicker';
import { CredentialChecker } from './checks/credentialChecker';
import { CheckCommands } from './checks/checkCommands';
import { LeakGuard } from './leaks/leakGuard';
import { TerminalEnvironment } from './hygiene/terminalEnvironment';
import { Hygiene } from './hygiene/hygiene';
import { DeadTokens } from './hygiene/deadTokens';
import { Rotation } from './rotation/rotationFeature';
import { Log } from './common/log';
import { restrictedSettingsOf, SettingsGuard } from './common/settingsGuard';
import { installSettingsGuard } from './common/config';
import { VscodeUi } from './common/ui';
import { type TestingHooks, TestSeams } from './testSeams';
import { createPublicApi, type JiraTokenGuardApi } from './api';
import { detectMcpApi, McpServers } from './mcp/mcpServers';
import { DebugEnvironment } from './debug/debugEnvironment';
import { OUTPUT_CHANNEL_NAME, Views } from './common/constants';
import { OptionalFeatures } from './core/common/optionalFeatures';
import { unsupportedOn, VERSIONED_APIS } from './core/common/vscodeApis';
import { registerUnavailableCommands, reportFailedFeatures } from './common/unavailableFeatures';
import { UserFacingError } from './common/userFacingError';

export function activate(context: vscode.ExtensionContext): JiraTokenGuardApi | (JiraTokenGuardApi & { testing: TestingHooks }) {
  const seams = context.extensionMode === vscode.ExtensionMode.Test ? new TestSeams(context.secrets) : undefined;
  const ui = seams?.ui ?? new VscodeUi();
  const now = seams?.now ?? (() => new Date());
  // Every write to globalState goes through one queue: VS Code loses a write made while another is in flight.
  const globalState = new SerialMemento(context.globalState);
  const store = new ConnectionStore(seams?.secrets ?? context.secrets, globalState, now);
  // Apart from the connection store: an admin key never reaches what reads connections (checks, terminals, MCP…).
  const organisationStore = new OrganisationStore(seams?.secrets ?? context.secrets, globalState, now);
  const log = new Log(OUTPUT_CHANNEL_NAME, () => [...store.knownSecrets(), ...organisationStore.knownSecrets()]);
  const settings = new SettingsGuard(globalState, ui, log, restrictedSettingsOf(context));
  installSettingsGuard(settings);
  const own = <T extends vscode.Disposable>(part: T): T => (context.subscriptions.push(part), part);
  own(store);
  own(organisationStore);
  own(log);
  own(settings);
  own({ dispose: () => installSettingsGuard(undefined) });
  // Optional features start in isolation: one that cannot (an API this VS Code lacks or that throws) is logged
  // once and says why where it is used; the rest of the extension starts regardless.
  const features = new OptionalFeatures(log);
  const checker = new CredentialChecker(store, log, ui, now);
  const picker = new ConnectionPicker(store, ui);
  const base = { store, log, ui, now };
  // Ids of tokens that should be dead: rotation, revocation and the leak guard record them, token activity reads them.
  const deadTokens = new DeadTokens(globalState, now);

  const terminals = features.start('terminals', 'tokens in terminals', () =>
    own(new TerminalEnvironment({ ...base, collection: context.environmentVariableCollection, pick: picker.pick })),
  );
  const accountTokens = own(new AccountTokens({ ...base, globalState, deadTokens }));
  const organisations = own(new Organisations({ ...base, organisations: organisationStore, connections: store, deadTokens }));
  const tree = own(new ConnectionsTreeProvider(store, now, terminals, accountTokens, organisations));
  // canSelectMany: Revoke Selected Tokens… gets the selection as its second argument.
  own(vscode.window.createTreeView(Views.connections, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true }));
  const connections = own(
    new ConnectionCommands({ ...base, tree, picker, verifier: checker, loopbackMovesUnattended: seams !== undefined }),
  );
  const checks = own(new CheckCommands({ ...base, checker, pickConnection: picker.pick }));
  const leaks = own(
    new LeakGuard({
      ...base,
      deadTokens,
      checker,
      addConnection: (args) => connections.add(args),
      replaceToken: (args, how) => connections.replaceToken(args, how),
      useInTerminals: (id) =>
        terminals
          ? terminals.use(id)
          : Promise.reject(new UserFacingError(`Tokens in terminals are not available: ${features.unavailable('terminals')}.`)),
    }),
  );
  const rotation = own(
    new Rotation({
      ...base,
      deadTokens,
      checker,
      home: seams?.home ?? (() => os.homedir()),
      workspaceFiles: leaks.workspaceScanner,
      pickConnection: picker.pick,
    }),
  );
  const hygiene = own(
    new Hygiene({
      ...base,
      organisations: organisationStore,
      features,
      globalState,
      deadTokens,
      lastWorkspaceScan: () => leaks.workspaceScanner.lastWorkspaceScan(),
    }),
  );
  // MCP server definitions are final from VS Code 1.101 (1.100 has a proposed API that throws when called).
  const mcpApi = detectMcpApi();
  const mcp = features.start(
    'mcp',
    'MCP servers',
    () => own(new McpServers({ ...base, api: mcpApi!, state: globalState, pick: picker.pick })),
    mcpApi ? unsupportedOn(VERSIONED_APIS.mcpServerDefinitions, vscode.version) : `VS Code ${vscode.version} has no MCP API`,
  );
  const debug =
    terminals &&
    features.start('debug', 'launch configurations', () => own(new DebugEnvironment({ ...base, terminals, state: globalState })));
  for (const command of registerUnavailableCommands(features, ui)) own(command);
  reportFailedFeatures(features, ui, log);

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
    debug: required(debug, 'launch configurations'),
    features,
    logUri: context.logUri,
    globalState,
    rotation: rotation.testing,
    hygiene: {
      reminders: required(hygiene.reminders, 'reminders'),
      statusBar: required(hygiene.statusBar, 'the status bar'),
      activity: hygiene.activity,
      deadTokens,
      terminals: required(terminals, 'terminals'),
      environmentVariableCollection: required(terminals, 'terminals').collection,
    },
  });
  return { ...api, testing };
}

export function deactivate(): void {}

/** In Test mode a feature the tests drive must have started: they fail loudly instead of skipping. */
function required<T>(feature: T | undefined, name: string): T {
  if (feature === undefined) throw new Error(`${name} did not start in the test host (see the output channel)`);
  return feature;
}
