// The leak guard in the browser: open files, their quick fixes and the ignore lists through workspace.fs.
import { OpenFileLeakGuard, type LeakGuardDeps } from '../leaks/openFileLeakGuard';
import { UserFacingError } from '../common/userFacingError';

export class BrowserLeakGuard extends OpenFileLeakGuard {
  constructor(deps: LeakGuardDeps) {
    super(deps, undefined);
    this.diagnostics.start();
  }

  protected override scanWorkspace(): Thenable<unknown> {
    return Promise.reject(
      new UserFacingError(
        'Scan Workspace does not run in the browser yet: open files are checked as you edit them. Scan from desktop VS Code or the command line.',
      ),
    );
  }
}
