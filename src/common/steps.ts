// The answers and positions of a guided flow's steps, shared by the UI (which shows a step) and the flow
// (multiStepInput.ts, which runs the steps): a leaf of its own, so neither imports the other's module.
import type * as vscode from 'vscode';

/**
 * What a step's question resolves to when the user pressed its Back button. A registered symbol: the
 * integration tests' scripted UI holds its own copy of this module, not the bundled extension's.
 */
export const Back: unique symbol = Symbol.for('jiraTokenGuard.multiStepInput.back');
export type Back = typeof Back;

/** Where a question stands in its flow: shown as "step/totalSteps", with a Back button after the first step. */
export interface StepPosition {
  readonly step: number;
  readonly totalSteps: number;
  readonly canGoBack: boolean;
}

/** A pick list in a flow; `activeItem` (one of the items) is highlighted, e.g. the previous answer. */
export interface StepPickOptions<T extends vscode.QuickPickItem> extends vscode.QuickPickOptions {
  activeItem?: T;
}
