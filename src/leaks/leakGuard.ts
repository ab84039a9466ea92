// Assembles the leak guard: ignore list, diagnostics, workspace scan, quick fixes and their commands.
import * as vscode from 'vscode';
import { ConnectionStore } from '../connections/connectionStore';
import { AddConnectionArgs, ReplaceOptions, ReplaceTokenArgs } from '../connections/connectionArgs';
import { Log } from '../common/log';
import { Ui } from '../common/ui';
import { IgnoreFile } from './ignoreFile';
import { LeakDiagnostics } from './leakDiagnostics';
import { WorkspaceScanner } from './workspaceScan';
import { LeakCodeActionProvider } from './leakCodeActions';
import { McpInputFix } from './mcpInputFix';
import { LeakCommands } from './leakCommands';
import { LeakLocation } from './leakFixes';
import { Commands } from '../common/constants';
import { HistoryScanner } from './historyScan';
import { guarded } from '../common/commandErrors';
import type { CredentialChecker } from '../checks/credentialChecker';

export interface LeakGuard {
  readonly diagnostics: LeakDiagnostics;
  readonly workspaceScanner: WorkspaceScanner;
  readonly historyScanner: HistoryScanner;
  readonly ignoreFile: IgnoreFile;
  readonly disposables: vscode.Disposable[];
}

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

export function createLeakGuard(deps: LeakGuardDeps): LeakGuard {
  const ignoreFile = new IgnoreFile();
  const diagnostics = new LeakDiagnostics(deps.store, ignoreFile);
  const workspaceScanner = new WorkspaceScanner(diagnostics, deps.ui, deps.now, () => deps.store.readUnfingerprinted());
  const commands = new LeakCommands(
    deps.store,
    diagnostics,
    ignoreFile,
    workspaceScanner,
    deps.checker,
    deps.addConnection,
    deps.replaceToken,
    deps.useInTerminals,
    deps.ui,
    deps.log,
  );
  const codeActions = vscode.languages.registerCodeActionsProvider({ scheme: '*' }, new LeakCodeActionProvider(diagnostics), {
    providedCodeActionKinds: LeakCodeActionProvider.providedCodeActionKinds,
  });
  const mcpInput = new McpInputFix(diagnostics, deps.ui);
  const mcpInputCommand = vscode.commands.registerCommand(Commands.useMcpInput, (arg: LeakLocation) =>
    guarded(deps.log, deps.ui, Commands.useMcpInput, arg, () => mcpInput.run(arg)),
  );
  const historyScanner = new HistoryScanner(deps.ui, deps.log);
  const historyCommand = vscode.commands.registerCommand(Commands.scanGitHistory, () =>
    guarded(deps.log, deps.ui, Commands.scanGitHistory, undefined, () => historyScanner.run()),
  );
  diagnostics.start();
  return {
    diagnostics,
    workspaceScanner,
    historyScanner,
    ignoreFile,
    disposables: [ignoreFile, diagnostics, codeActions, historyScanner, historyCommand, ...commands.register(), mcpInputCommand],
  };
}
