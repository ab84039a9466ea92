import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  dataCenterPatId,
  makeAccessToken,
  makeBitbucketAppPassword,
  makeCloudToken,
  makeDataCenterPat,
  makeLegacyCloudToken,
} from '../support/tokens';
import { startFakeJira } from '../support/fakeJira';
import { AsShown, Back } from '../support/scriptedUi';
import type { CheckResult } from '../../src/core/connections/connection';
import { extensionApi, fingerprintOf, removeAllConnections, runCli, setSetting, waitFor, type TestApi } from './helpers';

const SOURCE = 'Jira Token Guard';

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration host opens a workspace folder');
  return folder.uri.fsPath;
}

function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

async function diagnosticsSettled(uri: vscode.Uri, count: number): Promise<vscode.Diagnostic[]> {
  return waitFor(`${count} leak diagnostic(s) on ${path.basename(uri.fsPath)}`, () => {
    const list = ourDiagnostics(uri);
    return list.length === count ? list : undefined;
  });
}

async function openFile(relative: string, content: string, languageId?: string): Promise<vscode.TextDocument> {
  const file = path.join(workspaceRoot(), relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  // The language comes from the file name, as for a user (switching it reopens the document).
  if (languageId) assert.strictEqual(doc.languageId, languageId, `${relative} opens as ${languageId}`);
  await vscode.window.showTextDocument(doc);
  return doc;
}

async function quickFixTitles(doc: vscode.TextDocument, range: vscode.Range): Promise<string[]> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    doc.uri,
    range,
    vscode.CodeActionKind.QuickFix.value,
  );
  return actions
    .filter((a) => a.command?.command.startsWith('jiraTokenGuard.'))
    .map((a) => `${a.title}${a.isPreferred ? ' (preferred)' : ''}`);
}

async function runQuickFix(
  doc: vscode.TextDocument,
  range: vscode.Range,
  titleStart: string,
  extra: Record<string, unknown> = {},
): Promise<unknown> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    doc.uri,
    range,
    vscode.CodeActionKind.QuickFix.value,
  );
  const action = actions.find((a) => a.title.startsWith(titleStart));
  assert.ok(action?.command, `quick fix "${titleStart}" offered`);
  const [args] = action.command.arguments ?? [];
  return vscode.commands.executeCommand(action.command.command, { ...(args as object), ...extra });
}

describe('leak guard in the editor', () => {
  let api: TestApi;

  before(async () => {
    api = await extensionApi();
  });

  beforeEach(async () => {
    await removeAllConnections(api);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(path.join(workspaceRoot(), '.jira-token-guard-ignore'), { force: true });
  });

  it('runs in Restricted Mode: the server host never trusts the folder, and the manifest says so', async () => {
    const manifest = vscode.extensions.getExtension('jira-token-guard.jira-token-guard')!.packageJSON;
    assert.strictEqual(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    // Every leak test below runs in this untrusted folder: scanning only reads text, it runs nothing.
    if (process.env.JTG_TEST_HOST === 'server') assert.strictEqual(vscode.workspace.isTrusted, false);
  });

  it('flags a token in an opened file at the right range, never showing it', async () => {
    const token = makeCloudToken();
    const content = `JIRA_BASE_URL=https://acme.atlassian.net\nJIRA_EMAIL=dev@acme.io\nJIRA_API_TOKEN=${token}\n`;
    const doc = await openFile('flag/.env', content);
    const [diagnostic] = await diagnosticsSettled(doc.uri, 1);
    const start = content.indexOf(token);
    assert.deepStrictEqual(diagnostic.range, new vscode.Range(doc.positionAt(start), doc.positionAt(start + token.length)));
    assert.strictEqual(diagnostic.code, 'atlassian-api-token');
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(!diagnostic.message.includes(token.slice(4, -4)), 'the message never holds the token');
    const titles = await quickFixTitles(doc, diagnostic.range);
    assert.deepStrictEqual(titles, [
      'Move token to Jira Token Guard and use an environment variable (preferred)',
      'Ignore this token here',
      'Ignore this token in this workspace',
      'Revoke this token…',
      'Check whether this token is live…',
    ]);
  });

  it('follows the leakSeverity and reportUnverifiedTokens settings', async () => {
    const config = vscode.workspace.getConfiguration('jiraTokenGuard');
    const doc = await openFile(
      'settings/notes.md',
      `real: ${makeCloudToken()}\nexample: ${makeCloudToken({ validCrc: false })}\n`,
      'markdown',
    );
    await diagnosticsSettled(doc.uri, 1);
    try {
      await config.update('leakSeverity', 'error', vscode.ConfigurationTarget.Global);
      await config.update('reportUnverifiedTokens', true, vscode.ConfigurationTarget.Global);
      const list = await waitFor('two error diagnostics', () => {
        const found = ourDiagnostics(doc.uri);
        return found.length === 2 && found.every((d) => d.severity === vscode.DiagnosticSeverity.Error) ? found : undefined;
      });
      assert.match(list[1].message, /checksum does not match/);
    } finally {
      await config.update('leakSeverity', undefined, vscode.ConfigurationTarget.Global);
      await config.update('reportUnverifiedTokens', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('the defaults back', () => {
      const found = ourDiagnostics(doc.uri);
      return found.length === 1 && found[0].severity === vscode.DiagnosticSeverity.Warning;
    });
  });

  it('rescans the changed lines as you type', async () => {
    const doc = await openFile('typing/config.py', 'JIRA_URL = "https://jira.example.com"\n\n', 'python');
    const editor = await vscode.window.showTextDocument(doc);
    const pat = makeDataCenterPat();
    await editor.edit((e) => e.insert(new vscode.Position(1, 0), `JIRA_TOKEN = "${pat}"\n`));
    const [diagnostic] = await diagnosticsSettled(doc.uri, 1);
    assert.strictEqual(diagnostic.code, 'jira-dc-pat');
    assert.strictEqual(diagnostic.range.start.line, 1);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '# settings\n'));
    const [moved] = await waitFor('the diagnostic to follow the edit', () => {
      const list = ourDiagnostics(doc.uri);
      return list.length === 1 && list[0].range.start.line === 2 ? list : undefined;
    });
    assert.strictEqual(doc.getText(moved.range), pat);
    await editor.edit((e) => e.delete(doc.lineAt(2).rangeIncludingLineBreak));
    await diagnosticsSettled(doc.uri, 0);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), `TOKEN = "${pat}"\n`));
    await diagnosticsSettled(doc.uri, 1);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('names the connection when a stored token appears in a file', async () => {
    const token = makeCloudToken();
    await vscode.commands.executeCommand('jiraTokenGuard.addConnection', {
      kind: 'cloud',
      baseUrl: 'acme.atlassian.net',
      email: 'dev@acme.io',
      token,
      label: 'Acme prod',
    });
    const doc = await openFile(
      'known/script.sh',
      `curl -u dev@acme.io:${token} https://acme.atlassian.net/rest/api/3/myself\n`,
      'shellscript',
    );
    const [diagnostic] = await waitFor('the known-token diagnostic', () => {
      const list = ourDiagnostics(doc.uri);
      return list.length === 1 && list[0].code === 'known-stored-token' ? list : undefined;
    });
    assert.match(diagnostic.message, /Acme prod/);
  });

  it('"move" stores the token and replaces the literal by the environment lookup', async () => {
    const token = makeCloudToken();
    const doc = await openFile(
      'move/client.ts',
      `const site = 'https://acme.atlassian.net';\nconst email = 'dev@acme.io';\nconst token = '${token}';\n`,
      'typescript',
    );
    const [diagnostic] = await diagnosticsSettled(doc.uri, 1);
    const result = (await runQuickFix(doc, diagnostic.range, 'Move token', {
      connection: { kind: 'cloud', baseUrl: 'https://acme.atlassian.net', email: 'dev@acme.io', label: 'Acme from client.ts' },
    })) as { connectionId: string };
    assert.ok(result.connectionId);
    assert.strictEqual(await api.store.getToken(result.connectionId), token, 'the store holds the token');
    const text = fs.readFileSync(doc.uri.fsPath, 'utf8');
    assert.ok(text.includes('const token = process.env.JIRA_API_TOKEN;'), text);
    assert.ok(!text.includes(token), 'the file on disk no longer holds the token');
    await diagnosticsSettled(doc.uri, 0);
  });

  it('"move" proposes a connection from the site and email found near the token', async () => {
    const token = makeCloudToken();
    const doc = await openFile(
      'move/.env',
      `JIRA_BASE_URL=https://acme.atlassian.net/jira/your-work\nJIRA_EMAIL=dev@acme.io\nJIRA_API_TOKEN=${token}\n`,
    );
    const [diagnostic] = await diagnosticsSettled(doc.uri, 1);
    const script = api.ui.answer(['New connection', 'https://acme.atlassian.net', 'dev@acme.io']);
    try {
      const result = (await runQuickFix(doc, diagnostic.range, 'Move token')) as { connectionId: string };
      assert.strictEqual(script.remaining(), 0);
      const connection = api.store.get(result.connectionId)!;
      assert.deepStrictEqual(
        [connection.kind, connection.baseUrl, connection.email],
        ['cloud', 'https://acme.atlassian.net', 'dev@acme.io'],
      );
      assert.strictEqual(await api.store.getToken(result.connectionId), token);
      assert.strictEqual(fs.readFileSync(doc.uri.fsPath, 'utf8').split('\n')[2], 'JIRA_API_TOKEN=${JIRA_API_TOKEN}');
    } finally {
      script.stop();
    }
  });

  it('"move" counts its steps, goes back with the answers kept, and Escape leaves the file and the store alone', async () => {
    const token = makeCloudToken();
    const content = `JIRA_BASE_URL=https://acme.atlassian.net\nJIRA_EMAIL=dev@acme.io\nJIRA_API_TOKEN=${token}\n`;
    const doc = await openFile('move/back.env', content);
    const [diagnostic] = await diagnosticsSettled(doc.uri, 1);
    const escaped = api.ui.answer(['New connection', 'https://acme.atlassian.net', undefined]);
    try {
      assert.strictEqual(await runQuickFix(doc, diagnostic.range, 'Move token'), undefined);
      assert.strictEqual(escaped.remaining(), 0);
    } finally {
      escaped.stop();
    }
    assert.deepStrictEqual(api.store.list(), [], 'Escape stored nothing');
    assert.strictEqual(fs.readFileSync(doc.uri.fsPath, 'utf8'), content, 'and changed nothing in the file');

    const script = api.ui.answer(['New connection', 'https://acme-two.atlassian.net', Back, Back, AsShown, AsShown, 'ops@acme.io']);
    try {
      const result = (await runQuickFix(doc, diagnostic.range, 'Move token')) as { connectionId: string };
      assert.strictEqual(script.remaining(), 0);
      // The kind is known from the token's shape, so no kind step: three steps.
      assert.deepStrictEqual(
        script.asked.slice(0, 7).map((q) => q.split(':')[0]),
        ['pick 1/3', 'input 2/3', 'input 3/3', 'input 2/3', 'pick 1/3', 'input 2/3', 'input 3/3'],
      );
      const connection = api.store.get(result.connectionId)!;
      assert.deepStrictEqual(
        [connection.baseUrl, connection.email],
        ['https://acme-two.atlassian.net', 'ops@acme.io'],
        'the site typed before going back was kept',
      );
    } finally {
      script.stop();
    }
  });

  it('"move" of an already stored token only replaces it, in Python with os.environ', async () => {
    const pat = makeDataCenterPat();
    const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
      kind: 'datacenter-pat',
      baseUrl: 'https://jira.example.com',
      token: pat,
      label: 'DC',
    });
    const doc = await openFile('move/sync.py', `BASE = "https://jira.example.com"\nTOKEN = "${pat}"\n`, 'python');
    const [diagnostic] = await diagnosticsSettled(doc.uri, 1);
    const result = (await runQuickFix(doc, diagnostic.range, 'Move token')) as { connectionId: string };
    assert.strictEqual(result.connectionId, id, 'no new connection');
    assert.strictEqual(api.store.list().length, 1);
    const text = fs.readFileSync(doc.uri.fsPath, 'utf8');
    assert.strictEqual(text, `import os\nBASE = "https://jira.example.com"\nTOKEN = os.environ["JIRA_API_TOKEN"]\n`);
  });

  it('"move" in a shell script turns single quotes into double quotes so the variable expands', async () => {
    const token = makeCloudToken();
    const doc = await openFile('move/deploy.sh', `#!/bin/sh\nJIRA_TOKEN='${token}'\n`, 'shellscript');
    const [diagnostic] = await diagnosticsSettled(doc.uri, 1);
    await runQuickFix(doc, diagnostic.range, 'Move token', {
      connection: { kind: 'cloud', baseUrl: 'https://acme.atlassian.net', email: 'ops@acme.io', label: 'Deploy' },
    });
    assert.strictEqual(fs.readFileSync(doc.uri.fsPath, 'utf8'), '#!/bin/sh\nJIRA_TOKEN="${JIRA_API_TOKEN}"\n');
  });

  it('"ignore here" adds the comment in the language\'s syntax', async () => {
    const doc = await openFile('ignore/deploy.yaml', `jira:\n  token: ${makeCloudToken()}\n`, 'yaml');
    const [diagnostic] = await diagnosticsSettled(doc.uri, 1);
    await runQuickFix(doc, diagnostic.range, 'Ignore this token here');
    assert.strictEqual(doc.lineAt(1).text, '  # jira-token-guard:ignore');
    await diagnosticsSettled(doc.uri, 0);
  });

  it('"ignore in this workspace" writes the fingerprint, never the token', async () => {
    const token = makeCloudToken();
    const doc = await openFile('ignore/notes.md', `Old token: ${token}\n`, 'markdown');
    const [diagnostic] = await diagnosticsSettled(doc.uri, 1);
    const uri = (await runQuickFix(doc, diagnostic.range, 'Ignore this token in this workspace')) as vscode.Uri;
    const ignoreText = fs.readFileSync(uri.fsPath, 'utf8');
    assert.ok(ignoreText.includes(fingerprintOf(token)));
    assert.ok(!ignoreText.includes(token) && !ignoreText.includes(token.slice(12, 40)));
    await diagnosticsSettled(doc.uri, 0);
  });

  it('"revoke" opens the token page', async () => {
    const doc = await openFile('revoke/.env', `JIRA_API_TOKEN=${makeCloudToken()}\n`);
    const [diagnostic] = await diagnosticsSettled(doc.uri, 1);
    const opened = api.ui.recordLinks();
    try {
      assert.strictEqual(await runQuickFix(doc, diagnostic.range, 'Revoke'), 'https://id.atlassian.com/manage-profile/security/api-tokens');
      assert.deepStrictEqual(opened.urls, ['https://id.atlassian.com/manage-profile/security/api-tokens']);
    } finally {
      opened.stop();
    }
  });

  it('"revoke exactly" revokes the leaked PAT by its id and no other; an unknown id revokes nothing', async () => {
    const fake = await startFakeJira();
    try {
      const ctx = '/exact';
      const stored = makeDataCenterPat();
      const leaked = makeDataCenterPat();
      const other = makeDataCenterPat();
      for (const [pat, patName] of [
        [stored, 'stored here'],
        [leaked, 'old laptop'],
        [other, 'CI'],
      ])
        fake.addDataCenterUser({ contextPath: ctx, username: 'exact-user', pat, patName });
      await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
        kind: 'datacenter-pat',
        baseUrl: fake.url + ctx,
        username: 'exact-user',
        token: stored,
        label: 'DC exact',
      });
      const answers = async (pat: string): Promise<number> =>
        (await fetch(`${fake.url}${ctx}/rest/api/2/myself`, { headers: { Authorization: `Bearer ${pat}` } })).status;

      const doc = await openFile('exact/run.sh', `export JIRA_PAT=${leaked}\n`);
      const [diagnostic] = await diagnosticsSettled(doc.uri, 1);
      assert.ok((await quickFixTitles(doc, diagnostic.range)).includes('Revoke exactly this token (by the id it carries)…'));
      const notes = api.ui.recordNotifications();
      const script = api.ui.answer(['Revoke']);
      let result: unknown;
      try {
        result = await runQuickFix(doc, diagnostic.range, 'Revoke exactly');
      } finally {
        script.stop();
      }
      assert.deepStrictEqual(result, { revoked: true, id: dataCenterPatId(leaked) });
      assert.strictEqual(script.asked.length, 2, script.asked.join('\n'));
      assert.match(
        script.asked[1],
        /^information: Revoked the leaked token "old laptop" \(id \d+\) on 127\.0\.0\.1:\d+\. Remove it from the file as well\.$/,
      );
      assert.match(
        script.asked[0],
        new RegExp(
          `^warning: Revoke the leaked personal access token .* \\(id ${dataCenterPatId(leaked)}\\) on 127\\.0\\.0\\.1:\\d+, through the connection "DC exact"\\?$`,
        ),
      );
      assert.ok(!script.asked[0].includes(leaked) && !script.details[0].includes(leaked), 'the modal never shows the token');
      assert.deepStrictEqual(
        fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.path),
        [`${ctx}/rest/pat/latest/tokens/${dataCenterPatId(leaked)}`],
      );
      assert.strictEqual(await answers(leaked), 401);
      assert.strictEqual(await answers(stored), 200);
      assert.strictEqual(await answers(other), 200);

      // A PAT whose id is not in the account: nothing is revoked, and the user is told why.
      const stranger = makeDataCenterPat();
      const doc2 = await openFile('exact/other.sh', `export JIRA_PAT=${stranger}\n`);
      const [diagnostic2] = await diagnosticsSettled(doc2.uri, 1);
      const deletesBefore = fake.requests.filter((r) => r.method === 'DELETE').length;
      const script2 = api.ui.answer(['Revoke']);
      try {
        result = await runQuickFix(doc2, diagnostic2.range, 'Revoke exactly');
      } finally {
        script2.stop();
        notes.stop();
      }
      assert.deepStrictEqual(result, { revoked: false, id: dataCenterPatId(stranger), reason: 'not-in-account' });
      assert.strictEqual(fake.requests.filter((r) => r.method === 'DELETE').length, deletesBefore);
      assert.ok(notes.shown.some((n) => n.level === 'warning' && /^Nothing was revoked on .*nothing was revoked/.test(n.message)));
      assert.ok(notes.shown.every((n) => !n.message.includes(stranger) && !n.message.includes(leaked)));
      assert.strictEqual(await answers(stored), 200);
      assert.strictEqual(await answers(other), 200);
    } finally {
      await removeAllConnections(api);
      await fake.close();
      fs.rmSync(path.join(workspaceRoot(), 'exact'), { recursive: true, force: true });
    }
  });

  it("verifies the guard's findings live or dead after the modal: a PAT only to the user's own Data Center site, a Cloud token next to a foreign site not sent; Cancel sends nothing", async () => {
    const fake = await startFakeJira();
    const root = workspaceRoot();
    try {
      const ctx = '/verify';
      const stored = makeDataCenterPat();
      const live = makeDataCenterPat();
      const dead = makeDataCenterPat();
      const cloud = makeCloudToken();
      fake.addDataCenterUser({ contextPath: ctx, username: 'verify-user', pat: stored, patName: 'stored here' });
      fake.addDataCenterUser({ contextPath: ctx, username: 'verify-user', pat: live, patName: 'laptop' });
      await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
        kind: 'datacenter-pat',
        baseUrl: fake.url + ctx,
        username: 'verify-user',
        token: stored,
        label: 'DC verify',
      });
      const dir = path.join(root, 'verify');
      fs.mkdirSync(dir, { recursive: true });
      // Read from disk by Scan Workspace (never opened), as the command's main use is.
      fs.writeFileSync(path.join(dir, 'live.sh'), `export JIRA_PAT=${live}\n`);
      fs.writeFileSync(path.join(dir, 'dead.sh'), `export JIRA_PAT=${dead}\n`);
      // The workspace names its own host next to a Cloud token, and its own verifyHosts: neither is used.
      fs.writeFileSync(path.join(dir, 'cloud.env'), `JIRA_URL=${fake.url}\nJIRA_EMAIL=me@example.com\nJIRA_API_TOKEN=${cloud}\n`);
      fs.writeFileSync(path.join(root, '.jira-token-guard.json'), JSON.stringify({ verifyHosts: ['http://127.0.0.1:9'] }));
      await vscode.commands.executeCommand('jiraTokenGuard.scanWorkspace');
      const uris = ['live.sh', 'dead.sh', 'cloud.env'].map((f) => vscode.Uri.file(path.join(dir, f)));
      for (const uri of uris) await waitFor(`a finding in ${uri.fsPath}`, () => ourDiagnostics(uri).length === 1);
      // Only this test's findings: files other tests left name real Atlassian sites, and no test sends a token off the machine.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const own = new Set(uris.map((u) => u.toString()));
      for (const key of [...api.leaks.diagnostics.allFindings().keys()])
        if (!own.has(key)) api.leaks.diagnostics.clearFile(vscode.Uri.parse(key));
      assert.deepStrictEqual([...api.leaks.diagnostics.allFindings().keys()].sort(), [...own].sort());
      const requestsBefore = fake.requests.length;

      const cancel = api.ui.answer([undefined]);
      try {
        assert.strictEqual(
          await vscode.commands.executeCommand('jiraTokenGuard.verifyLeakedTokens', { hosts: ['http://127.0.0.1:9'] }),
          undefined,
        );
      } finally {
        cancel.stop();
      }
      assert.strictEqual(cancel.asked.length, 1, cancel.asked.join('\n'));
      assert.match(
        cancel.asked[0],
        /^warning: Verify \d+ leaked token finding\(s\) against Jira\? Each token is sent only to 127\.0\.0\.1:\d+\.$/,
      );
      assert.ok(cancel.asked[0].endsWith(`${new URL(fake.url).host}.`), "only the host of the user's connection");
      assert.strictEqual(fake.requests.length, requestsBefore, 'Cancel: nothing sent');

      const notes = api.ui.recordNotifications();
      const allow = api.ui.answer(['Verify']);
      let counts: unknown;
      try {
        counts = await vscode.commands.executeCommand('jiraTokenGuard.verifyLeakedTokens');
      } finally {
        allow.stop();
        notes.stop();
      }
      const [liveDiag] = ourDiagnostics(uris[0]);
      const [deadDiag] = ourDiagnostics(uris[1]);
      const [cloudDiag] = ourDiagnostics(uris[2]);
      assert.match(liveDiag.message, /Verified live: 127\.0\.0\.1:\d+ accepted it\.$/);
      assert.strictEqual(liveDiag.severity, vscode.DiagnosticSeverity.Error, 'a live token is an error');
      assert.match(deadDiag.message, /Verified dead: refused by 127\.0\.0\.1:\d+/);
      assert.match(cloudDiag.message, /Verified unknown: not sent: .*site named is not Atlassian's\.$/);
      const sent = fake.requests.slice(requestsBefore);
      assert.ok(sent.length > 0);
      assert.ok(
        sent.every((r) => r.path.startsWith(`${ctx}/`)),
        "only the connection's site was asked",
      );
      assert.ok(
        sent.every((r) => !(r.headers.authorization ?? '').includes(cloud)),
        'the Cloud token was sent nowhere',
      );
      assert.ok(counts && typeof counts === 'object' && (counts as { live: number }).live >= 1);
      const summary = notes.shown.find((n) => n.message.startsWith('Verified '));
      assert.ok(summary, notes.shown.map((n) => n.message).join('\n'));
      assert.match(summary.message, /\d+ live, \d+ dead, \d+ unknown\. Revoke the live ones now/);
      for (const text of [summary.message, liveDiag.message, deadDiag.message, cloudDiag.message])
        for (const token of [live, dead, cloud, stored]) assert.ok(!text.includes(token), 'no token shown');
    } finally {
      await removeAllConnections(api);
      await fake.close();
      fs.rmSync(path.join(root, 'verify'), { recursive: true, force: true });
      fs.rmSync(path.join(root, '.jira-token-guard.json'), { force: true });
    }
  });

  it('scans the workspace: unopened files, .gitignore and the ignore file honoured', async () => {
    const root = workspaceRoot();
    const write = (relative: string, content: string) => {
      fs.mkdirSync(path.dirname(path.join(root, 'scan', relative)), { recursive: true });
      fs.writeFileSync(path.join(root, 'scan', relative), content);
    };
    const ignoredByFile = makeCloudToken();
    write('.gitignore', 'build/\n*.local\n');
    write('src/app.js', `const jiraToken = "${makeCloudToken()}";\n`);
    write('deep/nested/run.sh', `curl -H "Authorization: Bearer ${makeDataCenterPat()}" https://jira.example.com/rest/api/2/myself\n`);
    write('build/out.js', `const t = "${makeCloudToken()}";\n`);
    write('secrets.local', `JIRA_API_TOKEN=${makeCloudToken()}\n`);
    write('docs/old.md', `ignored: ${ignoredByFile}\n`);
    write('image.png', `\u0000\u0001PNG${makeCloudToken()}`);
    fs.writeFileSync(path.join(root, '.jira-token-guard-ignore'), `${fingerprintOf(ignoredByFile)} # old docs\n`);
    await api.leaks.ignoreFile.reload();
    const summary = await vscode.commands.executeCommand<{
      findings: Array<{ file: string; ruleId: string; line: number }>;
      skippedFiles: number;
    }>('jiraTokenGuard.scanWorkspace');
    const found = summary.findings.filter((f) => f.file.startsWith('scan/')).map((f) => `${f.file}:${f.line}:${f.ruleId}`);
    assert.deepStrictEqual(found, ['scan/deep/nested/run.sh:1:jira-dc-pat', 'scan/src/app.js:1:atlassian-api-token']);
    assert.ok(summary.skippedFiles >= 1, 'the binary file is skipped and counted');
    const appUri = vscode.Uri.file(path.join(root, 'scan', 'src', 'app.js'));
    assert.strictEqual(ourDiagnostics(appUri).length, 1, 'unopened files get diagnostics in the Problems panel');
  });

  it('scans an open file from the editor, unsaved edits included', async () => {
    const doc = await openFile('opened/draft.js', 'const a = 1;\n');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(1, 0), `const jiraToken = "${makeCloudToken()}";\n`);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(doc.isDirty, 'the token is only in the editor');
    try {
      const summary = await vscode.commands.executeCommand<{ findings: Array<{ file: string; ruleId: string; line: number }> }>(
        'jiraTokenGuard.scanWorkspace',
      );
      const found = summary.findings.filter((f) => f.file.startsWith('opened/')).map((f) => `${f.file}:${f.line}:${f.ruleId}`);
      assert.deepStrictEqual(found, ['opened/draft.js:2:atlassian-api-token']);
      assert.strictEqual(ourDiagnostics(doc.uri).length, 1, 'the live guard shows the finding in the editor');
    } finally {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(path.join(workspaceRoot(), 'opened'), { recursive: true, force: true });
    }
  });

  it('"check whether live" asks the site found near the token, only on request', async () => {
    const fake = await startFakeJira();
    try {
      const token = makeCloudToken();
      fake.addCloudAccount({ email: 'dev@acme.io', token });
      const doc = await openFile('live/.env', `JIRA_BASE_URL=${fake.url}\nJIRA_EMAIL=dev@acme.io\nJIRA_API_TOKEN=${token}\n`);
      const [diagnostic] = await diagnosticsSettled(doc.uri, 1);
      assert.strictEqual(fake.requests.length, 0, 'nothing is sent before the user asks');
      const result = (await runQuickFix(doc, diagnostic.range, 'Check whether', { confirmed: true, kind: 'cloud' })) as CheckResult;
      assert.strictEqual(result.status, 'valid');
      assert.strictEqual(fake.requestsTo('site').length, 1);
    } finally {
      await fake.close();
    }
  });

  it('inlineIgnores: false at any level turns every ignore comment off, in the editor and Scan Workspace', async () => {
    const root = workspaceRoot();
    fs.mkdirSync(path.join(root, 'inline'), { recursive: true });
    fs.writeFileSync(path.join(root, 'inline', 'closed.env'), `# jira-token-guard:ignore\nJIRA_API_TOKEN=${makeCloudToken()}\n`);
    const doc = await openFile(
      'inline/config.py',
      [
        '# jira-token-guard:ignore',
        `JIRA_API_TOKEN = "${makeCloudToken()}"`,
        `OTHER = "${makeCloudToken()}"  # gitleaks:allow`,
        `MARKER = "${makeCloudToken()}"`,
        '',
      ].join('\n'),
      'python',
    );
    const scanned = async (): Promise<string[]> => {
      const summary = await vscode.commands.executeCommand<{ findings: Array<{ file: string; line: number }> }>(
        'jiraTokenGuard.scanWorkspace',
      );
      return summary.findings
        .filter((f) => f.file.startsWith('inline/'))
        .map((f) => `${f.file}:${f.line}`)
        .sort();
    };
    const [marker] = await diagnosticsSettled(doc.uri, 1);
    // The workbench learns of diagnostics a moment after the extension host: code actions need them there.
    const titlesOf = (range: vscode.Range): Promise<string[]> =>
      waitFor('the quick fixes', async () => {
        const titles = await quickFixTitles(doc, range);
        return titles.includes('Ignore this token in this workspace') ? titles : undefined;
      });
    assert.ok((await titlesOf(marker.range)).includes('Ignore this token here'));
    assert.deepStrictEqual(await scanned(), ['inline/config.py:4']);
    try {
      await setSetting('inlineIgnores', false);
      const all = await diagnosticsSettled(doc.uri, 3);
      assert.ok(!(await titlesOf(all[2].range)).includes('Ignore this token here'), 'no quick fix that would not work');
      const everything = ['inline/closed.env:2', 'inline/config.py:2', 'inline/config.py:3', 'inline/config.py:4'];
      assert.deepStrictEqual(await scanned(), everything);
      // The repository's own settings cannot turn them back on over the user's false.
      await setSetting('inlineIgnores', true, vscode.ConfigurationTarget.Workspace);
      assert.strictEqual(ourDiagnostics(doc.uri).length, 3);
      assert.deepStrictEqual(await scanned(), everything);
    } finally {
      await setSetting('inlineIgnores', undefined, vscode.ConfigurationTarget.Workspace);
      await setSetting('inlineIgnores', undefined);
    }
    await diagnosticsSettled(doc.uri, 1);
    const manifest = vscode.extensions.getExtension('jira-token-guard.jira-token-guard')!.packageJSON;
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('jiraTokenGuard.inlineIgnores'));
  });

  it('reads .jira-token-guard-ignore only as a regular file under 1 MB, and never writes through a link', async () => {
    const root = workspaceRoot();
    const ignorePath = path.join(root, '.jira-token-guard-ignore');
    const token = makeCloudToken();
    const fingerprint = fingerprintOf(token);
    const doc = await openFile('ignorefile/notes.md', `Token: ${token}\n`, 'markdown');
    const [diagnostic] = await diagnosticsSettled(doc.uri, 1);
    // The workbench learns of diagnostics a moment after the extension host: code actions need them there.
    await waitFor('the quick fixes', async () =>
      (await quickFixTitles(doc, diagnostic.range)).includes('Ignore this token in this workspace'),
    );
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-ignore-target-'));
    const target = path.join(outside, 'list');
    fs.writeFileSync(target, `${fingerprint}\n`);
    const notRead = async (what: string): Promise<void> => {
      await api.leaks.ignoreFile.reload();
      assert.ok(!api.leaks.ignoreFile.ignored().has(fingerprint), `${what} is not read`);
      assert.strictEqual(ourDiagnostics(doc.uri).length, 1, `${what}: the finding stays`);
      const refusal = await runQuickFix(doc, diagnostic.range, 'Ignore this token in this workspace').then(
        () => 'no refusal',
        (error: Error) => error.message,
      );
      assert.match(
        refusal,
        /symbolic link, a special file or larger than 1 MB, so it was left as it is/,
        `${what}: Ignore in Workspace refuses (got: ${refusal})`,
      );
    };
    try {
      fs.symlinkSync(target, ignorePath);
      await notRead('a symbolic link');
      assert.strictEqual(fs.readFileSync(target, 'utf8'), `${fingerprint}\n`, 'the link target is untouched');
      assert.ok(fs.lstatSync(ignorePath).isSymbolicLink());
      fs.rmSync(ignorePath);

      execFileSync('mkfifo', [ignorePath]);
      await notRead('a FIFO');
      fs.rmSync(ignorePath);

      fs.writeFileSync(ignorePath, `${fingerprint}\n` + `${'0'.repeat(64)}\n`.repeat(20_000));
      await notRead('a file over 1 MB');
      fs.rmSync(ignorePath);

      // A plain file is read, and Ignore in Workspace adds to it, keeping what it held and its permissions.
      fs.writeFileSync(ignorePath, '# reviewed by the team\n', { mode: 0o600 });
      fs.chmodSync(ignorePath, 0o600);
      await runQuickFix(doc, diagnostic.range, 'Ignore this token in this workspace');
      assert.ok(fs.lstatSync(ignorePath).isFile());
      assert.strictEqual(fs.lstatSync(ignorePath).mode & 0o777, 0o600);
      const written = fs.readFileSync(ignorePath, 'utf8');
      assert.ok(written.startsWith('# reviewed by the team\n') && written.includes(fingerprint), written);
      assert.deepStrictEqual(
        fs.readdirSync(root).filter((name) => name.endsWith('.tmp')),
        [],
        'no temporary file left',
      );
      await diagnosticsSettled(doc.uri, 0);
    } finally {
      fs.rmSync(ignorePath, { force: true });
      fs.rmSync(outside, { recursive: true, force: true });
      await api.leaks.ignoreFile.reload();
    }
  });

  it('Scan Workspace and the command-line scan report the same findings on the same tree', async () => {
    const root = workspaceRoot();
    const write = (relative: string, content: string) => {
      fs.mkdirSync(path.dirname(path.join(root, 'same', relative)), { recursive: true });
      fs.writeFileSync(path.join(root, 'same', relative), content);
    };
    write('.gitignore', 'dist/\n');
    write('pkg/.gitignore', '*.gen.ts\n!keep.gen.ts\n');
    write('pkg/a.ts', `export const jiraToken = '${makeCloudToken()}';\nconst other = "${makeAccessToken()}";\n`);
    write('pkg/b.gen.ts', `const t = '${makeCloudToken()}';\n`);
    write('pkg/keep.gen.ts', `const t = '${makeCloudToken()}';\n`);
    write('dist/bundle.js', `var t="${makeCloudToken()}";`);
    write('conf/app.properties', `jira.api.token=${makeLegacyCloudToken()}\nbitbucket=${makeBitbucketAppPassword()}\n`);
    write('scripts/curl.sh', `curl -H "Authorization: Bearer ${makeDataCenterPat()}" https://jira.example.com/rest/api/2/myself\n`);
    // UTF-16 with a BOM (as PowerShell writes it) is text; a BOM is not a column.
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`# setup\r\n$JiraToken = "${makeCloudToken()}"\r\n`, 'utf16le')]);
    fs.writeFileSync(path.join(root, 'same', 'scripts', 'setup.ps1'), utf16);
    write('scripts/bom.env', `\uFEFFJIRA_API_TOKEN=${makeCloudToken()}\n`);
    // A pattern that made backtracking matchers run for minutes over folders nested 50 deep.
    write('deep/.gitignore', `${'**/a/'.repeat(8)}b\n`);
    write(`deep/${'a/'.repeat(50)}b`, `${makeCloudToken()}\n`);
    write(`deep/${'a/'.repeat(50)}c.txt`, `${makeCloudToken()}\n`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const summary = await vscode.commands.executeCommand<{
      findings: Array<{ file: string; line: number; ruleId: string; fingerprint: string }>;
    }>('jiraTokenGuard.scanWorkspace');
    type Compared = { file: string; line: number; ruleId: string; fingerprint: string };
    const compared = (findings: Compared[]) =>
      findings
        .map(({ file, line, ruleId, fingerprint }) => ({ file, line, ruleId, fingerprint }))
        .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    const fromEditor = compared(summary.findings);
    const cli = await runCli(['scan', '--format', 'json', root], root);
    assert.strictEqual(cli.status, 1, `the command line finds tokens: ${cli.stderr}`);
    const fromCli = compared((JSON.parse(cli.stdout) as { findings: Compared[] }).findings);
    assert.ok(fromCli.filter((f) => f.file.startsWith('same/')).length >= 5, 'the tree has findings to compare');
    assert.deepStrictEqual(fromEditor, fromCli);
    const files = new Set(fromEditor.map((f) => f.file));
    for (const file of ['same/scripts/setup.ps1', 'same/scripts/bom.env', `same/deep/${'a/'.repeat(50)}c.txt`])
      assert.ok(files.has(file), file);
    assert.ok(!files.has(`same/deep/${'a/'.repeat(50)}b`), 'the nested pattern still ignores its file');
  });
});
