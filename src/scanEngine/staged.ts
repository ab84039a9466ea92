// `scan --staged`: what the next commit would contain, read from the git index (not the working tree,
// which may differ after a partial `git add -p`). Paths are relative to the repository's top folder.
import * as path from 'path';
import { IGNORE_FILE_MAX_BYTES, ignoreFileProblem } from '../core/files/ignoreFileFormat';
import { parseIgnoreFile } from '../core/scanner';
import { UsageError } from './usageError';
import { ReadError, type SourceFile } from './scanSources';
import { IGNORE_FILE_NAME, type IgnoreList, type IgnoreListSource, readChosenIgnoreList, readIgnoreList } from './ignoreList';
import { GitError, MISSING_OBJECTS, git as runGit, missingObjects } from './git';

export interface StagedTree {
  /** The repository's top folder: findings are relative to it. */
  root: string;
  sources: SourceFile[];
  /** The index's `.jira-token-guard-ignore`, or the working tree's when the index has none (or as `ignoreSource` says). */
  ignoreList: IgnoreList;
}

/**
 * `pathspecs` (relative to `cwd`) narrow the staged files, as `git diff -- <pathspec>` does. No folder is
 * skipped: a commit holds what is staged, node_modules included (`git add -f` puts anything there).
 */
export async function stagedTree(
  cwd: string,
  pathspecs: readonly string[],
  ignoreSource: IgnoreListSource = { kind: 'root' },
): Promise<StagedTree> {
  const top = (
    await git(cwd, ['rev-parse', '--show-toplevel']).catch((error: Error) => {
      throw error instanceof UsageError ? error : new UsageError(`--staged needs a git repository: ${error.message}`);
    })
  )
    .toString('utf8')
    .trim();
  // Added, copied, modified, renamed: deleted files add nothing to a commit; submodules are other repositories.
  // git's message would quote the pathspec, which may be anything that was typed.
  const listed = await git(cwd, [
    'diff',
    '--cached',
    '--no-ext-diff',
    '--no-textconv',
    '--name-only',
    '-z',
    '--diff-filter=ACMR',
    '--ignore-submodules=all',
    '--',
    ...pathspecs,
  ]).catch((error: Error) => {
    if (error instanceof UsageError) throw error;
    // Renames are found by content: a partial clone may lack the blobs that takes.
    if (error instanceof GitError && missingObjects(error.stderr))
      throw new UsageError(`git could not list the staged files: ${MISSING_OBJECTS}`);
    throw new UsageError('git could not list the staged files: check that the paths given are inside the repository');
  });
  const names = listed.toString('utf8').split('\0').filter(Boolean);
  const sources = names.map((name): SourceFile => ({
    file: name,
    fileName: path.join(top, name),
    read: (maxBytes) => stagedContent(top, name, maxBytes),
  }));
  return { root: top, sources, ignoreList: await readChosenIgnoreList(ignoreSource, () => stagedIgnoreList(top)) };
}

/** Read from the index when it is there as a plain file (not a link) under the cap; else from the working tree, with the same rules. */
async function stagedIgnoreList(top: string): Promise<IgnoreList> {
  const entry = (await git(top, ['ls-files', '--stage', '-z', '--', IGNORE_FILE_NAME]).catch(() => Buffer.alloc(0)))
    .toString('utf8')
    .split('\0')[0];
  const [meta, name] = entry.split('\t');
  const [mode, , stage] = (meta ?? '').split(' ');
  if (name !== IGNORE_FILE_NAME || stage !== '0') return readIgnoreList(top);
  if (mode !== '100644' && mode !== '100755') return { fingerprints: new Set(), warning: ignoreFileProblem('not-regular') };
  try {
    return {
      fingerprints: parseIgnoreFile(
        (await git(top, ['show', '--no-textconv', `:0:${IGNORE_FILE_NAME}`], IGNORE_FILE_MAX_BYTES)).toString('utf8'),
      ),
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
      return { fingerprints: new Set(), warning: ignoreFileProblem('too-large') };
    // Not the working tree's list instead: it may accept what the staged one does not.
    if (error instanceof GitError && missingObjects(error.stderr))
      throw new UsageError(`cannot read the staged ${IGNORE_FILE_NAME}: ${MISSING_OBJECTS}`);
    return readIgnoreList(top);
  }
}

/** Stage 0 spelled out: a file named `1:x` must not read as stage 1 of `x`. */
async function stagedContent(top: string, name: string, maxBytes: number): Promise<Uint8Array | 'too-large'> {
  try {
    return await git(top, ['show', '--no-textconv', `:0:${name}`], maxBytes);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return 'too-large';
    if (error instanceof GitError && missingObjects(error.stderr)) throw new ReadError(MISSING_OBJECTS);
    throw new ReadError(`git: ${(error as Error).message}`);
  }
}

/** git in the repository the environment names, if any (a pre-commit hook's index); hardened like every git. */
async function git(cwd: string, args: string[], maxBuffer = 256 * 1024 * 1024): Promise<Buffer> {
  try {
    return await runGit(cwd, args, { maxBuffer, repositoryFromEnvironment: true });
  } catch (error) {
    if (error instanceof GitError && error.code === 'ENOENT') throw new UsageError('git was not found on PATH');
    throw error;
  }
}
