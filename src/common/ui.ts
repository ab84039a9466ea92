// What the extension asks and shows: input boxes, pick lists, messages and notifications, web pages,
// the clipboard. In production it is a plain pass-through to vscode.window and vscode.env; the integration
// tests inject a scripted one (test/support/scriptedUi.ts) in Test mode only.
import * as vscode from 'vscode';

export type MessageLevel = 'information' | 'warning' | 'error';

export interface Ui {
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  /** A notification, or with `{ modal: true }` a question; resolves to the choice made (undefined: dismissed). */
  showInformationMessage(message: string, options: vscode.MessageOptions, ...choices: string[]): Thenable<string | undefined>;
  showWarningMessage(message: string, options: vscode.MessageOptions, ...choices: string[]): Thenable<string | undefined>;
  showErrorMessage(message: string, options: vscode.MessageOptions, ...choices: string[]): Thenable<string | undefined>;
  /** Opens a web page in the user's browser; resolves to false when it could not. */
  openExternal(url: string): Promise<boolean>;
  writeClipboard(text: string): Thenable<void>;
}

export function showMessage(ui: Ui, level: MessageLevel, message: string, options: vscode.MessageOptions, ...choices: string[]): Thenable<string | undefined> {
  switch (level) {
    case 'information':
      return ui.showInformationMessage(message, options, ...choices);
    case 'warning':
      return ui.showWarningMessage(message, options, ...choices);
    case 'error':
      return ui.showErrorMessage(message, options, ...choices);
  }
}

export class VscodeUi implements Ui {
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined> {
    return vscode.window.showInputBox(options);
  }

  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined> {
    return vscode.window.showQuickPick(items, options);
  }

  showInformationMessage(message: string, options: vscode.MessageOptions, ...choices: string[]): Thenable<string | undefined> {
    return vscode.window.showInformationMessage(message, options, ...choices);
  }

  showWarningMessage(message: string, options: vscode.MessageOptions, ...choices: string[]): Thenable<string | undefined> {
    return vscode.window.showWarningMessage(message, options, ...choices);
  }

  showErrorMessage(message: string, options: vscode.MessageOptions, ...choices: string[]): Thenable<string | undefined> {
    return vscode.window.showErrorMessage(message, options, ...choices);
  }

  async openExternal(url: string): Promise<boolean> {
    try {
      return await vscode.env.openExternal(vscode.Uri.parse(url));
    } catch {
      const choice = await vscode.window.showWarningMessage(`Could not open ${url} in the browser.`, 'Copy URL');
      if (choice) await vscode.env.clipboard.writeText(url);
      return false;
    }
  }

  writeClipboard(text: string): Thenable<void> {
    return vscode.env.clipboard.writeText(text);
  }
}
