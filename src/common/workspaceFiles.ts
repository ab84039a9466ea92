// Reading and writing the files that commands name (exports, reports, imports): a URI from whatever
// automation passed, and failures as a UserFacingError that says which file and why.
import * as path from 'path';
import * as vscode from 'vscode';
import { UserFacingError } from './userFacingError';

/** A URI given by automation: a vscode.Uri, a URI string, or an absolute file path. */
export function toUri(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) return value;
  if (typeof value === 'object' && value !== null && typeof (value as { scheme?: unknown }).scheme === 'string') {
    return vscode.Uri.from(value as vscode.Uri);
  }
  if (typeof value !== 'string' || !value) return undefined;
  if (path.isAbsolute(value) || /^[a-zA-Z]:[\\/]/.test(value)) return vscode.Uri.file(value);
  return /^[a-z][a-z0-9+.-]+:/i.test(value) ? vscode.Uri.parse(value) : undefined;
}

export async function writeTextFile(uri: vscode.Uri, text: string): Promise<void> {
  try {
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  } catch (error) {
    throw new UserFacingError(`Could not write ${describeUri(uri)} (${reason(error)}).`);
  }
}

/**
 * Writes beside the target first, then renames over it: a failed write leaves the previous file (or none)
 * and no partial one.
 */
export async function writeTextFileAtomically(uri: vscode.Uri, text: string): Promise<void> {
  // A rename with overwrite replaces a folder with everything in it: only a file (or nothing) is replaced.
  const existing = await vscode.workspace.fs.stat(uri).then(
    (stat) => stat,
    () => undefined,
  );
  if (existing && existing.type & vscode.FileType.Directory)
    throw new UserFacingError(`Could not write ${describeUri(uri)} (it is a folder).`);
  const temporary = uri.with({ path: `${uri.path}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp` });
  try {
    await vscode.workspace.fs.writeFile(temporary, Buffer.from(text, 'utf8'));
    await vscode.workspace.fs.rename(temporary, uri, { overwrite: true });
  } catch (error) {
    await vscode.workspace.fs.delete(temporary).then(undefined, () => undefined);
    throw new UserFacingError(`Could not write ${describeUri(uri)} (${reason(error)}).`);
  }
}

export async function readTextFile(uri: vscode.Uri): Promise<string> {
  try {
    return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  } catch (error) {
    throw new UserFacingError(`Could not read ${describeUri(uri)} (${reason(error)}).`);
  }
}

export function describeUri(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString(true);
}

function reason(error: unknown): string {
  if (error instanceof vscode.FileSystemError && error.code) return error.code === 'FileNotFound' ? 'no such file' : error.code;
  return (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 200);
}
