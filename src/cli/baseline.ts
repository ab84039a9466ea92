// Baselines: `--write-baseline FILE` records what a scan found (fingerprint and path, never the secret), and
// `--baseline FILE` reports only what is not in it, so a team can adopt the tool on an old repository and
// fail CI on new leaks only. A JSON report (`--format json`) is read as a baseline too.
import { type ReportedFinding } from '../core/findings/reportedFinding';
import { readRegularFile } from '../node/regularFile';
import { UsageError } from './args';
import { writeOwnFile } from './ownFile';
import { describeError } from '../scanEngine/scanSources';

export const BASELINE_FORMAT = 1;

/** 32 MB: some 150,000 entries, or a JSON report of 80,000 findings. A larger file is not read. */
export const BASELINE_MAX_BYTES = 32 * 1024 * 1024;

export interface BaselineEntry {
  fingerprint: string;
  file: string;
  ruleId: string;
}

/** A finding's (fingerprint, path) pairs: from history, one per place the secret was added. */
function entriesOf(finding: ReportedFinding): BaselineEntry[] {
  const places = [finding.file, ...(finding.alsoAddedIn ?? []).map((o) => o.file)];
  return [...new Set(places)].map((file) => ({ fingerprint: finding.fingerprint, file, ruleId: finding.ruleId }));
}

function key(fingerprint: string, file: string): string {
  return `${fingerprint}\0${file}`;
}

export function formatBaseline(findings: readonly ReportedFinding[]): string {
  const entries = new Map<string, BaselineEntry>();
  for (const finding of findings) for (const entry of entriesOf(finding)) entries.set(key(entry.fingerprint, entry.file), entry);
  const sorted = [...entries.values()].sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.fingerprint < b.fingerprint ? -1 : 1,
  );
  return `${JSON.stringify({ jiraTokenGuardBaseline: BASELINE_FORMAT, findings: sorted }, null, 2)}\n`;
}

/** The pairs a baseline (or a JSON report) holds. Messages name the option, never the file's content. */
export function parseBaseline(text: string): Set<string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError('the --baseline file is not JSON (write one with --write-baseline, or give a --format json report)');
  }
  const findings = (parsed as { findings?: unknown } | null)?.findings;
  if (!Array.isArray(findings)) throw new UsageError('the --baseline file has no "findings" list (write one with --write-baseline)');
  const pairs = new Set<string>();
  for (const entry of findings as Array<Record<string, unknown>>) {
    const { fingerprint, file } = entry ?? {};
    if (typeof fingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(fingerprint) || typeof file !== 'string') {
      throw new UsageError('the --baseline file has an entry without a SHA-256 "fingerprint" and a "file"');
    }
    pairs.add(key(fingerprint, file));
    // A history report lists the other places too.
    const others = entry.alsoAddedIn;
    if (Array.isArray(others))
      for (const o of others as Array<{ file?: unknown }>) if (typeof o?.file === 'string') pairs.add(key(fingerprint, o.file));
  }
  return pairs;
}

/** Only a regular file under the cap: the repository may have committed the baseline as a link or a FIFO. */
export async function readBaseline(file: string): Promise<Set<string>> {
  let read;
  try {
    read = await readRegularFile(file, BASELINE_MAX_BYTES);
  } catch (error) {
    throw new UsageError(`cannot read the --baseline file: ${describeError(error)}`);
  }
  switch (read.kind) {
    case 'read':
      return parseBaseline(read.bytes.toString('utf8'));
    case 'missing':
      throw new UsageError('cannot read the --baseline file: no such file or directory');
    case 'not-regular':
      throw new UsageError('the --baseline file is not a regular file (a symbolic link, FIFO, device or folder): not read');
    case 'too-large':
      throw new UsageError(`the --baseline file is larger than ${BASELINE_MAX_BYTES / 1024 / 1024} MB: not read`);
  }
}

/** What is new: a finding stays when one of its (fingerprint, path) pairs is not in the baseline. */
export function withoutBaseline(findings: readonly ReportedFinding[], baseline: ReadonlySet<string>): ReportedFinding[] {
  return findings.filter((finding) => entriesOf(finding).some((entry) => !baseline.has(key(entry.fingerprint, entry.file))));
}

export async function writeBaseline(file: string, findings: readonly ReportedFinding[]): Promise<void> {
  await writeOwnFile(file, formatBaseline(findings), '--write-baseline file', 'the baseline');
}
