// The files a folder scan reads, for the command line and the editor alike: every regular file under
// the root except skipped folders (.git, node_modules unless included) and what .gitignore files exclude.
// A .gitignore applies to its own folder and below, as in git; each is read and compiled once, and a path
// is tested only against those of its ancestor folders. Symbolic links are not followed: a link can point
// outside the tree or into a loop, and its target is scanned where it lives.
// The file system is passed in (Node's for the command line, the editor's for remote workspaces); the walk
// is asynchronous, can be cancelled, and gives the event loop a turn now and then even over a synchronous
// file system, so that it never blocks an extension host.
import { eventLoopTurns } from '../common/eventLoopTurns';
import {
  compileScope,
  type DroppedPattern,
  ignoredBy,
  type IgnoreScope,
  MatchBudget,
  type MatchLimits,
  type MatchStats,
} from './gitignore';

export type EntryType = 'file' | 'directory' | 'other';

export interface TreeFileSystem {
  /** The entries of a folder (relative to the root, '' for the root); links are 'other'. */
  readDirectory(relativeDir: string): Array<[name: string, type: EntryType]> | Promise<Array<[name: string, type: EntryType]>>;
  /** A .gitignore's text. */
  readText(relativePath: string): string | Promise<string>;
}

export interface TreeWalkOptions {
  /** Honour .gitignore files. Default true. */
  gitignore?: boolean;
  /** Folder names never entered (anywhere in the tree). */
  skippedDirs: ReadonlySet<string>;
  /** A folder or .gitignore that could not be read; the walk goes on. */
  onError?: (relativePath: string, error: unknown) => void;
  /** Checked before each folder: a cancelled walk ends early. */
  cancelled?: () => boolean;
  /** Counts the pattern work (tests assert it stays proportional to the tree). */
  stats?: MatchStats;
  /** A pattern too costly to match was dropped (the walk then lists more, never less). */
  onPatternDropped?: (dropped: DroppedPattern) => void;
  /** The pattern work allowed (default MATCH_LIMITS). */
  limits?: MatchLimits;
  /** The event loop gets a turn at least this often. Default 50 ms. */
  yieldEveryMs?: number;
  /** Excluded whatever the .gitignore files say (the editor's files.exclude and search.exclude). */
  excluded?: IgnoreScope;
}

/**
 * Relative paths ('/'-separated) of the files to scan, a folder's files at a time (one await per
 * folder, not per file), depth first.
 */
export async function* walkTree(fileSystem: TreeFileSystem, options: TreeWalkOptions): AsyncGenerator<string[]> {
  const budget = new MatchBudget(options.stats, options.onPatternDropped, options.limits);
  const turns = eventLoopTurns(options.yieldEveryMs);
  const excluded = options.excluded?.rules.length ? [options.excluded] : undefined;
  if (excluded) budget.register(excluded[0]);
  const pending: Array<{ dir: string; chain: readonly IgnoreScope[] }> = [{ dir: '', chain: [] }];
  while (pending.length) {
    if (options.cancelled?.()) return;
    const turn = turns.due();
    if (turn) await turn;
    const { dir, chain: parentChain } = pending.pop()!;
    let entries: Array<[string, EntryType]>;
    try {
      entries = await fileSystem.readDirectory(dir);
    } catch (error) {
      options.onError?.(dir || '.', error);
      continue;
    }
    // A folder's own .gitignore decides about its entries, so it is read before they are.
    let chain = parentChain;
    if (options.gitignore !== false && entries.some(([name, type]) => name === '.gitignore' && type === 'file')) {
      const ignoreFile = join(dir, '.gitignore');
      try {
        const scope = compileScope(dir, await fileSystem.readText(ignoreFile));
        if (scope.rules.length) {
          chain = [...parentChain, scope];
          budget.register(scope);
        }
      } catch (error) {
        options.onError?.(ignoreFile, error);
      }
    }
    const subdirs: Array<{ dir: string; chain: readonly IgnoreScope[] }> = [];
    const files: string[] = [];
    for (const [name, type] of entries) {
      const relative = join(dir, name);
      if (excluded && type !== 'other' && ignoredBy(excluded, relative, type === 'directory', budget)) continue;
      if (type === 'directory') {
        if (!options.skippedDirs.has(name) && !(chain.length && ignoredBy(chain, relative, true, budget)))
          subdirs.push({ dir: relative, chain });
      } else if (type === 'file' && !(chain.length && ignoredBy(chain, relative, false, budget))) {
        files.push(relative);
      }
    }
    if (files.length) yield files;
    // Depth first: keeps the list of pending folders short.
    for (let i = subdirs.length - 1; i >= 0; i--) pending.push(subdirs[i]);
  }
}

function join(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}
