// A finding as reports outside the editor show it (command-line output, SARIF): 1-based positions, a
// file path instead of offsets, and the secret masked to its first and last 4 characters.
import type { Finding, RuleId } from '../scanner';
import { redactSecret } from '../tokens/tokenShapes';

export interface ReportedFinding {
  /** '/'-separated, relative to the scanned root. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units (as editors and SARIF's default count). */
  column: number;
  /** 1-based. */
  endLine: number;
  /** 1-based, exclusive: the column just after the secret (SARIF's convention). */
  endColumn: number;
  ruleId: RuleId;
  confidence: Finding['confidence'];
  fingerprint: string;
  /** The scanner's message; never holds the secret. */
  message: string;
  /** The secret as it may be shown: at most its first and last 4 characters. */
  redacted: string;
  /** History scans: the commit that first added the secret (the position above is in it). */
  introducedIn?: CommitRef;
  /** History scans: every later place the same secret was added, oldest first. */
  alsoAddedIn?: HistoryOccurrence[];
  /** `scan --verify`: whether the secret works, as the service answered (or why it was not asked). */
  verification?: Verification;
}

export interface Verification {
  /** live: the service accepted it; dead: it refused it; unknown: not asked, or no clear answer. */
  status: 'live' | 'dead' | 'unknown';
  /** One sentence; never the secret. */
  reason: string;
}

export interface CommitRef {
  /** The full commit id. */
  commit: string;
  /** "Name <email>", as the repository says (attacker-controlled text). */
  author: string;
  /** The author date, ISO 8601. */
  date: string;
}

export interface HistoryOccurrence extends CommitRef {
  /** The path as of that commit. */
  file: string;
  line: number;
  column: number;
}

/** `text` is the scanned text the finding's offsets point into. */
export function reportFinding(file: string, finding: Finding, text: string): ReportedFinding {
  return reportLocatedFinding(file, finding, text.slice(finding.start, finding.end));
}

/** A finding located by line and column, with `span`, its text as the file holds it. */
export function reportLocatedFinding(file: string, finding: Omit<Finding, 'start' | 'end'>, span: string): ReportedFinding {
  const secret = span;
  const redacted = redactSecret(secret);
  const { endLine, endColumn } = endPosition(finding, secret);
  return {
    file,
    line: finding.line + 1,
    column: finding.column + 1,
    endLine,
    endColumn,
    ruleId: finding.ruleId,
    confidence: finding.confidence,
    fingerprint: finding.fingerprint,
    // The scanner never puts the secret into a message; masking here keeps that true for every output.
    message: secret.length >= 4 ? finding.message.split(secret).join(redacted) : finding.message,
    redacted,
  };
}

/** Secrets sit on one line, but a match that spans line breaks still gets a correct end. */
function endPosition(finding: Pick<Finding, 'line' | 'column'>, secret: string): { endLine: number; endColumn: number } {
  const breaks = secret.match(/\r\n|\r|\n/g);
  if (!breaks) return { endLine: finding.line + 1, endColumn: finding.column + 1 + secret.length };
  const lastBreak = Math.max(secret.lastIndexOf('\n'), secret.lastIndexOf('\r'));
  return { endLine: finding.line + 1 + breaks.length, endColumn: secret.length - lastBreak };
}

/** Stable order for reports: file, then position. Plain code-unit comparison, the same on every machine. */
export function compareReported(
  a: Pick<ReportedFinding, 'file' | 'line' | 'column'>,
  b: Pick<ReportedFinding, 'file' | 'line' | 'column'>,
): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}
