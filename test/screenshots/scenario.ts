// The README screenshots' scenario: runs inside the real VS Code host (scripts/screenshots.js passes this
// module as extensionTestsPath) and sets the scene for each picture through the extension's API and
// commands, against the fake Jira. Handshake with the runner, which holds the browser page: for each
// picture the scenario writes `<JTG_SCREENSHOTS_DIR>/ready-<name>` (JSON hints for the runner) and waits
// for `shot-<name>` ("ok" or the runner's error). Tokens are generated now and never committed.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CheckResult } from '../../src/core/connections/connection';
import { startFakeJira } from '../support/fakeJira';
import { makeAdminKey, startFakeAdminApi } from '../support/fakeAdminApi';
import { makeCloudToken, makeDataCenterPat } from '../support/tokens';
import { extensionApi, removeAllConnections, setSetting, waitFor } from '../integration/helpers';

const DAY = 86_400_000;
/** Today at a fixed hour: the fake Jira judges PAT expiry by the real date, the extension by this clock. */
const NOW = new Date(new Date().setUTCHours(9, 30, 0, 0));
const daysFromNow = (n: number) => new Date(NOW.getTime() + n * DAY).toISOString();

const SITE = 'https://acme.atlassian.net';
const DC_SITE = 'https://jira.acme-corp.com/jira';
const LEGACY_SITE = 'https://jira-legacy.acme-corp.com';

function handshakeDir(): string {
  const dir = process.env.JTG_SCREENSHOTS_DIR;
  if (!dir) throw new Error('JTG_SCREENSHOTS_DIR is not set: run this scenario through scripts/screenshots.js');
  return dir;
}

/** Tells the runner the scene is set, and waits until it has taken the picture. */
async function shot(name: string, hints: Record<string, unknown> = {}): Promise<void> {
  const dir = handshakeDir();
  const done = path.join(dir, `shot-${name}`);
  fs.writeFileSync(path.join(dir, `ready-${name}`), JSON.stringify(hints));
  const answer = await waitFor(`the runner to take "${name}"`, () => fs.existsSync(done) && fs.readFileSync(done, 'utf8'), 120_000);
  if (answer !== 'ok') throw new Error(`screenshot "${name}": ${answer}`);
}

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the host opened no workspace folder');
  return folder.uri.fsPath;
}

export async function run(): Promise<void> {
  try {
    await scenario();
  } catch (error) {
    fs.writeFileSync(path.join(handshakeDir(), 'error'), error instanceof Error ? (error.stack ?? error.message) : String(error));
    throw error;
  }
}

async function scenario(): Promise<void> {
  const api = await extensionApi();
  api.clock.set(NOW);
  // Reminder pop-ups would cover the pictures; the reminders have screenshots of their own in no README.
  api.hygiene.reminders.stopSchedule();
  await removeAllConnections(api);
  // VS Code's default dark theme (the web workbench starts light).
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', 'Default Dark Modern', vscode.ConfigurationTarget.Global);
  // Newer VS Code opens the Chat view in the secondary side bar and adds its own AI entries to the quick fixes:
  // neither is the extension's (the pictures are taken on the current VS Code).
  await vscode.workspace.getConfiguration('chat').update('disableAIFeatures', true, vscode.ConfigurationTarget.Global);
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');

  // --- 1. The Connections tree: real checks against the fake Jira give ok, failing and expiring. ---
  const fake = await startFakeJira();
  try {
    // A guarded setting: the guard asks before it takes effect, and the scripted UI applies it (setSetting).
    await setSetting('cloudGatewayUrl', fake.gatewayUrl);
    const devToken = makeCloudToken();
    const botToken = makeCloudToken();
    const prodPat = makeDataCenterPat();
    const legacyPat = makeDataCenterPat();
    fake.addCloudAccount({ email: 'dev@acme.com', token: devToken, displayName: 'Dana Developer' });
    fake.addCloudAccount({ email: 'ci-bot@acme.com', token: botToken, scoped: true });
    fake.addDataCenterUser({ contextPath: '/jira', username: 'dana', pat: prodPat, expiringAt: daysFromNow(5).replace('Z', '+0000') });
    fake.addDataCenterUser({ contextPath: '/legacy', username: 'svc-reports', pat: legacyPat });

    const add = (args: Record<string, unknown>) => vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', args);
    const connections = [
      {
        id: await add({ kind: 'cloud', baseUrl: fake.url, email: 'dev@acme.com', token: devToken, label: 'Acme Cloud' }),
        site: SITE,
        ageDays: 21,
      },
      {
        id: await add({
          kind: 'cloud',
          baseUrl: fake.url,
          email: 'ci-bot@acme.com',
          token: botToken,
          label: 'CI bot (scoped)',
          expiresAt: daysFromNow(160),
        }),
        site: SITE,
        ageDays: 40,
      },
      // Not an account the fake knows: Jira refuses it, as it would a revoked token.
      {
        id: await add({ kind: 'cloud', baseUrl: fake.url, email: 'reports@acme.com', token: makeCloudToken(), label: 'Nightly report' }),
        site: SITE,
        ageDays: 60,
      },
      {
        id: await add({ kind: 'datacenter-pat', baseUrl: `${fake.url}/jira`, token: prodPat, label: 'Data Center prod' }),
        site: DC_SITE,
        ageDays: 85,
      },
      {
        id: await add({ kind: 'datacenter-pat', baseUrl: `${fake.url}/legacy`, token: legacyPat, label: 'Legacy Jira' }),
        site: LEGACY_SITE,
        ageDays: 124,
      },
    ];
    const results = await vscode.commands.executeCommand<Record<string, CheckResult>>('jiraTokenGuard.testAllConnections', {
      notify: false,
    });
    const statuses = connections.map((c) => results[c.id]?.status);
    if (statuses.join() !== 'valid,valid,invalid,valid,valid')
      throw new Error(`unexpected verdicts from the fake Jira: ${statuses.join(', ')}`);
    // The verdicts are real; the fake's address (http://127.0.0.1:<port>) is swapped for a realistic one
    // only for the picture, together with token ages a fresh store cannot have.
    for (const c of connections) await api.store.update(c.id, { baseUrl: c.site, createdAt: daysFromNow(-c.ageDays) });
  } finally {
    await setSetting('cloudGatewayUrl', undefined);
    await fake.close();
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand('workbench.action.closePanel');
  await vscode.commands.executeCommand('jiraTokenGuard.connections.focus');
  await shot('tree', { labels: api.store.list().map((c) => c.label), expand: 'Data Center prod', detail: 'Expiry' });

  // --- 2. A leaked token in an editor, the Problems panel, and the quick fixes. ---
  const root = workspaceRoot();
  const envFile = path.join(root, '.env');
  const token = makeCloudToken();
  const lines = [
    '# Settings for scripts/sync_issues.py',
    `JIRA_BASE_URL=${SITE}`,
    'JIRA_EMAIL=dev@acme.com',
    `JIRA_API_TOKEN=${token}`,
    'JIRA_PROJECT=OPS',
    '',
  ];
  fs.writeFileSync(envFile, lines.join('\n'));
  fs.mkdirSync(path.join(root, 'scripts'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'scripts', 'sync_issues.py'),
    [
      'import requests',
      '',
      `BASE = "${DC_SITE}"`,
      `TOKEN = "${makeDataCenterPat()}"`,
      '',
      'resp = requests.get(f"{BASE}/rest/api/2/myself", headers={"Authorization": f"Bearer {TOKEN}"})',
      '',
    ].join('\n'),
  );
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(envFile));
  const editor = await vscode.window.showTextDocument(document);
  const [leak] = await waitFor('the leak diagnostic on .env', () => {
    const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'Jira Token Guard');
    return found.length === 1 && found;
  });
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  await vscode.commands.executeCommand('workbench.action.closeSidebar');
  await vscode.window.showTextDocument(document);
  editor.selection = new vscode.Selection(leak.range.start, leak.range.start);
  // The runner makes room for the Problems panel first, then opens the quick fixes (Ctrl+.): a drag
  // would close a menu opened here.
  await shot('leak-quick-fix', {
    firstFix: 'Move token to Jira Token Guard',
    problem: 'Jira Cloud API token',
    tokenLine: 'JIRA_API_TOKEN=',
    tokenCharsShown: 12,
  });

  // --- 3. The audit report, after a workspace scan (it lists the scan's findings). ---
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand('workbench.action.closePanel');
  const scan = await api.leaks.workspaceScanner.scan();
  if (scan.findings.length !== 2) throw new Error(`the workspace scan found ${scan.findings.length} leaks, expected 2`);
  await vscode.commands.executeCommand('jiraTokenGuard.auditTokens');
  // The rendered report alone: its preview group (the active one) takes the whole editor area.
  await vscode.commands.executeCommand('workbench.action.toggleMaximizeEditorGroup');
  await shot('audit', { heading: 'Jira token audit' });

  // --- 4. An Atlassian organisation (Cloud admins): every managed user's API tokens, with their flags. ---
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const admin = await startFakeAdminApi();
  try {
    const key = makeAdminKey();
    admin.addKey(key, ['read:tokens:admin']);
    const orgId = 'a1b2c3d4-0000-4000-8000-00000000acme';
    const user = (name: string, email: string) => ({ id: `557058:${name.toLowerCase().split(' ')[0]}`, name, email });
    const dana = user('Dana Developer', 'dev@acme.com');
    const ops = user('Olu Ops', 'ops@acme.com');
    const real = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();
    admin.addOrg(orgId, [
      { id: 'tok-1', label: 'laptop', createdAt: real(-21), expiresAt: real(344), lastActiveAt: real(-1), user: dana },
      { id: 'tok-2', label: 'old script', createdAt: '2024-03-02T00:00:00.000Z', expiresAt: null, lastActiveAt: real(-140), user: dana },
      { id: 'tok-3', label: 'deploy', createdAt: real(-300), expiresAt: real(6), lastActiveAt: real(-2), user: ops },
      { id: 'tok-4', label: 'test', createdAt: real(-40), expiresAt: real(200), lastActiveAt: null, user: ops },
    ]);
    await setSetting('adminApiUrl', admin.url);
    await vscode.commands.executeCommand('jiraTokenGuard.addOrganisation', { label: 'Acme (organisation)', orgId, adminKey: key });
    await vscode.commands.executeCommand('jiraTokenGuard.connections.focus');
    await shot('organisation', { org: 'Acme (organisation)', users: ['Dana Developer', 'Olu Ops'], flag: 'not used for' });
  } finally {
    await setSetting('adminApiUrl', undefined);
    await admin.close();
  }
  // Nothing to clean up: the host's data folder and the workspace are temporary.
}
