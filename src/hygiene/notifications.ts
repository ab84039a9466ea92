// Shows the hygiene notifications (reminders). Tests switch it to recording: notifications are counted
// and answered by the test instead of popping up in the host.
import * as vscode from 'vscode';

export type NotificationLevel = 'information' | 'warning' | 'error';

export interface ShownNotification {
  level: NotificationLevel;
  message: string;
  actions: string[];
}

type Answer = (notification: ShownNotification) => string | undefined;

export class Notifications {
  private recorder: { shown: ShownNotification[]; answer: Answer } | undefined;

  /** Resolves to the action chosen, or undefined when dismissed. */
  async show(level: NotificationLevel, message: string, ...actions: string[]): Promise<string | undefined> {
    if (this.recorder) {
      const notification = { level, message, actions };
      this.recorder.shown.push(notification);
      return this.recorder.answer(notification);
    }
    switch (level) {
      case 'information':
        return vscode.window.showInformationMessage(message, ...actions);
      case 'warning':
        return vscode.window.showWarningMessage(message, ...actions);
      case 'error':
        return vscode.window.showErrorMessage(message, ...actions);
    }
  }

  /** Records notifications instead of showing them (answering with `answer`, default: dismissed) until stop(). */
  record(answer: Answer = () => undefined): { shown: ShownNotification[]; stop(): void } {
    const shown: ShownNotification[] = [];
    const recorder = { shown, answer };
    this.recorder = recorder;
    return {
      shown,
      stop: () => {
        if (this.recorder === recorder) this.recorder = undefined;
      },
    };
  }
}
