// The files a folder scan reads: every regular file under the root except what .gitignore files inside
// the root exclude (nested ones apply to their own folder, as in git and in the editor's Scan Workspace)
// and the skipped folders (.git, node_modules unless included). Symbolic links are not followed: a link
// can point outside the tree or into a loop, and its target is scanned where it lives.
// Synchronous on purpose: with the file cache warm, sync directory reads are several times faster than
// promise-based ones, and the consumer yields to the event loop often enough for a progress display.
import * as fs from 'fs';
import * as path from 'path';
import { GitignoreMatcher } from '../core/gitignore';

export interface WalkOptions {
  /** Honour .gitignore files. Default true. */
  gitignore?: boolean;
  /** Folder names never entered (anywhere in the tree). */
  skippedDirs: ReadonlySet<string>;
  /** A folder that could not be listed; the walk goes on. */
  onError?: (relativePath: string, error: NodeJS.ErrnoException) => void;
}

export interface WalkedFile {
  absolute: string;
  /** Relative to the root, '/'-separated. */
  relative: string;
}

export function* walkFiles(root: string, options: WalkOptions): Generator<WalkedFile> {
  const matcher = options.gitignore === false ? undefined : new GitignoreMatcher();
  let rulesSeen = false; // most trees of dependencies have no .gitignore at all: no matching then
  const pending: string[] = [''];
  while (pending.length) {
    const dir = pending.pop()!;
    const absoluteDir = dir ? path.join(root, dir) : root;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(absoluteDir, { withFileTypes: true });
    } catch (error) {
      options.onError?.(dir || '.', error as NodeJS.ErrnoException);
      continue;
    }
    // A folder's own .gitignore decides about its entries, so it is read before they are.
    if (matcher && entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        matcher.add(dir, fs.readFileSync(path.join(absoluteDir, '.gitignore'), 'utf8'));
        rulesSeen = true;
      } catch (error) {
        options.onError?.(join(dir, '.gitignore'), error as NodeJS.ErrnoException);
      }
    }
    const subdirs: string[] = [];
    const ignored = (relative: string, isDirectory: boolean): boolean => rulesSeen && matcher!.ignores(relative, isDirectory);
    for (const entry of entries) {
      const relative = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!options.skippedDirs.has(entry.name) && !ignored(relative, true)) subdirs.push(relative);
      } else if (entry.isFile() && !ignored(relative, false)) {
        yield { absolute: path.join(absoluteDir, entry.name), relative };
      }
    }
    // Depth first: keeps the list of pending folders short.
    pending.push(...subdirs.reverse());
  }
}

function join(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}
