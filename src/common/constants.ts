// Every id the manifest (package.json) and the code share, in one place.

export const EXTENSION_ID = 'jira-token-guard.jira-token-guard';

export const Commands = {
  addConnection: 'jiraTokenGuard.addConnection',
  editConnection: 'jiraTokenGuard.editConnection',
  replaceToken: 'jiraTokenGuard.replaceToken',
  removeConnection: 'jiraTokenGuard.removeConnection',
  openSite: 'jiraTokenGuard.openSite',
  openTokenPage: 'jiraTokenGuard.openTokenPage',
  copySiteUrl: 'jiraTokenGuard.copySiteUrl',
  refresh: 'jiraTokenGuard.refresh',
  useInTerminals: 'jiraTokenGuard.useInTerminals',
  stopUsingInTerminals: 'jiraTokenGuard.stopUsingInTerminals',
  auditTokens: 'jiraTokenGuard.auditTokens',
  exportConnections: 'jiraTokenGuard.exportConnections',
  importConnections: 'jiraTokenGuard.importConnections',
  testConnection: 'jiraTokenGuard.testConnection',
  testAllConnections: 'jiraTokenGuard.testAllConnections',
  rotateToken: 'jiraTokenGuard.rotateToken',
  findTokenUses: 'jiraTokenGuard.findTokenUses',
  offerToMcp: 'jiraTokenGuard.offerToMcp',
  stopOfferingToMcp: 'jiraTokenGuard.stopOfferingToMcp',
  moveLeakedTokenToStore: 'jiraTokenGuard.moveLeakedTokenToStore',
  ignoreLeakHere: 'jiraTokenGuard.ignoreLeakHere',
  ignoreLeakInWorkspace: 'jiraTokenGuard.ignoreLeakInWorkspace',
  revokeLeakedToken: 'jiraTokenGuard.revokeLeakedToken',
  revokeLeakedPatExactly: 'jiraTokenGuard.revokeLeakedPatExactly',
  checkLeakedToken: 'jiraTokenGuard.checkLeakedToken',
  scanWorkspace: 'jiraTokenGuard.scanWorkspace',
  verifyLeakedTokens: 'jiraTokenGuard.verifyLeakedTokens',
  scanGitHistory: 'jiraTokenGuard.scanGitHistory',
  useMcpInput: 'jiraTokenGuard.useMcpInput',
  revokeAccountToken: 'jiraTokenGuard.revokeAccountToken',
  exportTokenInventory: 'jiraTokenGuard.exportTokenInventory',
  checkTokenActivity: 'jiraTokenGuard.checkTokenActivity',
  addOrganisation: 'jiraTokenGuard.addOrganisation',
  removeOrganisation: 'jiraTokenGuard.removeOrganisation',
  revokeOrgTokens: 'jiraTokenGuard.revokeOrgTokens',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

/** VS Code's own commands the extension runs. */
export const WorkbenchCommands = {
  showProblems: 'workbench.actions.view.problems',
  manageTrust: 'workbench.trust.manage',
} as const;

export const Views = {
  container: 'jiraTokenGuard',
  connections: 'jiraTokenGuard.connections',
} as const;

export const ContextKeys = {
  hasConnections: 'jiraTokenGuard.hasConnections',
  /** An organisation is at the root: Refresh shows then too. */
  hasOrganisations: 'jiraTokenGuard.hasOrganisations',
  terminalEnvironmentActive: 'jiraTokenGuard.terminalEnvironmentActive',
  /** Set where VS Code has the MCP API (1.101+): the MCP commands show only there. */
  mcpAvailable: 'jiraTokenGuard.mcpAvailable',
} as const;

export const Settings = {
  section: 'jiraTokenGuard',
} as const;

export const OUTPUT_CHANNEL_NAME = 'Jira Token Guard';

/** globalState key of the connection list (metadata only, never a secret). */
export const CONNECTIONS_STATE_KEY = 'jiraTokenGuard.connections.v1';
/** SecretStorage keys: one per connection, derived from its id. */
export const SECRET_KEY_PREFIX = 'jiraTokenGuard.token.';
/** globalState key of the reminder dates (last notified, snoozed until) per connection id; no secret. */
export const REMINDERS_STATE_KEY = 'jiraTokenGuard.reminders.v1';

/** The `source` of every leak diagnostic; the status bar counts diagnostics by it. */
export const DIAGNOSTIC_SOURCE = 'Jira Token Guard';

/** The environment variables scripts read, shared by "Use in Terminals" and the leak quick fix. */
export const EnvVars = {
  baseUrl: 'JIRA_BASE_URL',
  email: 'JIRA_EMAIL',
  user: 'JIRA_USER',
  token: 'JIRA_API_TOKEN',
} as const;

/** MCP server definitions (VS Code 1.101+). */
export const McpIds = {
  /** Matches contributes.mcpServerDefinitionProviders in package.json. */
  provider: 'jiraTokenGuard.mcpServers',
  /** Under the jiraTokenGuard section; read from the user's own settings only. */
  localCommandSetting: 'mcp.localServerCommand',
} as const;
/** globalState key of the connections offered to MCP servers (ids and approved commands; no secret). */
export const MCP_OFFERS_STATE_KEY = 'jiraTokenGuard.mcpOffers.v1';
/** globalState key of the (workspace, connection) pairs whose launch configurations the user allowed; no secret. */
export const DEBUG_GRANTS_STATE_KEY = 'jiraTokenGuard.debugGrants.v1';
/** The launch configuration attribute naming a connection. */
export const DEBUG_CONNECTION_ATTRIBUTE = 'jiraTokenGuard.connection';
/** Set by the extension on a launch it allowed (a random id, used once): how its own adapter tracker knows the session. */
export const DEBUG_LAUNCH_ATTRIBUTE = 'jiraTokenGuard.launch';
/** globalState key of the token ids each connection's account listed at the last look (ids only, no secret). */
export const ACCOUNT_TOKENS_SEEN_STATE_KEY = 'jiraTokenGuard.accountTokensSeen.v1';
/** globalState key of the organisations (id, label, org id, created; never the admin key). */
export const ORGANISATIONS_STATE_KEY = 'jiraTokenGuard.organisations.v1';
/** SecretStorage keys of the organisations' admin API keys: one per organisation, derived from its id. */
export const ADMIN_KEY_PREFIX = 'jiraTokenGuard.adminKey.';
/** globalState key of the settings values the user accepted, per setting and level (settingsGuard.ts); no secret. */
export const SETTINGS_LEDGER_STATE_KEY = 'jiraTokenGuard.acceptedSettings.v1';
/** globalState key prefix of the last look at one connection's token inventory (+ connection id): ids and dates, no secret. */
export const INVENTORY_SNAPSHOT_KEY_PREFIX = 'jiraTokenGuard.inventorySnapshot.v1.';
/** globalState key of the ids of tokens that should be dead (rotated away from, revoked here, found leaked); no secret. */
export const DEAD_TOKENS_STATE_KEY = 'jiraTokenGuard.deadTokens.v1';
