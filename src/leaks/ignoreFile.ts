// The workspace's `.jira-token-guard-ignore` files: fingerprints (SHA-256 of a secret) that the team
// decided to ignore. The file never holds a secret, so it can be committed.
import * as vscode from 'vscode';
import { formatIgnoreEntry, parseIgnoreFile } from '../core/scanner';
import { UserFacingError } from '../userFacingError';

import { IGNORE_FILE_NAME } from '../core/ignoreList';

export { IGNORE_FILE_NAME };

const HEADER = [
  '# Jira Token Guard: findings to ignore in this workspace, one SHA-256 fingerprint per line.',
  '# A fingerprint identifies a token without revealing it; this file holds no secret.',
  '',
].join('\n');

export class IgnoreFile implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private fingerprints = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${IGNORE_FILE_NAME}`);
    const reload = () => void this.reload();
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate(reload),
      watcher.onDidChange(reload),
      watcher.onDidDelete(reload),
      vscode.workspace.onDidChangeWorkspaceFolders(reload),
      this.changed,
    );
  }

  /** Reads the ignore file of every workspace folder. */
  async reload(): Promise<void> {
    const next = new Set<string>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const text = await readText(vscode.Uri.joinPath(folder.uri, IGNORE_FILE_NAME));
      if (text !== undefined) for (const f of parseIgnoreFile(text)) next.add(f);
    }
    const same = next.size === this.fingerprints.size && [...next].every((f) => this.fingerprints.has(f));
    this.fingerprints = next;
    if (!same) this.changed.fire();
  }

  ignored(): ReadonlySet<string> {
    return this.fingerprints;
  }

  /** Appends a fingerprint to the ignore file of the folder holding `resource` (or the first folder). */
  async add(resource: vscode.Uri, fingerprint: string, comment: string): Promise<vscode.Uri> {
    const folder = vscode.workspace.getWorkspaceFolder(resource) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new UserFacingError('Open a folder to keep a workspace ignore list; use "Ignore here" for a single file.');
    const uri = vscode.Uri.joinPath(folder.uri, IGNORE_FILE_NAME);
    const current = (await readText(uri)) ?? HEADER;
    if (parseIgnoreFile(current).has(fingerprint)) return uri;
    const separator = current.endsWith('\n') || current === '' ? '' : '\n';
    await vscode.workspace.fs.writeFile(uri, Buffer.from(`${current}${separator}${formatIgnoreEntry(fingerprint, comment)}\n`, 'utf8'));
    await this.reload();
    return uri;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  } catch {
    return undefined;
  }
}
