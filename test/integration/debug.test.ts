// Launch configurations naming a connection get its variables at launch time, in a trusted workspace the
// user allowed; tasks get the terminal variables. Tests tagged [trusted] run in the runner's trusted pass
// (a trusted folder); the Restricted Mode test runs in the main pass.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { writeLaunchJson as writeLaunchJsonIn } from '../support/launchJson';
import type { TestApi } from './helpers';
import { makeCloudToken } from '../support/tokens';
import { everythingOutsideSecretStorage, extensionApi, readAllFiles, removeAllConnections, StateKeys, waitFor } from './helpers';

/** A debugger starting a program in a terminal, on a busy 2-core machine: seconds, not a fixed sleep. */
const PROGRAM_START_MS = 30_000;

/** Writes what it got from the environment (a hash of the token, never the token) to the file named in argv. */
const PROBE = `
const fs = require('fs');
const crypto = require('crypto');
const token = process.env.JIRA_API_TOKEN;
fs.writeFileSync(process.argv[2], JSON.stringify({
  tokenSha256: token === undefined ? null : crypto.createHash('sha256').update(token).digest('hex'),
  baseUrl: process.env.JIRA_BASE_URL ?? null,
  email: process.env.JIRA_EMAIL ?? null,
  keep: process.env.KEEP_ME ?? null,
}));
`;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('launch configurations and tasks', () => {
  let api: TestApi;
  let folder: vscode.WorkspaceFolder;
  let work: string;

  before(async () => {
    api = await extensionApi();
    const first = vscode.workspace.workspaceFolders?.[0];
    assert.ok(first, 'the test host opened a folder');
    folder = first;
    work = path.join(folder.uri.fsPath, 'jtg-debug');
    fs.mkdirSync(work, { recursive: true });
    fs.writeFileSync(path.join(work, 'probe.js'), PROBE);
  });

  afterEach(async () => {
    await removeAllConnections(api);
  });

  async function addCloud(label: string, token: string): Promise<string> {
    return vscode.commands.executeCommand<string>('jiraTokenGuard.addConnection', {
      kind: 'cloud',
      baseUrl: 'https://acme.atlassian.net',
      email: `${label.toLowerCase()}@acme.com`,
      token,
      label,
    });
  }

  function probeConfig(name: string, connection: string, outFile: string): vscode.DebugConfiguration {
    return {
      type: 'node',
      request: 'launch',
      name,
      program: '${workspaceFolder}/jtg-debug/probe.js',
      args: [outFile],
      console: 'integratedTerminal',
      env: { KEEP_ME: 'kept' },
      'jiraTokenGuard.connection': connection,
    };
  }

  if (process.env.JTG_TEST_TRUST === 'restricted') {
    it('in Restricted Mode a launch configuration naming a connection gets no token and says why', async () => {
      assert.strictEqual(vscode.workspace.isTrusted, false);
      await addCloud('Ann', makeCloudToken());
      const script = api.ui.answer([]);
      try {
        const resolved = await api.debug.resolveDebugConfigurationWithSubstitutedVariables(
          folder,
          probeConfig('Probe', 'Ann', path.join(work, 'never.json')),
        );
        assert.strictEqual(resolved, undefined, 'the launch is stopped');
        assert.ok(
          script.asked.some((q) => /Restricted Mode: trust the folder first/.test(q)),
          script.asked.join('\n'),
        );
      } finally {
        script.stop();
      }
      assert.deepStrictEqual(api.globalState.get(StateKeys.debugGrants) ?? [], []);
    });
  }

  describe('in a trusted workspace', () => {
    let starts = 0;
    let subscription: vscode.Disposable;

    before(() => {
      subscription = vscode.debug.onDidStartDebugSession(() => starts++);
    });
    after(() => subscription?.dispose());

    const writeLaunchJson = (configurations: vscode.DebugConfiguration[]) => writeLaunchJsonIn(folder, configurations);

    /** Starts a configuration by name, answering questions from `answers`; resolves to what was asked. */
    async function launch(name: string, answers: Array<string | undefined>): Promise<{ started: boolean; asked: string[] }> {
      const script = api.ui.answer(answers);
      try {
        const ended = new Promise<void>((resolve) => {
          const d = vscode.debug.onDidTerminateDebugSession(() => {
            d.dispose();
            resolve();
          });
        });
        const before = starts;
        const started = await vscode.debug.startDebugging(folder, name);
        if (started && starts > before) await ended;
        return { started: started && starts > before, asked: [...script.asked] };
      } finally {
        script.stop();
      }
    }

    /** What a second extension sees of debug sessions: their configurations and every DAP message, both ways. */
    function watchAsAnotherExtension(): { seen: string[]; configurations: vscode.DebugConfiguration[]; dispose(): void } {
      const seen: string[] = [];
      const configurations: vscode.DebugConfiguration[] = [];
      const subscriptions = [
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
      ];
      return { seen, configurations, dispose: () => subscriptions.forEach((d) => d.dispose()) };
    }

    function closeDebugTerminals(): void {
      for (const terminal of vscode.window.terminals) terminal.dispose();
    }

    it('[trusted] the program gets the variables through its terminal after one confirmation; no other extension sees the token, even by replaying the launch', async function () {
      this.timeout(120_000);
      assert.strictEqual(vscode.workspace.isTrusted, true, 'this pass runs in a trusted folder');
      const token = makeCloudToken();
      const ann = await addCloud('Ann', token);
      const out = path.join(work, 'probe-out.json');
      fs.rmSync(out, { force: true });
      const terminal = (config: vscode.DebugConfiguration) => ({ ...config, console: 'integratedTerminal' });
      const elsewhere = { ...probeConfig('Probe Ann elsewhere', 'Ann', out), program: '${workspaceFolder}/jtg-debug/other-probe.js' };
      const withPreload = {
        ...probeConfig('Probe Ann preload', 'Ann', out),
        env: { KEEP_ME: 'kept', NODE_OPTIONS: '--require ./evil.js' },
      };
      const withInternal = { ...probeConfig('Probe Ann internal', 'Ann', out), __anything: 'x' };
      const launchJson = await writeLaunchJson([
        // Node's default console is the debug console: the extension runs the program in the integrated terminal.
        { ...probeConfig('Probe Ann', 'Ann', out), console: 'internalConsole' },
        terminal(probeConfig('Probe Nobody', 'Nobody', out)),
        terminal(elsewhere),
        terminal(withPreload),
        terminal(withInternal),
        { ...probeConfig('Probe Ann console', 'Ann', out), console: 'externalTerminal' },
      ]);
      const other = watchAsAnotherExtension();
      try {
        // Declined: nothing starts, nothing is remembered.
        const declined = await launch('Probe Ann', [undefined]);
        assert.strictEqual(declined.started, false);
        assert.ok(
          declined.asked.some((q) => /The launch configuration "Probe Ann" of “.*” asks for the Jira token of “Ann”/.test(q)),
          declined.asked.join('\n'),
        );
        assert.ok(!fs.existsSync(out), 'the program did not run');

        // Allowed: the program gets the variables (and keeps its own env).
        const allowed = await launch('Probe Ann', ['Allow']);
        assert.ok(allowed.started, `the debugger started: ${allowed.asked.join('\n')}`);
        const got = JSON.parse(
          await waitFor('the probe to write its file', () => fs.existsSync(out) && fs.readFileSync(out, 'utf8'), PROGRAM_START_MS),
        );
        assert.deepStrictEqual(got, {
          tokenSha256: sha256(token),
          baseUrl: 'https://acme.atlassian.net',
          email: 'ann@acme.com',
          keep: 'kept',
        });
        assert.strictEqual(
          api.hygiene.environmentVariableCollection.get('JIRA_API_TOKEN'),
          undefined,
          'lent only while the terminal started',
        );

        // Allowed once: the next launch asks nothing (and may reuse the debug terminal, which has the variables).
        fs.rmSync(out, { force: true });
        const again = await launch('Probe Ann', []);
        assert.ok(again.started && again.asked.length === 0, again.asked.join('\n'));
        const gotAgain = JSON.parse(
          await waitFor('the probe to write its file again', () => fs.existsSync(out) && fs.readFileSync(out, 'utf8'), PROGRAM_START_MS),
        );
        assert.strictEqual(gotAgain.tokenSha256, sha256(token));
        assert.deepStrictEqual(
          api.debug.grants().map((g) => [g.workspace, g.connectionId]),
          [[folder.uri.toString(), ann]],
        );

        // Another extension starts the same configuration, as the user does: the approved program runs, and it sees no token.
        fs.rmSync(out, { force: true });
        const byName = await launch('Probe Ann', []);
        assert.ok(byName.started && byName.asked.length === 0, byName.asked.join('\n'));
        await waitFor('the probe started by another extension to write its file', () => fs.existsSync(out), PROGRAM_START_MS);
        // Or it replays the resolved configuration it saw, launch id and all: the id is dropped, and what the
        // debugger added on the way makes it another configuration, which asks again.
        const seenConfig = other.configurations.find((c) => c.name === 'Probe Ann');
        assert.ok(seenConfig && typeof seenConfig['jiraTokenGuard.launch'] === 'string', 'the other extension saw the launch');
        const replay = api.ui.answer([undefined]);
        let replayed: boolean;
        try {
          replayed = await vscode.debug.startDebugging(folder, seenConfig);
        } finally {
          replay.stop();
        }
        assert.ok(replay.asked.length === 1 ? !replayed : replayed, `${String(replayed)}: ${replay.asked.join('\n')}`);
        for (const text of other.seen) {
          assert.ok(!text.includes(token), 'a debug configuration or adapter message holds the token');
          assert.ok(!text.includes(token.slice(20, 60)), 'a debug configuration or adapter message holds part of the token');
        }
        assert.ok(
          other.seen.some((t) => t.includes('"runInTerminal"')),
          'the other extension saw the adapter ask for its terminal',
        );

        // Any change asks again: another program, NODE_OPTIONS in its env, even a key VS Code would keep to itself.
        for (const name of ['Probe Ann elsewhere', 'Probe Ann preload', 'Probe Ann internal']) {
          const changed = await launch(name, [undefined]);
          assert.strictEqual(changed.started, false, name);
          assert.ok(
            changed.asked.some((q) => q.includes(`"${name}"`)),
            `${name}: ${changed.asked.join('\n')}`,
          );
        }
        const preload = api.ui.answer([undefined]);
        try {
          await vscode.debug.startDebugging(folder, 'Probe Ann preload');
        } finally {
          preload.stop();
        }
        assert.ok(
          preload.details.some((d) => d.includes('Environment it sets: "KEEP_ME", "NODE_OPTIONS"')),
          preload.details.join('\n'),
        );
        assert.ok(
          preload.details.some((d) => /Debugger: "(pwa-)?node", from .*ms-vscode\.js-debug/.test(d)),
          preload.details.join('\n'),
        );

        // A program outside the integrated terminal cannot get the variables: the launch stops and says what to change.
        const console = await launch('Probe Ann console', []);
        assert.strictEqual(console.started, false);
        assert.ok(
          console.asked.some((q) => /in the externalTerminal\. Set "console": "integratedTerminal"/.test(q)),
          console.asked.join('\n'),
        );

        // No token anywhere on disk or in state.
        assert.ok(!fs.readFileSync(launchJson, 'utf8').includes(token), 'launch.json holds no token');
        assert.ok(!readAllFiles(folder.uri.fsPath).some((f) => f.text.includes(token)), 'no workspace file holds the token');
        assert.ok(!everythingOutsideSecretStorage(api).includes(token), 'no token in settings or globalState');

        // An unknown label stops the launch and says which name is unknown.
        const unknown = await launch('Probe Nobody', []);
        assert.strictEqual(unknown.started, false);
        assert.ok(
          unknown.asked.some((q) => /No Jira Token Guard connection is named “Nobody”/.test(q)),
          unknown.asked.join('\n'),
        );

        // Removing the connection forgets the permission: a new “Ann” must be allowed again.
        await api.store.remove(ann);
        assert.deepStrictEqual(api.debug.grants(), [], 'the permission goes with the connection');
        const annAgain = await addCloud('Ann', makeCloudToken());
        assert.ok(annAgain && api.store.get(annAgain), `a new “Ann” was added: ${JSON.stringify(api.store.list().map((c) => c.label))}`);
        const fresh = await launch('Probe Ann', [undefined]);
        assert.ok(!fresh.started && fresh.asked.some((q) => /asks for the Jira token of “Ann”/.test(q)), fresh.asked.join('\n'));
      } finally {
        other.dispose();
        closeDebugTerminals();
        fs.rmSync(launchJson, { force: true });
      }
    });

    it('[trusted] reads the env file a launch configuration names only as a regular file: a FIFO cannot hang the launch', async () => {
      await addCloud('Fifo', makeCloudToken());
      const fifo = path.join(work, `env-${Date.now()}.fifo`);
      execFileSync('mkfifo', [fifo]);
      const script = api.ui.answer([undefined]);
      try {
        const resolved = await api.debug.resolveDebugConfigurationWithSubstitutedVariables(folder, {
          ...probeConfig('Fifo probe', 'Fifo', path.join(work, 'never.json')),
          envFile: fifo,
        });
        assert.strictEqual(resolved, undefined, 'declined');
      } finally {
        script.stop();
        fs.rmSync(fifo, { force: true });
      }
      assert.ok(
        script.asked.some((q) => /asks for the Jira token of “Fifo”/.test(q)),
        script.asked.join('\n'),
      );
      assert.ok(
        script.details.some((d) => d.includes('Environment file: "')),
        script.details.join('\n'),
      );
    });

    it('[trusted] a launch another extension changes after the user allowed it gets no variables', async function () {
      this.timeout(90_000);
      await addCloud('Cal', makeCloudToken());
      const out = path.join(work, 'probe-cal.json');
      const elsewhere = path.join(work, 'probe-cal-elsewhere.json');
      for (const file of [out, elsewhere]) fs.rmSync(file, { force: true });
      await writeLaunchJson([{ ...probeConfig('Probe Cal', 'Cal', out), console: 'integratedTerminal' }]);
      // Another extension's provider, resolving after Jira Token Guard's, points the launch somewhere else.
      const changer = vscode.debug.registerDebugConfigurationProvider('*', {
        resolveDebugConfigurationWithSubstitutedVariables: (_folder, config) =>
          typeof config['jiraTokenGuard.launch'] === 'string' ? { ...config, args: [elsewhere] } : config,
      });
      const notes = api.ui.recordNotifications();
      try {
        const started = await launch('Probe Cal', ['Allow']);
        assert.ok(started.started, started.asked.join('\n'));
        const got = JSON.parse(
          await waitFor('the changed program to run', () => fs.existsSync(elsewhere) && fs.readFileSync(elsewhere, 'utf8')),
        );
        assert.strictEqual(got.tokenSha256, null, 'the changed launch got no token');
        assert.ok(
          notes.shown.some((n) => /“Probe Cal” was changed after you allowed it/.test(n.message)),
          JSON.stringify(notes.shown),
        );
      } finally {
        notes.stop();
        changer.dispose();
        closeDebugTerminals();
      }
    });

    it('[trusted] names a terminal that another extension opens while the variables are lent', async function () {
      this.timeout(90_000);
      const token = makeCloudToken();
      await addCloud('Bea', token);
      const out = path.join(work, 'probe-bea.json');
      fs.rmSync(out, { force: true });
      await writeLaunchJson([{ ...probeConfig('Probe Bea', 'Bea', out), console: 'integratedTerminal' }]);
      // The other extension opens a terminal the moment the adapter asks for one (the residual risk the README names).
      const sneaky = vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: () => ({
          onDidSendMessage: (message: { type?: string; command?: string }) => {
            if (message.type === 'request' && message.command === 'runInTerminal') vscode.window.createTerminal({ name: 'sneaky' });
          },
        }),
      });
      const notes = api.ui.recordNotifications();
      try {
        const started = await launch('Probe Bea', ['Allow']);
        assert.ok(started.started, started.asked.join('\n'));
        await waitFor('the probe to run', () => fs.existsSync(out), PROGRAM_START_MS);
        const warning = await waitFor('the warning', () =>
          notes.shown.find((n) => /"sneaky" also opened and got the Jira variables of “Bea”/.test(n.message)),
        );
        assert.strictEqual(warning.level, 'warning');
      } finally {
        notes.stop();
        sneaky.dispose();
        closeDebugTerminals();
      }
    });

    it('[trusted] tasks get the terminal variables of "Use in Terminals"', async function () {
      this.timeout(60_000);
      const token = makeCloudToken();
      const ann = await addCloud('Ann', token);
      const script = api.ui.answer(['Use in Terminals']);
      try {
        assert.strictEqual(await vscode.commands.executeCommand('jiraTokenGuard.useInTerminals', { id: ann }), ann);
      } finally {
        script.stop();
      }
      const out = path.join(work, 'task-out.json');
      fs.rmSync(out, { force: true });
      try {
        const task = new vscode.Task(
          { type: 'shell' },
          folder,
          'jtg probe',
          'test',
          new vscode.ProcessExecution(process.platform === 'win32' ? 'node.exe' : 'node', [path.join(work, 'probe.js'), out]),
        );
        const done = new Promise<void>((resolve) => {
          const d = vscode.tasks.onDidEndTaskProcess((e) => {
            if (e.execution.task.name === 'jtg probe') {
              d.dispose();
              resolve();
            }
          });
        });
        await vscode.tasks.executeTask(task);
        await done;
        const got = JSON.parse(await waitFor('the task to write its file', () => fs.existsSync(out) && fs.readFileSync(out, 'utf8')));
        assert.strictEqual(got.tokenSha256, sha256(token));
        assert.strictEqual(got.baseUrl, 'https://acme.atlassian.net');
      } finally {
        await vscode.commands.executeCommand('jiraTokenGuard.stopUsingInTerminals');
      }
    });
  });
});
