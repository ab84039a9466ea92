// `jira-token-guard ignore FINGERPRINT...` and `ignore --from REPORT.json`: append fingerprints to the
// `.jira-token-guard-ignore` of the current folder (or --ignore-file), the same file and format the editor's
// "Ignore in Workspace" writes. Fingerprints only, each once; the list is written as a regular file only
// (a committed link or FIFO in its place is refused). An argument that is not a fingerprint is never repeated:
// it may be a token pasted by mistake.
import * as path from 'path';
import { type IgnoreEntry, IGNORE_FILE_MAX_BYTES, IGNORE_FILE_NAME, appendIgnoreEntries } from '../core/files/ignoreFileFormat';
import { readRegularFile } from '../node/regularFile';
import { escapeControls, plural } from '../core/common/text';
import { EXIT_OK, UsageError, flag, parseCommandLine, stringOption } from './args';
import { BASELINE_MAX_BYTES } from './baseline';
import { IGNORE_HELP } from './help';
import { type CliIo } from './io';
import { refuseUnwritableTarget, writeOwnFile } from './ownFile';
import { describeError } from '../scanEngine/scanSources';

const OPTIONS = {
  from: { type: 'string' },
  'ignore-file': { type: 'string' },
  comment: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const FINGERPRINT = /^[0-9a-fA-F]{64}$/;

export async function ignoreCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(args, OPTIONS, true);
  if (flag(parsed, 'help')) {
    io.stdout.write(IGNORE_HELP);
    return EXIT_OK;
  }
  const from = stringOption(parsed, 'from');
  const comment = stringOption(parsed, 'comment');
  const entries: IgnoreEntry[] = [];
  parsed.positionals.forEach((given, index) => {
    if (!FINGERPRINT.test(given.trim()))
      throw new UsageError(
        `argument ${index + 1} is not a fingerprint (64 hexadecimal characters, as the scan prints them); it is not repeated here`,
      );
    entries.push({ fingerprint: given.trim(), comment });
  });
  if (from !== undefined) entries.push(...(await readReport(path.resolve(io.cwd, from), comment)));
  if (!entries.length)
    throw new UsageError('give the fingerprints to ignore, or --from REPORT.json (a --format json report or a baseline)');

  const fileOption = stringOption(parsed, 'ignore-file');
  if (fileOption === '') throw new UsageError('--ignore-file needs a file');
  const target = path.resolve(io.cwd, fileOption ?? IGNORE_FILE_NAME);
  const what = fileOption === undefined ? `${IGNORE_FILE_NAME} file` : '--ignore-file file';
  refuseUnwritableTarget(target, what);
  let read;
  try {
    read = await readRegularFile(target, IGNORE_FILE_MAX_BYTES);
  } catch (error) {
    throw new UsageError(`cannot read the ${what}: ${describeError(error)}`);
  }
  if (read.kind === 'not-regular') throw new UsageError(`the ${what} is a symbolic link or not a regular file: not written`);
  if (read.kind === 'too-large') throw new UsageError(`the ${what} is larger than 1 MB: not written`);
  const { text, added } = appendIgnoreEntries(read.kind === 'read' ? read.bytes.toString('utf8') : undefined, entries);
  if (added) await writeOwnFile(target, text, what, 'the ignore list');
  const distinct = new Set(entries.map((e) => e.fingerprint.toLowerCase())).size;
  const already = distinct - added;
  const where = fileOption === undefined ? IGNORE_FILE_NAME : 'the --ignore-file file';
  io.stdout.write(
    `${added ? `Added ${plural(added, 'fingerprint')} to ${where}` : `Nothing to add to ${where}`}` +
      `${already ? ` (${plural(already, 'fingerprint')} already there)` : ''}.\n`,
  );
  return EXIT_OK;
}

/** The fingerprints of a `--format json` report or a baseline, with their rule and place as the comment. */
async function readReport(file: string, comment: string | undefined): Promise<IgnoreEntry[]> {
  let read;
  try {
    read = await readRegularFile(file, BASELINE_MAX_BYTES);
  } catch (error) {
    throw new UsageError(`cannot read the --from file: ${describeError(error)}`);
  }
  if (read.kind === 'missing') throw new UsageError('cannot read the --from file: no such file or directory');
  if (read.kind === 'not-regular')
    throw new UsageError('the --from file is not a regular file (a symbolic link, FIFO, device or folder): not read');
  if (read.kind === 'too-large') throw new UsageError(`the --from file is larger than ${BASELINE_MAX_BYTES / 1024 / 1024} MB: not read`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.bytes.toString('utf8'));
  } catch {
    throw new UsageError('the --from file is not JSON (give a --format json report or a baseline)');
  }
  const findings = (parsed as { findings?: unknown } | null)?.findings;
  if (!Array.isArray(findings)) throw new UsageError('the --from file has no "findings" list (give a --format json report or a baseline)');
  return findings.map((entry: unknown) => {
    const { fingerprint, ruleId, file: where, line } = (entry ?? {}) as Record<string, unknown>;
    if (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint))
      throw new UsageError('the --from file has a finding without a SHA-256 "fingerprint"');
    const note =
      comment ??
      (typeof ruleId === 'string' && typeof where === 'string'
        ? `${ruleId} at ${where}${typeof line === 'number' ? `:${line}` : ''}`
        : undefined);
    // The path is the scanned tree's: escaped, and formatIgnoreEntry keeps the note on its line.
    return { fingerprint, comment: note === undefined ? undefined : escapeControls(note) };
  });
}
