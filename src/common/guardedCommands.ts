// The one way a feature registers its commands: each handler runs guarded (commandErrors.ts: a failure is
// logged and shown in plain words, and rejects for a caller that passed an argument object).
import * as vscode from 'vscode';
import { guarded } from './commandErrors';
import type { CommandId } from './constants';
import type { Log } from './log';
import type { Ui } from './ui';

/** A command's handler, given what the command was invoked with (an argument object, a tree node, or nothing). */
export type CommandHandler = (arg: unknown, ...rest: unknown[]) => unknown;

/** Registers every command of the table; one disposable releases them all. */
export function registerGuardedCommands(
  context: { log: Log; ui: Ui },
  handlers: Partial<Record<CommandId, CommandHandler>>,
): vscode.Disposable {
  const registered: vscode.Disposable[] = [];
  for (const [id, handler] of Object.entries(handlers) as Array<[CommandId, CommandHandler]>) {
    registered.push(
      vscode.commands.registerCommand(id, (arg?: unknown, ...rest: unknown[]) =>
        guarded(context.log, context.ui, id, arg, async () => await handler(arg, ...rest)),
      ),
    );
  }
  return vscode.Disposable.from(...registered);
}
