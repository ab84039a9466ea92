// The command line's side of `.jira-token-guard.json`: which file (the scanned root's, --config FILE, or none
// with --no-config), read as a regular file under a cap, and how it combines with the options. An option given
// on the command line wins; a key the file sets otherwise applies. Exclusions and rules switched off remove
// their findings after the scan, in every mode (folders, --staged, --history, standard input).
import * as path from 'path';
import { type ReportedFinding } from '../core/findings/reportedFinding';
import { GitignoreMatcher } from '../core/files/gitignore';
import { excludeGlobsAsIgnoreLines } from '../core/files/excludeGlobs';
import { CONFIG_FILE_MAX_BYTES, CONFIG_FILE_NAME, type ProjectConfig, parseProjectConfig } from '../core/files/projectConfig';
import { readRegularFile } from '../node/regularFile';
import { type Parsed, UsageError, flag, stringOption } from './args';
import { describeError } from '../scanEngine/scanSources';

export type ConfigSource = { kind: 'root' } | { kind: 'file'; file: string } | { kind: 'none' };

export function parseConfigSource(parsed: Parsed, cwd: string): ConfigSource {
  const file = stringOption(parsed, 'config');
  if (file !== undefined && flag(parsed, 'no-config')) throw new UsageError('give --config or --no-config, not both');
  if (file === '') throw new UsageError('--config needs a file');
  if (file !== undefined) return { kind: 'file', file: path.resolve(cwd, file) };
  return flag(parsed, 'no-config') ? { kind: 'none' } : { kind: 'root' };
}

/** The configuration for a scan whose root is `root`; a missing root file is no configuration. */
export async function loadProjectConfig(source: ConfigSource, root: string): Promise<ProjectConfig> {
  if (source.kind === 'none') return {};
  const file = source.kind === 'file' ? source.file : path.join(root, CONFIG_FILE_NAME);
  const what = source.kind === 'file' ? 'the --config file' : `${CONFIG_FILE_NAME} in the scanned folder`;
  let read;
  try {
    read = await readRegularFile(file, CONFIG_FILE_MAX_BYTES);
  } catch (error) {
    throw new UsageError(`cannot read ${what}: ${describeError(error)}`);
  }
  switch (read.kind) {
    case 'missing':
      if (source.kind === 'file') throw new UsageError('cannot read the --config file: no such file or directory');
      return {};
    case 'not-regular':
      throw new UsageError(`${what} is not a regular file (a symbolic link, FIFO or device): not read (--no-config scans without it)`);
    case 'too-large':
      throw new UsageError(`${what} is larger than ${CONFIG_FILE_MAX_BYTES / 1024} KB: not read`);
    case 'read': {
      const result = parseProjectConfig(read.bytes.toString('utf8'), source.kind === 'file' ? 'the --config file' : CONFIG_FILE_NAME);
      if (!result.ok) throw new UsageError(result.error);
      return result.config;
    }
  }
}

/** Where the options and the file meet: what the scan runs with, and the filter on its findings. */
export interface EffectiveSettings {
  maxFileBytes: number;
  reportUnverified: boolean;
  inlineIgnores: boolean;
  /** The findings a scan reports: without the excluded paths and the rules switched off. */
  keep(findings: ReportedFinding[]): ReportedFinding[];
}

export function effectiveSettings(
  parsed: Parsed,
  config: ProjectConfig,
  maxFileBytesOption: number | undefined,
  defaultMaxFileBytes: number,
): EffectiveSettings {
  const rulesOff = new Set<string>(config.rulesOff ?? []);
  const matcher = config.exclude?.length
    ? new GitignoreMatcher().add('', excludeGlobsAsIgnoreLines(config.exclude), `${CONFIG_FILE_NAME} "exclude"`)
    : undefined;
  const excluded = (file: string) => matcher?.ignores(file) ?? false;
  return {
    maxFileBytes: maxFileBytesOption ?? config.maxFileBytes ?? defaultMaxFileBytes,
    reportUnverified: flag(parsed, 'report-unverified') || config.reportUnverified === true,
    // Either one turns them off.
    inlineIgnores: !flag(parsed, 'no-inline-ignores') && config.inlineIgnores !== false,
    keep(findings) {
      if (!rulesOff.size && !matcher) return findings;
      return findings.flatMap((finding) => {
        if (rulesOff.has(finding.ruleId)) return [];
        if (!excluded(finding.file)) return [finding];
        // From history: a secret also added at a path not excluded stays, at its first such place.
        const others = (finding.alsoAddedIn ?? []).filter((o) => !excluded(o.file));
        if (!others.length) return [];
        const [first, ...rest] = others;
        const width = finding.endLine === finding.line ? finding.endColumn - finding.column : 0;
        return [
          {
            ...finding,
            file: first.file,
            line: first.line,
            column: first.column,
            endLine: first.line,
            endColumn: first.column + width,
            introducedIn: { commit: first.commit, author: first.author, date: first.date },
            alsoAddedIn: rest,
          },
        ];
      });
    },
  };
}
