// Launch configurations that name a connection (`"jiraTokenGuard.connection": "<label or id>"`) get its
// JIRA_BASE_URL, JIRA_EMAIL / JIRA_USER and JIRA_API_TOKEN in their `env` when they start, so the token is
// never written into launch.json. launch.json belongs to the repository, and a hostile one could name the
// user's connection to hand the token to its own program, and another extension could start a configuration
// of its own: so only a trusted workspace gets a token, and only for a configuration the user allowed once
// (the same configuration, changed in any way but its env, asks again).
import { createHash } from 'crypto';
import * as vscode from 'vscode';
import { Connection } from '../core/connections/connection';
import { ConnectionStore } from '../connections/connectionStore';
import { environmentOf } from '../hygiene/terminalEnvironment';
import { DEBUG_CONNECTION_ATTRIBUTE, DEBUG_GRANTS_STATE_KEY } from '../common/constants';
import { UserFacingError } from '../common/userFacingError';
import { Log } from '../common/log';
import { Ui } from '../common/ui';

/** A launch configuration of a workspace the user allowed to use a connection; no secret. */
export interface DebugGrant {
  workspace: string;
  connectionId: string;
  /** SHA-256 of the configuration as launched (its env left out): another program must ask again. */
  configuration: string;
}

export class DebugEnvironment implements vscode.DebugConfigurationProvider {
  constructor(
    private readonly store: ConnectionStore,
    private readonly state: vscode.Memento,
    private readonly log: Log,
    private readonly ui: Ui,
  ) {}

  register(): vscode.Disposable[] {
    return [vscode.debug.registerDebugConfigurationProvider('*', this)];
  }

  /** After variable substitution, right before the launch: the last moment, so nothing else sees the token. */
  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    if (!(DEBUG_CONNECTION_ATTRIBUTE in config)) return config;
    try {
      return await this.addCredential(folder, config);
    } catch (error) {
      const message =
        error instanceof UserFacingError ? error.message : 'The launch was stopped; the details are in the Jira Token Guard output.';
      this.log.error(`Launch configuration “${String(config.name)}” was stopped`, error);
      void this.ui.showErrorMessage(message, {});
      return undefined; // undefined stops the launch (null would open launch.json)
    }
  }

  private async addCredential(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    const name = String(config.name ?? 'launch configuration');
    const connection = this.find(config[DEBUG_CONNECTION_ATTRIBUTE]);
    if (!vscode.workspace.isTrusted) {
      throw new UserFacingError(
        `“${name}” asks for the Jira token of “${connection.label}”, but this folder is in Restricted Mode: trust the folder first (its launch configurations start programs of its own).`,
      );
    }
    const token = connection.tokenMissing ? undefined : await this.store.getToken(connection.id);
    if (!token)
      throw new UserFacingError(`“${connection.label}” has no token yet: give it one with Replace Token, then start “${name}” again.`);
    const grant: DebugGrant = {
      workspace: workspaceIdentity(folder),
      connectionId: connection.id,
      configuration: configurationFingerprint(config),
    };
    if (!this.granted(grant)) {
      const variables = [...environmentOf(connection, '').keys()].join(', ');
      const target = launchTarget(config);
      const choice = await this.ui.showWarningMessage(
        `The launch configuration “${name}” of ${workspaceName(folder)} asks for the Jira token of “${connection.label}”. ` +
          `The program it starts${target ? ` (${target})` : ''} gets ${variables}. Allow this launch configuration to use “${connection.label}”?`,
        { modal: true },
        'Allow',
      );
      if (choice !== 'Allow') {
        this.log.info(`“${name}” was not started: it was not allowed to use “${connection.label}”.`);
        return undefined;
      }
      await this.state.update(DEBUG_GRANTS_STATE_KEY, [...this.grants(), grant]);
    }
    const env = { ...(isStringRecord(config.env) ? config.env : {}), ...Object.fromEntries(environmentOf(connection, token)) };
    this.log.info(`“${name}” starts with the variables of “${connection.label}”.`);
    return { ...config, env };
  }

  /** By id, else by exact label; an unknown or ambiguous name stops the launch. */
  private find(wanted: unknown): Connection {
    const connections = this.store.list();
    const text = typeof wanted === 'string' ? wanted.trim() : '';
    if (!text) throw new UserFacingError(`"${DEBUG_CONNECTION_ATTRIBUTE}" must name a Jira Token Guard connection (its label or id).`);
    const byId = connections.find((c) => c.id === text);
    if (byId) return byId;
    const byLabel = connections.filter((c) => c.label === text);
    if (byLabel.length === 1) return byLabel[0];
    if (byLabel.length > 1)
      throw new UserFacingError(`Several connections are named “${text}”: use the connection's id in "${DEBUG_CONNECTION_ATTRIBUTE}".`);
    throw new UserFacingError(
      `No Jira Token Guard connection is named “${text}”: check "${DEBUG_CONNECTION_ATTRIBUTE}" in the launch configuration (labels are case-sensitive).`,
    );
  }

  /**
   * The grants of existing connections. A removed connection's grants are dropped here and at the next write,
   * not when it is removed: a write racing the store's own on VS Code 1.90 can lose the store's (its
   * globalState echo replaces the whole value). Ids are never reused, so a new connection starts unallowed.
   */
  grants(): DebugGrant[] {
    const stored = this.state.get<DebugGrant[]>(DEBUG_GRANTS_STATE_KEY, []);
    if (!Array.isArray(stored)) return [];
    return stored.filter(
      (g) =>
        typeof g?.workspace === 'string' &&
        typeof g?.connectionId === 'string' &&
        typeof g?.configuration === 'string' &&
        this.store.get(g.connectionId),
    );
  }

  private granted(wanted: DebugGrant): boolean {
    return this.grants().some(
      (g) => g.workspace === wanted.workspace && g.connectionId === wanted.connectionId && g.configuration === wanted.configuration,
    );
  }
}

/** The configuration without its env (ours is added to it) and VS Code's internal `__` fields, hashed. */
function configurationFingerprint(config: vscode.DebugConfiguration): string {
  const kept = Object.keys(config)
    .filter((k) => k !== 'env' && !k.startsWith('__'))
    .sort();
  return createHash('sha256')
    .update(JSON.stringify(kept.map((k) => [k, config[k]])))
    .digest('hex');
}

/** What runs, in a few words, for the question. */
function launchTarget(config: vscode.DebugConfiguration): string | undefined {
  const target = [config.runtimeExecutable, config.program ?? config.module ?? config.file].filter((v) => typeof v === 'string' && v);
  return target.length ? target.join(' ') : undefined;
}

function workspaceIdentity(folder: vscode.WorkspaceFolder | undefined): string {
  return (vscode.workspace.workspaceFile ?? folder?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri)?.toString() ?? 'no-workspace';
}

function workspaceName(folder: vscode.WorkspaceFolder | undefined): string {
  const name = folder?.name ?? vscode.workspace.name;
  return name ? `“${name}”` : 'this window';
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
