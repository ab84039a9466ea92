// Settings are written by any installed extension (application scope does not stop one): a change that would
// weaken the guard waits for the user's confirmation, the accepted value stays in force meanwhile, and Cancel
// writes it back. The test code plays the other extension: it writes the settings through the public API.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CheckResult } from '../../src/core/connections/connection';
import { type FakeJira, startFakeJira } from '../support/fakeJira';
import { makeCloudToken } from '../support/tokens';
import { extensionApi, removeAllConnections, setSetting, StateKeys, type TestApi, waitFor } from './helpers';

const config = () => vscode.workspace.getConfiguration('jiraTokenGuard');

/** Writes a user setting as another extension would, answering the guard's question with `answer`. */
async function writeAsAnotherExtension(api: TestApi, key: string, value: unknown, answer: string | undefined): Promise<string[]> {
  return (await writeAndAnswer(api, key, value, answer)).asked;
}

async function writeAndAnswer(
  api: TestApi,
  key: string,
  value: unknown,
  answer: string | undefined,
): Promise<{ asked: string[]; details: string[] }> {
  const script = api.ui.answer([answer]);
  try {
    await config().update(key, value, vscode.ConfigurationTarget.Global);
    await waitFor(`${key} to be written`, () => JSON.stringify(config().inspect(key)?.globalValue) === JSON.stringify(value));
    await api.settings.settled();
    return { asked: [...script.asked], details: [...script.details] };
  } finally {
    script.stop();
  }
}

describe('settings guard', () => {
  let api: TestApi;
  let fake: FakeJira;
  const scopedToken = makeCloudToken();

  before(async () => {
    api = await extensionApi();
    fake = await startFakeJira();
    fake.addCloudAccount({ email: 'bot@acme.com', token: scopedToken, scoped: true });
  });

  after(async () => {
    await setSetting('cloudGatewayUrl', undefined);
    await setSetting('leakDetection', undefined);
    await removeAllConnections(api);
    await fake.close();
  });

  it('a gateway another extension writes gets no credential: the user is asked, Cancel sets it back, checks keep the accepted one', async () => {
    await setSetting('cloudGatewayUrl', fake.gatewayUrl); // the user's own choice for this test, confirmed
    // A scoped token on its site: the site refuses it, so the check asks the gateway.
    const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
      kind: 'cloud',
      baseUrl: fake.url,
      email: 'bot@acme.com',
      token: scopedToken,
      label: 'Bot',
    });
    const asked = await writeAsAnotherExtension(api, 'cloudGatewayUrl', fake.otherOriginUrl, undefined);
    const origin = new URL(fake.otherOriginUrl).origin;
    assert.ok(
      asked.some((q) => q.includes('weakens Jira Token Guard') && q.includes(`sent to ${origin} instead of Atlassian's API gateway`)),
      asked.join('\n'),
    );
    await waitFor('the setting to be set back', () => config().inspect('cloudGatewayUrl')?.globalValue === fake.gatewayUrl);

    fake.reset();
    const result = await vscode.commands.executeCommand<CheckResult>('jiraTokenGuard.testConnection', { id });
    assert.strictEqual(result.status, 'valid', result.message);
    assert.ok(fake.requestsTo('gateway').length > 0, 'the accepted gateway was asked');
    // Background and Test All checks read the same setting.
    await vscode.commands.executeCommand('jiraTokenGuard.testAllConnections', { notify: false });
    assert.strictEqual(fake.requestsTo('other').length, 0, 'nothing reached the gateway another extension wrote');
  });

  it('while the question is open the accepted value stays in force; Apply makes the change count', async () => {
    const doc = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'settings-guard', '.env');
    fs.mkdirSync(path.dirname(doc), { recursive: true });
    fs.writeFileSync(doc, `JIRA_API_TOKEN=${makeCloudToken()}\n`);
    const opened = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(doc));
    const flagged = () => vscode.languages.getDiagnostics(opened.document.uri).filter((d) => d.source === 'Jira Token Guard').length;
    await waitFor('the token to be flagged', () => flagged() === 1);

    // Declined: leak detection stays on, and the setting is written back.
    const declined = await writeAsAnotherExtension(api, 'leakDetection', false, undefined);
    assert.ok(
      declined.some((q) => /no longer be flagged/.test(q)),
      declined.join('\n'),
    );
    await waitFor('leakDetection to be set back', () => config().inspect('leakDetection')?.globalValue === undefined);
    assert.strictEqual(flagged(), 1, 'still flagged');

    // Confirmed: the change counts.
    const confirmed = await writeAsAnotherExtension(api, 'leakDetection', false, 'Apply Change');
    assert.strictEqual(confirmed.length, 1);
    await waitFor('the finding to go once detection is off', () => flagged() === 0);
    const ledger = api.globalState.get<{ accepted: Record<string, Record<string, { value?: unknown }>> }>(StateKeys.acceptedSettings);
    assert.deepStrictEqual(ledger?.accepted.leakDetection?.global, { value: false }, 'the confirmation is remembered in our own state');

    // Turning it back on strengthens the guard: no question.
    const back = await writeAsAnotherExtension(api, 'leakDetection', undefined, 'Apply Change');
    assert.deepStrictEqual(back, []);
    await waitFor('the token to be flagged again', () => flagged() === 1);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('asks nothing for a change that keeps or strengthens the guard', async () => {
    assert.deepStrictEqual(await writeAsAnotherExtension(api, 'maxFileSizeKB', 4096, undefined), []);
    assert.deepStrictEqual(await writeAsAnotherExtension(api, 'leakSeverity', 'error', undefined), []);
    assert.strictEqual(config().inspect('maxFileSizeKB')?.globalValue, 4096, 'kept');
    await setSetting('maxFileSizeKB', undefined);
    await setSetting('leakSeverity', undefined);
  });

  it('shows a hostile value as escaped data in the question', async () => {
    const hostile = `https://evil.example/\u202eMOC.NAISSALTA\u001b[2J`;
    const { asked, details } = await writeAndAnswer(api, 'cloudGatewayUrl', hostile, undefined);
    assert.strictEqual(asked.length, 1);
    // eslint-disable-next-line no-control-regex -- the escape character is what must not get through
    assert.ok(!/[\u202e\u001b]/.test(asked[0] + details[0]), 'no control or bidi character reaches the dialog');
    assert.ok(details[0].includes('\\u202eMOC.NAISSALTA\\u001b[2J'), details[0]);
    await waitFor('the setting to be set back', () => config().inspect('cloudGatewayUrl')?.globalValue !== hostile);
  });
});
