// Every consent of the packaged Jira Token Guard, both ways, with VS Code's own dialogs clicked in the browser:
// this suite is another installed extension (it calls the commands with argument objects and watches what the
// VS Code API shows it), and the runner plays the user at the dialogs. Production mode: no test seams exist.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { writeLaunchJson as writeLaunchJsonIn } from '../support/launchJson';
import { type FakeJira, startFakeJira } from '../support/fakeJira';
import { makeCloudToken, makeDataCenterPat } from '../support/tokens';
import { withDialogs } from './dialogs';
import { waitFor } from '../support/waiting';
import { assertNoSecret } from '../support/secrets';

const EXTENSION_ID = 'jira-token-guard.jira-token-guard';
const run = <T>(command: string, arg?: unknown) => Promise.resolve(vscode.commands.executeCommand<T>(command, arg));
const config = () => vscode.workspace.getConfiguration('jiraTokenGuard');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('consent, clicked in VS Code’s own dialogs (the packaged extension, in Production mode)', function () {
  this.timeout(180_000);
  let fake: FakeJira;
  let workspace: string;
  const devToken = makeCloudToken();
  const eveToken = makeCloudToken();
  const alicePat = makeDataCenterPat();
  const password = `Pw${randomBytes(9).toString('hex')}`;
  const secrets = [devToken, eveToken, alicePat, password];

  /** The credential of the last request to the site that carried one. */
  const lastCredential = () => {
    const auth =
      fake
        .requestsTo('site')
        .filter((r) => r.authorization)
        .at(-1)?.authorization ?? '';
    return auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : auth;
  };
  const add = (arg: Record<string, unknown>) => run<string>('jiraTokenGuard.addConnection', { verify: true, ...arg });
  /** A Cloud connection of an account of its own (one connection per site and user). */
  const addCloud = (label: string, token = makeCloudToken()) => {
    const email = `${label.toLowerCase()}@acme.com`;
    fake.addCloudAccount({ email, token });
    secrets.push(token);
    return add({ kind: 'cloud', baseUrl: fake.url, email, token, label });
  };

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, 'the packaged extension is installed');
    const exportsValue: unknown = extension.isActive ? extension.exports : await extension.activate();
    assert.deepStrictEqual(Reflect.ownKeys(exportsValue as object), ['apiVersion'], 'Production mode: no test seams');
    workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    assert.strictEqual(vscode.workspace.isTrusted, true, 'the runner opens a trusted folder');
    fake = await startFakeJira();
    fake.addCloudAccount({ email: 'dev@acme.com', token: devToken, displayName: 'Dev' });
    fake.addCloudAccount({ email: 'eve@evil.example', token: eveToken });
    fake.addDataCenterUser({ contextPath: '/dc', username: 'alice', pat: alicePat });
    fake.addDataCenterUser({ contextPath: '/basic', username: 'bob', password });
  });

  after(async () => {
    await fake?.close();
  });

  it('Remove Connection from a command: Cancel keeps the connection and its token, Remove deletes both', async () => {
    const id = await addCloud('Temp');
    const cancelled = await withDialogs([[/asks to remove “Temp” and delete its token/, 'Cancel']], () =>
      run('jiraTokenGuard.removeConnection', { id }),
    );
    assert.match(cancelled.error?.message ?? '', /was not removed: that needs your consent/);
    assert.strictEqual((await run<{ status: string }>('jiraTokenGuard.testConnection', { id })).status, 'valid', 'still there');
    const removed = await withDialogs([[/asks to remove “Temp” and delete its token/, 'Remove']], () =>
      run('jiraTokenGuard.removeConnection', { id }),
    );
    assert.strictEqual(removed.result, id);
    await assert.rejects(run('jiraTokenGuard.testConnection', { id }), /No connection has the id/);
  });

  it('a settings change that weakens the guard: Cancel sets it back, Apply Change makes it count', async () => {
    // A token in an open file, flagged: what every extension sees through the diagnostics.
    const file = path.join(workspace, 'consent', '.env');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `JIRA_API_TOKEN=${makeCloudToken()}\n`);
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const flagged = () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Jira Token Guard').length;
    await waitFor('the token to be flagged', () => flagged() === 1);

    // Another extension points the gateway of scoped Cloud tokens at another host: asked, Cancel, set back.
    const origin = new URL(fake.otherOriginUrl).origin;
    const gateway = await withDialogs(
      [[new RegExp(`sent to ${origin.replace(/[.]/g, '\\.')} instead of Atlassian's API gateway`), 'Cancel']],
      async () => {
        await config().update('cloudGatewayUrl', fake.otherOriginUrl, vscode.ConfigurationTarget.Global);
        await waitFor('the setting to be set back', () => config().inspect('cloudGatewayUrl')?.globalValue === undefined);
      },
    );
    assert.match(gateway.dialogs[0].detail, /by you or by another extension/);

    // Leak detection off: Cancel keeps it on; Apply Change turns it off.
    await withDialogs([[/no longer be flagged/, 'Cancel']], async () => {
      await config().update('leakDetection', false, vscode.ConfigurationTarget.Global);
      await waitFor('leakDetection to be set back', () => config().inspect('leakDetection')?.globalValue === undefined);
    });
    assert.strictEqual(flagged(), 1, 'still flagged after Cancel');
    await withDialogs([[/no longer be flagged/, 'Apply Change']], async () => {
      await config().update('leakDetection', false, vscode.ConfigurationTarget.Global);
      await waitFor('the finding to go once detection is off', () => flagged() === 0);
    });
    // Turning it back on strengthens the guard: no dialog.
    await withDialogs([], async () => {
      await config().update('leakDetection', undefined, vscode.ConfigurationTarget.Global);
      await waitFor('the token to be flagged again', () => flagged() === 1);
    });
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('Edit Connection moving a stored token to another site: Cancel refuses, Keep the Token moves it', async () => {
    const id = await addCloud('Mover');
    const refused = await withDialogs([[/asks to change “Mover”: site .* → http:\/\/127\.0\.0\.1:\d+/, 'Cancel']], () =>
      run('jiraTokenGuard.editConnection', { id, baseUrl: fake.otherOriginUrl }),
    );
    assert.match(refused.error?.message ?? '', /not changed: moving its token needs your consent/);
    fake.reset();
    await run('jiraTokenGuard.testConnection', { id });
    assert.strictEqual(fake.requestsTo('other').length, 0, 'nothing reached the other site');
    const moved = await withDialogs([[/asks to change “Mover”/, 'Keep the Token']], () =>
      run('jiraTokenGuard.editConnection', { id, baseUrl: fake.otherOriginUrl }),
    );
    assert.ifError(moved.error);
    fake.reset();
    await run('jiraTokenGuard.testConnection', { id });
    assert.ok(fake.requestsTo('other').length > 0, 'the user moved it: the other site is asked now');
    await withDialogs([[/asks to remove “Mover”/, 'Remove']], () => run('jiraTokenGuard.removeConnection', { id }));
  });

  it('Replace Token with the token of another account: Cancel keeps the old one, Replace stores the new one', async () => {
    const swapToken = makeCloudToken();
    const id = await addCloud('Swap', swapToken);
    const kept = await withDialogs([[/asks to replace the token of “Swap”/, 'Cancel']], () =>
      run('jiraTokenGuard.replaceToken', { id, token: eveToken }),
    );
    assert.match(kept.error?.message ?? '', /was not replaced/);
    fake.reset();
    await run('jiraTokenGuard.testConnection', { id });
    assert.ok(lastCredential() === `swap@acme.com:${swapToken}`, 'the old token is still the one in use');
    const replaced = await withDialogs([[/asks to replace the token of “Swap”/, 'Replace']], () =>
      run('jiraTokenGuard.replaceToken', { id, token: eveToken }),
    );
    assert.ifError(replaced.error);
    fake.reset();
    await run('jiraTokenGuard.testConnection', { id });
    assert.ok(lastCredential() === `swap@acme.com:${eveToken}`, 'the user allowed it: the new token is the one in use');
    await withDialogs([[/asks to remove “Swap”/, 'Remove']], () => run('jiraTokenGuard.removeConnection', { id }));
  });

  it('Use in Terminals from a command: Cancel gives terminals nothing; allowed, no API object shows another extension the token', async () => {
    const id = await addCloud('Term');
    const declined = await withDialogs([[/asks to give new terminals the token of “Term”/, 'Cancel']], () =>
      run('jiraTokenGuard.useInTerminals', { id }),
    );
    assert.match(declined.error?.message ?? '', /was not put into terminals/);
    const allowed = await withDialogs([[/asks to give new terminals the token of “Term”/, 'Use in Terminals']], () =>
      run('jiraTokenGuard.useInTerminals', { id }),
    );
    assert.strictEqual(allowed.result, id);
    const terminal = vscode.window.createTerminal({ name: 'consent probe' });
    await terminal.processId;
    assertNoSecret(
      [JSON.stringify(vscode.window.terminals.map((t) => ({ name: t.name, options: t.creationOptions, state: t.state })))],
      secrets,
      'the terminals another extension sees',
    );
    terminal.dispose();
    await run('jiraTokenGuard.stopUsingInTerminals');
    await withDialogs([[/asks to remove “Term”/, 'Remove']], () => run('jiraTokenGuard.removeConnection', { id }));
  });

  it('Rotate Token (Data Center): Cancel makes nothing; Rotate makes, checks and stores a new token and revokes the old one', async () => {
    const id = await add({ kind: 'datacenter-pat', baseUrl: `${fake.url}/dc`, token: alicePat, label: 'DC' });
    const before = fake.patsOf('alice').length;
    const cancelled = await withDialogs([[/Rotate the token of the connection "DC" on 127\.0\.0\.1:\d+, account "alice"/, 'Cancel']], () =>
      run('jiraTokenGuard.rotateToken', { id }),
    );
    assert.strictEqual(cancelled.result, undefined);
    assert.strictEqual(fake.patsOf('alice').length, before, 'no token was made');
    const rotated = await withDialogs([[/Rotate the token of the connection "DC"/, 'Rotate']], () =>
      run<{ revokedOldToken: boolean }>('jiraTokenGuard.rotateToken', { id }),
    );
    assert.ok(rotated.result?.revokedOldToken, JSON.stringify(rotated.result));
    assert.match(rotated.dialogs[0].detail, /with the lifetime of the current one, at most 90 days/);
    assert.ok(fake.patsOf('alice').find((p) => p.pat === alicePat)?.revoked, 'the old token is revoked');
    const fresh = fake.patsOf('alice').find((p) => !p.revoked)!;
    assertNoSecret(
      [JSON.stringify(rotated.result), ...rotated.dialogs.map((d) => d.message + d.detail)],
      [alicePat, fresh.pat],
      'the answer or the dialog',
    );
    await withDialogs([[/asks to remove “DC”/, 'Remove']], () => run('jiraTokenGuard.removeConnection', { id }));
  });

  it('Find Where This Token Is Used for a password: only in the user’s flow, after a question; Cancel looks nowhere', async () => {
    const id = await add({ kind: 'datacenter-basic', baseUrl: `${fake.url}/basic`, username: 'bob', token: password, label: 'Basic' });
    const refused = await withDialogs([], () => run('jiraTokenGuard.findTokenUses', { id }));
    assert.match(refused.error?.message ?? '', /holds a password: it is looked for by content only when you ask/);
    const cancelled = await withDialogs([[/Look for the password of “Basic”/, 'Cancel']], () =>
      run('jiraTokenGuard.findTokenUses', { id, prompt: true }),
    );
    assert.strictEqual(cancelled.result, undefined);
    const searched = await withDialogs([[/Look for the password of “Basic”/, 'Look for It']], () =>
      run<unknown[]>('jiraTokenGuard.findTokenUses', { id, prompt: true }),
    );
    assert.deepStrictEqual(searched.result, [], 'searched (and found nowhere)');
    await withDialogs([[/asks to remove “Basic”/, 'Remove']], () => run('jiraTokenGuard.removeConnection', { id }));
  });

  it('Offer to MCP (VS Code 1.101 and later): Cancel offers nothing, Offer offers the connection', async () => {
    const [major, minor] = vscode.version.split('.').map(Number);
    const commands = await vscode.commands.getCommands(true);
    if (major === 1 && minor < 101) {
      // Before 1.101 the MCP API is missing or proposed: the extension offers nothing there.
      const lm = (vscode as unknown as { lm?: { registerMcpServerDefinitionProvider?: unknown } }).lm;
      assert.ok(typeof lm?.registerMcpServerDefinitionProvider !== 'function', `VS Code ${vscode.version} has no final MCP API`);
      return;
    }
    assert.ok(commands.includes('jiraTokenGuard.offerToMcp'), `VS Code ${vscode.version} has the MCP API: the command is registered`);
    const id = await addCloud('Mcp');
    const cancelled = await withDialogs([[/Offer “Mcp” to MCP servers\?/, 'Cancel']], () => run('jiraTokenGuard.offerToMcp', { id }));
    assert.strictEqual(cancelled.result, undefined);
    const offered = await withDialogs([[/Offer “Mcp” to MCP servers\?/, 'Offer']], () => run('jiraTokenGuard.offerToMcp', { id }));
    assert.strictEqual(offered.result, id);
    await run('jiraTokenGuard.stopOfferingToMcp', { id });
    await withDialogs([[/asks to remove “Mcp”/, 'Remove']], () => run('jiraTokenGuard.removeConnection', { id }));
  });

  describe('launch configurations', () => {
    let debugDir: string;
    const seen: string[] = [];
    const configurations: vscode.DebugConfiguration[] = [];
    const watchers: vscode.Disposable[] = [];

    before(async () => {
      debugDir = path.join(workspace, 'consent-debug');
      fs.mkdirSync(debugDir, { recursive: true });
      fs.writeFileSync(
        path.join(debugDir, 'probe.js'),
        "require('fs').writeFileSync(process.argv[2], require('crypto').createHash('sha256').update(process.env.JIRA_API_TOKEN ?? '').digest('hex'));\n",
      );
      fs.writeFileSync(
        path.join(debugDir, 'probe.py'),
        "import hashlib, os, sys\nopen(sys.argv[1], 'w').write(hashlib.sha256(os.environ.get('JIRA_API_TOKEN', '').encode()).hexdigest())\n",
      );
      fs.writeFileSync(path.join(debugDir, 'probe.sh'), 'printf %s "$JIRA_API_TOKEN" | sha256sum | cut -d" " -f1 | tr -d "\\n" > "$1"\n');
      // What a second extension sees of every debug session.
      watchers.push(
        vscode.debug.onDidStartDebugSession((session) => {
          configurations.push(session.configuration);
          seen.push(JSON.stringify(session.configuration));
        }),
        vscode.debug.registerDebugAdapterTrackerFactory('*', {
          createDebugAdapterTracker: () => ({
            onWillReceiveMessage: (message: unknown) => seen.push(JSON.stringify(message)),
            onDidSendMessage: (message: unknown) => seen.push(JSON.stringify(message)),
          }),
        }),
      );
    });

    after(() => {
      watchers.forEach((w) => w.dispose());
      for (const terminal of vscode.window.terminals) terminal.dispose();
    });

    async function writeLaunchJson(list: vscode.DebugConfiguration[]): Promise<void> {
      await writeLaunchJsonIn(vscode.workspace.workspaceFolders![0], list);
    }

    it('Node, Python (debugpy) and a shell script: Cancel starts nothing; Allow gives the program the token through its terminal, and another extension sees it nowhere, not even by replaying the launch', async () => {
      let hasDebugpy = true;
      try {
        execFileSync('/usr/bin/python3', ['-c', 'import debugpy'], { stdio: 'ignore' });
      } catch {
        hasDebugpy = false;
      }
      assert.ok(hasDebugpy, "Python's debugpy is missing: install Debian's python3-debugpy (.ci/run does)");
      const token = makeCloudToken();
      const id = await addCloud('Launch', token);
      const out = (name: string) => path.join(debugDir, `${name}.out`);
      const folder = vscode.workspace.workspaceFolders![0];
      const common = { request: 'launch', console: 'integratedTerminal', 'jiraTokenGuard.connection': 'Launch' };
      const launches: vscode.DebugConfiguration[] = [
        { ...common, type: 'node', name: 'Node probe', program: path.join(debugDir, 'probe.js'), args: [out('node')] },
        {
          ...common,
          type: 'jtg-python',
          name: 'Python probe',
          program: path.join(debugDir, 'probe.py'),
          args: [out('python')],
          python: '/usr/bin/python3',
        },
        { ...common, type: 'jtg-shell', name: 'Shell probe', program: path.join(debugDir, 'probe.sh'), args: [out('shell')] },
      ];
      await writeLaunchJson(launches);
      for (const launch of launches) {
        const file = launch.args[0] as string;
        fs.rmSync(file, { force: true });
        const question = new RegExp(`The launch configuration "${launch.name}" of .* asks for the Jira token of “Launch”`);
        const cancelled = await withDialogs([[question, 'Cancel']], () => vscode.debug.startDebugging(folder, launch.name));
        assert.strictEqual(cancelled.result, false, `${launch.name}: Cancel starts nothing`);
        const allowed = await withDialogs([[question, 'Allow']], () => vscode.debug.startDebugging(folder, launch.name));
        assert.strictEqual(allowed.result, true, `${launch.name}: started`);
        assert.match(allowed.dialogs[0].detail, /Debugger: ".*", from .*; the program runs in the integrated terminal/);
        const hash = await waitFor(`${launch.name} to write its file`, () => fs.existsSync(file) && fs.readFileSync(file, 'utf8'), 60_000);
        assert.strictEqual(hash, sha256(token), `${launch.name}: the program got the token`);
        // Started again (by the user or by another extension): no question, the program gets the token again.
        fs.rmSync(file, { force: true });
        const again = await withDialogs([], () => vscode.debug.startDebugging(folder, launch.name));
        assert.strictEqual(again.result, true);
        assert.strictEqual(
          await waitFor(`${launch.name} to write its file again`, () => fs.existsSync(file) && fs.readFileSync(file, 'utf8'), 60_000),
          sha256(token),
        );
      }
      assertNoSecret(seen, [token], 'a debug session configuration or adapter message');
      assert.ok(
        seen.some((text) => text.includes('"runInTerminal"')),
        'the trackers saw the adapters ask for their terminals',
      );
      assert.ok(configurations.length >= launches.length * 2);
      await withDialogs([[/asks to remove “Launch”/, 'Remove']], () => run('jiraTokenGuard.removeConnection', { id }));
    });
  });

  describe('afterwards', () => {
    it('nothing another extension can reach holds a secret', async () => {
      const exportsValue = vscode.extensions.getExtension(EXTENSION_ID)!.exports as object;
      assert.deepStrictEqual(Reflect.ownKeys(exportsValue), ['apiVersion']);
      const diagnostics = vscode.languages
        .getDiagnostics()
        .flatMap(([uri, list]) => list.map((d) => `${uri.toString()} ${d.message} ${d.source}`));
      assertNoSecret(diagnostics, secrets, 'the diagnostics');
      assertNoSecret([JSON.stringify(config())], secrets, 'the settings');
    });
  });
});
