// Assembles rotation: Rotate Token and Find Where This Token Is Used.
import * as vscode from 'vscode';
import { RotationCommandDeps, RotationCommands } from './rotationCommands';
import { TokenUseFinder, WorkspaceFiles } from './tokenUseFinder';

export type RotationFeatureDeps = Omit<RotationCommandDeps, 'finder'> & { workspaceFiles: WorkspaceFiles };

/** What the integration tests reach (Test mode only): commands built over the extension's parts, some replaced. */
export interface RotationTesting {
  commandsWith(overrides: Partial<RotationCommandDeps>): RotationCommands;
}

export function createRotation(deps: RotationFeatureDeps): { disposables: vscode.Disposable[]; testing: RotationTesting } {
  const commandDeps: RotationCommandDeps = { ...deps, finder: new TokenUseFinder(deps.workspaceFiles, deps.home) };
  const commands = new RotationCommands(commandDeps);
  return {
    disposables: commands.register(),
    testing: { commandsWith: (overrides) => new RotationCommands({ ...commandDeps, ...overrides }) },
  };
}
