// The `.jira-token-guard-ignore` file of a scanned root: SHA-256 fingerprints the team chose to ignore,
// the same file the extension's "Ignore in Workspace" writes. It never holds a secret. The scanned tree
// controls it: it is read only when it is a regular file under the size cap. A pull request controls it
// too, so CI can take the list from elsewhere (--ignore-file, e.g. the base branch's) or go without.
import * as path from 'path';
import { parseIgnoreFile } from '../core/scanner';
import { IGNORE_FILE_MAX_BYTES, IGNORE_FILE_NAME, ignoreFileProblem } from '../core/files/ignoreFileFormat';
import { readRegularFile } from '../node/regularFile';
import { UsageError } from './usageError';

export { IGNORE_FILE_NAME };

export interface IgnoreList {
  fingerprints: Set<string>;
  /** Set when the file exists but was not read: the scan then reports what it would have hidden. */
  warning?: string;
}

/** Where the ignore list comes from: the scanned root's file, the one named by --ignore-file, or none. */
export type IgnoreListSource = { kind: 'root' } | { kind: 'file'; file: string } | { kind: 'none' };

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

/**
 * The list from `source`; `fromRoot` reads the root's (a staged scan reads it from the index). A missing
 * --ignore-file is an error (the path was mistyped); a link, FIFO or huge one is not read, with a warning.
 */
export async function readChosenIgnoreList(source: IgnoreListSource, fromRoot: () => Promise<IgnoreList>): Promise<IgnoreList> {
  if (source.kind === 'root') return fromRoot();
  if (source.kind === 'none') return { fingerprints: new Set() };
  const read = await readRegularFile(source.file, IGNORE_FILE_MAX_BYTES);
  switch (read.kind) {
    case 'read':
      return { fingerprints: parseIgnoreFile(read.bytes.toString('utf8')) };
    case 'missing':
      throw new UsageError('cannot read the --ignore-file file: no such file or directory');
    default:
      return { fingerprints: new Set(), warning: ignoreFileProblem(read.kind, 'the --ignore-file file') };
  }
}
