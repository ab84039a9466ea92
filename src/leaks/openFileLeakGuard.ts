// The leak guard on open files: ignore list, diagnostics, quick fixes and their commands. Everything here works
// in any extension host, the browser's web worker included (no Node): the desktop's LeakGuard adds the scans of
// the workspace on disk and of git history on top.
import * as vscode from 'vscode';
import { IgnoreFile } from './ignoreFile';
import { type DiskAccess } from './diskAccess';
import { ProjectConfigs } from './projectConfigs';
import { LeakDiagnostics } from './leakDiagnostics';
import { LeakCodeActionProvider } from './leakCodeActions';
import { McpInputFix } from './mcpInputFix';
import { LeakCommands, type LeakCommandDeps } from './leakCommands';
import { type LeakLocation } from './leakFixes';
import { Commands } from '../common/constants';
import { registerGuardedCommands } from '../common/guardedCommands';
import { Disposable } from '../common/lifecycle';

/** What LeakCommands needs, less what the guard makes itself, and a clock. */
export type LeakGuardDeps = Omit<LeakCommandDeps, 'diagnostics' | 'ignoreFile' | 'workspaceScanner'> & { now: () => Date };

export abstract class OpenFileLeakGuard extends Disposable {
  readonly ignoreFile: IgnoreFile;
  readonly projectConfigs: ProjectConfigs;
  readonly diagnostics: LeakDiagnostics;

  /** `disk`: how the repository's files on disk are read and written (none in the browser: workspace.fs only). */
  constructor(deps: LeakGuardDeps, disk: DiskAccess | undefined) {
    super();
    this.ignoreFile = this._register(new IgnoreFile(disk));
    this.projectConfigs = this._register(new ProjectConfigs(disk));
    this.diagnostics = this._register(
      new LeakDiagnostics(
        deps.store,
        this.ignoreFile,
        this.projectConfigs,
        // A leaked PAT's id (never the token) is remembered for token activity's "should be dead" alert.
        (id, connectionId) =>
          void deps.deadTokens
            ?.record(id, 'leaked', connectionId)
            .catch((error) => deps.log.error('Could not remember a leaked token id', error)),
      ),
    );
    this._register(
      new LeakCommands({
        ...deps,
        diagnostics: this.diagnostics,
        ignoreFile: this.ignoreFile,
        workspaceScanner: { run: () => this.scanWorkspace() },
      }),
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
    this._register(registerGuardedCommands(deps, { [Commands.useMcpInput]: (arg) => mcpInput.run(arg as LeakLocation) }));
  }

  /** Scan Workspace: the host's own way through the files (or why it has none). Called after construction. */
  protected abstract scanWorkspace(): Thenable<unknown>;
}
