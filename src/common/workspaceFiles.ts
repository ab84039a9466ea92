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
