// The leak guard on the desktop: the guard on open files, plus the scans of the workspace and of git history.
import { OpenFileLeakGuard, type LeakGuardDeps } from './openFileLeakGuard';
import { WorkspaceScanner } from './workspaceScan';
import { Commands } from '../common/constants';
import { HistoryScanner } from './historyScanner';
import { registerGuardedCommands } from '../common/guardedCommands';
import { nodeDisk } from './nodeDisk';

export type { LeakGuardDeps };

/** The leak guard: diagnostics in open files, quick fixes and their commands, the workspace and history scans. */
export class LeakGuard extends OpenFileLeakGuard {
  readonly workspaceScanner: WorkspaceScanner;
  readonly historyScanner: HistoryScanner;

  constructor(deps: LeakGuardDeps) {
    super(deps, nodeDisk);
    this.workspaceScanner = new WorkspaceScanner(this.diagnostics, deps.ui, deps.now, () => deps.store.readUnfingerprinted());
    this.historyScanner = this._register(new HistoryScanner(deps.ui, deps.log));
    this._register(registerGuardedCommands(deps, { [Commands.scanGitHistory]: () => this.historyScanner.run() }));
    this.diagnostics.start();
  }

  protected override scanWorkspace(): Thenable<unknown> {
    return this.workspaceScanner.run();
  }
}
