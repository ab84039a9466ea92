// Assembles the leak guard: ignore list, diagnostics, workspace scan, quick fixes and their commands.
import * as vscode from 'vscode';
import { type ConnectionStore } from '../connections/connectionStore';
import { type AddConnectionArgs, type ReplaceOptions, type ReplaceTokenArgs } from '../connections/connectionArgs';
import { type Log } from '../common/log';
import { type Ui } from '../common/ui';
import { IgnoreFile } from './ignoreFile';
import { ProjectConfigs } from './projectConfigs';
import { LeakDiagnostics } from './leakDiagnostics';
import { WorkspaceScanner } from './workspaceScan';
import { LeakCodeActionProvider } from './leakCodeActions';
import { McpInputFix } from './mcpInputFix';
import { LeakCommands } from './leakCommands';
import { type LeakLocation } from './leakFixes';
import { Commands } from '../common/constants';
import { HistoryScanner } from './historyScanner';
import { registerGuardedCommands } from '../common/guardedCommands';
import { Disposable } from '../common/lifecycle';
import type { CredentialChecker } from '../checks/credentialChecker';

export interface LeakGuardDeps {
  store: ConnectionStore;
  checker: CredentialChecker;
  /** Adds a connection with the same validation as the Add Connection command; resolves to its id. */
  addConnection: (args: AddConnectionArgs) => Promise<string | undefined>;
  replaceToken: (args: ReplaceTokenArgs, how?: ReplaceOptions) => Promise<string | undefined>;
  /** Use in Terminals for a connection the user chose (not through the command, which asks when given an id). */
  useInTerminals: (id: string) => Promise<void>;
  ui: Ui;
  log: Log;
  now: () => Date;
}

/** The leak guard: diagnostics in open files, quick fixes and their commands, the workspace and history scans. */
export class LeakGuard extends Disposable {
  readonly ignoreFile = this._register(new IgnoreFile());
  readonly projectConfigs = this._register(new ProjectConfigs());
  readonly diagnostics: LeakDiagnostics;
  readonly workspaceScanner: WorkspaceScanner;
  readonly historyScanner: HistoryScanner;

  constructor(deps: LeakGuardDeps) {
    super();
    this.diagnostics = this._register(new LeakDiagnostics(deps.store, this.ignoreFile, this.projectConfigs));
    this.workspaceScanner = new WorkspaceScanner(this.diagnostics, deps.ui, deps.now, () => deps.store.readUnfingerprinted());
    this.historyScanner = this._register(new HistoryScanner(deps.ui, deps.log));
    this._register(
      new LeakCommands({ ...deps, diagnostics: this.diagnostics, ignoreFile: this.ignoreFile, workspaceScanner: this.workspaceScanner }),
    );
    this._register(
      vscode.languages.registerCodeActionsProvider(
        { scheme: '*' },
        new LeakCodeActionProvider(this.diagnostics, () => deps.store.list().some((c) => c.kind === 'datacenter-pat')),
        {
          providedCodeActionKinds: LeakCodeActionProvider.providedCodeActionKinds,
        },
      ),
    );
    const mcpInput = new McpInputFix(this.diagnostics, deps.ui);
    this._register(
      registerGuardedCommands(deps, {
        [Commands.useMcpInput]: (arg) => mcpInput.run(arg as LeakLocation),
        [Commands.scanGitHistory]: () => this.historyScanner.run(),
      }),
    );
    this.diagnostics.start();
  }
}
