// What the integration tests reach through the extension's API to drive and observe the hygiene features.
import * as vscode from 'vscode';
import { Notifications } from './notifications';
import { Reminders } from './reminders';
import { StatusBarGuard } from './statusBar';
import { TerminalEnvironment } from './terminalEnvironment';

export interface HygieneTesting {
  /** `record()` counts and answers notifications instead of showing them. */
  readonly notifications: Notifications;
  /** `check()` runs the reminder check now; `stopSchedule()` keeps the timers out of a test. */
  readonly reminders: Reminders;
  /** `snapshot()` is what the status bar item shows. */
  readonly statusBar: StatusBarGuard;
  readonly terminals: TerminalEnvironment;
  /** The extension's own collection, as new terminals receive it. */
  readonly environmentVariableCollection: vscode.EnvironmentVariableCollection;
}
