// Shared by the integration suites: the single way to reach the running extension (its Test-mode hooks,
// with a scripted UI and a test clock put in place), clean state between tests, and waiting for things to
// happen (never a fixed sleep). Only types come from src/: the tests drive the bundled extension and load
// no second copy of its code (lint enforces it).
import * as assert from 'assert';
import { spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { JiraTokenGuardApi } from '../../src/api';
import type { TestingHooks } from '../../src/testSeams';
import { ScriptedUi } from '../support/scriptedUi';
import { TestClock } from '../support/testClock';
import { waitFor } from '../support/waiting';

const repo = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { publisher: string; name: string };

/** The extension under test, as VS Code names it (publisher.name). */
export const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

/**
 * Where the extension keeps its state in globalState, written out rather than imported: a stored format
 * (renaming a key loses what users have), so a test that pins it is worth having.
 */
export const StateKeys = {
  connections: 'jiraTokenGuard.connections.v1',
  reminders: 'jiraTokenGuard.reminders.v1',
  mcpOffers: 'jiraTokenGuard.mcpOffers.v1',
  debugGrants: 'jiraTokenGuard.debugGrants.v1',
  acceptedSettings: 'jiraTokenGuard.acceptedSettings.v1',
} as const;

/** A token's fingerprint as the extension records it (ignore list, connection details): its SHA-256, in hex. */
export function fingerprintOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Runs the command line of the extension under test (its bundled dist/cli.js) with the host's own Node. */
export function runCli(args: string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const cli = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
  return new Promise((resolve, reject) => {
    // The desktop host's process.execPath is Electron, which runs as plain Node with this variable.
    const child = spawn(process.execPath, [cli, ...args], {
      cwd,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
}

/** The extension's Test-mode hooks plus the scripted UI and the clock the tests drive it with. */
export type TestApi = TestingHooks & {
  readonly ui: ScriptedUi;
  readonly clock: TestClock;
  /** Secrets read before the first test touched anything: activation and start-up work. */
  readonly secretReadsAtStart: number;
};

let hooks: TestApi | undefined;

/** What activate() returned: the public API, and in this (Test mode) run `testing`. */
export async function extensionExports(): Promise<JiraTokenGuardApi & { testing?: TestingHooks }> {
  const extension = vscode.extensions.getExtension<JiraTokenGuardApi & { testing?: TestingHooks }>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in the test host`);
  return extension.isActive ? extension.exports : await extension.activate();
}

export async function extensionApi(): Promise<TestApi> {
  if (hooks) return hooks;
  const { testing } = await extensionExports();
  assert.ok(testing, 'exports.testing is missing: the extension does not run in Test mode');
  const ui = new ScriptedUi(testing.realUi);
  const clock = new TestClock();
  testing.useUi(ui);
  testing.useClock(() => clock.now());
  hooks = { ...testing, ui, clock, secretReadsAtStart: testing.secretReads() };
  return hooks;
}

export async function removeAllConnections(api: TestApi): Promise<void> {
  for (const c of api.store.list()) await api.store.remove(c.id);
}

/** The settings guard's button for a change that weakens the guard (src/common/settingsGuard.ts). */
export const APPLY_SETTING_CHANGE = 'Apply Change';

/**
 * Writes a setting of the extension as the user does, and confirms the settings guard's question when the
 * change weakens the guard (a change that does not is applied without one). Resolves once it is in force.
 */
export async function setSetting(
  key: string,
  value: unknown,
  target: vscode.ConfigurationTarget = vscode.ConfigurationTarget.Global,
  scope?: vscode.Uri,
): Promise<void> {
  const api = await extensionApi();
  const config = () => vscode.workspace.getConfiguration('jiraTokenGuard', scope);
  const at = () => {
    const inspected = config().inspect(key);
    if (target === vscode.ConfigurationTarget.Global) return inspected?.globalValue;
    if (target === vscode.ConfigurationTarget.Workspace) return inspected?.workspaceValue;
    return inspected?.workspaceFolderValue;
  };
  const script = api.ui.answer([APPLY_SETTING_CHANGE]);
  try {
    await config().update(key, value, target);
    // In Restricted Mode VS Code hides a restricted setting's workspace values (the guard does not see them either).
    const hidden = target !== vscode.ConfigurationTarget.Global && !vscode.workspace.isTrusted;
    if (!hidden) await waitFor(`${key} to be written`, () => JSON.stringify(at()) === JSON.stringify(value));
    await api.settings.settled();
  } finally {
    script.stop();
  }
}

/** Runs `work` with a user (Global) setting of the extension set, then puts the previous value back. */
export async function withSetting<T>(key: string, value: unknown, work: () => Promise<T>): Promise<T> {
  const previous = vscode.workspace.getConfiguration('jiraTokenGuard').inspect(key)?.globalValue;
  await setSetting(key, value);
  try {
    return await work();
  } finally {
    await setSetting(key, previous);
  }
}

export { waitFor } from '../support/waiting';

/** Every file under a folder, recursively, as text. */
export function readAllFiles(dir: string): Array<{ file: string; text: string }> {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return readAllFiles(full);
    return [{ file: full, text: fs.readFileSync(full, 'utf8') }];
  });
}

/** The extension host's log folder (holds the output channel's log file). */
export function extensionHostLogDir(api: TestApi): string {
  return path.dirname(api.logUri.fsPath);
}

/** Everything the extension keeps outside SecretStorage, as one text: globalState and its settings. */
export function everythingOutsideSecretStorage(api: TestApi): string {
  const state = api.globalState;
  const stateText = state
    .keys()
    .map((k) => `${k}=${JSON.stringify(state.get(k))}`)
    .join('\n');
  const settings = JSON.stringify(vscode.workspace.getConfiguration('jiraTokenGuard'));
  return `${stateText}\n${settings}`;
}

/** Waits until the output channel's log file contains `marker`, then returns all the host's logs. */
export async function hostLogsAfter(api: TestApi, marker: string): Promise<string> {
  return waitFor(`"${marker}" in the output channel log`, () => {
    const all = readAllFiles(extensionHostLogDir(api))
      .map((f) => f.text)
      .join('\n');
    return all.includes(marker) ? all : undefined;
  });
}
