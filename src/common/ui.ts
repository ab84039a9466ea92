// What the extension asks and shows: input boxes, pick lists, messages and notifications, web pages,
// the clipboard. In production it is a plain pass-through to vscode.window and vscode.env; the integration
// tests inject a scripted one (test/support/scriptedUi.ts) in Test mode only.
import * as vscode from 'vscode';
import { Back, type StepPickOptions, type StepPosition } from './steps';

export type MessageLevel = 'information' | 'warning' | 'error';

export interface Ui {
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  /** One step of a guided flow (multiStepInput.ts): the answer, `Back`, or undefined for Escape. */
  showStepInputBox(options: vscode.InputBoxOptions, position: StepPosition): Thenable<string | Back | undefined>;
  showStepQuickPick<T extends vscode.QuickPickItem>(
    items: readonly T[],
    options: StepPickOptions<T>,
    position: StepPosition,
  ): Thenable<T | Back | undefined>;
  /** A notification, or with `{ modal: true }` a question; resolves to the choice made (undefined: dismissed). */
  showInformationMessage(message: string, options: vscode.MessageOptions, ...choices: string[]): Thenable<string | undefined>;
  showWarningMessage(message: string, options: vscode.MessageOptions, ...choices: string[]): Thenable<string | undefined>;
  showErrorMessage(message: string, options: vscode.MessageOptions, ...choices: string[]): Thenable<string | undefined>;
  /** Opens a web page in the user's browser; resolves to false when it could not. */
  openExternal(url: string): Promise<boolean>;
  writeClipboard(text: string): Thenable<void>;
}

export function showMessage(
  ui: Ui,
  level: MessageLevel,
  message: string,
  options: vscode.MessageOptions,
  ...choices: string[]
): Thenable<string | undefined> {
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

  // vscode.window.showInputBox and showQuickPick have no step count or Back button: a flow's steps use
  // createInputBox and createQuickPick, with the same rules (an answer the validation refuses is not accepted).
  showStepInputBox(options: vscode.InputBoxOptions, position: StepPosition): Promise<string | Back | undefined> {
    const box = vscode.window.createInputBox();
    box.title = options.title;
    box.step = position.step;
    box.totalSteps = position.totalSteps;
    box.buttons = position.canGoBack ? [vscode.QuickInputButtons.Back] : [];
    box.value = options.value ?? '';
    if (options.valueSelection) box.valueSelection = options.valueSelection;
    box.prompt = options.prompt;
    box.placeholder = options.placeHolder;
    box.password = options.password ?? false;
    box.ignoreFocusOut = options.ignoreFocusOut ?? false;
    let validations = 0;
    const validate = async (text: string) => {
      const ticket = ++validations;
      const problem = (await options.validateInput?.(text)) ?? undefined;
      // An older answer arriving late must not replace the message about what is typed now.
      if (ticket === validations) box.validationMessage = problem;
      return problem;
    };
    return settleOnce<string | Back | undefined>(
      box,
      (finish) => [
        box.onDidTriggerButton((button) => {
          if (button === vscode.QuickInputButtons.Back) finish(Back);
        }),
        box.onDidChangeValue((text) => void validate(text)),
        box.onDidAccept(() => {
          const text = box.value;
          box.enabled = false;
          box.busy = true;
          void validate(text).then((problem) => {
            box.enabled = true;
            box.busy = false;
            if (!refuses(problem)) finish(text);
          });
        }),
        box.onDidHide(() => finish(undefined)),
      ],
      () => void validate(box.value),
    );
  }

  showStepQuickPick<T extends vscode.QuickPickItem>(
    items: readonly T[],
    options: StepPickOptions<T>,
    position: StepPosition,
  ): Promise<T | Back | undefined> {
    const pick = vscode.window.createQuickPick<T>();
    pick.title = options.title;
    pick.step = position.step;
    pick.totalSteps = position.totalSteps;
    pick.buttons = position.canGoBack ? [vscode.QuickInputButtons.Back] : [];
    pick.placeholder = options.placeHolder;
    pick.ignoreFocusOut = options.ignoreFocusOut ?? false;
    pick.matchOnDescription = options.matchOnDescription ?? false;
    pick.matchOnDetail = options.matchOnDetail ?? false;
    pick.items = items;
    if (options.activeItem) pick.activeItems = [options.activeItem];
    return settleOnce<T | Back | undefined>(pick, (finish) => [
      pick.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) finish(Back);
      }),
      pick.onDidChangeSelection(([picked]) => {
        if (picked) finish(picked);
      }),
      pick.onDidHide(() => finish(undefined)),
    ]);
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

/** What showInputBox refuses to accept: a message, unless it is only information or a warning. */
function refuses(problem: string | vscode.InputBoxValidationMessage | undefined): boolean {
  if (typeof problem === 'string') return problem.length > 0;
  return problem?.severity === vscode.InputBoxValidationSeverity.Error;
}

/** Shows a quick input until its first answer, then disposes it and its listeners. */
function settleOnce<T>(
  input: vscode.QuickInput,
  listen: (finish: (answer: T) => void) => vscode.Disposable[],
  afterShow?: () => void,
): Promise<T> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: T) => {
      if (settled) return;
      settled = true;
      for (const listener of listeners) listener.dispose();
      input.dispose();
      resolve(answer);
    };
    const listeners: vscode.Disposable[] = listen(finish);
    input.show();
    afterShow?.();
  });
}
