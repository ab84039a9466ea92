// Guided flows of several questions (Add Jira Connection, Replace Token, Edit, Rotate Token), in the shape of
// the quick-input sample's multiStepInput.ts: each step asks its question and names the step after it; a
// Back button returns to the previous step showing its previous answer; Escape ends the flow. The step count
// ("2/6") is computed from the path the answers so far lead to, so it changes when an answer changes the path.
// Plain TypeScript (vscode is imported for types only): the sequencing is unit tested in Node.
import type * as vscode from 'vscode';
import { Back, type StepPickOptions, type StepPosition } from './steps';
import type { Ui } from './ui';

/** Thrown by a step to leave it: back to the previous step, or cancel the flow (nothing is stored). */
/** Thrown to leave a step: an Error, so that anything that catches it sees a proper error. */
export class InputFlowAction extends Error {
  static readonly back = new InputFlowAction('back');
  static readonly cancel = new InputFlowAction('cancel');
  private constructor(readonly action: 'back' | 'cancel') {
    super(`input flow: ${action}`);
  }
}

export interface InputStep<S> {
  /** Asks this step's question through `input` and records the answer in `state`. */
  ask(input: MultiStepInput, state: S): Promise<void>;
  /** The step after this one, given the answers so far; pure, since it also counts the steps still ahead. */
  next(state: S): InputStep<S> | undefined;
}

/** A flow longer than this is a cycle in its `next` functions. */
const MAX_STEPS = 50;

/** The steps from `step` to the end of the flow, included, along the path the answers so far lead to. */
export function stepsAhead<S>(step: InputStep<S>, state: S): number {
  let count = 0;
  for (let current: InputStep<S> | undefined = step; current; current = current.next(state)) {
    if (++count > MAX_STEPS) throw new Error('A guided flow does not end: its steps form a cycle.');
  }
  return count;
}

export class MultiStepInput {
  /** Walks a flow from `first`; resolves to true when every step was answered, false when the user cancelled. */
  static async run<S>(ui: Ui, first: InputStep<S>, state: S): Promise<boolean> {
    const taken: Array<InputStep<S>> = [];
    let current: InputStep<S> | undefined = first;
    while (current) {
      const position = { step: taken.length + 1, totalSteps: taken.length + stepsAhead(current, state), canGoBack: taken.length > 0 };
      try {
        await current.ask(new MultiStepInput(ui, position), state);
        taken.push(current);
        current = current.next(state);
      } catch (error) {
        if (error === InputFlowAction.back) current = taken.pop() ?? current;
        else if (error === InputFlowAction.cancel) return false;
        else throw error;
      }
    }
    return true;
  }

  private constructor(
    private readonly ui: Ui,
    readonly position: StepPosition,
  ) {}

  /** The answer typed (it passed `validateInput`); throws InputFlowAction on Back or Escape. */
  async showInputBox(options: vscode.InputBoxOptions): Promise<string> {
    return this.answered(await this.ui.showStepInputBox(options, this.position));
  }

  /** The item picked; throws InputFlowAction on Back or Escape. */
  async showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: StepPickOptions<T>): Promise<T> {
    return this.answered(await this.ui.showStepQuickPick(items, options, this.position));
  }

  private answered<T>(answer: T | Back | undefined): T {
    if (answer === Back) throw InputFlowAction.back;
    if (answer === undefined) throw InputFlowAction.cancel;
    return answer;
  }
}
