// The command-line side of `scan --history [path]`: the repository holding `path` (default: the current
// folder), its ignore list, and a progress line on a terminal's stderr.
import { promises as fs, type Stats } from 'fs';
import * as path from 'path';
import { type Parsed, UsageError, flag, stringOption } from './args';
import {
  HistoryError,
  type HistoryOutcome,
  isShallowRepository,
  newHistoryCounters,
  repositoryTop,
  scanHistory,
} from '../scanEngine/history';
import { type IgnoreListSource, readChosenIgnoreList, readIgnoreList } from '../scanEngine/ignoreList';
import { type CliIo } from './io';
import { plural } from '../core/common/text';
import { showProgressLine } from './progress';
import { type EffectiveSettings } from './projectConfigFile';
import { describeError } from '../scanEngine/scanSources';
import { type TreeScanOptions, skippedDirsFor } from '../scanEngine/treeScan';

export async function runHistoryScan(
  parsed: Parsed,
  io: CliIo,
  options: TreeScanOptions,
  settingsFor: (top: string) => Promise<EffectiveSettings>,
  ignoreSource: IgnoreListSource = { kind: 'root' },
): Promise<{ root: string; outcome: HistoryOutcome; effective: EffectiveSettings }> {
  if (parsed.positionals.length > 1) throw new UsageError('--history scans one repository: give at most one folder');
  const given = parsed.positionals[0] ?? '.';
  const folder = path.resolve(io.cwd, given);
  let stats: Stats;
  try {
    stats = await fs.stat(folder);
  } catch (error) {
    throw new UsageError(`cannot read the folder to scan: ${describeError(error)}`);
  }
  if (!stats.isDirectory()) throw new UsageError('--history needs a folder inside a git repository');
  const counters = newHistoryCounters();
  const stopProgress = showProgressLine(
    io,
    () =>
      `Scanning git history for Jira tokens: ${counters.scannedCommits} commits, ${(counters.scannedBytes / 1024 ** 2).toFixed(1)} MB added`,
  );
  try {
    const top = await repositoryTop(folder);
    const effective = await settingsFor(top);
    const ignoreList = await readChosenIgnoreList(ignoreSource, () => readIgnoreList(top));
    if (ignoreList.warning) io.stderr.write(`jira-token-guard: warning: ${ignoreList.warning}\n`);
    const outcome = await scanHistory(
      {
        top,
        range: stringOption(parsed, 'range'),
        since: stringOption(parsed, 'since'),
        maxFileBytes: effective.maxFileBytes,
        includeBinary: flag(parsed, 'include-binary'),
        reportUnverified: effective.reportUnverified,
        ignoredFingerprints: ignoreList.fingerprints,
        inlineIgnores: effective.inlineIgnores,
        skippedDirs: skippedDirsFor(options),
      },
      counters,
    );
    if (await isShallowRepository(top)) {
      stopProgress();
      io.stderr.write(
        `jira-token-guard: warning: this is a shallow clone: the history scan could see ${plural(outcome.scannedCommits, 'commit')} only, ` +
          'not the commits before them (git fetch --unshallow first; in GitHub Actions, actions/checkout with fetch-depth: 0).\n',
      );
    }
    return { root: top, outcome, effective };
  } catch (error) {
    throw error instanceof HistoryError ? new UsageError(error.message) : error;
  } finally {
    stopProgress();
  }
}
