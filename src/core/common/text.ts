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

/**
 * C0 and C1 control characters, DEL, line and paragraph separators, and the bidirectional overrides,
 * embeddings, isolates and marks: what can move a terminal's cursor, clear it, or reorder what it shows.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_FOR_DISPLAY = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same characters minus C0, which JSON.stringify already escapes. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from outside (a file name, a name a server sent) made safe to print on one line: every control or
 * bidi character becomes a visible escape such as `\x1b` or `\u202e`.
 */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE_FOR_DISPLAY, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A JSON text with the characters above written as \u escapes: the same value, safe to print on a terminal. */
export function jsonForTerminal(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text that came from outside (a label another extension set) as quoted data in a question: "…", escaped, bounded. */
export function quotedData(text: string, max = 80): string {
  const quoted = jsonForTerminal(JSON.stringify(text));
  return quoted.length > max ? `${quoted.slice(0, max - 2)}…"` : quoted;
}
