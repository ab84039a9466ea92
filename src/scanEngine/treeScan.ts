// A folder scan with the command line's rules: the walker (.gitignore, skipped folders), the root's
// `.jira-token-guard-ignore`, the size limit and binary check. `collectFindings` exposes the result in the
// shape of the editor's Scan Workspace summary so the two can be compared on the same tree.
import * as path from 'path';
import { eventLoopTurns } from '../core/common/eventLoopTurns';
import { walkTree } from '../core/files/fileTree';
import { ALWAYS_SKIPPED_DIRS, compileScope, type DroppedPattern, GitignoreMatcher, type MatchStats } from '../core/files/gitignore';
import { readIgnoreList } from './ignoreList';
import {
  DEFAULT_MAX_FILE_KB,
  type ScanCounters,
  type ScanOutcome,
  type SourceFile,
  describeError,
  diskSource,
  scanSources,
} from './scanSources';
import { gitListedFiles, nodeFileSystem } from './walker';

export interface TreeScanOptions {
  /** Honour .gitignore files. Default true. */
  gitignore?: boolean;
  includeNodeModules?: boolean;
  includeGitDir?: boolean;
  includeBinary?: boolean;
  /** Default 2048, the editor's default. */
  maxFileKB?: number;
  reportUnverified?: boolean;
  /** Inside a git work tree, let git list the files (default true); false walks the folders instead. */
  useGit?: boolean;
  /** Counts the .gitignore pattern work of a walk. */
  stats?: MatchStats;
  /** A pattern too costly to match was dropped (its .gitignore's path is relative to the scanned root). */
  onPatternDropped?: (dropped: DroppedPattern) => void;
  /** .gitignore lines that exclude whatever the .gitignore files say (the editor's files.exclude). */
  excludePatterns?: string;
  /** What git listed, fetched beforehand (the editor lists without blocking); used instead of running git. */
  gitListed?: readonly string[];
  /** A cancelled walk ends early. */
  cancelled?: () => boolean;
  /** The walk gives the event loop a turn at least this often. */
  yieldEveryMs?: number;
}

const LISTED_BATCH = 512;

export function skippedDirsFor(options: Pick<TreeScanOptions, 'includeNodeModules' | 'includeGitDir'>): Set<string> {
  const skipped = new Set(ALWAYS_SKIPPED_DIRS);
  if (options.includeNodeModules) skipped.delete('node_modules');
  if (options.includeGitDir) skipped.delete('.git');
  return skipped;
}

/** Walks `root` (absolute) and scans what the walk yields, every path relative to `root`. */
export async function scanTree(root: string, options: TreeScanOptions = {}, counters?: ScanCounters): Promise<ScanOutcome> {
  const walkErrors: string[] = [];
  const sources = treeSources(root, '', options, (relative, error) => walkErrors.push(`cannot read ${relative}: ${describeError(error)}`));
  const outcome = await scanSources(
    sources,
    {
      maxFileBytes: (options.maxFileKB ?? DEFAULT_MAX_FILE_KB) * 1024,
      includeBinary: options.includeBinary,
      reportUnverified: options.reportUnverified,
      ignoredFingerprints: (await readIgnoreList(root)).fingerprints,
    },
    counters,
  );
  return { ...outcome, errors: [...walkErrors, ...outcome.errors] };
}

/**
 * The files under `dir`, reported as `prefix` + their path relative to `dir`: as git lists them inside a
 * work tree (when .gitignore files are honoured and .git is not scanned), else as the walk finds them.
 */
export async function* treeSources(
  dir: string,
  prefix: string,
  options: TreeScanOptions,
  onError: (relative: string, error: unknown) => void,
): AsyncGenerator<SourceFile[]> {
  const skippedDirs = skippedDirsFor(options);
  // Plain concatenation: path.join normalises every path, a cost paid per file for nothing here.
  const base = dir.endsWith(path.sep) ? dir : dir + path.sep;
  const absolute =
    path.sep === '/' ? (relative: string) => base + relative : (relative: string) => base + relative.split('/').join(path.sep);
  const listed = options.gitListed ?? (usesGit(options) ? gitListedFiles(dir) : undefined);
  const excludePatterns = options.excludePatterns ?? '';
  // Nothing listed: the folder itself is ignored by its repository, yet it was asked for by name.
  if (listed?.length) {
    const excluded = excludePatterns
      ? new GitignoreMatcher(options.stats, options.onPatternDropped).add('', excludePatterns, '')
      : undefined;
    const keep = (relative: string): boolean => {
      if (skippedDirs.size && relative.split('/').some((part) => skippedDirs.has(part))) return false;
      return !(excluded && !excluded.isEmpty && excluded.ignores(relative));
    };
    // In batches, with a turn of the event loop now and then: a listing can hold hundreds of thousands of paths.
    const turns = eventLoopTurns(options.yieldEveryMs);
    for (let from = 0; from < listed.length; from += LISTED_BATCH) {
      if (options.cancelled?.()) return;
      const turn = turns.due();
      if (turn) await turn;
      const batch = listed.slice(from, from + LISTED_BATCH).filter(keep);
      if (batch.length) yield diskSources(batch, prefix, absolute, false);
    }
    return;
  }
  const walk = walkTree(nodeFileSystem(dir), {
    gitignore: options.gitignore,
    skippedDirs,
    stats: options.stats,
    onPatternDropped: (dropped) => options.onPatternDropped?.({ ...dropped, file: dropped.file && prefix + dropped.file }),
    excluded: excludePatterns ? compileScope('', excludePatterns, '') : undefined,
    cancelled: options.cancelled,
    yieldEveryMs: options.yieldEveryMs,
    onError: (relative, error) => onError(prefix + relative, error),
  });
  for await (const folder of walk) yield diskSources(folder, prefix, absolute, true);
}

/** A loop, not map(): batches of one element kind (see nodeFileSystem), for the scan's optimised code. */
function diskSources(
  relatives: readonly string[],
  prefix: string,
  absolute: (relative: string) => string,
  followLinks: boolean,
): SourceFile[] {
  const sources: SourceFile[] = [];
  for (const relative of relatives) sources.push(diskSource(prefix + relative, absolute(relative), followLinks));
  return sources;
}

/** Whether a folder scan with these options lets git list the files (inside a work tree). */
export function usesGit(options: Pick<TreeScanOptions, 'gitignore' | 'includeGitDir' | 'useGit'>): boolean {
  return options.gitignore !== false && !options.includeGitDir && options.useGit !== false;
}

export interface CollectedFinding {
  /** Relative to the root, '/'-separated. */
  file: string;
  /** 1-based. */
  line: number;
  ruleId: string;
  fingerprint: string;
}

/**
 * The findings `jira-token-guard scan <root>` reports, sorted by file, line, rule id and fingerprint
 * (`compareCollected`): the shape of the editor's Scan Workspace summary, for comparing the two.
 * Throws when a file or folder could not be read.
 */
export async function collectFindings(root: string, options: TreeScanOptions = {}): Promise<CollectedFinding[]> {
  const outcome = await scanTree(root, options);
  if (outcome.errors.length) throw new Error(outcome.errors.join('\n'));
  return outcome.findings.map(({ file, line, ruleId, fingerprint }) => ({ file, line, ruleId, fingerprint })).sort(compareCollected);
}

export function compareCollected(a: CollectedFinding, b: CollectedFinding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
  return a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0;
}
