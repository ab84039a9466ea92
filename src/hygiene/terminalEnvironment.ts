// "Use in Terminals": one connection's site, user and token go into new integrated terminals as
// JIRA_BASE_URL, JIRA_EMAIL / JIRA_USER and JIRA_API_TOKEN, so scripts read them from the environment instead
// of a file. The collection is not persistent: the token stays in memory and is gone after a reload.
import * as vscode from 'vscode';
import { SerialQueue } from '../core/common/serialQueue';
import { Disposable, toDisposable } from '../common/lifecycle';
import { type Connection, isCloudKind } from '../core/connections/connection';
import { type ConnectionStore } from '../connections/connectionStore';
import { isArgumentObject } from '../common/commandArgs';
import type { PickConnection } from '../connections/connectionPicker';
import { type TerminalUse } from '../connections/connectionsTree';
import { Commands, ContextKeys, EnvVars } from '../common/constants';
import { type Log } from '../common/log';
import { type Ui } from '../common/ui';
import { setting } from '../common/config';
import { UserFacingError } from '../common/commandErrors';
import { registerGuardedCommands } from '../common/guardedCommands';

/** A debug launch's variables, in the collection only while its terminal starts (debugEnvironment.ts). */
interface LaunchVariables {
  readonly connection: Connection;
  readonly token: string;
  readonly launch: string;
}

export interface TerminalEnvironmentDeps {
  collection: vscode.EnvironmentVariableCollection;
  store: ConnectionStore;
  log: Log;
  ui: Ui;
  pick: PickConnection;
}

export class TerminalEnvironment extends Disposable implements TerminalUse {
  private active: string | undefined;
  /** The variables of "Use in Terminals", restored when a launch's moment has passed. */
  private base: { connection: Connection; token: string } | undefined;
  private launch: LaunchVariables | undefined;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private readonly queue = new SerialQueue();

  readonly collection: vscode.EnvironmentVariableCollection;
  private readonly store: ConnectionStore;
  private readonly log: Log;
  private readonly ui: Ui;

  constructor(deps: TerminalEnvironmentDeps) {
    super();
    this.collection = deps.collection;
    this.store = deps.store;
    this.log = deps.log;
    this.ui = deps.ui;
    const collection = deps.collection;
    collection.persistent = false;
    // A collection persisted by an earlier version (or a crash) must not keep a token around.
    collection.clear();
    this._register(toDisposable(() => collection.clear()));
    this._register(this.store.onDidChange(() => void this.queue.run(() => this.follow())));
    this._register(
      registerGuardedCommands(deps, {
        [Commands.useInTerminals]: (arg) => this.useCommand(arg, deps.pick),
        [Commands.stopUsingInTerminals]: async () => {
          const id = this.active;
          await this.stop();
          return id;
        },
      }),
    );
    void this.updateContextKey();
  }

  get connectionId(): string | undefined {
    return this.active;
  }

  private async useCommand(arg: unknown, pick: PickConnection): Promise<string | undefined> {
    const connection = await pick(arg, 'Which connection should new terminals use?');
    if (!connection) return undefined;
    // Any program in a terminal can read its environment: a command naming a connection needs the user's yes.
    if (isArgumentObject(arg) && !setting('allowUnattendedTokenChanges') && !(await this.consents(connection))) {
      throw new UserFacingError(`The token of “${connection.label}” was not put into terminals: that needs your consent.`);
    }
    await this.use(connection.id);
    if (!isArgumentObject(arg)) {
      void this.ui.showInformationMessage(
        `New terminals get ${variablesOf(connection).join(', ')} of “${connection.label}”. Terminals already open keep their environment: open a new one.`,
        {},
      );
    }
    return connection.id;
  }

  private async consents(connection: Connection): Promise<boolean> {
    const question = `A command (a keybinding, task or another extension) asks to give new terminals the token of “${connection.label}”.`;
    const detail = `They get ${variablesOf(connection).join(', ')}; every program run in them can read the token.`;
    try {
      return (await this.ui.showWarningMessage(question, { modal: true, detail }, 'Use in Terminals')) === 'Use in Terminals';
    } catch (error) {
      this.log.warn(
        `The question could not be shown, so the answer is no: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
      return false;
    }
  }

  /** Puts the connection's variables into new terminals, replacing those of any other connection. */
  use(id: string): Promise<void> {
    return this.queue.run(async () => {
      const connection = this.store.get(id);
      if (!connection) throw new UserFacingError('That connection no longer exists. Refresh the Jira Connections view.');
      const token = connection.tokenMissing ? undefined : await this.store.getToken(id);
      if (!token) throw new UserFacingError(`“${connection.label}” has no token yet: give it one with Replace Token first.`);
      this.apply(connection, token);
      this.setActive(id);
      this.log.info(`New terminals now get the variables of “${connection.label}” (${variablesOf(connection).join(', ')}).`);
    });
  }

  stop(): Promise<void> {
    return this.queue.run(() => {
      if (this.active === undefined) return Promise.resolve();
      this.base = undefined;
      this.render();
      this.setActive(undefined);
      this.log.info('New terminals no longer get Jira variables.');
      return Promise.resolve();
    });
  }

  /** The store changed: a replaced token or edited site goes to new terminals; a removed connection stops. */
  private async follow(): Promise<void> {
    if (this.active === undefined) return;
    const connection = this.store.get(this.active);
    const token = connection && !connection.tokenMissing ? await this.store.getToken(connection.id) : undefined;
    if (!connection || !token) {
      this.base = undefined;
      this.render();
      this.setActive(undefined);
      this.log.info('The connection used in terminals was removed or lost its token; new terminals no longer get Jira variables.');
      return;
    }
    const wanted = environmentOf(connection, token);
    const current = this.base ? environmentOf(this.base.connection, this.base.token) : new Map<string, string>();
    const same = current.size === wanted.size && [...wanted].every(([name, value]) => current.get(name) === value);
    if (!same) {
      this.apply(connection, token);
      this.log.info(`Updated the terminal variables of “${connection.label}”.`);
    }
  }

  private apply(connection: Connection, token: string): void {
    this.base = { connection, token };
    this.render();
  }

  /**
   * Puts a debug launch's variables into the collection until `release` is called: the terminal the debugger
   * opens for its program gets them from there, not from the launch configuration, which every extension can
   * read. The variables of "Use in Terminals" come back afterwards.
   */
  lendToLaunch(connection: Connection, token: string, launch: string): { release(): void } {
    const lent: LaunchVariables = { connection, token, launch };
    this.launch = lent;
    this.render();
    return {
      release: () => {
        if (this.launch !== lent) return;
        this.launch = undefined;
        this.render();
      },
    };
  }

  private render(): void {
    // A use still queued at deactivation must not put a token back after dispose cleared it.
    if (this.isDisposed) return;
    this.collection.clear();
    if (this.launch) {
      const { connection, token, launch } = this.launch;
      for (const [name, value] of environmentOf(connection, token)) this.collection.replace(name, value);
      this.collection.description = `Jira Token Guard: ${variablesOf(connection).join(', ')} of “${connection.label}” for the launch “${launch}” (only while its terminal starts)`;
      return;
    }
    if (!this.base) return;
    const { connection, token } = this.base;
    for (const [name, value] of environmentOf(connection, token)) this.collection.replace(name, value);
    this.collection.description = `Jira Token Guard: ${variablesOf(connection).join(', ')} of “${connection.label}” (kept in memory only; Stop Using in Terminals removes them)`;
  }

  private setActive(id: string | undefined): void {
    if (this.active === id) return;
    this.active = id;
    void this.updateContextKey();
    this.changed.fire();
  }

  private async updateContextKey(): Promise<void> {
    await vscode.commands.executeCommand('setContext', ContextKeys.terminalEnvironmentActive, this.active !== undefined);
  }
}

/** The variables and their values, in a stable order. */
export function environmentOf(connection: Connection, token: string): Map<string, string> {
  const env = new Map<string, string>([[EnvVars.baseUrl, connection.baseUrl]]);
  if (isCloudKind(connection.kind)) {
    if (connection.email) env.set(EnvVars.email, connection.email);
  } else if (connection.username) {
    env.set(EnvVars.user, connection.username);
  }
  env.set(EnvVars.token, token);
  return env;
}

function variablesOf(connection: Connection): string[] {
  return [...environmentOf(connection, '').keys()];
}
