// The three output formats of `scan`. None of them ever holds a whole secret: text and SARIF show it
// masked to its first and last 4 characters, JSON not at all (the fingerprint identifies it).
import { pathToFileURL } from 'url';
import { type ReportedFinding } from '../core/findings/reportedFinding';
import { buildSarif } from '../core/findings/sarif';
import { escapeControls, jsonForTerminal } from '../core/common/text';
import { IGNORE_FILE_NAME } from '../scanEngine/ignoreList';
import { type HistoryOutcome, printable } from '../scanEngine/history';
import { type ScanOutcome } from '../scanEngine/scanSources';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type OutputFormat = (typeof FORMATS)[number];

export const TOOL_NAME = 'jira-token-guard';

/**
 * `file:line:column ruleId confidence message (ATAT…1A2B) fingerprint <sha-256>`, one finding per line (the
 * fingerprint is what `jira-token-guard ignore` and the ignore list take); from history, the commit
 * follows, and each other commit that added the same secret gets an indented line. File names and authors
 * come from the scanned tree: a control character in one must not move the cursor or hide the lines around it.
 */
export function formatText(outcome: ScanOutcome | HistoryOutcome): string {
  return outcome.findings
    .map((f) => {
      const where = `${escapeControls(f.file)}:${f.line}:${f.column} ${f.ruleId} ${f.confidence} ${escapeControls(f.message)} (${f.redacted}) fingerprint ${f.fingerprint}${f.verification ? ` [${f.verification.status}: ${escapeControls(f.verification.reason)}]` : ''}`;
      if (!f.introducedIn) return `${where}\n`;
      const others = (f.alsoAddedIn ?? []).map(
        (o) =>
          `  also added in commit ${o.commit} ${printable(o.date)} ${printable(o.author)} at ${escapeControls(o.file)}:${o.line}:${o.column}\n`,
      );
      return `${where} in commit ${f.introducedIn.commit} ${printable(f.introducedIn.date)} ${printable(f.introducedIn.author)}\n${others.join('')}`;
    })
    .join('');
}

export function formatJson(outcome: ScanOutcome | HistoryOutcome): string {
  const report = {
    findings: outcome.findings.map(jsonFinding),
    ...('scannedCommits' in outcome ? { scannedCommits: outcome.scannedCommits } : {}),
    scannedFiles: outcome.scannedFiles,
    skippedFiles: outcome.skippedFiles,
    scannedBytes: outcome.scannedBytes,
    durationMs: outcome.durationMs,
  };
  return jsonForTerminal(`${JSON.stringify(report, null, 2)}\n`);
}

function jsonFinding(f: ReportedFinding) {
  return {
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    ruleId: f.ruleId,
    confidence: f.confidence,
    fingerprint: f.fingerprint,
    message: f.message,
    ...(f.verification ? { verification: f.verification } : {}),
    ...(f.introducedIn ? { ...f.introducedIn, alsoAddedIn: f.alsoAddedIn ?? [] } : {}),
  };
}

export function formatSarif(outcome: ScanOutcome | HistoryOutcome, root: string, version: string): string {
  const rootUri = pathToFileURL(root).href.replace(/\/?$/, '/');
  return jsonForTerminal(`${JSON.stringify(buildSarif(outcome.findings, { name: TOOL_NAME, version }, { rootUri }), null, 2)}\n`);
}

/** The closing line of the text format, on stderr. */
export function textSummary(outcome: ScanOutcome | HistoryOutcome, inlineIgnores = true): string {
  if ('scannedCommits' in outcome) return historySummary(outcome);
  const skipped = outcome.skippedFiles ? `, ${outcome.skippedFiles} skipped (binary or over the size limit)` : '';
  const scanned = `${outcome.scannedFiles} file${outcome.scannedFiles === 1 ? '' : 's'} scanned${skipped} in ${(outcome.durationMs / 1000).toFixed(1)} s`;
  if (!outcome.findings.length) return `No leaked Jira tokens: ${scanned}.\n`;
  const files = new Set(outcome.findings.map((f) => f.file)).size;
  return (
    `${outcome.findings.length} possible Jira token leak${outcome.findings.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} (${scanned}).\n` +
    (inlineIgnores
      ? `To accept one on purpose: a "jira-token-guard:ignore" comment on its line, or jira-token-guard ignore FINGERPRINT (adds it to ${IGNORE_FILE_NAME}).\n`
      : `To accept one on purpose: jira-token-guard ignore FINGERPRINT (adds it to ${IGNORE_FILE_NAME}); ignore comments are off (--no-inline-ignores).\n`)
  );
}

function historySummary(outcome: HistoryOutcome): string {
  const skipped = outcome.skippedFiles ? `, ${outcome.skippedFiles} skipped (binary or over the size limit)` : '';
  const scanned = `${outcome.scannedCommits} commit${outcome.scannedCommits === 1 ? '' : 's'}, ${outcome.scannedFiles} file change${outcome.scannedFiles === 1 ? '' : 's'} scanned${skipped} in ${(outcome.durationMs / 1000).toFixed(1)} s`;
  if (!outcome.findings.length) return `No leaked Jira tokens in history: ${scanned}.\n`;
  return (
    `${outcome.findings.length} possible Jira token leak${outcome.findings.length === 1 ? '' : 's'} in history (${scanned}).\n` +
    'A token that was ever committed is leaked even after its removal: revoke it. To accept one on purpose: ' +
    `jira-token-guard ignore FINGERPRINT (adds it to ${IGNORE_FILE_NAME}), or a baseline (--write-baseline, then --baseline).\n`
  );
}
