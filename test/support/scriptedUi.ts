// The UI the integration tests inject (Test mode only, through exports.testing.useUi): scripted answers to
// the guided flows' questions, recorded notifications and web pages. Without a script or a recording it
// passes everything on to the real VS Code UI. Every scripted input is still checked by the box's validateInput.
import * as vscode from 'vscode';
import type { MessageLevel, Ui } from '../../src/common/ui';

/** A scripted answer: the text typed (or undefined for Escape), or for a pick list a label to match. */
export type ScriptedAnswer = string | undefined;

export interface ShownNotification {
  level: MessageLevel;
  message: string;
  actions: string[];
}

type NotificationAnswer = (notification: ShownNotification) => string | undefined;

export class ScriptedUi implements Ui {
  private script: ScriptedAnswer[] | undefined;
  private readonly asked: string[] = [];
  private notifications: { shown: ShownNotification[]; answer: NotificationAnswer } | undefined;
  private links: string[] | undefined;
  private clipboard: string[] | undefined;

  /** `real`: the extension's own UI (exports.testing.realUi), which unscripted questions go to. */
  constructor(private readonly real: Ui) {}

  // ---- what the tests call ----------------------------------------------------------------------

  /** Answers the next questions (input boxes, picks, modal messages) from `answers`, in order, until `stop()`. */
  answer(answers: ScriptedAnswer[]): { asked: string[]; remaining(): number; stop(): void } {
    this.script = [...answers];
    this.asked.length = 0;
    return { asked: this.asked, remaining: () => this.script?.length ?? 0, stop: () => { this.script = undefined; } };
  }

  /** Records notifications (non-modal messages) instead of showing them, answering with `answer` (default: dismissed). */
  recordNotifications(answer: NotificationAnswer = () => undefined): { shown: ShownNotification[]; stop(): void } {
    const recorder = { shown: [] as ShownNotification[], answer };
    this.notifications = recorder;
    return { shown: recorder.shown, stop: () => { if (this.notifications === recorder) this.notifications = undefined; } };
  }

  /** Records the web pages opened instead of opening them. */
  recordLinks(): { urls: string[]; stop(): void } {
    const urls: string[] = [];
    this.links = urls;
    return { urls, stop: () => { if (this.links === urls) this.links = undefined; } };
  }

  /** Records what is copied instead of writing the clipboard. */
  recordClipboard(): { texts: string[]; stop(): void } {
    const texts: string[] = [];
    this.clipboard = texts;
    return { texts, stop: () => { if (this.clipboard === texts) this.clipboard = undefined; } };
  }

  // ---- Ui ------------------------------------------------------------------------------------------

  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined> {
    if (!this.script) return this.real.showInputBox(options);
    const answer = this.next(`input: ${options.title ?? options.prompt ?? ''}`);
    return Promise.resolve(options.validateInput?.(answer ?? '')).then((problem) => {
      const message = typeof problem === 'string' ? problem : problem?.message;
      const refused = typeof problem === 'string' || problem?.severity === vscode.InputBoxValidationSeverity.Error;
      if (answer !== undefined && message && refused) throw new Error(`the scripted answer was refused by the input box: ${message}`);
      return answer;
    });
  }

  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined> {
    if (!this.script) return this.real.showQuickPick(items, options);
    const answer = this.next(`pick: ${options.title ?? options.placeHolder ?? ''}`);
    if (answer === undefined) return Promise.resolve(undefined);
    const item = items.find((i) => i.label.includes(answer));
    if (!item) throw new Error(`no item matches the scripted answer "${answer}" in: ${items.map((i) => i.label).join(' | ')}`);
    return Promise.resolve(item);
  }

  showInformationMessage(message: string, options: vscode.MessageOptions, ...choices: string[]): Thenable<string | undefined> {
    return this.message('information', message, options, choices);
  }

  showWarningMessage(message: string, options: vscode.MessageOptions, ...choices: string[]): Thenable<string | undefined> {
    return this.message('warning', message, options, choices);
  }

  showErrorMessage(message: string, options: vscode.MessageOptions, ...choices: string[]): Thenable<string | undefined> {
    return this.message('error', message, options, choices);
  }

  async openExternal(url: string): Promise<boolean> {
    if (!this.links) return this.real.openExternal(url);
    this.links.push(url);
    return true;
  }

  writeClipboard(text: string): Thenable<void> {
    if (!this.clipboard) return this.real.writeClipboard(text);
    this.clipboard.push(text);
    return Promise.resolve();
  }

  private message(level: MessageLevel, message: string, options: vscode.MessageOptions, choices: string[]): Thenable<string | undefined> {
    const question = options.modal === true;
    if (question && this.script) {
      const answer = this.next(`${level}: ${message}`);
      if (answer !== undefined && !choices.includes(answer)) throw new Error(`"${answer}" is not one of: ${choices.join(' | ')}`);
      return Promise.resolve(answer);
    }
    if (!question && (this.script || this.notifications)) {
      if (this.script) this.asked.push(`${level}: ${message}${choices.length ? ` [${choices.join(' | ')}]` : ''}`);
      if (!this.notifications) return Promise.resolve(undefined);
      const notification = { level, message, actions: choices };
      this.notifications.shown.push(notification);
      return Promise.resolve(this.notifications.answer(notification));
    }
    switch (level) {
      case 'information':
        return this.real.showInformationMessage(message, options, ...choices);
      case 'warning':
        return this.real.showWarningMessage(message, options, ...choices);
      case 'error':
        return this.real.showErrorMessage(message, options, ...choices);
    }
  }

  private next(question: string): ScriptedAnswer {
    this.asked.push(question);
    if (!this.script?.length) throw new Error(`no scripted answer left for ${question}`);
    return this.script.shift();
  }
}
