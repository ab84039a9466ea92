// The workspace's `.jira-token-guard-ignore` files: fingerprints (SHA-256 of a secret) that the team
// decided to ignore. The file never holds a secret, so it can be committed. The repository controls it:
// it is read only when it is a regular file under the size cap, and never written through a link.
import { randomBytes } from 'crypto';
import { constants, promises as fs } from 'fs';
import * as vscode from 'vscode';
import { parseIgnoreFile } from '../core/scanner';
import { IGNORE_FILE_MAX_BYTES, IGNORE_FILE_NAME, appendIgnoreEntries } from '../core/files/ignoreFileFormat';
import { readRegularFile, type RegularFileRead } from '../node/regularFile';
import { UserFacingError } from '../common/userFacingError';
import { Disposable } from '../common/lifecycle';

export { IGNORE_FILE_NAME };

export class IgnoreFile extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private fingerprints = new Set<string>();

  constructor() {
    super();
    const watcher = this._register(vscode.workspace.createFileSystemWatcher(`**/${IGNORE_FILE_NAME}`));
    const reload = () => void this.reload();
    this._register(watcher.onDidCreate(reload));
    this._register(watcher.onDidChange(reload));
    this._register(watcher.onDidDelete(reload));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(reload));
  }

  /** Reads the ignore file of every workspace folder. */
  async reload(): Promise<void> {
    const next = new Set<string>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const read = await readIgnoreFile(vscode.Uri.joinPath(folder.uri, IGNORE_FILE_NAME)).catch((): RegularFileRead => ({
        kind: 'missing',
      }));
      if (read.kind === 'read') for (const f of parseIgnoreFile(read.bytes.toString('utf8'))) next.add(f);
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
    const read = await readIgnoreFile(uri);
    if (read.kind === 'not-regular' || read.kind === 'too-large') throw new UserFacingError(NOT_WRITABLE);
    const { text, added } = appendIgnoreEntries(read.kind === 'read' ? read.bytes.toString('utf8') : undefined, [{ fingerprint, comment }]);
    if (!added) return uri;
    await writeIgnoreFile(uri, Buffer.from(text, 'utf8'));
    await this.reload();
    return uri;
  }
}

const NOT_WRITABLE =
  `${IGNORE_FILE_NAME} in this folder is a symbolic link, a special file or larger than 1 MB, so it was left as it is. ` +
  'Replace it with a plain file to keep a workspace ignore list, or use "Ignore here".';

/** Files on disk through Node (lstat, no following); other file systems through their provider's stat. */
async function readIgnoreFile(uri: vscode.Uri): Promise<RegularFileRead> {
  if (uri.scheme === 'file') return readRegularFile(uri.fsPath, IGNORE_FILE_MAX_BYTES);
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    return { kind: 'missing' };
  }
  if (stat.type !== vscode.FileType.File) return { kind: 'not-regular' }; // a link carries the SymbolicLink bit
  if (stat.size > IGNORE_FILE_MAX_BYTES) return { kind: 'too-large' };
  return { kind: 'read', bytes: Buffer.from(await vscode.workspace.fs.readFile(uri)) };
}

/**
 * On disk: written to a new file beside it, then renamed over it. A rename replaces the name itself, so
 * a link put there meanwhile is replaced, never followed; and a failed write leaves the old list intact.
 */
async function writeIgnoreFile(uri: vscode.Uri, content: Buffer): Promise<void> {
  if (uri.scheme !== 'file') {
    await vscode.workspace.fs.writeFile(uri, content);
    return;
  }
  const temporary = `${uri.fsPath}.${randomBytes(6).toString('hex')}.tmp`;
  // The list keeps its permissions; a new one gets the usual 0644.
  const mode = await fs.lstat(uri.fsPath).then(
    (stats) => stats.mode & 0o777,
    () => 0o644,
  );
  // O_EXCL: fails on any existing name, a link included.
  const handle = await fs.open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), mode);
  try {
    try {
      await handle.chmod(mode);
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, uri.fsPath);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
