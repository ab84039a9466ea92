// Small text helpers shared by the tree, the status bar, the audit report and the import/export
// messages. No vscode import: the CLI and the unit tests use them too.

/** "1 day", "2 days": English plural with an s. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The YYYY-MM-DD of an ISO date (UTC); the input itself when it is not a date. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 10);
}

/** Escapes every character Markdown gives a meaning to, so user text shows as typed. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
