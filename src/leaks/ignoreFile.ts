// The workspace's `.jira-token-guard-ignore` files: fingerprints (SHA-256 of a secret) that the team
// decided to ignore. The file never holds a secret, so it can be committed. The repository controls it:
// it is read only when it is a regular file under the size cap, and never written through a link.
import * as vscode from 'vscode';
import { parseIgnoreFile } from '../core/scanner';
import { IGNORE_FILE_MAX_BYTES, IGNORE_FILE_NAME, appendIgnoreEntries } from '../core/files/ignoreFileFormat';
import { utf8Bytes, utf8Text } from '../core/common/bytes';
import { UserFacingError } from '../common/userFacingError';
import { Disposable } from '../common/lifecycle';
import { type DiskAccess, readWorkspaceFile, type WorkspaceFileRead, writeWorkspaceFile } from './diskAccess';

export { IGNORE_FILE_NAME };

export class IgnoreFile extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private fingerprints = new Set<string>();

  constructor(private readonly disk?: DiskAccess) {
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
      const read = await readWorkspaceFile(vscode.Uri.joinPath(folder.uri, IGNORE_FILE_NAME), IGNORE_FILE_MAX_BYTES, this.disk).catch(
        (): WorkspaceFileRead => ({
          kind: 'missing',
        }),
      );
      if (read.kind === 'read') for (const f of parseIgnoreFile(utf8Text(read.bytes))) next.add(f);
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
    const read = await readWorkspaceFile(uri, IGNORE_FILE_MAX_BYTES, this.disk);
    if (read.kind === 'not-regular' || read.kind === 'too-large') throw new UserFacingError(NOT_WRITABLE);
    const { text, added } = appendIgnoreEntries(read.kind === 'read' ? utf8Text(read.bytes) : undefined, [{ fingerprint, comment }]);
    if (!added) return uri;
    await writeWorkspaceFile(uri, utf8Bytes(text), this.disk);
    await this.reload();
    return uri;
  }
}

const NOT_WRITABLE =
  `${IGNORE_FILE_NAME} in this folder is a symbolic link, a special file or larger than 1 MB, so it was left as it is. ` +
  'Replace it with a plain file to keep a workspace ignore list, or use "Ignore here".';
