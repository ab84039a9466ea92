import * as assert from 'assert';
import type { Ui } from '../../../src/common/ui';
import { InputFlowAction, type InputStep, MultiStepInput, stepsAhead } from '../../../src/common/multiStepInput';
import { Back, type StepPosition } from '../../../src/common/steps';

type Answer = string | Back | undefined;

/** Answers the flow's questions from a list, recording each question with its position and the value shown. */
function scriptedSteps(answers: Answer[]): { ui: Ui; asked: string[] } {
  const asked: string[] = [];
  const answer = (title: string | undefined, shown: string | undefined, position: StepPosition) => {
    asked.push(`${position.step}/${position.totalSteps}${position.canGoBack ? ' back' : ''} ${title ?? ''}${shown ? ` [${shown}]` : ''}`);
    if (!answers.length) throw new Error(`no answer left for ${title ?? ''}`);
    return Promise.resolve(answers.shift());
  };
  const ui = {
    showStepInputBox: (options: { title?: string; value?: string }, position: StepPosition) =>
      answer(options.title, options.value, position),
    showStepQuickPick: <T extends { label: string }>(
      items: readonly T[],
      options: { title?: string; activeItem?: T },
      position: StepPosition,
    ) =>
      answer(options.title, options.activeItem?.label, position).then((label) =>
        typeof label === 'string' ? items.find((i) => i.label === label) : label,
      ),
  };
  return { ui: ui as unknown as Ui, asked };
}

interface Answers {
  kind?: string;
  user?: string;
  token?: string;
  expiry?: string;
}

/** A flow like Add Jira Connection's: a password (kind "basic") has no expiry step. */
function flow(): InputStep<Answers> {
  const expiry: InputStep<Answers> = {
    ask: async (input, state) => {
      state.expiry = await input.showInputBox({ title: 'expiry', value: state.expiry });
    },
    next: () => undefined,
  };
  const token: InputStep<Answers> = {
    ask: async (input, state) => {
      state.token = await input.showInputBox({ title: 'token', value: state.token });
      if (state.token === 'refused') throw InputFlowAction.cancel;
    },
    next: (state) => (state.kind === 'basic' ? undefined : expiry),
  };
  const user: InputStep<Answers> = {
    ask: async (input, state) => {
      state.user = await input.showInputBox({ title: 'user', value: state.user });
    },
    next: () => token,
  };
  return {
    ask: async (input, state) => {
      const items = [{ label: 'cloud' }, { label: 'basic' }];
      state.kind = (await input.showQuickPick(items, { title: 'kind', activeItem: items.find((i) => i.label === state.kind) })).label;
    },
    next: () => user,
  };
}

describe('MultiStepInput', () => {
  it('numbers each step out of the steps on the path the answers lead to', async () => {
    const { ui, asked } = scriptedSteps(['basic', 'bob', 'secret']);
    const state: Answers = {};
    assert.strictEqual(await MultiStepInput.run(ui, flow(), state), true);
    assert.deepStrictEqual(asked, ['1/4 kind', '2/3 back user', '3/3 back token']);
    assert.deepStrictEqual(state, { kind: 'basic', user: 'bob', token: 'secret' });
  });

  it('goes back to the previous step showing its answer, and recounts when the answer changes the path', async () => {
    const { ui, asked } = scriptedSteps(['cloud', 'dev', 'tok', Back, Back, Back, 'basic', 'dev', 'tok']);
    const state: Answers = {};
    assert.strictEqual(await MultiStepInput.run(ui, flow(), state), true);
    assert.deepStrictEqual(asked, [
      '1/4 kind',
      '2/4 back user',
      '3/4 back token',
      '4/4 back expiry',
      '3/4 back token [tok]',
      '2/4 back user [dev]',
      '1/4 kind [cloud]',
      '2/3 back user [dev]',
      '3/3 back token [tok]',
    ]);
  });

  it('ends at Escape on any step, or when a step cancels, and reports that the flow was not finished', async () => {
    for (const answers of [
      [undefined],
      ['cloud', undefined],
      ['cloud', 'dev', 'tok', Back, undefined],
      ['cloud', 'dev', 'refused'],
    ] as Answer[][]) {
      const { ui } = scriptedSteps(answers);
      assert.strictEqual(await MultiStepInput.run(ui, flow(), {}), false, String(answers));
    }
  });

  it('has no Back on the first step; a Back there asks the same step again', async () => {
    const { ui, asked } = scriptedSteps([Back, 'basic', 'bob', 'secret']);
    assert.strictEqual(await MultiStepInput.run(ui, flow(), {}), true);
    assert.deepStrictEqual(asked.slice(0, 2), ['1/4 kind', '1/4 kind']);
  });

  it('lets other errors through, and refuses a flow whose steps form a cycle', async () => {
    const failing: InputStep<object> = { ask: () => Promise.reject(new Error('boom')), next: () => undefined };
    await assert.rejects(MultiStepInput.run(scriptedSteps([]).ui, failing, {}), /boom/);
    const cycle: InputStep<object> = { ask: () => Promise.resolve(), next: () => cycle };
    assert.throws(() => stepsAhead(cycle, {}), /cycle/);
  });
});
