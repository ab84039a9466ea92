// The guided (prompting) flows, walked with scripted answers in the real host: every answer still
// passes the input box's own validation.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { type FakeJira, startFakeJira } from '../support/fakeJira';
import { makeCloudToken, makeDataCenterPat } from '../support/tokens';
import { AsShown, Back, type ScriptedAnswer } from '../support/scriptedUi';
import type { Ui } from '../../src/common/ui';
import { extensionApi, removeAllConnections, type TestApi } from './helpers';

describe('guided flows', () => {
  let api: TestApi;
  let fake: FakeJira;
  const token = makeCloudToken();

  before(async () => {
    api = await extensionApi();
    fake = await startFakeJira();
    fake.addCloudAccount({ email: 'dev@acme.io', token, displayName: 'Dev' });
    fake.addDataCenterUser({ contextPath: '/legacy', username: 'bob', password: 'bobs-password' });
  });

  after(() => fake.close());

  beforeEach(() => removeAllConnections(api));

  /** The Cloud connection "Acme" on the fake Jira, added by the command's argument object. */
  function addAcme(withToken: string): Thenable<string> {
    return vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
      kind: 'cloud',
      baseUrl: fake.url,
      email: 'dev@acme.io',
      token: withToken,
      label: 'Acme',
    });
  }

  async function walk(answers: ScriptedAnswer[], command: string, arg?: unknown): Promise<{ result: unknown; asked: string[] }> {
    const script = api.ui.answer(answers);
    try {
      const result = await vscode.commands.executeCommand(command, arg);
      assert.strictEqual(script.remaining(), 0, `every scripted answer was used; asked: ${script.asked.join(' / ')}`);
      return { result, asked: [...script.asked] };
    } finally {
      script.stop();
    }
  }

  it('adds a connection step by step, checks the token, then saves it with its verdict', async () => {
    const { result: id, asked } = await walk(
      [`${fake.url}/secure/Dashboard.jspa`, 'Jira Cloud', 'dev@acme.io', ` ${token}\n`, '2027-05-01', 'Acme'],
      'jiraTokenGuard.addConnection',
    );
    assert.ok(typeof id === 'string');
    const connection = api.store.get(id)!;
    assert.strictEqual(connection.baseUrl, fake.url, 'the page path is dropped');
    assert.strictEqual(connection.kind, 'cloud');
    assert.strictEqual(connection.expiresAt, '2027-05-01T00:00:00.000Z');
    assert.strictEqual(connection.lastCheck?.status, 'valid', 'the token was checked before saving');
    assert.strictEqual(await api.store.getToken(id), token);
    assert.deepStrictEqual(asked.slice(0, 6), [
      'input 1/6: Add Jira Connection: site',
      'pick 2/6: Add Jira Connection: kind of token',
      'input 3/6: Add Jira Connection: email',
      'input 4/6: Add Jira Connection: token',
      'input 5/6: Add Jira Connection: expiry',
      'input 6/6: Add Jira Connection: name',
    ]);
  });

  it('goes back a step with the earlier answers kept: the kind highlighted, the email shown again', async () => {
    const { result: id, asked } = await walk(
      [fake.url, 'Jira Cloud', 'dev@acme.io', Back, Back, AsShown, AsShown, token, '2027-05-01', AsShown],
      'jiraTokenGuard.addConnection',
    );
    assert.deepStrictEqual(asked.slice(0, 7), [
      'input 1/6: Add Jira Connection: site',
      'pick 2/6: Add Jira Connection: kind of token',
      'input 3/6: Add Jira Connection: email',
      'input 4/6: Add Jira Connection: token',
      'input 3/6: Add Jira Connection: email',
      'pick 2/6: Add Jira Connection: kind of token',
      'input 3/6: Add Jira Connection: email',
    ]);
    const connection = api.store.get(id as string)!;
    assert.deepStrictEqual([connection.kind, connection.email, connection.lastCheck?.status], ['cloud', 'dev@acme.io', 'valid']);
  });

  it('counts the steps of the path taken: a password has no expiry step, and one typed for a token is not kept', async () => {
    const { result: id, asked } = await walk(
      [
        `${fake.url}/legacy`,
        'Jira Cloud',
        'dev@acme.io',
        token,
        '2027-05-01',
        Back,
        Back,
        Back,
        Back,
        'password',
        'bob',
        'bobs-password',
        'Legacy',
      ],
      'jiraTokenGuard.addConnection',
    );
    assert.deepStrictEqual(asked.slice(5, 13), [
      'input 6/6: Add Jira Connection: name',
      'input 5/6: Add Jira Connection: expiry',
      'input 4/6: Add Jira Connection: token',
      'input 3/6: Add Jira Connection: email',
      'pick 2/6: Add Jira Connection: kind of token',
      'input 3/5: Add Jira Connection: user',
      'input 4/5: Add Jira Connection: password',
      'input 5/5: Add Jira Connection: name',
    ]);
    const connection = api.store.get(id as string)!;
    assert.deepStrictEqual(
      [connection.kind, connection.username, connection.email, connection.expiresAt, connection.lastCheck?.status],
      ['datacenter-basic', 'bob', undefined, undefined, 'valid'],
    );
    assert.strictEqual(await api.store.getToken(id as string), 'bobs-password');
  });

  it('stores nothing when Escape is pressed at any step, also after going back', async () => {
    fake.reset();
    const steps = [fake.url, 'Jira Cloud', 'dev@acme.io', token, '2027-05-01', 'Acme'];
    for (let answered = 0; answered < steps.length; answered++) {
      const { result } = await walk([...steps.slice(0, answered), undefined], 'jiraTokenGuard.addConnection');
      assert.strictEqual(result, undefined, `Escape at step ${answered + 1}`);
      assert.deepStrictEqual(api.store.list(), [], `nothing stored after Escape at step ${answered + 1}`);
    }
    await walk([fake.url, 'Jira Cloud', 'dev@acme.io', token, Back, Back, undefined], 'jiraTokenGuard.addConnection');
    assert.deepStrictEqual(api.store.list(), [], 'nothing stored after Back then Escape');
    assert.deepStrictEqual(fake.requests, [], 'no token was sent anywhere');
  });

  it('replaces a token in two steps with Back, and Escape on the second keeps the previous token', async () => {
    const previous = makeCloudToken();
    const id = await addAcme(previous);
    const escaped = await walk([token, undefined], 'jiraTokenGuard.replaceToken', { id, prompt: true });
    assert.strictEqual(escaped.result, undefined);
    assert.strictEqual(await api.store.getToken(id), previous, 'Escape on the expiry step keeps the previous token');
    const { asked } = await walk([makeCloudToken(), Back, token, '2027-03-01'], 'jiraTokenGuard.replaceToken', { id, prompt: true });
    assert.deepStrictEqual(asked.slice(0, 4), [
      'input 1/2: Replace Token of “Acme”: token',
      'input 2/2: Replace Token of “Acme”: expiry',
      'input 1/2: Replace Token of “Acme”: token',
      'input 2/2: Replace Token of “Acme”: expiry',
    ]);
    assert.strictEqual(await api.store.getToken(id), token);
    assert.strictEqual(api.store.get(id)?.expiresAt, '2027-03-01T00:00:00.000Z');
  });

  it('edits a field in two steps: Back returns to the list of fields', async () => {
    const id = await addAcme(token);
    const { asked } = await walk(['Expiry date', Back, 'Name', 'Acme prod'], 'jiraTokenGuard.editConnection', id);
    assert.deepStrictEqual(asked, [
      'pick 1/2: Edit “Acme”',
      'input 2/2: Edit “Acme”: Expiry date',
      'pick 1/2: Edit “Acme”',
      'input 2/2: Edit “Acme”: Name',
    ]);
    assert.strictEqual(api.store.get(id)?.label, 'Acme prod');
    assert.strictEqual(api.store.get(id)?.expiresAt, undefined);
  });

  it('offers "Save Anyway" when the site cannot be reached, and saves nothing when the token is refused', async () => {
    const { result: savedId } = await walk(
      ['http://127.0.0.1:9/jira', 'Jira Data Center / Server', '', makeDataCenterPat(), '', 'Offline DC', 'Save Anyway'],
      'jiraTokenGuard.addConnection',
    );
    assert.ok(typeof savedId === 'string', 'saved anyway');
    assert.strictEqual(api.store.get(savedId)?.lastCheck, undefined, 'saved unchecked');

    const { result } = await walk(
      [fake.url, 'Jira Cloud', 'dev@acme.io', makeCloudToken(), '', 'Wrong', undefined],
      'jiraTokenGuard.addConnection',
    );
    assert.strictEqual(result, undefined);
    assert.deepStrictEqual(
      api.store.list().map((c) => c.label),
      ['Offline DC'],
      'the refused token was not saved',
    );
  });

  it('stops at Escape and stores nothing', async () => {
    await walk([fake.url, 'Jira Cloud', undefined], 'jiraTokenGuard.addConnection');
    assert.strictEqual(api.store.list().length, 0);
  });

  it('asks before removing from the tree, and keeps the connection when the answer is no', async () => {
    const id = await addAcme(token);
    const node = api.tree.getChildren()[0];
    await walk([undefined], 'jiraTokenGuard.removeConnection', node);
    assert.ok(api.store.get(id), 'kept');
    await walk(['Remove'], 'jiraTokenGuard.removeConnection', node);
    assert.strictEqual(api.store.get(id), undefined);
    assert.strictEqual(await api.store.getToken(id), undefined);
  });

  it('replaces the token of the existing connection instead of adding a duplicate', async () => {
    const id = await addAcme(makeCloudToken());
    const { result } = await walk(
      [fake.url, 'Jira Cloud', 'DEV@acme.io', 'Replace Its Token', token, '2027-01-01'],
      'jiraTokenGuard.addConnection',
    );
    assert.strictEqual(result, id);
    assert.strictEqual(api.store.list().length, 1);
    assert.strictEqual(await api.store.getToken(id), token);
    assert.ok(api.store.get(id)?.rotatedAt);
  });

  it('questions a token whose shape contradicts the kind', async () => {
    await walk([fake.url, 'Jira Data Center / Server', '', makeCloudToken(), undefined], 'jiraTokenGuard.addConnection');
    assert.strictEqual(api.store.list().length, 0, 'declining the warning stores nothing');
  });

  // The scripted UI stands in for these in the tests above; here VS Code's own quick input answers, driven by
  // the commands its Back button, Enter and Escape run.
  describe('step questions as VS Code shows them', () => {
    // The extension's own VS Code UI, as bundled.
    let ui: Ui;
    before(() => (ui = api.realUi));
    const position = { step: 2, totalSteps: 3, canGoBack: true };
    const run = (command: string) => vscode.commands.executeCommand(command);

    it('an input box answers Back, Escape, or on Enter the value, unless its validation refuses it', async () => {
      const back = ui.showStepInputBox({ title: 'Step', value: 'kept' }, position);
      await run('workbench.action.quickInputBack');
      assert.strictEqual(await back, Back);

      const escaped = ui.showStepInputBox({ title: 'Step', value: 'kept' }, position);
      await run('workbench.action.closeQuickOpen');
      assert.strictEqual(await escaped, undefined);

      let checks = 0;
      let acceptChecked: () => void = () => undefined;
      const secondCheck = new Promise<void>((resolve) => (acceptChecked = resolve));
      const refused = ui.showStepInputBox(
        {
          title: 'Step',
          value: 'bad',
          validateInput: (value) => {
            if (++checks === 2) acceptChecked();
            return value === 'bad' ? 'Not that.' : undefined;
          },
        },
        position,
      );
      await run('workbench.action.acceptSelectedQuickOpenItem');
      await secondCheck;
      await run('workbench.action.closeQuickOpen');
      assert.strictEqual(await refused, undefined, 'Enter on a refused value did not answer; Escape did');

      const accepted = ui.showStepInputBox(
        { title: 'Step', value: 'good', validateInput: (value) => (value === 'bad' ? 'Not that.' : undefined) },
        position,
      );
      await run('workbench.action.acceptSelectedQuickOpenItem');
      assert.strictEqual(await accepted, 'good');
    });

    it('a pick list answers its highlighted item on Enter, or Back', async () => {
      const items = [{ label: 'first' }, { label: 'second' }];
      const picked = ui.showStepQuickPick(items, { title: 'Step', activeItem: items[1] }, position);
      await run('workbench.action.acceptSelectedQuickOpenItem');
      assert.strictEqual(await picked, items[1]);

      const back = ui.showStepQuickPick(items, { title: 'Step' }, position);
      await run('workbench.action.quickInputBack');
      assert.strictEqual(await back, Back);
    });
  });
});
