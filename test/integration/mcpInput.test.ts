// The .vscode/mcp.json quick fix in the real host: the credential literal becomes `${input:…}`, a
// password input is declared, the file stays valid JSONC with its comments, and the secret is gone.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { parse, type ParseError } from 'jsonc-parser';
import { makeCloudToken } from '../support/tokens';
import { extensionApi, waitFor } from './helpers';

const SOURCE = 'Jira Token Guard';

interface McpJson {
  inputs?: Array<Record<string, unknown>>;
  servers: Record<string, { env?: Record<string, string>; headers?: Record<string, string> }>;
}

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration host opens a workspace folder');
  return folder.uri.fsPath;
}

async function settled(uri: vscode.Uri, count: number): Promise<vscode.Diagnostic[]> {
  return waitFor(`${count} leak diagnostic(s) on mcp.json`, () => {
    const list = vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
    return list.length === count ? list : undefined;
  });
}

/** Waits until the workbench offers our fixes: it learns of diagnostics after the extension host. */
async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return waitFor('the quick fixes', async () => {
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const ours = actions.filter((a) => a.command?.command.startsWith('jiraTokenGuard.'));
    return ours.some((a) => a.title === 'Ignore this token in this workspace') ? ours : undefined;
  });
}

function validJsonc(text: string): McpJson {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true }) as McpJson;
  assert.deepStrictEqual(errors, [], 'the file is valid JSONC');
  return value;
}

describe('.vscode/mcp.json quick fix', () => {
  const file = () => path.join(workspaceRoot(), '.vscode', 'mcp.json');

  before(async () => {
    await extensionApi();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(file(), { force: true });
  });

  it('replaces the literal by ${input:…}, declares a password input, keeps the JSONC valid and its comments', async () => {
    const envSecret = `Pw-${Math.random().toString(36).slice(2)}!${Date.now()}`;
    const token = makeCloudToken();
    const credentials = Buffer.from(`dev@acme.io:${token}`).toString('base64');
    const content = [
      '{',
      '\t// Jira tools for the assistant',
      '\t"servers": {',
      '\t\t"jira": {',
      '\t\t\t"command": "uvx",',
      '\t\t\t"args": ["mcp-atlassian"],',
      '\t\t\t"env": {',
      '\t\t\t\t"JIRA_URL": "https://acme.atlassian.net",',
      `\t\t\t\t"JIRA_API_TOKEN": "${envSecret}", // pasted from the token page`,
      '\t\t\t},',
      '\t\t},',
      '\t\t"atlassian": {',
      '\t\t\t"type": "http",',
      '\t\t\t"url": "https://mcp.atlassian.com/v1/mcp",',
      `\t\t\t"headers": { "Authorization": "Basic ${credentials}" }`,
      '\t\t}',
      '\t}',
      '}',
      '',
    ].join('\n');
    fs.mkdirSync(path.dirname(file()), { recursive: true });
    fs.writeFileSync(file(), content);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file()));
    await vscode.window.showTextDocument(doc);
    const diagnostics = await settled(doc.uri, 2);
    const envDiagnostic = diagnostics.find((d) => doc.getText(d.range) === envSecret);
    assert.ok(envDiagnostic, 'the env literal is flagged');
    assert.strictEqual(envDiagnostic.code, 'mcp-config-credential');

    const actions = await quickFixes(doc.uri, envDiagnostic.range);
    assert.strictEqual(
      `${actions[0].title}${actions[0].isPreferred ? ' (preferred)' : ''}`,
      'Replace with an input VS Code asks for once (${input:…}) (preferred)',
    );
    assert.strictEqual(actions.filter((a) => a.isPreferred).length, 1, 'the only preferred fix');
    assert.ok(!actions.some((a) => a.title.startsWith('Move token')), 'no environment lookup: mcp.json would not expand it');
    const fix = actions[0];
    const first = await vscode.commands.executeCommand<{ inputId: string }>(fix.command!.command, ...(fix.command!.arguments ?? []));
    assert.strictEqual(first.inputId, 'jira-api-token');

    // Saved at once: the secret left the disk.
    let onDisk = fs.readFileSync(file(), 'utf8');
    assert.ok(!onDisk.includes(envSecret), 'the secret is gone from the file');
    let config = validJsonc(onDisk);
    assert.strictEqual(config.servers.jira.env?.JIRA_API_TOKEN, '${input:jira-api-token}');
    assert.strictEqual(config.inputs?.length, 1);
    assert.deepStrictEqual(
      { ...config.inputs[0], description: typeof config.inputs[0].description },
      { type: 'promptString', id: 'jira-api-token', description: 'string', password: true },
    );
    assert.ok(onDisk.includes('\t// Jira tools for the assistant') && onDisk.includes('// pasted from the token page'), 'comments kept');
    assert.ok(onDisk.includes('\t\t\t"command": "uvx",\n'), 'untouched lines keep their tabs');

    // The Basic header: "Basic " stays, the input holds the base64 credentials.
    const [basic] = await settled(doc.uri, 1);
    const headerFix = (await quickFixes(doc.uri, basic.range)).find((a) => a.title.startsWith('Replace with an input'));
    assert.ok(headerFix?.isPreferred, 'offered and preferred on the Basic header too');
    const second = await vscode.commands.executeCommand<{ inputId: string }>(
      headerFix.command!.command,
      ...(headerFix.command!.arguments ?? []),
    );
    onDisk = fs.readFileSync(file(), 'utf8');
    config = validJsonc(onDisk);
    assert.strictEqual(config.servers.atlassian.headers?.Authorization, `Basic \${input:${second.inputId}}`);
    assert.deepStrictEqual(
      config.inputs?.map((i) => [i.id, i.type, i.password]),
      [
        ['jira-api-token', 'promptString', true],
        [second.inputId, 'promptString', true],
      ],
    );
    assert.ok(!onDisk.includes(credentials) && !onDisk.includes(token), 'neither the header value nor the token is left');
    await settled(doc.uri, 0);
  });

  it('is not offered outside .vscode/mcp.json', async () => {
    const secret = `Pw-${Math.random().toString(36).slice(2)}!x`;
    const other = path.join(workspaceRoot(), '.cursor', 'mcp.json');
    fs.mkdirSync(path.dirname(other), { recursive: true });
    fs.writeFileSync(other, JSON.stringify({ mcpServers: { jira: { command: 'uvx', env: { JIRA_API_TOKEN: secret } } } }, null, 2));
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(other));
      await vscode.window.showTextDocument(doc);
      const [diagnostic] = await settled(doc.uri, 1);
      const titles = (await quickFixes(doc.uri, diagnostic.range)).map((a) => a.title);
      assert.ok(!titles.some((t) => t.startsWith('Replace with an input')), titles.join(', '));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(path.dirname(other), { recursive: true, force: true });
    }
  });
});
