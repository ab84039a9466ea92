// How the leak guard reads the repository's own files (the ignore list, .jira-token-guard.json) and writes the
// ignore list. On disk (`file:` URIs) through Node, with rules a file-system provider cannot give: no link
// followed, an atomic replace (src/leaks/nodeDisk.ts, given by the desktop entry). Without it (the browser),
// and for every other scheme, through `workspace.fs`.
import * as vscode from 'vscode';

/** What reading found: a regular file's bytes, nothing, or something it must not follow or read. */
export type WorkspaceFileRead = { kind: 'read'; bytes: Uint8Array } | { kind: 'missing' | 'not-regular' | 'too-large' };

export interface DiskAccess {
  read(path: string, maxBytes: number): Promise<WorkspaceFileRead>;
  write(path: string, content: Uint8Array): Promise<void>;
}

/** Reads a regular file under the cap: on disk through `disk` when given, else through the provider's stat. */
export async function readWorkspaceFile(uri: vscode.Uri, maxBytes: number, disk: DiskAccess | undefined): Promise<WorkspaceFileRead> {
  if (uri.scheme === 'file' && disk) return disk.read(uri.fsPath, maxBytes);
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    return { kind: 'missing' };
  }
  if (stat.type !== vscode.FileType.File) return { kind: 'not-regular' }; // a link carries the SymbolicLink bit
  if (stat.size > maxBytes) return { kind: 'too-large' };
  return { kind: 'read', bytes: await vscode.workspace.fs.readFile(uri) };
}

/** Writes a file: on disk through `disk` when given, else through the provider. */
export async function writeWorkspaceFile(uri: vscode.Uri, content: Uint8Array, disk: DiskAccess | undefined): Promise<void> {
  if (uri.scheme === 'file' && disk) await disk.write(uri.fsPath, content);
  else await vscode.workspace.fs.writeFile(uri, content);
}
