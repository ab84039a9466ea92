// The UI the integration tests inject (Test mode only, through exports.testing.useUi): scripted answers to
// the guided flows' questions, recorded notifications and web pages. Without a script or a recording it
// passes everything on to the real VS Code UI. Every scripted input is still checked by the box's validateInput.
import * as vscode from 'vscode';
import type { MessageLevel, Ui } from '../../src/common/ui';
import type { Back as StepBack, StepPickOptions, StepPosition } from '../../src/common/steps';

/** The Back of the guided flows: a registered symbol, the same value as the bundled extension's. */
export const Back: typeof StepBack = Symbol.for('jiraTokenGuard.multiStepInput.back') as typeof StepBack;
export type Back = typeof StepBack;

/** Presses Enter on what the question shows: the box's value, or the pick list's highlighted item. */
export const AsShown: unique symbol = Symbol('AsShown');

/**
 * A scripted answer: the text typed (or undefined for Escape), for a pick list a label to match, `AsShown`,
 * or in a guided flow `Back` (the step's Back button).
 */
export type ScriptedAnswer = string | undefined | typeof AsShown | Back;

export interface ShownNotification {
  level: MessageLevel;
  message: string;
  actions: string[];
}

type NotificationAnswer = (notification: ShownNotification) => string | undefined;

export class ScriptedUi implements Ui {
  private script: ScriptedAnswer[] | undefined;
  private readonly asked: string[] = [];
  /** The `detail` of each modal question asked, in order ('' for none). */
  private readonly details: string[] = [];
  private notifications: { shown: ShownNotification[]; answer: NotificationAnswer } | undefined;
  private links: string[] | undefined;
  private clipboard: string[] | undefined;

  /** `real`: the extension's own UI (exports.testing.realUi), which unscripted questions go to. */
  constructor(private readonly real: Ui) {}

  // ---- what the tests call ----------------------------------------------------------------------

  /** Answers the next questions (input boxes, picks, modal messages) from `answers`, in order, until `stop()`. */
  answer(answers: ScriptedAnswer[]): { asked: string[]; details: string[]; remaining(): number; stop(): void } {
    this.script = [...answers];
    this.asked.length = 0;
    this.details.length = 0;
    return {
      asked: this.asked,
      details: this.details,
      remaining: () => this.script?.length ?? 0,
      stop: () => {
        this.script = undefined;
      },
    };
  }

  /** Records notifications (non-modal messages) instead of showing them, answering with `answer` (default: dismissed). */
  recordNotifications(answer: NotificationAnswer = () => undefined): { shown: ShownNotification[]; stop(): void } {
    const recorder = { shown: [] as ShownNotification[], answer };
    this.notifications = recorder;
    return {
      shown: recorder.shown,
      stop: () => {
        if (this.notifications === recorder) this.notifications = undefined;
      },
    };
  }

  /** Records the web pages opened instead of opening them. */
  recordLinks(): { urls: string[]; stop(): void } {
    const urls: string[] = [];
    this.links = urls;
    return {
      urls,
      stop: () => {
        if (this.links === urls) this.links = undefined;
      },
    };
  }

  /** Records what is copied instead of writing the clipboard. */
  recordClipboard(): { texts: string[]; stop(): void } {
    const texts: string[] = [];
    this.clipboard = texts;
    return {
      texts,
      stop: () => {
        if (this.clipboard === texts) this.clipboard = undefined;
      },
    };
  }

  // ---- Ui ------------------------------------------------------------------------------------------

  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined> {
    if (!this.script) return this.real.showInputBox(options);
    return this.input(options, undefined) as Promise<string | undefined>;
  }

  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined> {
    if (!this.script) return this.real.showQuickPick(items, options);
    return Promise.resolve(this.pick(items, options, undefined) as T | undefined);
  }

  showStepInputBox(options: vscode.InputBoxOptions, position: StepPosition): Thenable<string | Back | undefined> {
    if (!this.script) return this.real.showStepInputBox(options, position);
    return this.input(options, position);
  }

  showStepQuickPick<T extends vscode.QuickPickItem>(
    items: readonly T[],
    options: StepPickOptions<T>,
    position: StepPosition,
  ): Thenable<T | Back | undefined> {
    if (!this.script) return this.real.showStepQuickPick(items, options, position);
    return Promise.resolve(this.pick(items, options, position));
  }

  /** A question as recorded in `asked`: "input 2/6: title" in a guided flow, "input: title" otherwise. */
  private question(type: 'input' | 'pick', title: string, position: StepPosition | undefined): string {
    return position ? `${type} ${position.step}/${position.totalSteps}: ${title}` : `${type}: ${title}`;
  }

  private async input(options: vscode.InputBoxOptions, position: StepPosition | undefined): Promise<string | Back | undefined> {
    const scripted = this.next(this.question('input', options.title ?? options.prompt ?? '', position));
    if (scripted === Back) return this.back(position);
    const answer = scripted === AsShown ? (options.value ?? '') : scripted;
    const problem = await options.validateInput?.(answer ?? '');
    const message = typeof problem === 'string' ? problem : problem?.message;
    const refused = typeof problem === 'string' || problem?.severity === vscode.InputBoxValidationSeverity.Error;
    if (answer !== undefined && message && refused) throw new Error(`the scripted answer was refused by the input box: ${message}`);
    return answer;
  }

  private pick<T extends vscode.QuickPickItem>(
    items: readonly T[],
    options: StepPickOptions<T>,
    position: StepPosition | undefined,
  ): T | Back | undefined {
    const answer = this.next(this.question('pick', options.title ?? options.placeHolder ?? '', position));
    if (answer === Back) return this.back(position);
    if (answer === undefined) return undefined;
    if (answer === AsShown) {
      if (!options.activeItem) throw new Error(`no item is highlighted in: ${items.map((i) => i.label).join(' | ')}`);
      return options.activeItem;
    }
    const item = items.find((i) => i.label.includes(answer));
    if (!item) throw new Error(`no item matches the scripted answer "${answer}" in: ${items.map((i) => i.label).join(' | ')}`);
    return item;
  }

  /** The Back button, which only the steps after a flow's first have. */
  private back(position: StepPosition | undefined): Back {
    if (!position?.canGoBack) throw new Error(`there is no Back button on this question: ${this.asked[this.asked.length - 1]}`);
    return Back;
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
      this.details.push(options.detail ?? '');
      const answer = this.next(`${level}: ${message}`);
      if (typeof answer === 'symbol') throw new Error(`a message has no Back button and shows no value: ${message}`);
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
