// Launch configurations that name a connection (`"jiraTokenGuard.connection": "<label or id>"`) give its
// JIRA_BASE_URL, JIRA_EMAIL / JIRA_USER and JIRA_API_TOKEN to the program they start, and to nothing else.
//
// A resolved debug configuration is public: every extension sees it (vscode.debug.onDidStartDebugSession,
// activeDebugSession.configuration) and every debug adapter tracker sees the `launch` request built from it.
// So the token never goes into the configuration. The program runs in the integrated terminal (`"console":
// "integratedTerminal"`), and the variables reach that terminal through the extension's environment variable
// collection, lent for the moment between the debug adapter asking VS Code for its terminal (the DAP
// `runInTerminal` request, seen by our own adapter tracker) and VS Code's answer, when the terminal's shell is
// running. A launch replayed by another extension therefore shows it nothing either.
//
// launch.json belongs to the repository, and another extension can start any configuration: only a trusted
// workspace gets a token, and only for a configuration the user allowed, as resolved (env, envFile content
// and the pre-launch task included): any change asks again.
import { createHash, randomUUID } from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { type Connection } from '../core/connections/connection';
import { quotedData } from '../core/common/text';
import { readRegularFile } from '../node/regularFile';
import { type ConnectionStore } from '../connections/connectionStore';
import { environmentOf, type TerminalEnvironment } from '../hygiene/terminalEnvironment';
import { DEBUG_CONNECTION_ATTRIBUTE, DEBUG_GRANTS_STATE_KEY, DEBUG_LAUNCH_ATTRIBUTE } from '../common/constants';
import { UserFacingError } from '../common/userFacingError';
import { Disposable, toDisposable } from '../common/lifecycle';
import { type Log } from '../common/log';
import { type Ui } from '../common/ui';

/** A launch configuration of a workspace the user allowed to use a connection; no secret. */
export interface DebugGrant {
  workspace: string;
  connectionId: string;
  /** SHA-256 of the configuration as resolved, its env file's content and its pre-launch task: any change asks again. */
  configuration: string;
}

/** A launch allowed and resolved, waiting for its debug adapter: used once. */
interface PendingLaunch {
  connectionId: string;
  rotatedAt: string | undefined;
  /** Read when the launch was allowed: the tracker must lend it at once, before the adapter's request goes on. In memory only. */
  token: string;
  /** The configuration allowed (configurationFingerprint): the session must still be it when its adapter starts. */
  fingerprint: string;
  name: string;
  expires: number;
}

/** A terminal that received a connection's variables (the debugger may reuse it for the next launch). */
interface Carrier {
  connectionId: string;
  rotatedAt: string | undefined;
}

/** Debug types whose adapters run the program in the integrated terminal when asked to (or by default). */
const CONSOLE_DEFAULTS: Record<string, string> = {
  python: 'integratedTerminal',
  debugpy: 'integratedTerminal',
};
/** VS Code's own bookkeeping in a configuration, different at every launch. */
const VOLATILE_KEYS = new Set(['__sessionId', '__configurationTarget', '__restart', DEBUG_LAUNCH_ATTRIBUTE]);
const PENDING_LAUNCH_MS = 10 * 60_000;
const ENV_FILE_MAX_BYTES = 1024 * 1024;
/** A terminal whose shell has not started after this long will not get the variables. */
const WINDOW_MS = 30_000;

export interface DebugEnvironmentDeps {
  store: ConnectionStore;
  /** Lends a launch's variables to the terminal environment. */
  terminals: TerminalEnvironment;
  state: vscode.Memento;
  log: Log;
  ui: Ui;
}

export class DebugEnvironment extends Disposable implements vscode.DebugConfigurationProvider, vscode.DebugAdapterTrackerFactory {
  private readonly pending = new Map<string, PendingLaunch>();
  private readonly carriers = new Map<vscode.Terminal, Carrier>();
  /** Terminals opened while variables are lent, per open moment. */
  private readonly openMoments = new Set<vscode.Terminal[]>();

  private readonly store: ConnectionStore;
  private readonly terminals: TerminalEnvironment;
  private readonly state: vscode.Memento;
  private readonly log: Log;
  private readonly ui: Ui;

  constructor(deps: DebugEnvironmentDeps) {
    super();
    this.store = deps.store;
    this.terminals = deps.terminals;
    this.state = deps.state;
    this.log = deps.log;
    this.ui = deps.ui;
    this._register(
      vscode.window.onDidOpenTerminal((terminal) => {
        for (const moment of this.openMoments) moment.push(terminal);
      }),
    );
    this._register(vscode.window.onDidCloseTerminal((terminal) => this.carriers.delete(terminal)));
    this._register(vscode.debug.registerDebugConfigurationProvider('*', this));
    this._register(vscode.debug.registerDebugAdapterTrackerFactory('*', this));
  }

  /** After variable substitution, right before the launch: the last moment a configuration can be changed. */
  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    // A launch id comes only from us: one written into launch.json or by another extension is dropped.
    const { [DEBUG_LAUNCH_ATTRIBUTE]: forged, ...clean } = config;
    if (!(DEBUG_CONNECTION_ATTRIBUTE in clean)) return forged === undefined ? config : clean;
    try {
      return await this.allowLaunch(folder, clean);
    } catch (error) {
      const message =
        error instanceof UserFacingError ? error.message : 'The launch was stopped; the details are in the Jira Token Guard output.';
      this.log.error(`Launch configuration “${String(config.name)}” was stopped`, error);
      void this.ui.showErrorMessage(message, {});
      return undefined; // undefined stops the launch (null would open launch.json)
    }
  }

  private async allowLaunch(
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
    const resolved = withTerminalConsole(config, name);
    const grant: DebugGrant = {
      workspace: workspaceIdentity(folder),
      connectionId: connection.id,
      configuration: await configurationFingerprint(resolved, folder),
    };
    if (!this.granted(grant)) {
      const variables = [...environmentOf(connection, '').keys()].join(', ');
      const choice = await this.ask(
        `The launch configuration ${quotedData(name)} of ${workspaceName(folder)} asks for the Jira token of “${connection.label}”. Allow it?`,
        [
          ...describeLaunch(resolved),
          `The program gets ${variables} through its integrated terminal, never through the launch configuration. Any change to this configuration (program, arguments, environment, env file, pre-launch task) asks again.`,
        ].join('\n'),
      );
      if (choice !== 'Allow') {
        this.log.info(`“${name}” was not started: it was not allowed to use “${connection.label}”.`);
        return undefined;
      }
      await this.state.update(DEBUG_GRANTS_STATE_KEY, [...this.grants(), grant]);
    }
    const launch = randomUUID();
    this.dropExpired();
    this.pending.set(launch, {
      connectionId: connection.id,
      rotatedAt: connection.rotatedAt,
      token,
      fingerprint: grant.configuration,
      name,
      expires: Date.now() + PENDING_LAUNCH_MS,
    });
    this.log.info(`“${name}” starts; its terminal gets the variables of “${connection.label}”.`);
    return { ...resolved, [DEBUG_LAUNCH_ATTRIBUTE]: launch };
  }

  private async ask(question: string, detail: string): Promise<string | undefined> {
    try {
      return await this.ui.showWarningMessage(question, { modal: true, detail }, 'Allow');
    } catch (error) {
      this.log.warn(
        `The question could not be shown, so the answer is no: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
      return undefined;
    }
  }

  /** Our own tracker, for the sessions of launches we allowed: it lends the variables while their terminal starts. */
  async createDebugAdapterTracker(session: vscode.DebugSession): Promise<vscode.DebugAdapterTracker | undefined> {
    const id: unknown = session.configuration[DEBUG_LAUNCH_ATTRIBUTE];
    const launch = typeof id === 'string' ? this.pending.get(id) : undefined;
    if (!launch || launch.expires < Date.now()) return undefined;
    this.pending.delete(id as string);
    // A provider resolving after this one, or a pre-launch task rewriting the env file, could have changed what
    // runs since the user allowed it: then the program gets nothing.
    if ((await configurationFingerprint(session.configuration, session.workspaceFolder)) !== launch.fingerprint) {
      this.log.warn(
        `“${launch.name}” changed after it was allowed (by another extension or its pre-launch task): it gets no Jira variables.`,
      );
      void this.ui.showWarningMessage(
        `“${launch.name}” was changed after you allowed it (by another extension or its pre-launch task), so its program gets no Jira variables.`,
        {},
      );
      return undefined;
    }
    let moment: { close(shellProcessId?: number): Promise<void> } | undefined;
    const close = (shellProcessId?: number) => {
      const closing = moment;
      moment = undefined;
      return closing?.close(shellProcessId);
    };
    return {
      onDidSendMessage: (message: { type?: string; command?: string; arguments?: { kind?: string } }) => {
        if (message?.type === 'request' && message.command === 'runInTerminal' && message.arguments?.kind !== 'external') {
          void close();
          moment = this.lend(session, launch);
        }
      },
      onWillReceiveMessage: (message: { type?: string; command?: string; body?: { shellProcessId?: number } }) => {
        if (message?.type === 'response' && message.command === 'runInTerminal') void close(message.body?.shellProcessId);
      },
      onExit: () => void close(),
      onError: () => void close(),
    };
  }

  /** Lends the variables until the debugger's terminal runs (or WINDOW_MS passes); then checks where they went. */
  private lend(session: vscode.DebugSession, launch: PendingLaunch): { close(shellProcessId?: number): Promise<void> } | undefined {
    const connection = this.store.get(launch.connectionId);
    if (!connection || connection.tokenMissing || connection.rotatedAt !== launch.rotatedAt) {
      this.log.warn(`“${launch.name}”: the connection was removed or its token changed before the program started; it gets no variables.`);
      return undefined;
    }
    const opened: vscode.Terminal[] = [];
    this.openMoments.add(opened);
    const loan = this.terminals.lendToLaunch(connection, launch.token, launch.name);
    const timer = setTimeout(() => void closeMoment(), WINDOW_MS);
    let closed = false;
    const closeMoment = async (shellProcessId?: number): Promise<void> => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      loan.release();
      this.openMoments.delete(opened);
      const carrier: Carrier = { connectionId: connection.id, rotatedAt: connection.rotatedAt };
      for (const terminal of opened) this.carriers.set(terminal, carrier);
      const pids = await Promise.all(opened.map((t) => Promise.resolve(t.processId).catch(() => undefined)));
      const mine = shellProcessId === undefined ? undefined : opened[pids.indexOf(shellProcessId)];
      const others = opened.filter((t) => t !== mine);
      if (others.length) {
        const names = others.map((t) => quotedData(t.name)).join(', ');
        this.log.warn(
          `While “${launch.name}” started, ${others.length === 1 ? 'another terminal' : 'other terminals'} (${names}) opened and got the variables of “${connection.label}”.`,
        );
        void this.ui.showWarningMessage(
          `While “${launch.name}” started, ${names} also opened and got the Jira variables of “${connection.label}”. Close ${others.length === 1 ? 'it' : 'them'} unless you opened ${others.length === 1 ? 'it' : 'them'} yourself.`,
          {},
        );
      }
      if (mine || shellProcessId === undefined) return;
      // The debugger reused an earlier terminal: it has the variables only if one of our launches opened it for this token.
      const reused = await this.carrierWithProcess(shellProcessId);
      if (reused && reused.connectionId === connection.id && reused.rotatedAt === connection.rotatedAt) return;
      this.log.warn(
        `“${launch.name}” ran in a terminal opened before without the current variables of “${connection.label}”; it was stopped.`,
      );
      await vscode.debug.stopDebugging(session);
      void this.ui.showErrorMessage(
        `“${launch.name}” ran in a terminal that was opened earlier without the Jira variables of “${connection.label}”, so it was stopped. Close the terminal “${session.name}” (or any debug terminal of that name) and start it again.`,
        {},
      );
    };
    // Registered so that deactivation never leaves the variables lent.
    const registration = this._register(toDisposable(() => void closeMoment()));
    return {
      close: async (shellProcessId) => {
        await closeMoment(shellProcessId);
        registration.dispose();
      },
    };
  }

  private async carrierWithProcess(pid: number): Promise<Carrier | undefined> {
    for (const [terminal, carrier] of this.carriers)
      if ((await Promise.resolve(terminal.processId).catch(() => undefined)) === pid) return carrier;
    return undefined;
  }

  private dropExpired(): void {
    const now = Date.now();
    for (const [id, launch] of this.pending) if (launch.expires < now) this.pending.delete(id);
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

/**
 * The configuration with its program in the integrated terminal. Node's debugger fills in its default (the
 * debug console) before this provider runs, so for Node the debug console is switched to the terminal (the
 * question says so); elsewhere a configuration runs there by the adapter's default or by saying so, or the
 * launch stops and says what to change: the variables have no other way to the program.
 */
function withTerminalConsole(config: vscode.DebugConfiguration, name: string): vscode.DebugConfiguration {
  const type = String(config.type);
  const console = typeof config.console === 'string' ? config.console : undefined;
  if (console === 'integratedTerminal') return config;
  if ((console === undefined || console === 'internalConsole') && (type === 'node' || type === 'pwa-node'))
    return { ...config, console: 'integratedTerminal' };
  if (console === undefined && CONSOLE_DEFAULTS[type] === 'integratedTerminal') return config;
  throw new UserFacingError(
    `“${name}” would run its program ${console ? `in the ${console}` : 'outside the integrated terminal'}. Set "console": "integratedTerminal" in it: ` +
      'the Jira variables reach the program only through its terminal, never through the launch configuration, which every extension can read.',
  );
}

/** The whole configuration as resolved (VS Code's per-launch bookkeeping left out), what its env file holds and its pre-launch task. */
async function configurationFingerprint(config: vscode.DebugConfiguration, folder: vscode.WorkspaceFolder | undefined): Promise<string> {
  const kept = Object.keys(config)
    .filter((k) => !VOLATILE_KEYS.has(k))
    .sort()
    .map((k): [string, unknown] => [k, config[k]]);
  const hash = createHash('sha256').update(JSON.stringify(kept));
  if (typeof config.envFile === 'string') {
    const file = path.resolve(folder?.uri.fsPath ?? '', config.envFile);
    hash.update('\0envFile\0');
    // The repository names this file: a regular file under a cap only (a FIFO would hang the launch).
    try {
      const read = await readRegularFile(file, ENV_FILE_MAX_BYTES);
      hash.update(read.kind === 'read' ? read.bytes : `(${read.kind})`);
    } catch {
      hash.update('(unreadable)');
    }
  }
  const task = typeof config.preLaunchTask === 'string' ? config.preLaunchTask : undefined;
  if (task) {
    const tasks = vscode.workspace.getConfiguration('tasks', folder?.uri).get<unknown[]>('tasks') ?? [];
    const definition = tasks.find((t) => typeof t === 'object' && t !== null && (t as { label?: unknown }).label === task);
    hash.update(`\0preLaunchTask\0${JSON.stringify(definition ?? task)}`);
  }
  return hash.digest('hex');
}

/** The lines of the question that say what runs: debugger and its extension, program, environment, pre-launch task. */
function describeLaunch(config: vscode.DebugConfiguration): string[] {
  const type = String(config.type);
  const provider = vscode.extensions.all.find((e) =>
    ((e.packageJSON as { contributes?: { debuggers?: Array<{ type?: string }> } }).contributes?.debuggers ?? []).some(
      (d) => d.type === type,
    ),
  );
  const providerName = provider
    ? `${String((provider.packageJSON as { displayName?: string }).displayName ?? provider.id)} (${provider.id})`
    : 'an unknown extension';
  const lines = [`Debugger: ${quotedData(type)}, from ${providerName}; the program runs in the integrated terminal.`];
  const program = [config.runtimeExecutable, config.program ?? config.module ?? config.file ?? config.command].filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  if (program.length) lines.push(`Program: ${program.map((p) => quotedData(p, 160)).join(' ')}.`);
  if (Array.isArray(config.args) && config.args.length)
    lines.push(`Arguments: ${config.args.map((a: unknown) => quotedData(String(a), 80)).join(' ')}.`);
  const env = typeof config.env === 'object' && config.env !== null ? Object.keys(config.env as object) : [];
  if (env.length) lines.push(`Environment it sets: ${env.map((k) => quotedData(k, 60)).join(', ')}.`);
  if (typeof config.envFile === 'string') lines.push(`Environment file: ${quotedData(config.envFile, 160)}.`);
  if (typeof config.preLaunchTask === 'string') lines.push(`Before the launch it runs the task ${quotedData(config.preLaunchTask)}.`);
  return lines;
}

function workspaceIdentity(folder: vscode.WorkspaceFolder | undefined): string {
  return (vscode.workspace.workspaceFile ?? folder?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri)?.toString() ?? 'no-workspace';
}

function workspaceName(folder: vscode.WorkspaceFolder | undefined): string {
  const name = folder?.name ?? vscode.workspace.name;
  return name ? `“${name}”` : 'this window';
}
