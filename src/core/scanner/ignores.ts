// Ignoring findings: comments in the text (ours and those of gitleaks, trufflehog, secretlint and
// detect-secrets, so existing suppressions keep working) and the fingerprint file. Each tool's comment
// keeps its own tool's reach, no more: a repository cannot hide a line with a comment that the tool it
// belongs to would not honour there.

/** Honoured on the finding's line: every tool's same-line form. */
const SAME_LINE = /jira-token-guard:ignore|gitleaks:allow|trufflehog:ignore|secretlint-disable-line|pragma: allowlist secret/;
/** Honoured on the line above the finding: ours, and the tools whose comment says "next line". */
const LINE_ABOVE = /jira-token-guard:ignore|secretlint-disable-next-line|pragma: allowlist nextline secret/;
/** A directive counts within this distance of the finding: lines of minified code can be megabytes long. */
const REACH = 1024;

export function hasIgnoreDirective(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - REACH), start);
  const after = text.slice(end, Math.min(text.length, end + REACH));
  const newlineBefore = before.lastIndexOf('\n');
  const newlineAfter = after.indexOf('\n');
  if (SAME_LINE.test(before.slice(newlineBefore + 1)) || SAME_LINE.test(newlineAfter < 0 ? after : after.slice(0, newlineAfter)))
    return true;
  if (newlineBefore < 0) return false; // first line, or its start is out of reach
  const aboveEnd = start - before.length + newlineBefore;
  const above = text.slice(Math.max(0, aboveEnd - REACH), aboveEnd);
  return LINE_ABOVE.test(above.slice(above.lastIndexOf('\n') + 1));
}

const ENTRY = /^([0-9a-fA-F]{64})(?:\s|#|$)/;

/** The fingerprints of a `.jira-token-guard-ignore` file: "<64 hex> [# comment]" per line; anything else is skipped. */
export function parseIgnoreFile(text: string): Set<string> {
  const fingerprints = new Set<string>();
  for (const line of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const match = ENTRY.exec(line.trim());
    if (match) fingerprints.add(match[1].toLowerCase());
  }
  return fingerprints;
}

export function formatIgnoreEntry(fingerprint: string, comment?: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(fingerprint)) throw new RangeError('A fingerprint is 64 hexadecimal characters (SHA-256).');
  const note = comment?.replace(/\s+/g, ' ').trim();
  return note ? `${fingerprint.toLowerCase()} # ${note}` : fingerprint.toLowerCase();
}
