// Reminds the user of expiring, expired and overdue tokens: a check shortly after start-up and then every
// hour, each connection at most once a day (the dates live in globalState, so a restart does not repeat a
// reminder), with Replace Token, Open Token Page and Remind Me Later (a week).
import * as vscode from 'vscode';
import { type Connection } from '../core/connections/connection';
import { describeHealth, DAY_MS } from '../core/hygiene/health';
import {
  type DueReminder,
  dueReminders,
  markNotified,
  pruneReminderState,
  readReminderState,
  type ReminderReason,
  type ReminderState,
  snooze,
} from '../core/hygiene/reminderRules';
import { type ConnectionStore, type MetadataStorage } from '../connections/connectionStore';
import { Commands, REMINDERS_STATE_KEY } from '../common/constants';
import { type Log } from '../common/log';
import { type MessageLevel, showMessage, type Ui } from '../common/ui';
import { currentHealth } from '../common/healthPolicy';
import { SerialQueue } from '../core/common/serialQueue';
import { Disposable, toDisposable } from '../common/lifecycle';

export const ReminderActions = {
  replace: 'Replace Token',
  rotate: 'Rotate Token',
  openTokenPage: 'Open Token Page',
  later: 'Remind Me Later',
} as const;

export interface ReminderSchedule {
  /** Delay of the first check after activation: start-up stays fast, and the window settles first. */
  firstCheckDelayMs: number;
  /** How often to look again; each connection is still notified at most once a day. */
  intervalMs: number;
}

const DEFAULT_SCHEDULE: ReminderSchedule = { firstCheckDelayMs: 15_000, intervalMs: DAY_MS / 24 };

export class Reminders extends Disposable {
  private timers: Array<ReturnType<typeof setTimeout>> = [];
  private running: Promise<DueReminder[]> | undefined;
  /** Read-modify-writes of the reminder dates, one at a time. */
  private readonly stateQueue = new SerialQueue();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly store: ConnectionStore,
    private readonly state: MetadataStorage,
    private readonly ui: Ui,
    private readonly log: Log,
    private readonly now: () => Date = () => new Date(),
    private readonly schedule: ReminderSchedule = DEFAULT_SCHEDULE,
  ) {
    super();
    this._register(toDisposable(() => this.stopSchedule()));
  }

  start(): void {
    this.stopSchedule();
    this.timers.push(
      setTimeout(() => void this.check(), this.schedule.firstCheckDelayMs),
      setInterval(() => void this.check(), this.schedule.intervalMs),
    );
  }

  get scheduled(): boolean {
    return this.timers.length > 0;
  }

  /** Tests stop the timers so that only their own checks run. */
  stopSchedule(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }

  /** Shows the reminders due now; resolves to them. Concurrent calls share one check. */
  check(): Promise<DueReminder[]> {
    this.running ??= this.runCheck()
      .catch((error) => {
        this.log.error('The token reminder check failed', error);
        return [];
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Resolves once every answered reminder has been acted on (tests). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    await this.stateQueue.run(() => Promise.resolve());
  }

  private async runCheck(): Promise<DueReminder[]> {
    const connections = this.store.list();
    const now = this.now();
    let due: DueReminder[] = [];
    await this.updateState((state) => {
      const current = pruneReminderState(
        state,
        connections.map((c) => c.id),
      );
      due = dueReminders(
        connections.map((c) => ({ id: c.id, health: currentHealth(c, now) })),
        current,
        now,
      );
      // Recorded before showing: another window or a restart must not repeat them today.
      return markNotified(current, due, now);
    });
    for (const reminder of due) {
      const connection = connections.find((c) => c.id === reminder.connectionId)!;
      const shown = this.notify(reminder, connection, now).catch((error) => this.log.error('A token reminder failed', error));
      this.pending.add(shown);
      void shown.finally(() => this.pending.delete(shown));
    }
    return due;
  }

  private async notify(reminder: DueReminder, connection: Connection, now: Date): Promise<void> {
    const { level, message } = reminderMessage(reminder.reason, connection, now);
    // A Data Center PAT that still works can be rotated in one step (the PAT API); an expired one cannot
    // create its successor, and other tokens are replaced by hand.
    const renew = connection.kind === 'datacenter-pat' && reminder.reason !== 'expired' ? ReminderActions.rotate : ReminderActions.replace;
    const choice = await showMessage(this.ui, level, message, {}, renew, ReminderActions.openTokenPage, ReminderActions.later);
    switch (choice) {
      case ReminderActions.rotate:
        await vscode.commands.executeCommand(Commands.rotateToken, { id: connection.id, prompt: true });
        break;
      case ReminderActions.replace:
        await vscode.commands.executeCommand(Commands.replaceToken, { id: connection.id, prompt: true });
        break;
      case ReminderActions.openTokenPage:
        await vscode.commands.executeCommand(Commands.openTokenPage, { id: connection.id });
        break;
      case ReminderActions.later:
        await this.updateState((state) => snooze(state, reminder, this.now()));
        break;
    }
  }

  /** Read-modify-write of the reminder dates, one at a time. */
  private updateState(change: (state: ReminderState) => ReminderState): Promise<void> {
    return this.stateQueue.run(async () => {
      const before = readReminderState(this.state.get(REMINDERS_STATE_KEY));
      const after = change(before);
      if (JSON.stringify(after) !== JSON.stringify(before)) await this.state.update(REMINDERS_STATE_KEY, after);
    });
  }
}

export function reminderMessage(reason: ReminderReason, connection: Connection, now: Date): { level: MessageLevel; message: string } {
  const name = `“${connection.label}”`;
  const state = describeHealth(connection, reason, now);
  switch (reason) {
    case 'expired':
      return {
        level: 'warning',
        message: `The token of ${name} ${state === 'token expired' ? 'has expired' : state}. Scripts and tools using it are refused now: create a new one and replace it.`,
      };
    case 'expiring':
      return { level: 'warning', message: `The token of ${name} ${state}. Create its successor and replace it before it stops working.` };
    case 'rotation-due':
      return {
        level: 'information',
        message: `The token of ${name} is due for rotation: ${state?.replace(/^rotation due \((.*)\)$/, '$1') ?? 'it is old'}. Create a new one, replace it here, then revoke the old one.`,
      };
  }
}
