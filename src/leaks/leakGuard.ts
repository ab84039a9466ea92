// Assembles the leak guard: ignore list, diagnostics, workspace scan, quick fixes and their commands.
import * as vscode from 'vscode';
import { IgnoreFile } from './ignoreFile';
import { ProjectConfigs } from './projectConfigs';
import { LeakDiagnostics } from './leakDiagnostics';
import { WorkspaceScanner } from './workspaceScan';
import { LeakCodeActionProvider } from './leakCodeActions';
import { McpInputFix } from './mcpInputFix';
import { LeakCommands, type LeakCommandDeps } from './leakCommands';
import { type LeakLocation } from './leakFixes';
import { Commands } from '../common/constants';
import { HistoryScanner } from './historyScanner';
import { registerGuardedCommands } from '../common/guardedCommands';
import { Disposable } from '../common/lifecycle';

/** What LeakCommands needs, less what the guard makes itself, and a clock. */
export type LeakGuardDeps = Omit<LeakCommandDeps, 'diagnostics' | 'ignoreFile' | 'workspaceScanner'> & { now: () => Date };

/** The leak guard: diagnostics in open files, quick fixes and their commands, the workspace and history scans. */
export class LeakGuard extends Disposable {
  readonly ignoreFile = this._register(new IgnoreFile());
  readonly projectConfigs = this._register(new ProjectConfigs());
  readonly diagnostics: LeakDiagnostics;
  readonly workspaceScanner: WorkspaceScanner;
  readonly historyScanner: HistoryScanner;

  constructor(deps: LeakGuardDeps) {
    super();
    this.diagnostics = this._register(
      new LeakDiagnostics(
        deps.store,
        this.ignoreFile,
        this.projectConfigs,
        (id, connectionId) =>
          void deps.deadTokens
            ?.record(id, 'leaked', connectionId)
            .catch((error) => deps.log.error('Could not remember a leaked token id', error)),
      ),
    );
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
