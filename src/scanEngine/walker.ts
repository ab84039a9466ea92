// Where a folder scan's file list comes from. Inside a git work tree, git itself lists the files
// (`git ls-files --cached --others --exclude-standard`: tracked files, and untracked ones that no
// .gitignore, info/exclude or global excludes file ignores), so the scan agrees with the user's git
// whatever the patterns say. Elsewhere the core walker reads the tree through Node's file system.
import * as fs from 'fs';
import * as path from 'path';
import { type EntryType, type TreeFileSystem } from '../core/files/fileTree';
import { git, gitSync } from './git';

/** Directory reads are synchronous: with the file cache warm, several times faster than promise-based ones. */
export function nodeFileSystem(root: string): TreeFileSystem {
  const base = root.endsWith(path.sep) ? root : root + path.sep;
  return {
    readDirectory: (dir) => {
      // A loop, not map(): arrays of one element kind whatever the folder's size (map makes holey ones,
      // and an empty folder's differs again), so that the walk's optimised code is not thrown away.
      const entries: Array<[string, EntryType]> = [];
      for (const entry of fs.readdirSync(dir ? base + dir : root, { withFileTypes: true }))
        entries.push([entry.name, entry.isFile() ? 'file' : entry.isDirectory() ? 'directory' : 'other']);
      return entries;
    },
    readText: (relative) => fs.readFileSync(path.join(root, relative), 'utf8'),
  };
}

/**
 * The files git lists under `dir` (relative to it, '/'-separated), or undefined when `dir` is not in a
 * git work tree (or git is missing, or refuses the repository). git runs hardened (./git.ts): the
 * repository's configuration cannot make it run a program.
 */
export function gitListedFiles(dir: string): string[] | undefined {
  // Starting git costs more than many small files: not worth it outside any repository.
  if (!insideGitCheckout(dir)) return undefined;
  let output: Buffer;
  try {
    output = gitSync(dir, GIT_LIST_ARGS, MAX_LISTING_BYTES);
  } catch {
    return undefined;
  }
  return parseListing(output);
}

/**
 * `gitListedFiles` without blocking the event loop (the editor's extension host): git runs as a child
 * process, and `signal` (a cancelled scan) kills it. Undefined as above, and when aborted.
 */
export function gitListedFilesAsync(dir: string, signal?: AbortSignal): Promise<string[] | undefined> {
  if (signal?.aborted || !insideGitCheckout(dir)) return Promise.resolve(undefined);
  return git(dir, GIT_LIST_ARGS, { maxBuffer: MAX_LISTING_BYTES, signal }).then(parseListing, () => undefined);
}

const GIT_LIST_ARGS = ['ls-files', '-z', '--cached', '--others', '--exclude-standard'];
const MAX_LISTING_BYTES = 1024 * 1024 * 1024;

function parseListing(output: Buffer): string[] {
  // An unmerged path is listed once per stage.
  return [...new Set(output.toString('utf8').split('\0'))].filter(Boolean);
}

/** A `.git` folder (or a worktree's `.git` file) in `dir` or above it. */
function insideGitCheckout(dir: string): boolean {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, '.git'))) return true;
    if (path.dirname(current) === current) return false;
  }
}
