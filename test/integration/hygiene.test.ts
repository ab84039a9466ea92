// Token hygiene inside the real host, with the clock pinned: reminders, the status bar guard, the audit
// report, tokens in terminals, export and import.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AuditResult } from '../../src/hygiene/auditCommand';
import type { ExportResult, ImportResult } from '../../src/hygiene/exportImport';
import { ScriptedUi } from '../support/scriptedUi';
import { makeCloudToken, makeDataCenterPat } from '../support/tokens';
import { assertNoSecret } from '../support/secrets';
import {
  everythingOutsideSecretStorage,
  extensionApi,
  removeAllConnections,
  StateKeys,
  waitFor,
  type TestApi,
  setSetting,
  withSetting,
} from './helpers';

const DAY = 86_400_000;
const NOW = new Date('2026-06-15T10:00:00Z');
const days = (n: number) => new Date(NOW.getTime() + n * DAY);

/** The parts of a token long enough to be meaningful: none of them may appear outside SecretStorage. */
describe('token hygiene', () => {
  let api: TestApi;
  let hygiene: TestApi['hygiene'];
  let tmp: string;

  async function addCloud(label: string, extra: Record<string, unknown> = {}, token = makeCloudToken()): Promise<string> {
    return vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
      kind: 'cloud',
      baseUrl: 'https://acme.atlassian.net',
      email: `${label.toLowerCase().replace(/\W+/g, '')}@acme.com`,
      token,
      label,
      ...extra,
    });
  }

  /** A connection whose token is `ageDays` old today. */
  async function addAged(label: string, ageDays: number, extra: Record<string, unknown> = {}): Promise<string> {
    const id = await addCloud(label, extra);
    await api.store.update(id, { createdAt: days(-ageDays).toISOString() });
    return id;
  }

  function treeItem(id: string): vscode.TreeItem {
    // Compared by shape: the extension's classes come from its bundle, not from the test's copy of src/.
    const node = api.tree.getChildren().find((n) => n.type === 'connection' && n.connection.id === id);
    assert.ok(node, `the tree shows ${id}`);
    return api.tree.getTreeItem(node);
  }

  before(async () => {
    api = await extensionApi();
    hygiene = api.hygiene;
    assert.ok(hygiene.reminders.scheduled, 'the reminder check is scheduled at activation');
    hygiene.reminders.stopSchedule();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-hygiene-'));
  });

  beforeEach(async () => {
    api.clock.set(NOW);
    await hygiene.terminals.stop();
    await removeAllConnections(api);
    await api.globalState.update(StateKeys.reminders, undefined);
  });

  after(async () => {
    api.clock.set(undefined);
    await removeAllConnections(api);
    await api.globalState.update(StateKeys.reminders, undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('reminders', () => {
    it('shows rotation and expiry states in the tree with distinct icons and context values', async () => {
      const fresh = await addAged('Eighty', 80);
      const due = await addAged('Ninety-two', 92);
      const ancient = await addAged('Four hundred', 400);
      const expiring = await addAged('Expiring', 10, { expiresAt: days(3).toISOString() });
      const expired = await addAged('Expired', 10, { expiresAt: days(-2).toISOString() });

      const items = Object.fromEntries([fresh, due, ancient, expiring, expired].map((id) => [id, treeItem(id)]));
      assert.strictEqual(items[fresh].contextValue, 'connection:unchecked:cloud');
      assert.strictEqual(items[fresh].description, 'eighty@acme.com · acme.atlassian.net');
      assert.strictEqual(items[due].contextValue, 'connection:rotation-due:cloud');
      assert.strictEqual(items[due].description, 'ninetytwo@acme.com · acme.atlassian.net · rotation due (92 days old)');
      assert.strictEqual(items[ancient].description, 'fourhundred@acme.com · acme.atlassian.net · rotation due (400 days old)');
      assert.strictEqual(items[expiring].contextValue, 'connection:expiring:cloud');
      assert.match(String(items[expiring].description), / · expires in 3 days$/);
      assert.strictEqual(items[expired].contextValue, 'connection:expired:cloud');
      assert.match(String(items[expired].description), / · expired 2 days ago$/);
      const icons = [fresh, due, expiring, expired].map((id) => (items[id].iconPath as vscode.ThemeIcon).id);
      assert.strictEqual(new Set(icons).size, 4, `distinct icons: ${icons.join(', ')}`);
    });

    it('notifies at most once a day per connection, with its actions; a week of quiet after Remind Me Later', async () => {
      await addAged('Eighty', 80);
      const due = await addAged('Ninety-two', 92);
      await addAged('Four hundred', 400);
      const expiring = await addAged('Expiring', 10, { expiresAt: days(3).toISOString() });
      await addAged('Expired', 10, { expiresAt: days(-2).toISOString() });
      const links = api.ui.recordLinks();
      const recorder = api.ui.recordNotifications((n) =>
        n.message.includes('“Ninety-two”') ? 'Remind Me Later' : n.message.includes('“Expiring”') ? 'Open Token Page' : undefined,
      );
      try {
        const first = await hygiene.reminders.check();
        await hygiene.reminders.settled();
        assert.deepStrictEqual(first.map((r) => r.reason).sort(), ['expired', 'expiring', 'rotation-due', 'rotation-due']);
        assert.strictEqual(recorder.shown.length, 4, 'one notification per connection needing it; none for the 80-day-old token');
        for (const n of recorder.shown) assert.deepStrictEqual(n.actions, ['Replace Token', 'Open Token Page', 'Remind Me Later']);
        const byLabel = (label: string) => recorder.shown.find((n) => n.message.includes(`“${label}”`))!;
        assert.match(byLabel('Expired').message, /expired 2 days ago/);
        assert.match(byLabel('Expiring').message, /expires in 3 days/);
        assert.match(byLabel('Four hundred').message, /due for rotation: 400 days old/);
        assert.deepStrictEqual(
          links.urls,
          ['https://id.atlassian.com/manage-profile/security/api-tokens'],
          'Open Token Page opened the page',
        );

        assert.deepStrictEqual(await hygiene.reminders.check(), [], 'checking again at once shows nothing');
        api.clock.set(new Date(NOW.getTime() + 23 * 3_600_000));
        assert.deepStrictEqual(await hygiene.reminders.check(), [], 'nor later the same day');
        assert.strictEqual(recorder.shown.length, 4);

        // A restart: a new reminder service over the same globalState does not repeat today's reminders.
        const restartedUi = new ScriptedUi(api.realUi);
        const restarted = restartedUi.recordNotifications();
        const afterRestart = api.bundled.reminders(restartedUi);
        assert.deepStrictEqual(await afterRestart.check(), []);
        assert.strictEqual(restarted.shown.length, 0);
        afterRestart.dispose();

        api.clock.set(days(1));
        const nextDay = await hygiene.reminders.check();
        assert.strictEqual(nextDay.length, 3, 'a day later: one more each, except the snoozed one');
        assert.ok(!nextDay.some((r) => r.connectionId === due), 'Remind Me Later keeps “Ninety-two” quiet');
        assert.ok(nextDay.some((r) => r.connectionId === expiring));
        assert.strictEqual(recorder.shown.length, 7);

        api.clock.set(days(7));
        const weekLater = await hygiene.reminders.check();
        assert.ok(
          weekLater.some((r) => r.connectionId === due),
          'the snooze lasts a week',
        );
        await hygiene.reminders.settled();
      } finally {
        recorder.stop();
        links.stop();
      }
      const state = JSON.stringify(api.globalState.get(StateKeys.reminders));
      assert.match(state, /lastNotifiedAt/);
      assert.match(state, /snoozedUntil/);
      const tokens = await Promise.all(api.store.list().map((c) => api.store.getToken(c.id)));
      assertNoSecret(everythingOutsideSecretStorage(api), tokens as string[], 'globalState');
    });
  });

  describe('status bar guard', () => {
    let diagnostics: vscode.DiagnosticCollection;

    beforeEach(() => {
      diagnostics = vscode.languages.createDiagnosticCollection('jira-token-guard-test');
    });

    afterEach(async () => {
      diagnostics.dispose();
      await setSetting('statusBar', undefined);
    });

    function leak(line: number, source = 'Jira Token Guard'): vscode.Diagnostic {
      const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, 10), 'Jira API token in code', vscode.DiagnosticSeverity.Warning);
      d.source = source;
      return d;
    }

    it('counts the leaks the Problems panel lists (open and closed files) and connections that need attention', async () => {
      hygiene.statusBar.refresh();
      assert.strictEqual(hygiene.statusBar.snapshot().visible, false, 'hidden when all is well');

      const expiring = await addAged('Expiring', 10, { expiresAt: days(3).toISOString() });
      let shown = hygiene.statusBar.snapshot();
      assert.strictEqual(shown.visible, true);
      assert.strictEqual(shown.text, '$(shield) 1');
      assert.strictEqual(shown.command, 'jiraTokenGuard.connections.focus');
      assert.match(shown.tooltip, /Expiring: expires in 3 days/);

      const document = await vscode.workspace.openTextDocument({ content: 'const token = "…";\nconst other = "…";\n' });
      const closed = vscode.Uri.file(path.join(tmp, 'not-open.ts'));
      diagnostics.set(document.uri, [leak(0), leak(1), leak(1, 'eslint')]);
      diagnostics.set(closed, [leak(0)]);
      shown = await waitFor('the leaks in the status bar', () => {
        const s = hygiene.statusBar.snapshot();
        return s.leaks === 3 && s;
      });
      assert.strictEqual(
        shown.text,
        '$(shield) 4',
        'two leaks in the open file and one in a closed one, as Problems lists them (not the other source), plus one connection',
      );
      assert.strictEqual(shown.command, 'workbench.actions.view.problems', 'leaks dominate: the Problems panel');
      assert.match(shown.tooltip, /2 leaked tokens in/);

      await api.store.update(expiring, { expiresAt: days(-1).toISOString() });
      const second = await addAged('Old', 120);
      shown = hygiene.statusBar.snapshot();
      assert.strictEqual(shown.connections, 2);
      assert.strictEqual(shown.command, 'workbench.actions.view.problems', 'a tie still leads to the leaks');

      diagnostics.clear();
      shown = await waitFor('the leaks to go', () => {
        const s = hygiene.statusBar.snapshot();
        return s.leaks === 0 && s;
      });
      assert.strictEqual(shown.text, '$(shield) 2');
      assert.strictEqual(shown.command, 'jiraTokenGuard.connections.focus');

      await api.store.remove(expiring);
      await api.store.remove(second);
      const young = await addAged('Young', 85);
      assert.strictEqual(hygiene.statusBar.snapshot().visible, false);
      api.clock.set(days(6));
      hygiene.statusBar.refresh();
      assert.strictEqual(hygiene.statusBar.snapshot().text, '$(shield) 1', 'time passes: rotation due');
      assert.ok(young);
    });

    it('follows the statusBar setting', async () => {
      await setSetting('statusBar', 'always');
      const always = await waitFor('the shield with nothing to say', () => {
        const s = hygiene.statusBar.snapshot();
        return s.visible && s;
      });
      assert.strictEqual(always.text, '$(shield)');
      await addAged('Old', 120);
      await setSetting('statusBar', 'never');
      await waitFor('the shield hidden', () => !hygiene.statusBar.snapshot().visible);
      assert.strictEqual(hygiene.statusBar.snapshot().count, 1);
    });
  });

  describe('audit report', () => {
    it('lists every connection and the right recommendations, and holds no token', async () => {
      const shared = makeCloudToken();
      const pat = makeDataCenterPat();
      const password = 'correct-horse-battery-staple-42';
      const unscoped = await addCloud('Unscoped', { expiresAt: days(200).toISOString() });
      const twinA = await addCloud('Twin A', { kind: 'cloud-scoped', expiresAt: days(200).toISOString() }, shared);
      const twinB = await addCloud('Twin B', { kind: 'cloud-scoped', expiresAt: days(200).toISOString() }, shared);
      const dcPat = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
        kind: 'datacenter-pat',
        baseUrl: 'https://jira.example.com/jira',
        username: 'ops',
        token: pat,
        label: 'DC PAT',
      });
      const basic = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
        kind: 'datacenter-basic',
        baseUrl: 'https://legacy.example.com',
        username: 'me',
        token: password,
        label: 'Legacy',
      });
      const old = await addAged('Old', 130, { kind: 'cloud-scoped', expiresAt: days(100).toISOString() });
      const checkedAt = days(-1).toISOString();
      for (const id of [unscoped, twinA, twinB, dcPat, basic])
        await api.store.update(id, { lastCheck: { status: 'valid', message: 'The token works.', durationMs: 5, checkedAt } });
      await api.store.update(old, {
        lastCheck: { status: 'invalid', message: 'Jira refused the token.', httpStatus: 401, durationMs: 5, checkedAt },
      });

      // The token inventory (the DC PAT account's list, read from its site) is tokenActivity.test.ts's: no request leaves the machine.
      const result = await vscode.commands.executeCommand<AuditResult>('jiraTokenGuard.auditTokens', { open: false, inventory: false });
      const codes = (id: string) =>
        result.recommendations
          .filter((r) => r.connectionIds.includes(id))
          .map((r) => r.code)
          .sort();
      assert.deepStrictEqual(codes(unscoped), ['create-scoped-token']);
      assert.deepStrictEqual(codes(twinA), ['one-token-per-purpose']);
      assert.deepStrictEqual(codes(twinB), ['one-token-per-purpose']);
      assert.deepStrictEqual(codes(dcPat), ['recreate-with-expiry']);
      assert.deepStrictEqual(codes(basic), ['switch-to-pat']);
      assert.deepStrictEqual(codes(old), ['fix-or-remove', 'rotate']);
      assert.ok(result.recommendations.some((r) => r.code === 'scan-workspace'));
      for (const label of ['Unscoped', 'Twin A', 'Twin B', 'DC PAT', 'Legacy', 'Old'])
        assert.match(result.markdown, new RegExp(`^\\| ${label} \\|`, 'm'));
      assert.match(result.markdown, /\| DC PAT \| Data Center PAT \| ops \| https:\/\/jira\.example\.com\/jira \|/);
      assert.match(result.markdown, /\| Old \|.*\| 130 days \| overdue by 40 days \|.*\| invalid: Jira refused the token\. \|/);
      const tokens = [shared, pat, password, ...((await Promise.all([unscoped, old].map((id) => api.store.getToken(id)))) as string[])];
      assertNoSecret(result.markdown, tokens, 'the audit report');

      // Shown: an untitled Markdown document (Save works), with its preview beside it.
      const shown = await vscode.commands.executeCommand<AuditResult>('jiraTokenGuard.auditTokens', { inventory: false });
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === shown.uri);
      assert.ok(document, 'the report is open');
      assert.strictEqual(document.isUntitled, true);
      assert.strictEqual(document.languageId, 'markdown');
      assert.strictEqual(document.getText(), shown.markdown);
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

      // Saved for automation.
      const file = vscode.Uri.file(path.join(tmp, 'audit.md'));
      const saved = await vscode.commands.executeCommand<AuditResult>('jiraTokenGuard.auditTokens', { save: file, inventory: false });
      assert.strictEqual(saved.uri, file.toString());
      const written = fs.readFileSync(file.fsPath, 'utf8');
      assert.match(written, /^# Jira token audit/);
      assertNoSecret(written, tokens, 'the saved report');
    });
  });

  describe('tokens in terminals', () => {
    const collection = () => hygiene.environmentVariableCollection;
    const value = (name: string) => collection().get(name)?.value;

    // Driven by argument objects, as a team's automation would with its setting on (the question itself: boundary.test.ts).
    before(() => setSetting('allowUnattendedTokenChanges', true));
    after(() => setSetting('allowUnattendedTokenChanges', undefined));

    it('puts one connection into new terminals, follows a replaced token, and stops', async () => {
      const token = makeCloudToken();
      const cloud = await addCloud('Acme', {}, token);
      const pat = makeDataCenterPat();
      const dc = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
        kind: 'datacenter-pat',
        baseUrl: 'https://jira.example.com',
        username: 'ops',
        token: pat,
        label: 'DC',
      });

      assert.strictEqual(await vscode.commands.executeCommand('jiraTokenGuard.useInTerminals', { id: cloud }), cloud);
      assert.strictEqual(collection().persistent, false, 'the token is not written to disk');
      assert.strictEqual(value('JIRA_BASE_URL'), 'https://acme.atlassian.net');
      assert.strictEqual(value('JIRA_EMAIL'), 'acme@acme.com');
      assert.strictEqual(value('JIRA_API_TOKEN'), token);
      assert.strictEqual(value('JIRA_USER'), undefined);
      assert.match(String(collection().description), /“Acme”/);
      assertNoSecret(String(collection().description), [token], 'the description');
      assert.match(String(treeItem(cloud).contextValue), /^connection:unchecked:cloud:terminal$/);
      assert.match(String(treeItem(cloud).description), / · in terminals$/);
      assert.strictEqual(treeItem(dc).contextValue, 'connection:unchecked:datacenter-pat');

      // One connection at a time.
      await vscode.commands.executeCommand('jiraTokenGuard.useInTerminals', { id: dc });
      assert.strictEqual(value('JIRA_BASE_URL'), 'https://jira.example.com');
      assert.strictEqual(value('JIRA_USER'), 'ops');
      assert.strictEqual(value('JIRA_EMAIL'), undefined);
      assert.strictEqual(value('JIRA_API_TOKEN'), pat);
      assert.strictEqual(hygiene.terminals.connectionId, dc);
      assert.ok(!String(treeItem(cloud).contextValue).endsWith(':terminal'));

      // Replace Token: new terminals get the new one.
      const rotated = makeDataCenterPat();
      await withSetting('allowUnattendedTokenChanges', true, () =>
        Promise.resolve(vscode.commands.executeCommand('jiraTokenGuard.replaceToken', { id: dc, token: rotated })),
      );
      await waitFor('the rotated token in the terminal environment', () => value('JIRA_API_TOKEN') === rotated);
      assertNoSecret(everythingOutsideSecretStorage(api), [token, pat, rotated], 'globalState and settings');

      assert.strictEqual(await vscode.commands.executeCommand('jiraTokenGuard.stopUsingInTerminals'), dc);
      for (const name of ['JIRA_BASE_URL', 'JIRA_EMAIL', 'JIRA_USER', 'JIRA_API_TOKEN'])
        assert.strictEqual(value(name), undefined, `${name} after Stop`);
      assert.strictEqual(hygiene.terminals.connectionId, undefined);
      assert.strictEqual(treeItem(dc).contextValue, 'connection:unchecked:datacenter-pat');
    });

    it('stops when the connection is removed, and refuses a connection without a token', async () => {
      const id = await addCloud('Acme');
      await vscode.commands.executeCommand('jiraTokenGuard.useInTerminals', { id });
      await vscode.commands.executeCommand('jiraTokenGuard.removeConnection', { id });
      await waitFor(
        'the variables to go with the connection',
        () => value('JIRA_API_TOKEN') === undefined && hygiene.terminals.connectionId === undefined,
      );

      const [missing] = await api.store.addMany([
        { details: { label: 'Imported', kind: 'cloud', baseUrl: 'https://acme.atlassian.net', email: 'x@acme.com' } },
      ]);
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('jiraTokenGuard.useInTerminals', { id: missing.id })),
        /has no token yet.*Replace Token/,
      );
      assert.strictEqual(value('JIRA_BASE_URL'), undefined);
    });
  });

  describe('export and import', () => {
    const write = (name: string, text: string) => {
      const file = path.join(tmp, name);
      fs.writeFileSync(file, text);
      return vscode.Uri.file(file);
    };

    it('exports without any secret, and imports all or nothing', async () => {
      const cloudToken = makeCloudToken();
      const pat = makeDataCenterPat();
      await addCloud('Acme', { expiresAt: days(100).toISOString() }, cloudToken);
      await vscode.commands.executeCommand('jiraTokenGuard.addConnection', {
        kind: 'datacenter-pat',
        baseUrl: 'https://jira.example.com/jira',
        token: pat,
        label: 'DC',
      });

      const target = vscode.Uri.file(path.join(tmp, 'team.json'));
      const exported = await vscode.commands.executeCommand<ExportResult>('jiraTokenGuard.exportConnections', { uri: target });
      assert.strictEqual(exported.count, 2);
      const text = fs.readFileSync(target.fsPath, 'utf8');
      assertNoSecret(text, [cloudToken, pat], 'the export');
      const data = JSON.parse(text);
      assert.strictEqual(data.format, 'jira-token-guard/connections');
      assert.deepStrictEqual(data.connections.map((c: { label: string }) => c.label).sort(), ['Acme', 'DC']);
      for (const c of data.connections)
        assert.deepStrictEqual(
          Object.keys(c).filter((k) => !['label', 'kind', 'baseUrl', 'email', 'username', 'cloudId'].includes(k)),
          [],
        );

      // Malformed files change nothing.
      const before = everythingOutsideSecretStorage(api);
      const ids = api.store
        .list()
        .map((c) => c.id)
        .sort();
      const bad: Array<[string, string, RegExp]> = [
        ['broken.json', text.slice(0, text.length / 2), /broken\.json: The file is not valid JSON/],
        [
          'token.json',
          JSON.stringify({
            ...data,
            connections: [
              { ...data.connections[0], label: 'New' },
              { label: 'X', kind: 'cloud', baseUrl: 'https://x.atlassian.net', email: 'x@x.co', token: makeCloudToken() },
            ],
          }),
          /Connection 2 \(“X”\): has a "token" property/,
        ],
        [
          'http.json',
          JSON.stringify({
            ...data,
            connections: [
              { label: 'Fine', kind: 'cloud', baseUrl: 'https://fine.atlassian.net', email: 'f@f.co' },
              { label: 'Plain', kind: 'datacenter-pat', baseUrl: 'http://jira.example.org' },
            ],
          }),
          /Connection 2 \(“Plain”\)/,
        ],
        ['future.json', JSON.stringify({ ...data, version: 9 }), /newer version/],
      ];
      for (const [name, content, message] of bad) {
        await assert.rejects(
          Promise.resolve(vscode.commands.executeCommand('jiraTokenGuard.importConnections', { uri: write(name, content) })),
          (e: Error) => {
            assert.match(e.message, message);
            return true;
          },
        );
      }
      const good = write(
        'good.json',
        JSON.stringify({
          ...data,
          connections: [
            { label: 'Fine', kind: 'cloud', baseUrl: 'https://fine.atlassian.net', email: 'f@f.co' },
            { label: 'DC2', kind: 'datacenter-pat', baseUrl: 'https://dc2.example.com' },
          ],
        }),
      );
      await assert.rejects(
        Promise.resolve(
          vscode.commands.executeCommand('jiraTokenGuard.importConnections', { uri: good, tokens: { DC2: makeCloudToken() } }),
        ),
        /token for “DC2”.*Cloud API token.*Nothing was imported/,
      );
      await assert.rejects(
        Promise.resolve(
          vscode.commands.executeCommand('jiraTokenGuard.importConnections', { uri: vscode.Uri.file(path.join(tmp, 'missing.json')) }),
        ),
        /Could not read .*missing\.json/,
      );
      assert.deepStrictEqual(
        api.store
          .list()
          .map((c) => c.id)
          .sort(),
        ids,
        'no connection was added',
      );
      assert.strictEqual(everythingOutsideSecretStorage(api), before, 'nothing changed');

      // A good file into an empty store: one token given, one left missing until Replace Token.
      await removeAllConnections(api);
      const newToken = makeCloudToken();
      const imported = await vscode.commands.executeCommand<ImportResult>('jiraTokenGuard.importConnections', {
        uri: target,
        tokens: { 'https://acme.atlassian.net': newToken },
      });
      assert.deepStrictEqual(imported.imported.map((c) => [c.label, c.tokenMissing]).sort(), [
        ['Acme', false],
        ['DC', true],
      ]);
      const acme = api.store.list().find((c) => c.label === 'Acme')!;
      const dc = api.store.list().find((c) => c.label === 'DC')!;
      assert.strictEqual(await api.store.getToken(acme.id), newToken);
      assert.strictEqual(acme.email, 'acme@acme.com');
      assert.strictEqual(await api.store.getToken(dc.id), undefined);
      assert.strictEqual(treeItem(dc.id).contextValue, 'connection:token-missing:datacenter-pat');
      assert.match(String(treeItem(dc.id).description), /token missing/);
      assert.strictEqual(treeItem(acme.id).contextValue, 'connection:unchecked:cloud');

      const again = await vscode.commands.executeCommand<ImportResult>('jiraTokenGuard.importConnections', { uri: target });
      assert.deepStrictEqual(again, { imported: [], skipped: ['Acme', 'DC'] }, 'importing twice adds nothing');

      const given = makeDataCenterPat();
      await vscode.commands.executeCommand('jiraTokenGuard.replaceToken', { id: dc.id, token: given });
      assert.strictEqual(await api.store.getToken(dc.id), given);
      assert.strictEqual(api.store.get(dc.id)!.tokenMissing, undefined);
      assert.strictEqual(treeItem(dc.id).contextValue, 'connection:unchecked:datacenter-pat');
      assertNoSecret(everythingOutsideSecretStorage(api), [newToken, given], 'globalState');
    });
  });
});
