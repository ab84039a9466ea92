// MCP servers for the connections the user chose to offer: Atlassian's remote MCP server (Cloud) with the
// credential as Authorization header, and a local stdio Jira MCP server (the user's command) with the
// credential in its environment. Definitions are listed without secrets; the token is read from
// SecretStorage only when VS Code starts a server (resolve) and is handed to that server only.
// The API exists from VS Code 1.101; @types/vscode stays at the oldest version we support, so the few types
// used are declared here and the API is detected at run time: before 1.101 nothing is registered.
import * as vscode from 'vscode';
import { type Connection } from '../core/connections/connection';
import {
  ATLASSIAN_REMOTE_MCP_URL,
  canUseAtlassianRemoteMcp,
  localMcpEnvironment,
  localMcpVariables,
  remoteMcpAuthorization,
} from '../core/hygiene/toolEnvironment';
import { type ConnectionStore } from '../connections/connectionStore';
import type { PickConnection } from '../connections/connectionPicker';
import { Commands, ContextKeys, McpIds, MCP_OFFERS_STATE_KEY, Settings } from '../common/constants';
import { UserFacingError } from '../common/commandErrors';
import { registerGuardedCommands } from '../common/guardedCommands';
import { type Log } from '../common/log';
import { type Ui } from '../common/ui';
import { Disposable } from '../common/lifecycle';

/** The slice of VS Code 1.101's MCP API used here. */
export interface McpServerDefinition {
  readonly label: string;
  version?: string;
  headers?: Record<string, string>;
  env?: Record<string, string | number | null>;
  uri?: vscode.Uri;
  command?: string;
  args?: string[];
}
interface McpServerDefinitionProvider {
  readonly onDidChangeMcpServerDefinitions: vscode.Event<void>;
  provideMcpServerDefinitions(token: vscode.CancellationToken): vscode.ProviderResult<McpServerDefinition[]>;
  resolveMcpServerDefinition(server: McpServerDefinition, token: vscode.CancellationToken): vscode.ProviderResult<McpServerDefinition>;
}
type HttpDefinitionClass = new (label: string, uri: vscode.Uri, headers?: Record<string, string>, version?: string) => McpServerDefinition;
type StdioDefinitionClass = new (
  label: string,
  command: string,
  args?: string[],
  env?: Record<string, string | number | null>,
  version?: string,
) => McpServerDefinition;
export interface McpApi {
  registerMcpServerDefinitionProvider(id: string, provider: McpServerDefinitionProvider): vscode.Disposable;
  Http: HttpDefinitionClass;
  Stdio: StdioDefinitionClass;
}

/** VS Code's MCP API, or undefined where it does not exist (before 1.101). */
export function detectMcpApi(api: unknown = vscode): McpApi | undefined {
  const v = api as {
    lm?: { registerMcpServerDefinitionProvider?: unknown };
    McpHttpServerDefinition?: unknown;
    McpStdioServerDefinition?: unknown;
  };
  const lm = v.lm;
  if (!lm || typeof lm.registerMcpServerDefinitionProvider !== 'function') return undefined;
  if (typeof v.McpHttpServerDefinition !== 'function' || typeof v.McpStdioServerDefinition !== 'function') return undefined;
  const register = lm.registerMcpServerDefinitionProvider as McpApi['registerMcpServerDefinitionProvider'];
  return {
    registerMcpServerDefinitionProvider: (id, provider) => register.call(lm, id, provider),
    Http: v.McpHttpServerDefinition as HttpDefinitionClass,
    Stdio: v.McpStdioServerDefinition as StdioDefinitionClass,
  };
}

/** One offered connection, kept in globalState (no secret): its id and the local command approved with it. */
export interface McpOffer {
  id: string;
  /** The local MCP server command line the user approved when offering; undefined: remote server only. */
  localCommand?: string[];
}

type Form = 'remote' | 'local';

export interface McpServersDeps {
  api: McpApi;
  store: ConnectionStore;
  state: vscode.Memento;
  log: Log;
  ui: Ui;
  pick: PickConnection;
  /** The remote server's address; tests point it at a loopback stub. */
  remoteUrl?: string;
}

export class McpServers extends Disposable implements McpServerDefinitionProvider {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeMcpServerDefinitions = this.changed.event;
  /** Labels of the last listed definitions, to find what a resolve is about. */
  private listed = new Map<string, { id: string; form: Form }>();

  private readonly api: McpApi;
  private readonly store: ConnectionStore;
  private readonly state: vscode.Memento;
  private readonly log: Log;
  private readonly ui: Ui;
  private readonly pick: PickConnection;
  private readonly remoteUrl: string;

  constructor(deps: McpServersDeps) {
    super();
    this.api = deps.api;
    this.store = deps.store;
    this.state = deps.state;
    this.log = deps.log;
    this.ui = deps.ui;
    this.pick = deps.pick;
    this.remoteUrl = deps.remoteUrl ?? ATLASSIAN_REMOTE_MCP_URL;
    // Replaced, edited or removed connections change what is listed and what a start resolves to.
    this._register(this.store.onDidChange(() => this.changed.fire()));
    // The provider first: where the API throws (a proposed one), nothing else is registered either.
    this._register(deps.api.registerMcpServerDefinitionProvider(McpIds.provider, this));
    this._register(
      registerGuardedCommands(deps, {
        [Commands.offerToMcp]: (arg) => this.offerCommand(arg),
        [Commands.stopOfferingToMcp]: (arg) => this.stopCommand(arg),
      }),
    );
    void vscode.commands.executeCommand('setContext', ContextKeys.mcpAvailable, true);
  }

  /**
   * Offers of existing connections. A removed connection's offer is dropped here and at the next write, not
   * when it is removed (see DebugEnvironment.grants: on VS Code 1.90 a racing globalState write can lose the
   * store's). Ids are never reused, so a new connection is never offered by an old answer.
   */
  offers(): McpOffer[] {
    const stored = this.state.get<McpOffer[]>(MCP_OFFERS_STATE_KEY, []);
    return Array.isArray(stored) ? stored.filter((o) => typeof o?.id === 'string' && this.store.get(o.id)) : [];
  }

  provideMcpServerDefinitions(): McpServerDefinition[] {
    const definitions: McpServerDefinition[] = [];
    const listed = new Map<string, { id: string; form: Form }>();
    for (const offer of this.offers()) {
      const connection = this.store.get(offer.id);
      if (!connection || connection.tokenMissing) continue;
      // Changes when the token is replaced, so VS Code restarts the server with the new credential.
      const version = connection.rotatedAt ?? connection.createdAt;
      if (canUseAtlassianRemoteMcp(connection)) {
        const label = `Jira: ${connection.label} (Atlassian remote)`;
        definitions.push(new this.api.Http(label, vscode.Uri.parse(this.remoteUrl), {}, version));
        listed.set(label, { id: connection.id, form: 'remote' });
      }
      if (offer.localCommand?.length) {
        const label = `Jira: ${connection.label} (local server)`;
        const [command, ...args] = offer.localCommand;
        definitions.push(new this.api.Stdio(label, command, args, {}, version));
        listed.set(label, { id: connection.id, form: 'local' });
      }
    }
    this.listed = listed;
    return definitions;
  }

  async resolveMcpServerDefinition(server: McpServerDefinition): Promise<McpServerDefinition> {
    const entry = this.listed.get(server.label);
    const offer = entry && this.offers().find((o) => o.id === entry.id);
    const connection = offer && this.store.get(offer.id);
    if (!entry || !connection) throw new Error(`${server.label} is no longer offered by Jira Token Guard.`);
    const token = connection.tokenMissing ? undefined : await this.store.getToken(connection.id);
    if (!token) throw new Error(`“${connection.label}” has no token in Jira Token Guard: give it one with Replace Token.`);
    if (entry.form === 'remote') {
      server.headers = { ...(server.headers ?? {}), Authorization: remoteMcpAuthorization(connection, token) };
    } else {
      server.env = { ...(server.env ?? {}), ...localMcpEnvironment(connection, token) };
    }
    this.log.info(`Started MCP server “${server.label}” with the credential of “${connection.label}”.`);
    return server;
  }

  /** Offers a connection after the user confirms what gets its token; resolves to the offer (undefined: declined). */
  async offer(connection: Connection): Promise<McpOffer | undefined> {
    const configured = vscode.workspace.getConfiguration(Settings.section).inspect<string[]>(McpIds.localCommandSetting);
    // Only the user's own (application-wide) setting may name the program that receives the token.
    const localCommand = cleanCommand(configured?.globalValue);
    const receivers: string[] = [];
    if (canUseAtlassianRemoteMcp(connection))
      receivers.push(`Atlassian's remote MCP server (${this.remoteUrl}) as an Authorization header`);
    if (localCommand) receivers.push(`the local MCP server \`${localCommand.join(' ')}\` as ${localMcpVariables(connection).join(', ')}`);
    if (receivers.length === 0) {
      throw new UserFacingError(
        `“${connection.label}” is not a Cloud connection with an email, so Atlassian's remote MCP server cannot use it. ` +
          `Set jiraTokenGuard.mcp.localServerCommand in your user settings to the local Jira MCP server to start, then offer it again.`,
      );
    }
    const choice = await this.ui.showWarningMessage(
      `Offer “${connection.label}” to MCP servers? When VS Code starts one, its token goes to ${receivers.join(' and to ')}. Language models using that server act with your Jira permissions.`,
      { modal: true },
      'Offer',
    );
    if (choice !== 'Offer') return undefined;
    const offer: McpOffer = { id: connection.id, ...(localCommand ? { localCommand } : {}) };
    await this.state.update(MCP_OFFERS_STATE_KEY, [...this.offers().filter((o) => o.id !== connection.id), offer]);
    this.changed.fire();
    this.log.info(`“${connection.label}” is offered to MCP servers.`);
    return offer;
  }

  async stopOffering(id: string): Promise<boolean> {
    const before = this.offers();
    if (!before.some((o) => o.id === id)) return false;
    await this.state.update(
      MCP_OFFERS_STATE_KEY,
      before.filter((o) => o.id !== id),
    );
    this.changed.fire();
    return true;
  }

  private async offerCommand(arg: unknown): Promise<string | undefined> {
    const connection = await this.pick(arg, 'Which connection should MCP servers be able to use?');
    if (!connection) return undefined;
    if (connection.tokenMissing) throw new UserFacingError(`“${connection.label}” has no token yet: give it one with Replace Token first.`);
    const offer = await this.offer(connection);
    return offer?.id;
  }

  private async stopCommand(arg: unknown): Promise<string | undefined> {
    const connection = await this.pick(arg, 'Which connection should MCP servers no longer use?');
    if (!connection) return undefined;
    return (await this.stopOffering(connection.id)) ? connection.id : undefined;
  }
}

function cleanCommand(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const parts = value.filter((p): p is string => typeof p === 'string');
  return parts.length > 0 && parts[0].trim() ? parts : undefined;
}
