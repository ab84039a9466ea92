// Token activity inside the real host, against the fake Jira's PAT API: the inventory in the audit report,
// Export Token Inventory (CSV and JSON), and the alerts of Check Token Activity Now, each said once.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AuditResult } from '../../src/hygiene/auditCommand';
import type { ExportInventoryResult } from '../../src/hygiene/tokenActivity';
import { type FakeJira, startFakeJira } from '../support/fakeJira';
import { dataCenterPatId, makeDataCenterPat } from '../support/tokens';
import { assertNoSecret } from '../support/secrets';
import { everythingOutsideSecretStorage, extensionApi, removeAllConnections, setSetting, type TestApi, waitFor } from './helpers';

const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();
const ymd = (iso: string) => iso.slice(0, 10);

describe('token activity', () => {
  let api: TestApi;
  let activity: TestApi['hygiene']['activity'];
  let fake: FakeJira;
  let tmp: string;
  let sites = 0;

  /** A Data Center account with the PAT stored here, one without expiry, one expiring soon and one with an injection label. */
  async function account(): Promise<{ id: string; ctx: string; username: string; stored: string; pats: Record<string, string> }> {
    const ctx = `/inv${++sites}`;
    const username = `inventory${sites}`;
    const pats = { stored: makeDataCenterPat(), laptop: makeDataCenterPat(), ci: makeDataCenterPat(), formula: makeDataCenterPat() };
    fake.addDataCenterUser({ contextPath: ctx, username, pat: pats.stored, patName: 'stored here', expiringAt: inDays(200) });
    fake.addDataCenterUser({ contextPath: ctx, username, pat: pats.laptop, patName: 'old laptop', lastAccessedAt: inDays(-120) });
    fake.addDataCenterUser({ contextPath: ctx, username, pat: pats.ci, patName: 'CI', expiringAt: inDays(5) });
    fake.addDataCenterUser({
      contextPath: ctx,
      username,
      pat: pats.formula,
      patName: '=HYPERLINK("http://evil.example","x")',
      expiringAt: inDays(300),
    });
    const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
      kind: 'datacenter-pat',
      baseUrl: fake.url + ctx,
      username,
      token: pats.stored,
      label: `DC inventory ${sites}`,
    });
    return { id, ctx, username, stored: pats.stored, pats };
  }

  const secretsOf = (pats: Record<string, string>) => Object.values(pats);

  before(async () => {
    api = await extensionApi();
    activity = api.hygiene.activity;
    assert.strictEqual(activity.scheduledInterval, 'off', 'no look is scheduled by default');
    activity.stopSchedule();
    fake = await startFakeJira();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-activity-'));
  });

  beforeEach(async () => {
    await removeAllConnections(api);
    await api.hygiene.deadTokens.clear();
  });

  after(async () => {
    await removeAllConnections(api);
    await api.hygiene.deadTokens.clear();
    await fake.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the audit report lists the account’s PATs with their flags, marks the stored one, and says why another account could not be read', async () => {
    const { id, pats } = await account();
    const refused = makeDataCenterPat();
    // The site has a PAT API there, and does not know this token.
    fake.addDataCenterUser({ contextPath: '/nobody', username: 'nobody', pat: makeDataCenterPat() });
    await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
      kind: 'datacenter-pat',
      baseUrl: `${fake.url}/nobody`,
      username: 'nobody',
      token: refused,
      label: 'DC refused',
    });
    const result = await vscode.commands.executeCommand<AuditResult>('jiraTokenGuard.auditTokens', { open: false });
    const md = result.markdown;
    const site = `127\\.0\\.0\\.1:\\d+\\/inv${sites}`;
    assert.match(md, new RegExp(`^### DC inventory ${sites} \\(Data Center account, ${site}\\)$`, 'm'));
    const row = (label: string, rest: string) =>
      assert.match(md, new RegExp(`^\\| ${label} \\(id ${dataCenterPatId(pats[keyOf(label)])}\\)${rest}$`, 'm'), md);
    const keyOf = (label: string) => ({ 'stored here': 'stored', 'old laptop': 'laptop', CI: 'ci' })[label] as string;
    row('stored here', ` — \\*\\*stored here\\*\\* \\| — \\| 2025-01-15 \\| ${ymd(inDays(200))} \\| not reported \\| — \\|`);
    row('old laptop', ` \\| — \\| 2025-01-15 \\| never \\| ${ymd(inDays(-120))} \\| \`stale\`, \`no-expiry\`, \`not-stored-here\` \\|`);
    row('CI', ` \\| — \\| 2025-01-15 \\| ${ymd(inDays(5))} \\| not reported \\| \`expiring\`, \`not-stored-here\` \\|`);
    assert.match(
      md,
      /^- \*\*DC refused\*\* \(Data Center account, 127\.0\.0\.1:\d+\/nobody\): could not be read: Jira refused the current token\.$/m,
    );
    assert.ok(api.store.get(id), 'the connection is untouched');
    assertNoSecret(md, [...secretsOf(pats), refused], 'the audit report');
  });

  it('exports the inventory to CSV and JSON, read back: no secret, the formula label defused; a failed write leaves nothing', async () => {
    const { pats } = await account();
    const csvFile = path.join(tmp, 'inventory.csv');
    const csv = await vscode.commands.executeCommand<ExportInventoryResult>('jiraTokenGuard.exportTokenInventory', { uri: csvFile });
    assert.deepStrictEqual({ ...csv, uri: undefined }, { uri: undefined, format: 'csv', tokens: 4, failed: 0 });
    const csvText = fs.readFileSync(csvFile, 'utf8');
    const lines = csvText.split('\r\n');
    assert.strictEqual(lines[0], 'id,label,user,email,createdAt,expiresAt,lastActiveAt,flags,source,site,stored');
    assert.strictEqual(lines.length, 6, 'a header, four tokens, and the final line break');
    const formulaLine = lines.find((l) => l.startsWith(`${dataCenterPatId(pats.formula)},`));
    assert.ok(formulaLine?.startsWith(`${dataCenterPatId(pats.formula)},"'=HYPERLINK(""http://evil.example"",""x"")",`), formulaLine);
    assert.ok(lines.some((l) => l.startsWith(`${dataCenterPatId(pats.stored)},stored here,`) && l.endsWith(',yes')));
    assertNoSecret(csvText, secretsOf(pats), 'the CSV export');

    const jsonFile = path.join(tmp, 'inventory.json');
    const json = await vscode.commands.executeCommand<ExportInventoryResult>('jiraTokenGuard.exportTokenInventory', { uri: jsonFile });
    assert.strictEqual(json.format, 'json');
    const jsonText = fs.readFileSync(jsonFile, 'utf8');
    const parsed = JSON.parse(jsonText) as { tokens: Array<Record<string, unknown>> };
    assert.deepStrictEqual(
      parsed.tokens.map((t) => [t.label, t.flags, t.current ?? false, t.source]),
      [
        ['stored here', [], true, 'datacenter-pat'],
        ['old laptop', ['stale', 'no-expiry', 'not-stored-here'], false, 'datacenter-pat'],
        ['CI', ['expiring', 'not-stored-here'], false, 'datacenter-pat'],
        ['=HYPERLINK("http://evil.example","x")', ['not-stored-here'], false, 'datacenter-pat'],
      ],
    );
    assert.match(String(parsed.tokens[0].site), new RegExp(`^127\\.0\\.0\\.1:\\d+/inv${sites}$`));
    assertNoSecret(jsonText, secretsOf(pats), 'the JSON export');

    // A file that is neither: refused before anything is read.
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('jiraTokenGuard.exportTokenInventory', { uri: path.join(tmp, 'inventory.txt') })),
      /Choose a file ending in \.csv or \.json/,
    );
    // A folder in the file's place is refused, not replaced with everything in it.
    const folder = path.join(tmp, 'taken.csv');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'keep.txt'), 'kept');
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('jiraTokenGuard.exportTokenInventory', { uri: folder })),
      /^Error: Could not write .*taken\.csv \(it is a folder\)\.$/,
    );
    assert.deepStrictEqual(fs.readdirSync(folder), ['keep.txt'], 'the folder is untouched');
    // A write that fails (a file where its folder should be) says why and leaves no partial or temporary file.
    fs.writeFileSync(path.join(tmp, 'not-a-folder'), 'x');
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('jiraTokenGuard.exportTokenInventory', { uri: path.join(tmp, 'not-a-folder', 'inventory.csv') }),
      ),
      /^Error: Could not write .*inventory\.csv \(.+\)\.$/,
    );
    assert.deepStrictEqual(
      fs.readdirSync(tmp).sort(),
      ['inventory.csv', 'inventory.json', 'not-a-folder', 'taken.csv'],
      'no partial or temporary file is left',
    );
    assert.strictEqual(fs.readFileSync(csvFile, 'utf8'), csvText, 'the earlier export is intact');
  });

  it('says each alert once: a new PAT is one "new" alert and a third look says nothing; Open Audit Report lists it', async function () {
    // Open Audit Report opens the Markdown preview, whose extension may start only now.
    this.timeout(60_000);
    const { ctx, username, pats } = await account();
    const notes = api.ui.recordNotifications((n) => (n.message.startsWith('Token activity:') ? 'Open Audit Report' : undefined));
    try {
      assert.deepStrictEqual(await activity.check(), [], 'the first look only takes a snapshot');
      const appeared = makeDataCenterPat();
      fake.addDataCenterUser({ contextPath: ctx, username, pat: appeared, patName: 'appeared', expiringAt: inDays(30) });
      const second = await activity.check();
      assert.deepStrictEqual(
        second.map((n) => [n.alert.kind, n.alert.id, n.alert.label]),
        [['new', dataCenterPatId(appeared), 'appeared']],
      );
      await activity.settled();
      const shown = notes.shown.filter((n) => n.message.startsWith('Token activity:'));
      assert.strictEqual(shown.length, 1, 'one notification for the look');
      assert.match(shown[0].message, /^Token activity: 1 alert\. New token "appeared" \(id \d+\) on 127\.0\.0\.1:\d+\/inv\d+\.$/);
      assert.deepStrictEqual(shown[0].actions, ['Open Audit Report']);
      const report = await waitFor('the audit report opened from the notification', () =>
        vscode.workspace.textDocuments.find((d) => d.isUntitled && d.getText().includes('### Since the last look')),
      );
      assert.match(report.getText(), /^- \d{4}-\d\d-\d\d \d\d:\d\d UTC: New token “appeared” \(id \d+\) on 127\.0\.0\.1:\d+\/inv\d+\.$/m);
      await vscode.window.showTextDocument(report);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

      assert.deepStrictEqual(await activity.check(), [], 'the same event is not said again');
      assert.strictEqual(notes.shown.filter((n) => n.message.startsWith('Token activity:')).length, 1);
      assertNoSecret(everythingOutsideSecretStorage(api), [...secretsOf(pats), appeared], 'globalState and the metadata');
    } finally {
      notes.stop();
    }
  });

  it('a PAT rotated away from that is still listed is "should-be-dead" once; so is a leaked PAT the guard saw', async () => {
    const { id, ctx, pats } = await account();
    const oldId = dataCenterPatId(pats.stored)!;
    const notes = api.ui.recordNotifications();
    try {
      assert.deepStrictEqual(await activity.check(), []);
      // The old token's revocation fails: rotation succeeds, and the old PAT stays in the list.
      fake.setBehaviour({ kind: 'answer', status: 500, body: '{}' }, { path: `${ctx}/rest/pat/latest/tokens/${oldId}`, method: 'DELETE' });
      const script = api.ui.answer(['Rotate']);
      let rotated: { revokedOldToken: boolean } | undefined;
      try {
        rotated = await vscode.commands.executeCommand('jiraTokenGuard.rotateToken', { id });
      } finally {
        script.stop();
        fake.reset();
      }
      assert.strictEqual(rotated?.revokedOldToken, false);
      assert.deepStrictEqual(
        api.hygiene.deadTokens
          .list()
          // Files other suites left open may hold leaked PATs of their own (other ids): only this account's entries count.
          .filter((d) => d.connectionId === id || d.id === oldId)
          .map((d) => [d.id, d.why, d.connectionId]),
        [[oldId, 'rotated', id]],
        'the old id (only the id) is kept',
      );
      const after = await activity.check();
      assert.deepStrictEqual(
        after.map((n) => [n.alert.kind, n.alert.id]).sort(),
        [
          ['new', dataCenterPatId((await api.store.getToken(id))!)],
          ['should-be-dead', oldId],
        ].sort(),
      );
      const dead = after.find((n) => n.alert.kind === 'should-be-dead')!;
      assert.ok(dead.alert.kind === 'should-be-dead' && dead.alert.why === 'rotated');
      assert.deepStrictEqual(await activity.check(), [], 'said once');

      // The leak guard sees the laptop's PAT in a file: only its id is kept, and the alert comes once.
      const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
      const file = path.join(folder, 'activity-leak.sh');
      fs.writeFileSync(file, `export JIRA_PAT=${pats.laptop}\n`);
      try {
        await vscode.workspace.openTextDocument(file);
        const laptopId = dataCenterPatId(pats.laptop)!;
        await waitFor('the leaked id recorded', () => api.hygiene.deadTokens.list().some((d) => d.id === laptopId && d.why === 'leaked'));
        const leaked = await activity.check();
        assert.deepStrictEqual(
          leaked.map((n) => [n.alert.kind, n.alert.id]),
          [['should-be-dead', laptopId]],
        );
        assert.deepStrictEqual(await activity.check(), []);
        assertNoSecret(JSON.stringify(api.globalState.get('jiraTokenGuard.deadTokens.v1')), secretsOf(pats), 'the dead-token ids');
      } finally {
        fs.rmSync(file, { force: true });
      }
      assert.ok(
        notes.shown.filter((n) => n.message.startsWith('Token activity:')).length === 2,
        notes.shown.map((n) => n.message).join('\n'),
      );
    } finally {
      notes.stop();
    }
  });

  it('arms its timer for jiraTokenGuard.tokenActivity.alertInterval and none when off; a look does not run at start', async () => {
    await account();
    const reads = () => fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/rest/pat/latest/tokens')).length;
    const before = reads();
    try {
      activity.start();
      assert.strictEqual(activity.scheduledInterval, 'off');
      await setSetting('tokenActivity.alertInterval', 'weekly');
      await waitFor('the weekly timer', () => activity.scheduledInterval === 'weekly');
      await setSetting('tokenActivity.alertInterval', 'daily');
      await waitFor('the daily timer', () => activity.scheduledInterval === 'daily');
      await setSetting('tokenActivity.alertInterval', 'off');
      await waitFor('no timer', () => activity.scheduledInterval === 'off');
      assert.strictEqual(reads(), before, 'arming the timer reads nothing');
    } finally {
      activity.stopSchedule();
      await setSetting('tokenActivity.alertInterval', undefined);
    }
    assert.strictEqual(activity.scheduledInterval, 'off');
  });
});
