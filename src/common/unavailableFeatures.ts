// Where a user meets an optional feature that did not start (core/common/optionalFeatures.ts): its commands
// stay registered and say why, and a feature that failed (rather than one this VS Code lacks) is named once in
// a notification, with the details in the output channel.
import * as vscode from 'vscode';
import { type OptionalFeatures } from '../core/common/optionalFeatures';
import { Commands } from './constants';
import { type Log } from './log';
import { type Ui } from './ui';

/**
 * The commands of the features that did not start: each is registered anyway and says why, instead of
 * "command not found" (or nothing, from a menu).
 */
export function registerUnavailableCommands(features: OptionalFeatures, ui: Ui): vscode.Disposable[] {
  /** Each command, and the features whose start registers it. */
  const owners: Record<string, readonly string[]> = {
    [Commands.offerToMcp]: ['mcp'],
    [Commands.stopOfferingToMcp]: ['mcp'],
    [Commands.useInTerminals]: ['terminals', 'terminalCommands'],
    [Commands.stopUsingInTerminals]: ['terminals', 'terminalCommands'],
  };
  const registered: vscode.Disposable[] = [];
  for (const [command, ids] of Object.entries(owners)) {
    const id = ids.find((i) => features.unavailable(i) !== undefined);
    if (id === undefined) continue;
    const reason = features.unavailable(id);
    const title = features.all().find((f) => f.id === id)?.title ?? id;
    try {
      registered.push(
        vscode.commands.registerCommand(command, () => {
          void ui.showInformationMessage(`Jira Token Guard: ${title}: not available in this window (${reason}).`, {});
        }),
      );
    } catch {
      // Registered already by the feature before it failed: that handler stays.
    }
  }
  return registered;
}

/** One notification for the features that failed to start in this window (none: nothing shown). */
export function reportFailedFeatures(features: OptionalFeatures, ui: Ui, log: Log): void {
  const failed = features.failed();
  if (!failed.length) return;
  const names = failed.map((f) => f.title).join(', ');
  void ui
    .showWarningMessage(`Jira Token Guard started without ${names}: the details are in its output.`, {}, 'Show Output')
    .then((choice) => choice && log.show());
}
