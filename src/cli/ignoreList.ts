// The `.jira-token-guard-ignore` file of a scanned root: SHA-256 fingerprints the team chose to ignore,
// the same file the extension's "Ignore in Workspace" writes. It never holds a secret.
import { promises as fs } from 'fs';
import * as path from 'path';
import { parseIgnoreFile } from '../core/scanner';
import { IGNORE_FILE_NAME } from '../core/ignoreList';

export { IGNORE_FILE_NAME };

export async function readIgnoreList(root: string): Promise<Set<string>> {
  try {
    return parseIgnoreFile(await fs.readFile(path.join(root, IGNORE_FILE_NAME), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return new Set();
    throw error;
  }
}
