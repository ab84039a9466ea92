// The `.jira-token-guard-ignore` file of a scanned root: SHA-256 fingerprints the team chose to ignore,
// the same file the extension's "Ignore in Workspace" writes. It never holds a secret. The scanned tree
// controls it: it is read only when it is a regular file under the size cap.
import * as path from 'path';
import { parseIgnoreFile } from '../core/scanner';
import { IGNORE_FILE_MAX_BYTES, IGNORE_FILE_NAME, ignoreFileProblem } from '../core/files/ignoreList';
import { readRegularFile } from '../core/files/regularFile';

export { IGNORE_FILE_NAME };

export interface IgnoreList {
  fingerprints: Set<string>;
  /** Set when the file exists but was not read: the scan then reports what it would have hidden. */
  warning?: string;
}

export async function readIgnoreList(root: string): Promise<IgnoreList> {
  const read = await readRegularFile(path.join(root, IGNORE_FILE_NAME), IGNORE_FILE_MAX_BYTES);
  switch (read.kind) {
    case 'read':
      return { fingerprints: parseIgnoreFile(read.bytes.toString('utf8')) };
    case 'missing':
      return { fingerprints: new Set() };
    default:
      return { fingerprints: new Set(), warning: ignoreFileProblem(read.kind) };
  }
}
