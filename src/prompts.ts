// The questions commands ask (input boxes, pick lists, confirmations). Tests script the answers to walk
// the guided flows in the real host; every scripted input is still checked by the box's validateInput.
import * as vscode from 'vscode';

/** A scripted answer: the text typed (or undefined for Escape), or for a pick list a label to match. */
export type ScriptedAnswer = string | undefined;

export class Prompts {
  private script: ScriptedAnswer[] | undefined;
  private readonly asked: string[] = [];

  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined> {
    if (!this.script) return vscode.window.showInputBox(options);
    const answer = this.next(`input: ${options.title ?? options.prompt ?? ''}`);
    return Promise.resolve(options.validateInput?.(answer ?? '')).then((problem) => {
      const message = typeof problem === 'string' ? problem : problem?.message;
      if (answer !== undefined && message) throw new Error(`the scripted answer was refused by the input box: ${message}`);
      return answer;
    });
  }

  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined> {
    if (!this.script) return vscode.window.showQuickPick(items, options);
    const answer = this.next(`pick: ${options.title ?? options.placeHolder ?? ''}`);
    if (answer === undefined) return Promise.resolve(undefined);
    const item = items.find((i) => i.label.includes(answer));
    if (!item) throw new Error(`no item matches the scripted answer "${answer}" in: ${items.map((i) => i.label).join(' | ')}`);
    return Promise.resolve(item);
  }

  /** A warning; scripted, only a modal one with choices takes an answer. */
  showWarningMessage(message: string, options: vscode.MessageOptions, ...choices: string[]): Thenable<string | undefined> {
    return this.message('warning', message, options, choices);
  }

  showErrorMessage(message: string, options: vscode.MessageOptions, ...choices: string[]): Thenable<string | undefined> {
    return this.message('error', message, options, choices);
  }

  showInformationMessage(message: string, options: vscode.MessageOptions, ...choices: string[]): Thenable<string | undefined> {
    return this.message('information', message, options, choices);
  }

  private message(kind: 'warning' | 'error' | 'information', message: string, options: vscode.MessageOptions, choices: string[]): Thenable<string | undefined> {
    if (!this.script) {
      const show = kind === 'warning' ? vscode.window.showWarningMessage : kind === 'error' ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
      return show(message, options, ...choices);
    }
    // Only modal questions wait for an answer; a notification is recorded and left unanswered.
    if (choices.length === 0 || !options.modal) {
      this.asked.push(`${kind}: ${message}${choices.length ? ` [${choices.join(' | ')}]` : ''}`);
      return Promise.resolve(undefined);
    }
    const answer = this.next(`${kind}: ${message}`);
    if (answer !== undefined && !choices.includes(answer)) throw new Error(`"${answer}" is not one of: ${choices.join(' | ')}`);
    return Promise.resolve(answer);
  }

  private next(question: string): ScriptedAnswer {
    this.asked.push(question);
    if (!this.script?.length) throw new Error(`no scripted answer left for ${question}`);
    return this.script.shift();
  }

  /** Answers the next questions from `answers`, in order, until `stop()`. */
  answer(answers: ScriptedAnswer[]): { asked: string[]; remaining(): number; stop(): void } {
    this.script = [...answers];
    this.asked.length = 0;
    return { asked: this.asked, remaining: () => this.script?.length ?? 0, stop: () => { this.script = undefined; } };
  }
}
