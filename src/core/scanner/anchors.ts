// Where the scans look for a rule's candidates. A rule declares its anchors; the string scan finds them in
// the text and calls the rule's detector at each, the byte scan finds them in a file's bytes (the byte
// kernels are built from the same declarations: kernels/README.md) and decodes only the text around them.
// Lock files are checked for stored tokens only.
import { HOST, skipForward } from './charClasses';

/** A literal a finding starts with ("ATATT3"), with no letter or digit right before it. */
export interface PrefixAnchor {
  readonly kind: 'prefix';
  readonly literal: string;
}

/**
 * An '@' that may end a URL's userinfo (a printable character code does not put before a bare '@' is
 * not one), with a host name after it that `host` accepts. The finding ends at the '@'.
 */
export interface UserinfoEndAnchor {
  readonly kind: 'userinfo-end';
  readonly host: (name: string) => boolean;
}

/**
 * A maximal run of base64 characters (no padding) of `minLength` to `maxLength`; with `afterWord`, only
 * after blanks that follow a word ending in that word's last letter (the rule checks the whole word). The
 * finding starts at the run.
 */
export interface RunAnchor {
  readonly kind: 'run';
  readonly minLength: number;
  readonly maxLength: number;
  readonly afterWord?: string;
}

/** A whole file, by its name, of at most `maxLength` characters (bytes, for the byte scan): read whole. */
export interface FileAnchor {
  readonly kind: 'file';
  readonly accepts: (fileName: string | undefined) => boolean;
  readonly maxLength: number;
}

/** The store's live tokens (`ScanOptions.knownTokens`): the detector gets the region scanned. Lock files too. */
export interface StoredTokenAnchor {
  readonly kind: 'stored-token';
}

export type Anchor = PrefixAnchor | UserinfoEndAnchor | RunAnchor | FileAnchor | StoredTokenAnchor;

export const prefix = (literal: string): PrefixAnchor => ({ kind: 'prefix', literal });
export const userinfoEnd = (host: (name: string) => boolean): UserinfoEndAnchor => ({ kind: 'userinfo-end', host });
export const run = (anchor: Omit<RunAnchor, 'kind'>): RunAnchor => ({ kind: 'run', ...anchor });
export const wholeFile = (accepts: (fileName: string | undefined) => boolean, maxLength: number): FileAnchor => ({
  kind: 'file',
  accepts,
  maxLength,
});
export const storedToken = (): StoredTokenAnchor => ({ kind: 'stored-token' });

/** The longest host name. */
export const MAX_HOST = 253;

// The string scan's tests at an anchor, written out because they run for every '@' and every run of the
// text (JSDoc tags, package scopes, e-mail addresses, identifiers).

/** An '@' at `at` that may end a userinfo, before a host name `host` accepts. */
export function atUserinfoEnd(text: string, at: number, host: (name: string) => boolean): boolean {
  return mayEndUserinfo(text.charCodeAt(at - 1)) && startsHost(text.charCodeAt(at + 1)) && host(hostAfter(text, at + 1));
}

/** Printable ASCII that code and prose do not put right before a bare '@' (`@param`, "@scope/x", `(@`). */
function mayEndUserinfo(c: number): boolean {
  return (
    c > 0x20 && c < 0x7f && c !== 0x22 && c !== 0x27 && c !== 0x60 && c !== 0x2f && c !== 0x28 && c !== 0x3c && c !== 0x7b && c !== 0x5b
  );
}

/** Host names start with a letter or a digit. */
function startsHost(c: number): boolean {
  return ((c | 0x20) - 0x61) >>> 0 < 26 || (c - 0x30) >>> 0 < 10;
}

function hostAfter(text: string, start: number): string {
  return text.slice(start, skipForward(text, start, Math.min(text.length, start + MAX_HOST), HOST));
}

/** Blanks right before `start`, and before them `letter` (lower case) in any case: the end of a word. */
export function followsWordEnd(text: string, start: number, letter: number): boolean {
  let i = start - 1;
  while (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09) i--;
  return i < start - 1 && (text.charCodeAt(i) | 0x20) === letter;
}
