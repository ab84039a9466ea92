// Built only when the extension runs under an integration test (ExtensionMode.Test): a UI and a clock the
// tests can put in place before they drive a feature, and a count of secret reads. Production gets the
// plain VscodeUi, real time and context.secrets directly; none of this exists there.
import * as os from 'os';
import type * as vscode from 'vscode';
import { ConnectionStore, type MetadataStorage, StoreError } from './connections/connectionStore';
import type { ConnectionsTreeProvider } from './connections/connectionsTree';
import type { CheckCommands } from './checks/checkCommands';
import type { LeakGuard } from './leaks/leakGuard';
import { Reminders } from './hygiene/reminders';
import type { StatusBarGuard } from './hygiene/statusBar';
import type { TerminalEnvironment } from './hygiene/terminalEnvironment';
import type { TokenActivity } from './hygiene/tokenActivity';
import type { DeadTokens } from './hygiene/deadTokens';
import type { RotationTesting } from './rotation/rotationFeature';
import type { McpServers } from './mcp/mcpServers';
import type { DebugEnvironment } from './debug/debugEnvironment';
import type { Log } from './common/log';
import type { SettingsGuard } from './common/settingsGuard';
import type { OptionalFeatures } from './core/common/optionalFeatures';
import { type Ui, VscodeUi } from './common/ui';

/** `exports.testing`, in Test mode only. */
export interface TestingHooks {
  readonly store: ConnectionStore;
  /** The settings guard: `settled()` resolves once every question about a weakening change is answered. */
  readonly settings: SettingsGuard;
  readonly tree: ConnectionsTreeProvider;
  readonly leaks: LeakGuard;
  readonly checks: CheckCommands;
  /** The MCP server definition provider; undefined where VS Code has no MCP API (before 1.101). */
  readonly mcp: McpServers | undefined;
  /** The launch configuration provider. */
  readonly debug: DebugEnvironment;
  /** Which optional features started, and why the others did not. */
  readonly features: OptionalFeatures;
  readonly hygiene: {
    /** `check()` runs the reminder check now; `stopSchedule()` keeps the timers out of a test. */
    readonly reminders: Reminders;
    /** `snapshot()` is what the status bar item shows. */
    readonly statusBar: StatusBarGuard;
    /** `check()` is Check Token Activity Now; `stopSchedule()` keeps the timer out of a test. */
    readonly activity: TokenActivity;
    /** The ids of tokens that should be dead. */
    readonly deadTokens: DeadTokens;
    readonly terminals: TerminalEnvironment;
    /** The extension's own collection, as new terminals receive it. */
    readonly environmentVariableCollection: vscode.EnvironmentVariableCollection;
  };
  /** Rotation commands built with some parts replaced (e.g. a store whose save fails). */
  readonly rotation: RotationTesting;
  /** The output channel's log folder. */
  readonly logUri: vscode.Uri;
  readonly globalState: vscode.Memento;
  /**
   * The bundle's own classes, for tests that need an instance of their own: the tests load no copy of src/,
   * so they build it here (a store over storage that fails, a reminder service as after a restart).
   */
  readonly bundled: {
    store(secrets: vscode.SecretStorage, metadata: MetadataStorage): ConnectionStore;
    /** A second reminder service over the extension's store and globalState, asking `ui`. */
    reminders(ui: Ui): Reminders;
    readonly StoreError: typeof StoreError;
  };
  /** The UI production uses (vscode.window), for a scripted UI to pass unscripted questions on to. */
  readonly realUi: Ui;
  /** Every question and message goes to `ui` from now on (a scripted UI from test/support). */
  useUi(ui: Ui): void;
  /** Every feature reads the time from `now` from now on. */
  useClock(now: () => Date): void;
  /** Find Where This Token Is Used reads this folder as the home folder from now on (undefined: the real one). */
  useHome(folder: string | undefined): void;
  /** How many times a secret was read from SecretStorage since activation began. */
  secretReads(): number;
}

export class TestSeams {
  private readonly realUi: Ui = new VscodeUi();
  private target: Ui = this.realUi;
  private clock: () => Date = () => new Date();
  private reads = 0;
  private homeFolder: string | undefined;
  readonly secrets: vscode.SecretStorage;

  constructor(secrets: vscode.SecretStorage) {
    this.secrets = {
      get: (key) => {
        this.reads++;
        return secrets.get(key);
      },
      store: (key, value) => secrets.store(key, value),
      delete: (key) => secrets.delete(key),
      onDidChange: secrets.onDidChange,
    };
  }

  readonly now = (): Date => this.clock();

  readonly home = (): string => this.homeFolder ?? os.homedir();

  readonly ui: Ui = {
    showInputBox: (options) => this.target.showInputBox(options),
    showQuickPick: (items, options) => this.target.showQuickPick(items, options),
    showStepInputBox: (options, position) => this.target.showStepInputBox(options, position),
    showStepQuickPick: (items, options, position) => this.target.showStepQuickPick(items, options, position),
    showInformationMessage: (message, options, ...choices) => this.target.showInformationMessage(message, options, ...choices),
    showWarningMessage: (message, options, ...choices) => this.target.showWarningMessage(message, options, ...choices),
    showErrorMessage: (message, options, ...choices) => this.target.showErrorMessage(message, options, ...choices),
    openExternal: (url) => this.target.openExternal(url),
    writeClipboard: (text) => this.target.writeClipboard(text),
  };

  hooks(
    parts: Omit<TestingHooks, 'bundled' | 'realUi' | 'useUi' | 'useClock' | 'useHome' | 'secretReads'> & { readonly log: Log },
  ): TestingHooks {
    const { log, ...shown } = parts;
    return {
      ...shown,
      bundled: {
        store: (secrets, metadata) => new ConnectionStore(secrets, metadata),
        reminders: (ui) => new Reminders(parts.store, parts.globalState, ui, log, this.now),
        StoreError,
      },
      realUi: this.realUi,
      useUi: (ui) => {
        this.target = ui;
      },
      useClock: (now) => {
        this.clock = now;
      },
      useHome: (folder) => {
        this.homeFolder = folder;
      },
      secretReads: () => this.reads,
    };
  }
}
