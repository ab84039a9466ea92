// MCP server definitions (VS Code 1.101+): offered connections only, the token added at start time and
// nowhere else; on older VS Code the feature is absent and activation is unaffected.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TestApi } from './helpers';
import type { McpServerDefinition } from '../../src/mcp/mcpServers';
import { makeCloudToken, makeDataCenterPat } from '../support/tokens';
import {
  everythingOutsideSecretStorage,
  EXTENSION_ID,
  extensionApi,
  readAllFiles,
  removeAllConnections,
  StateKeys,
  waitFor,
} from './helpers';

const LOCAL_COMMAND_SETTING = 'mcp.localServerCommand';

/** Whether this host's VS Code has the MCP extension API (1.101 and later). */
function hostHasMcpApi(): boolean {
  const [major, minor] = vscode.version.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 101);
}

function basic(email: string, token: string): string {
  return `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;
}

describe(`MCP servers (VS Code ${vscode.version})`, () => {
  let api: TestApi;

  before(async () => {
    api = await extensionApi();
  });

  if (!hostHasMcpApi()) {
    it('before 1.101: activation succeeds, no provider; the MCP commands say why, and nothing is stored', async () => {
      assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, 'the extension is active');
      assert.strictEqual(api.mcp, undefined, 'no MCP provider is created');
      const lm = (vscode as unknown as { lm?: Record<string, unknown> }).lm;
      assert.strictEqual(typeof lm?.registerMcpServerDefinitionProvider, 'undefined', 'this host really lacks the API');
      assert.match(api.features.unavailable('mcp') ?? '', /has no MCP API|older than 1\.101/);
      const notes = api.ui.recordNotifications();
      try {
        assert.strictEqual(await vscode.commands.executeCommand('jiraTokenGuard.offerToMcp'), undefined);
      } finally {
        notes.stop();
      }
      assert.ok(
        notes.shown.some((n) => /MCP servers: not available in this window/.test(n.message)),
        JSON.stringify(notes.shown),
      );
      assert.strictEqual(api.globalState.get(StateKeys.mcpOffers), undefined);
    });
    return;
  }

  describe('on a VS Code with the MCP API', () => {
    let mcp: NonNullable<TestApi['mcp']>;
    let changes = 0;
    let subscription: vscode.Disposable;

    async function addCloud(label: string, token: string): Promise<string> {
      const email = `${label.toLowerCase()}@acme.com`;
      return vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
        kind: 'cloud',
        baseUrl: 'https://acme.atlassian.net',
        email,
        token,
        label,
      });
    }

    async function offer(id: string, answer: string | undefined): Promise<string | undefined> {
      const script = api.ui.answer([answer]);
      try {
        return await vscode.commands.executeCommand<string | undefined>('jiraTokenGuard.offerToMcp', { id });
      } finally {
        script.stop();
      }
    }

    async function listed(): Promise<McpServerDefinition[]> {
      return mcp.provideMcpServerDefinitions();
    }

    before(() => {
      assert.ok(api.mcp, 'the MCP provider is registered on this VS Code');
      mcp = api.mcp;
      subscription = mcp.onDidChangeMcpServerDefinitions(() => changes++);
    });

    after(() => subscription?.dispose());

    afterEach(async () => {
      await removeAllConnections(api);
      await vscode.workspace.getConfiguration('jiraTokenGuard').update(LOCAL_COMMAND_SETTING, undefined, vscode.ConfigurationTarget.Global);
    });

    it('lists only the connections the user offered, and resolves the token into the header or environment at start', async () => {
      const annToken = makeCloudToken();
      const bobToken = makeCloudToken();
      const ann = await addCloud('Ann', annToken);
      const bob = await addCloud('Bob', bobToken);
      assert.deepStrictEqual(await listed(), [], 'nothing is offered by default');
      const commands = await vscode.commands.getCommands(true);
      assert.ok(commands.includes('jiraTokenGuard.offerToMcp'));

      await vscode.workspace
        .getConfiguration('jiraTokenGuard')
        .update(LOCAL_COMMAND_SETTING, ['jira-mcp-server', '--stdio'], vscode.ConfigurationTarget.Global);
      const before = changes;
      assert.strictEqual(await offer(ann, 'Offer'), ann);
      await waitFor('the change event', () => changes > before);
      assert.strictEqual(await offer(bob, undefined), undefined, 'declining offers nothing');

      const definitions = await listed();
      assert.deepStrictEqual(
        definitions.map((d) => d.label),
        ['Jira: Ann (Atlassian remote)', 'Jira: Ann (local server)'],
      );
      for (const d of definitions) {
        assert.ok(!JSON.stringify({ ...d, uri: String(d.uri) }).includes(annToken), 'a listed definition holds no token');
      }
      const [remote, local] = definitions;
      assert.strictEqual(String(remote.uri), 'https://mcp.atlassian.com/v1/mcp');
      assert.deepStrictEqual(remote.headers ?? {}, {});

      const resolvedRemote = await mcp.resolveMcpServerDefinition(remote);
      assert.strictEqual(resolvedRemote.headers?.Authorization, basic('ann@acme.com', annToken));
      const resolvedLocal = await mcp.resolveMcpServerDefinition(local);
      assert.strictEqual(resolvedLocal.command, 'jira-mcp-server');
      assert.deepStrictEqual(resolvedLocal.args, ['--stdio']);
      assert.deepStrictEqual(resolvedLocal.env, {
        JIRA_URL: 'https://acme.atlassian.net',
        JIRA_USERNAME: 'ann@acme.com',
        JIRA_API_TOKEN: annToken,
      });

      const outside = everythingOutsideSecretStorage(api);
      const files = readAllFiles(process.env.JTG_TEST_WORKSPACE ?? '')
        .map((f) => f.text)
        .join('\n');
      for (const token of [annToken, bobToken]) {
        assert.ok(!outside.includes(token), 'no token in settings or globalState');
        assert.ok(!files.includes(token), 'no token in the workspace files');
      }
      assert.deepStrictEqual(api.globalState.get(StateKeys.mcpOffers), [{ id: ann, localCommand: ['jira-mcp-server', '--stdio'] }]);
    });

    it('follows a replaced token and drops a removed connection (firing the change event)', async () => {
      const first = makeCloudToken();
      const ann = await addCloud('Ann', first);
      assert.strictEqual(await offer(ann, 'Offer'), ann);
      const [remote] = await listed();
      assert.strictEqual((await mcp.resolveMcpServerDefinition(remote)).headers?.Authorization, basic('ann@acme.com', first));

      const second = makeCloudToken();
      let before = changes;
      await api.store.replaceToken(ann, second);
      await waitFor('the change event after Replace Token', () => changes > before);
      const [replaced] = await listed();
      assert.notStrictEqual(replaced.version, remote.version, 'the version changes so VS Code restarts the server');
      assert.strictEqual((await mcp.resolveMcpServerDefinition(replaced)).headers?.Authorization, basic('ann@acme.com', second));

      before = changes;
      await api.store.remove(ann);
      await waitFor('the change event after Remove', () => changes > before);
      assert.deepStrictEqual(await listed(), []);
      await assert.rejects(Promise.resolve(mcp.resolveMcpServerDefinition(replaced)), /no longer offered/);
      assert.deepStrictEqual(mcp.offers(), [], 'the offer goes with the connection');
    });

    it('Data Center PAT: only a local server, with JIRA_PERSONAL_TOKEN; without a local command it cannot be offered', async () => {
      const pat = makeDataCenterPat();
      const id = await vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
        kind: 'datacenter-pat',
        baseUrl: 'https://jira.acme.com',
        token: pat,
        label: 'DC',
      });
      await assert.rejects(Promise.resolve(offer(id, 'Offer')), /not a Cloud connection/);
      await vscode.workspace
        .getConfiguration('jiraTokenGuard')
        .update(LOCAL_COMMAND_SETTING, ['jira-mcp'], vscode.ConfigurationTarget.Global);
      assert.strictEqual(await offer(id, 'Offer'), id);
      const definitions = await listed();
      assert.deepStrictEqual(
        definitions.map((d) => d.label),
        ['Jira: DC (local server)'],
      );
      assert.deepStrictEqual((await mcp.resolveMcpServerDefinition(definitions[0])).env, {
        JIRA_URL: 'https://jira.acme.com',
        JIRA_PERSONAL_TOKEN: pat,
      });
    });

    it('a workspace cannot name the local server: only the user settings count', async () => {
      const ann = await addCloud('Ann', makeCloudToken());
      const settingsFile = path.join(process.env.JTG_TEST_WORKSPACE ?? '', '.vscode', 'settings.json');
      const previous = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile) : undefined;
      await vscode.workspace.fs.writeFile(
        vscode.Uri.file(settingsFile),
        Buffer.from(
          JSON.stringify({
            'jiraTokenGuard.mcp.localServerCommand': ['repo-owned-program'],
            'jiraTokenGuard.reportUnverifiedTokens': true,
          }),
        ),
      );
      // Seen by VS Code (a resource setting of the same file, not restricted in Restricted Mode) before the offer.
      await waitFor(
        'VS Code to read the workspace settings',
        () => vscode.workspace.getConfiguration('jiraTokenGuard').get('reportUnverifiedTokens') === true,
      );
      try {
        assert.strictEqual(await offer(ann, 'Offer'), ann);
        assert.deepStrictEqual(
          (await listed()).map((d) => d.label),
          ['Jira: Ann (Atlassian remote)'],
          'no local server from the workspace',
        );
        assert.deepStrictEqual(mcp.offers(), [{ id: ann }]);
      } finally {
        if (previous) await vscode.workspace.fs.writeFile(vscode.Uri.file(settingsFile), previous);
        else await vscode.workspace.fs.delete(vscode.Uri.file(path.dirname(settingsFile)), { recursive: true });
        await waitFor(
          'the workspace settings to go',
          () => vscode.workspace.getConfiguration('jiraTokenGuard').get('reportUnverifiedTokens') === false,
        );
      }
    });

    it('the command approved with the offer is used: a later change of the setting hands the token to nothing new', async () => {
      const ann = await addCloud('Ann', makeCloudToken());
      await vscode.workspace
        .getConfiguration('jiraTokenGuard')
        .update(LOCAL_COMMAND_SETTING, ['approved-server'], vscode.ConfigurationTarget.Global);
      assert.strictEqual(await offer(ann, 'Offer'), ann);
      await vscode.workspace
        .getConfiguration('jiraTokenGuard')
        .update(LOCAL_COMMAND_SETTING, ['some-other-program'], vscode.ConfigurationTarget.Global);
      const local = (await listed()).find((d) => d.label.endsWith('(local server)'));
      assert.strictEqual(local?.command, 'approved-server');
      assert.strictEqual(await vscode.commands.executeCommand('jiraTokenGuard.stopOfferingToMcp', { id: ann }), ann);
      assert.deepStrictEqual(await listed(), []);
    });
  });
});
