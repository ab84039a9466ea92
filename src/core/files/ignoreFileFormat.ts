import { formatIgnoreEntry, parseIgnoreFile } from '../scanner';

/** The workspace file of fingerprints to ignore, shared by the extension and the command line. */
export const IGNORE_FILE_NAME = '.jira-token-guard-ignore';

/** 1 MB: some 16,000 fingerprints. A larger file is not read (it could be a trap, not a list). */
export const IGNORE_FILE_MAX_BYTES = 1024 * 1024;

/** The first lines of a new ignore file, whoever writes it (the editor's Ignore in Workspace, `jira-token-guard ignore`). */
export const IGNORE_FILE_HEADER = [
  '# Jira Token Guard: findings to ignore in this workspace, one SHA-256 fingerprint per line.',
  '# A fingerprint identifies a token without revealing it; this file holds no secret.',
  '',
].join('\n');

/** Why an ignore file was not read, for a warning. `name`: how to call it (default: its name). */
export function ignoreFileProblem(kind: 'not-regular' | 'too-large', name = IGNORE_FILE_NAME): string {
  return kind === 'not-regular'
    ? `${name} is not a regular file (a symbolic link, FIFO or device): it was not read`
    : `${name} is larger than ${IGNORE_FILE_MAX_BYTES / 1024 / 1024} MB: it was not read`;
}

export interface IgnoreEntry {
  /** 64 hexadecimal characters (any case; written in lower case). */
  fingerprint: string;
  /** A note after the fingerprint (`# ...`): whitespace collapsed, so it never starts a line of its own. */
  comment?: string;
}

/**
 * `current` (the file's text, or undefined when there is none) with `entries` appended: each fingerprint
 * once, none already in the file. `added` counts what was appended; when it is 0 the text is unchanged.
 */
export function appendIgnoreEntries(current: string | undefined, entries: readonly IgnoreEntry[]): { text: string; added: number } {
  const base = current ?? IGNORE_FILE_HEADER;
  const present = parseIgnoreFile(base);
  const lines: string[] = [];
  for (const entry of entries) {
    const fingerprint = entry.fingerprint.toLowerCase();
    if (present.has(fingerprint)) continue;
    present.add(fingerprint);
    lines.push(formatIgnoreEntry(fingerprint, entry.comment));
  }
  if (!lines.length) return { text: base, added: 0 };
  const separator = base.endsWith('\n') || base === '' ? '' : '\n';
  return { text: `${base}${separator}${lines.join('\n')}\n`, added: lines.length };
}
