// `jira-token-guard scan`: folders, files or the git index in; a report on stdout (or a file) and an
// exit code out: 0 nothing found, 1 findings, 2 a usage or read error.
import * as fs from 'fs';
import * as path from 'path';
import { escapeControls, plural } from '../core/common/text';
import { type DroppedPattern, droppedPatternWarnings } from '../core/files/gitignore';
import { EXIT_ERROR, EXIT_FOUND, EXIT_OK, type Parsed, UsageError, flag, parseCommandLine, stringOption } from './args';
import { FORMATS, type OutputFormat, formatJson, formatSarif, formatText, textSummary } from './format';
import { SCAN_HELP } from './help';
import { IGNORE_FILE_NAME, type IgnoreList, type IgnoreListSource, readChosenIgnoreList, readIgnoreList } from '../scanEngine/ignoreList';
import { type CliIo } from './io';
import { showProgressLine } from './progress';
import { readBaseline, withoutBaseline, writeBaseline } from './baseline';
import { refuseUnwritableTarget, writeOwnFile } from './ownFile';
import { type HistoryOutcome } from '../scanEngine/history';
import { runHistoryScan } from './historyCommand';
import {
  DEFAULT_MAX_FILE_KB,
  type ScanCounters,
  type ScanOutcome,
  type ScanSettings,
  type SourceFile,
  describeError,
  diskSource,
  scanSources,
} from '../scanEngine/scanSources';
import { stagedTree } from '../scanEngine/staged';
import { STDIN_NAME, stdinSource } from './stdinSource';
import { type EffectiveSettings, effectiveSettings, loadProjectConfig, parseConfigSource } from './projectConfigFile';
import { sizeInBytes } from '../core/files/projectConfig';
import { type ReportedFinding } from '../core/findings/reportedFinding';
import { decodeText } from '../core/scanner';
import { fingerprintOf } from '../core/tokens/tokenShapes';
import { normalizeBaseUrl } from '../core/connections/url';
import { linesAround } from '../core/findings/verifyPlan';
import { type TreeScanOptions, treeSources } from '../scanEngine/treeScan';

const OPTIONS = {
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  staged: { type: 'boolean' },
  'max-file-size': { type: 'string' },
  'no-gitignore': { type: 'boolean' },
  'include-node-modules': { type: 'boolean' },
  'include-git-dir': { type: 'boolean' },
  'include-binary': { type: 'boolean' },
  'report-unverified': { type: 'boolean' },
  'no-inline-ignores': { type: 'boolean' },
  'ignore-file': { type: 'string' },
  'no-ignore-file': { type: 'boolean' },
  history: { type: 'boolean' },
  range: { type: 'string' },
  since: { type: 'string' },
  baseline: { type: 'string' },
  'write-baseline': { type: 'string' },
  'exit-zero': { type: 'boolean' },
  'stdin-name': { type: 'string' },
  config: { type: 'string' },
  verify: { type: 'boolean' },
  'verify-host': { type: 'string', multiple: true },
  'only-live': { type: 'boolean' },
  'no-config': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface ScanPlan {
  /** Reported paths are relative to it. */
  root: string;
  sources: AsyncIterable<SourceFile | SourceFile[]> | Iterable<SourceFile | SourceFile[]>;
  ignoredFingerprints: ReadonlySet<string>;
  walkErrors: string[];
  /** Things the user should know that do not make the scan incomplete. */
  warnings: string[];
  /** .gitignore patterns the walk found too costly to match: told after the scan, which finds them. */
  droppedPatterns: DroppedPattern[];
}

export async function scanCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(args, OPTIONS, true);
  if (flag(parsed, 'help')) {
    io.stdout.write(SCAN_HELP);
    return EXIT_OK;
  }
  const format = parseFormat(stringOption(parsed, 'format'));
  const maxFileSizeOption = stringOption(parsed, 'max-file-size');
  const maxFileBytesOption = maxFileSizeOption === undefined ? undefined : parseSize(maxFileSizeOption);
  const configSource = parseConfigSource(parsed, io.cwd);
  const verify = flag(parsed, 'verify');
  const verifyHostOptions = parseVerifyHosts(parsed);
  let verifyHosts = verifyHostOptions;
  const settingsFor = async (root: string): Promise<EffectiveSettings> => {
    const config = await loadProjectConfig(configSource, root);
    verifyHosts = [...new Set([...verifyHostOptions, ...(config.verifyHosts ?? [])])];
    return effectiveSettings(parsed, config, maxFileBytesOption, DEFAULT_MAX_FILE_KB * 1024);
  };
  /** --verify: each scanned file with findings, to read its secrets and their surroundings again. */
  const withFindings = new Map<string, SourceFile>();
  const options: TreeScanOptions = {
    gitignore: !flag(parsed, 'no-gitignore'),
    includeNodeModules: flag(parsed, 'include-node-modules'),
    includeGitDir: flag(parsed, 'include-git-dir'),
  };
  const history = flag(parsed, 'history');
  if (!history && (stringOption(parsed, 'range') !== undefined || stringOption(parsed, 'since') !== undefined))
    throw new UsageError('--range and --since go with --history');
  if (history && flag(parsed, 'staged')) throw new UsageError('give --history or --staged, not both');
  const fromStdin = parsed.positionals.includes('-');
  if (fromStdin && (parsed.positionals.length > 1 || history || flag(parsed, 'staged')))
    throw new UsageError('- (standard input) is scanned alone: not with other paths, --staged or --history');
  if (!verify && (verifyHostOptions.length || flag(parsed, 'only-live')))
    throw new UsageError('--verify-host and --only-live go with --verify');
  if (verify && history) throw new UsageError('--verify does not go with --history yet: verify a folder scan (or --staged)');
  const stdinName = stringOption(parsed, 'stdin-name');
  if (stdinName !== undefined && !fromStdin) throw new UsageError('--stdin-name goes with - (scan standard input)');
  if (stdinName !== undefined && !validStdinName(stdinName))
    throw new UsageError('--stdin-name needs a relative file name such as config/.env (no control characters, no ..)');
  const baseline = stringOption(parsed, 'baseline');
  const baselinePairs = baseline === undefined ? undefined : await readBaseline(path.resolve(io.cwd, baseline));
  const ignoreSource = parseIgnoreSource(parsed, io);
  const output = stringOption(parsed, 'output');
  const writeTo = stringOption(parsed, 'write-baseline');
  if (output) refuseUnwritableTarget(path.resolve(io.cwd, output), '--output file');
  if (writeTo !== undefined) refuseUnwritableTarget(path.resolve(io.cwd, writeTo), '--write-baseline file');

  let effectiveMax: number | undefined;
  let inlineIgnoresShown = !flag(parsed, 'no-inline-ignores');
  let root: string;
  let outcome: ScanOutcome | HistoryOutcome;
  let errors: string[];
  if (history) {
    let effective: EffectiveSettings;
    ({ root, outcome, effective } = await runHistoryScan(parsed, io, options, settingsFor, ignoreSource));
    errors = outcome.errors;
    outcome = { ...outcome, findings: effective.keep(outcome.findings) };
  } else {
    const plan = flag(parsed, 'staged')
      ? await stagedPlan(parsed, io, ignoreSource)
      : fromStdin
        ? await stdinPlan(io, stdinName ?? STDIN_NAME, ignoreSource)
        : await folderPlan(parsed.positionals, io, options, ignoreSource);
    for (const warning of plan.warnings) io.stderr.write(`jira-token-guard: warning: ${warning}\n`);
    const effective = await settingsFor(plan.root);
    const counters: ScanCounters = { scannedFiles: 0, skippedFiles: 0, scannedBytes: 0 };
    const stopProgress = showProgressLine(
      io,
      () =>
        `Scanning for Jira tokens: ${counters.scannedFiles + counters.skippedFiles} files, ${(counters.scannedBytes / 1024 ** 2).toFixed(1)} MB`,
    );
    const settings: ScanSettings = {
      maxFileBytes: effective.maxFileBytes,
      includeBinary: flag(parsed, 'include-binary'),
      reportUnverified: effective.reportUnverified,
      ignoredFingerprints: plan.ignoredFingerprints,
      inlineIgnores: effective.inlineIgnores,
      ...(verify
        ? {
            onFileFindings: (source: SourceFile, found: readonly unknown[]) => {
              if (found.length) withFindings.set(source.file, source);
            },
          }
        : {}),
    };
    inlineIgnoresShown = effective.inlineIgnores;
    try {
      outcome = await scanSources(plan.sources, settings, counters);
    } finally {
      stopProgress();
    }
    root = plan.root;
    errors = [...plan.walkErrors, ...outcome.errors];
    outcome = { ...outcome, findings: effective.keep(outcome.findings) };
    effectiveMax = effective.maxFileBytes;
    // Dropping a pattern scans more, never less: a warning, the scan is complete.
    for (const warning of droppedPatternWarnings(plan.droppedPatterns))
      io.stderr.write(`jira-token-guard: warning: ${escapeControls(warning)}\n`);
  }
  // Everything found, before --baseline filters it: the new baseline is the whole present state.
  if (writeTo !== undefined) {
    await writeBaseline(path.resolve(io.cwd, writeTo), outcome.findings);
    io.stderr.write(
      `jira-token-guard: wrote the baseline (${plural(outcome.findings.length, 'finding')}: fingerprints and paths, no token) to the --write-baseline file; ` +
        'later scans with --baseline report only what is not in it.\n',
    );
  }
  if (baselinePairs) outcome = { ...outcome, findings: withoutBaseline(outcome.findings, baselinePairs) };
  if (verify) {
    const inputs = await verifyInputs(outcome.findings, withFindings, effectiveMax ?? DEFAULT_MAX_FILE_KB * 1024);
    const { verifyFindings } = await import('./networkCommands');
    let verified = await verifyFindings(inputs, { verifyHosts });
    if (flag(parsed, 'only-live')) verified = verified.filter((f) => f.verification?.status === 'live');
    outcome = { ...outcome, findings: verified };
  }

  const report =
    format === 'json' ? formatJson(outcome) : format === 'sarif' ? formatSarif(outcome, root, io.version) : formatText(outcome);
  if (output) {
    await writeOwnFile(path.resolve(io.cwd, output), report, '--output file', 'the report');
  } else {
    io.stdout.write(report);
  }
  if (format === 'text') io.stderr.write(textSummary(outcome, inlineIgnoresShown));
  // Errors name files of the scanned tree, which the tree's author chose.
  for (const error of errors) io.stderr.write(`jira-token-guard: ${escapeControls(error)}\n`);
  // An incomplete scan must not pass a gate, and must not read as "found a leak" either.
  if (errors.length) return EXIT_ERROR;
  // Writing a baseline accepts what was found; --exit-zero reports without failing.
  if (writeTo !== undefined || flag(parsed, 'exit-zero')) return EXIT_OK;
  return outcome.findings.length ? EXIT_FOUND : EXIT_OK;
}

/** Each finding with its secret and the lines around it, read again from its file (a few files: those with findings). */
async function verifyInputs(findings: readonly ReportedFinding[], files: ReadonlyMap<string, SourceFile>, maxBytes: number) {
  const texts = new Map<string, string | undefined>();
  for (const [file, source] of files) {
    try {
      const bytes = await source.read(maxBytes);
      texts.set(file, bytes === 'too-large' ? undefined : decodeText(bytes));
    } catch {
      texts.set(file, undefined);
    }
  }
  return findings.map((finding) => {
    const text = texts.get(finding.file);
    const lines = text?.split(/\r\n|\r|\n/);
    const line = lines?.[finding.line - 1];
    // The span as located; a match on several lines is not a token the check takes.
    const candidate =
      line !== undefined && finding.endLine === finding.line ? line.slice(finding.column - 1, finding.endColumn - 1) : undefined;
    const secret = candidate !== undefined && fingerprintOf(candidate) === finding.fingerprint ? candidate : undefined;
    return { finding, secret, context: text === undefined ? '' : linesAround(text, finding.line) };
  });
}

/** --verify-host URL, repeatable: Data Center sites a PAT may be sent to. */
function parseVerifyHosts(parsed: Parsed): string[] {
  const given = parsed.values['verify-host'];
  const list = Array.isArray(given) ? (given as unknown[]).filter((v): v is string => typeof v === 'string') : [];
  return list.map((value) => {
    const normalized = normalizeBaseUrl(value);
    if (!normalized.ok || !/^https?:\/\//i.test(value.trim()))
      throw new UsageError('--verify-host needs the https:// address of a Jira Data Center site, such as https://jira.example.com');
    return normalized.url;
  });
}

/** A name to report standard input under: relative, inside the current folder, printable. */
function validStdinName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (!name.trim() || /[\x00-\x1f\x7f]/.test(name) || path.isAbsolute(name) || name.length > 1024) return false;
  return !name.split(/[\\/]/).includes('..');
}

/** `scan -`: standard input, reported as `name`; the current folder's ignore list applies. */
async function stdinPlan(io: CliIo, name: string, ignoreSource: IgnoreListSource): Promise<ScanPlan> {
  const warnings: string[] = [];
  const ignoreList = await readIgnoreListOf(io.cwd, ignoreSource);
  const source = stdinSource(io.stdin, name.split(path.sep).join('/'), io.cwd, () =>
    warnings.push('standard input is larger than --max-file-size: it was not scanned'),
  );
  return {
    root: io.cwd,
    sources: [source],
    ignoredFingerprints: ignoreList.fingerprints,
    // Read when the scan ends: the size is known only once the input was read.
    walkErrors: warnings,
    warnings: ignoreList.warning ? [ignoreList.warning] : [],
    droppedPatterns: [],
  };
}

async function stagedPlan(parsed: Parsed, io: CliIo, ignoreSource: IgnoreListSource): Promise<ScanPlan> {
  const staged = await stagedTree(io.cwd, parsed.positionals, ignoreSource);
  const { fingerprints, warning } = staged.ignoreList;
  return {
    root: staged.root,
    sources: staged.sources,
    ignoredFingerprints: fingerprints,
    walkErrors: [],
    warnings: warning ? [warning] : [],
    droppedPatterns: [],
  };
}

/** One folder: it is the root. Anything else: the current folder is, and each path is scanned under it. */
async function folderPlan(
  positionals: string[],
  io: CliIo,
  treeOptions: TreeScanOptions,
  ignoreSource: IgnoreListSource,
): Promise<ScanPlan> {
  const droppedPatterns: DroppedPattern[] = [];
  const options: TreeScanOptions = { ...treeOptions, onPatternDropped: (dropped) => droppedPatterns.push(dropped) };
  // Paths are named by their place on the command line, not repeated: one may be a token pasted by mistake.
  const targets = (positionals.length ? positionals : ['.']).map((given, index) => {
    const absolute = path.resolve(io.cwd, given);
    const which = positionals.length ? `the path given as argument ${index + 1}` : 'the current folder';
    let stats: fs.Stats;
    try {
      // Not fs.promises: loading it (with streams and readline) costs every scan ~3 ms of start-up.
      stats = fs.statSync(absolute);
    } catch (error) {
      throw new UsageError(`cannot read ${which}: ${describeError(error)}`);
    }
    // A FIFO or a device named on the command line would block the read or never end.
    if (!stats.isDirectory() && !stats.isFile()) throw new UsageError(`cannot scan ${which}: not a regular file or folder`);
    return { given, absolute, isDirectory: stats.isDirectory() };
  });
  const root = targets.length === 1 && targets[0].isDirectory ? targets[0].absolute : io.cwd;
  const walkErrors: string[] = [];
  const onError = (relative: string, error: unknown) => walkErrors.push(`cannot read ${relative}: ${describeError(error)}`);

  async function* sources(): AsyncGenerator<SourceFile[]> {
    const seen = new Set<string>(); // `scan . src` must not report src twice
    for (const target of targets) {
      const relative = toPosix(path.relative(root, target.absolute));
      const batches = target.isDirectory
        ? treeSources(target.absolute, relative ? `${relative}/` : '', options, onError)
        : [[diskSource(relative, target.absolute)]];
      for await (const batch of batches) {
        yield batch.filter((file) => !seen.has(file.fileName) && seen.add(file.fileName));
      }
    }
  }
  const only = targets.length === 1 && targets[0].isDirectory ? targets[0] : undefined;

  const ignoreList = await readIgnoreListOf(root, ignoreSource);
  return {
    root,
    sources: only ? treeSources(only.absolute, '', options, onError) : sources(),
    ignoredFingerprints: ignoreList.fingerprints,
    walkErrors,
    warnings: ignoreList.warning ? [ignoreList.warning] : [],
    droppedPatterns,
  };
}

async function readIgnoreListOf(root: string, ignoreSource: IgnoreListSource): Promise<IgnoreList> {
  try {
    return await readChosenIgnoreList(ignoreSource, () => readIgnoreList(root));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `cannot read ${ignoreSource.kind === 'file' ? 'the --ignore-file file' : `${IGNORE_FILE_NAME} in the scanned folder`}: ${describeError(error)}`,
    );
  }
}

/** The root's ignore list by default; --ignore-file reads another instead, --no-ignore-file none. */
function parseIgnoreSource(parsed: Parsed, io: CliIo): IgnoreListSource {
  const file = stringOption(parsed, 'ignore-file');
  if (file !== undefined && flag(parsed, 'no-ignore-file')) throw new UsageError('give --ignore-file or --no-ignore-file, not both');
  if (file === '') throw new UsageError('--ignore-file needs a file');
  if (file !== undefined) return { kind: 'file', file: path.resolve(io.cwd, file) };
  return flag(parsed, 'no-ignore-file') ? { kind: 'none' } : { kind: 'root' };
}

function parseFormat(value: string | undefined): OutputFormat {
  if (value === undefined) return 'text';
  if ((FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
}

/** `2048` (KB), `512k`, `512kb`, `4m`, `4mb`, `100b`; the result in bytes. */
export function parseSize(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_FILE_KB * 1024;
  const bytes = sizeInBytes(value);
  if (bytes === undefined) throw new UsageError('--max-file-size must be a positive size such as 2048 (KB), 512k or 4m');
  return bytes;
}

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}
