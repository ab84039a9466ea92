// Shared by the integration suites: the running extension's API, clean state between tests, and
// waiting for things to happen (never a fixed sleep).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { JiraTokenGuardApi } from '../../src/extension';
import { EXTENSION_ID } from '../../src/constants';

export async function extensionApi(): Promise<JiraTokenGuardApi> {
  const extension = vscode.extensions.getExtension<JiraTokenGuardApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in the test host`);
  return extension.isActive ? extension.exports : await extension.activate();
}

export async function removeAllConnections(api: JiraTokenGuardApi): Promise<void> {
  for (const c of api.store.list()) await api.store.remove(c.id);
}

/** Polls a condition until it holds (or fails after `timeoutMs`). */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

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
export function extensionHostLogDir(api: JiraTokenGuardApi): string {
  return path.dirname(api.testing.logUri.fsPath);
}

/** Everything the extension keeps outside SecretStorage, as one text: globalState and its settings. */
export function everythingOutsideSecretStorage(api: JiraTokenGuardApi): string {
  const state = api.testing.globalState;
  const stateText = state.keys().map((k) => `${k}=${JSON.stringify(state.get(k))}`).join('\n');
  const settings = JSON.stringify(vscode.workspace.getConfiguration('jiraTokenGuard'));
  return `${stateText}\n${settings}`;
}

/** Waits until the output channel's log file contains `marker`, then returns all the host's logs. */
export async function hostLogsAfter(api: JiraTokenGuardApi, marker: string): Promise<string> {
  return waitFor(`"${marker}" in the output channel log`, () => {
    const all = readAllFiles(extensionHostLogDir(api)).map((f) => f.text).join('\n');
    return all.includes(marker) ? all : undefined;
  });
}
