// The rotation feature: Rotate Token and Find Where This Token Is Used, registered when made.
import { registerGuardedCommands } from '../common/guardedCommands';
import { Commands } from '../common/constants';
import { Disposable } from '../common/lifecycle';
import { type RotationCommandDeps, RotationCommands } from './rotationCommands';
import { TokenUseFinder, type WorkspaceFiles } from './tokenUseFinder';

export type RotationFeatureDeps = Omit<RotationCommandDeps, 'finder'> & { workspaceFiles: WorkspaceFiles };

/** What the integration tests reach (Test mode only): commands built over the extension's parts, some replaced. */
export interface RotationTesting {
  commandsWith(overrides: Partial<RotationCommandDeps>): RotationCommands;
}

export class Rotation extends Disposable {
  readonly testing: RotationTesting;

  constructor(deps: RotationFeatureDeps) {
    super();
    const commandDeps: RotationCommandDeps = { ...deps, finder: new TokenUseFinder(deps.workspaceFiles, deps.home) };
    const commands = new RotationCommands(commandDeps);
    this._register(
      registerGuardedCommands(deps, {
        [Commands.rotateToken]: (arg) => commands.rotate(arg),
        [Commands.findTokenUses]: (arg) => commands.findUses(arg),
      }),
    );
    this.testing = { commandsWith: (overrides) => new RotationCommands({ ...commandDeps, ...overrides }) };
  }
}
