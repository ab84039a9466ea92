// Character classes as bit flags over ASCII, with loops over ranges of text. Hot loops call these
// once per candidate, not once per character.

export const DIGIT = 1 << 0;
export const LETTER = 1 << 1;
export const UPPER_HEX = 1 << 2;
/** Body of Cloud tokens: base64url and '='. */
export const CLOUD_BODY = 1 << 3;
/** RFC 3986 userinfo without the quote and parentheses (which end URLs in code), plus ':' and '@'. */
export const USERINFO = 1 << 4;
export const HOST = 1 << 5;
export const BLANK = 1 << 6;
export const QUOTE = 1 << 7;
export const OPERATOR = 1 << 8;
/** Characters of a key a value is assigned to: identifiers, dotted and dashed names, `$var`, `user@host`. */
export const KEY = 1 << 9;
export const CLOSING_BRACKET = 1 << 10;
export const ALPHANUMERIC = DIGIT | LETTER;

const TABLE = new Uint16Array(128);
function add(flag: number, chars: string): void {
  for (const ch of chars) TABLE[ch.charCodeAt(0)] |= flag;
}
const DIGITS = '0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
add(DIGIT, DIGITS);
add(LETTER, LETTERS);
add(UPPER_HEX, `${DIGITS}ABCDEF`);
add(CLOUD_BODY, `${DIGITS}${LETTERS}-_=`);
add(USERINFO, `${DIGITS}${LETTERS}-._~%!$&*+,;=:@`);
add(HOST, `${DIGITS}${LETTERS}.-`);
add(BLANK, ' \t');
add(QUOTE, `'"\``);
add(OPERATOR, '=:>?|');
add(KEY, `${DIGITS}${LETTERS}_.$@-`);
add(CLOSING_BRACKET, ']');

export function isIn(c: number, flags: number): boolean {
  return c < 128 && (TABLE[c] & flags) !== 0;
}

/** First index in [from, limit) whose character is not in `flags`; `limit` if all are. */
export function skipForward(text: string, from: number, limit: number, flags: number): number {
  let i = from;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c >= 128 || (TABLE[c] & flags) === 0) break;
    i++;
  }
  return i;
}

/** Smallest index in [limit, from] such that every character in [index, from) is in `flags`. */
export function skipBackward(text: string, from: number, limit: number, flags: number): number {
  let i = from;
  while (i > limit) {
    const c = text.charCodeAt(i - 1);
    if (c >= 128 || (TABLE[c] & flags) === 0) break;
    i--;
  }
  return i;
}

export function allIn(text: string, start: number, end: number, flags: number): boolean {
  return end <= text.length && skipForward(text, start, end, flags) === end;
}

/** An ASCII alphabet for runs of token characters: `member[c]` is 1 for its characters. */
export interface Alphabet {
  readonly member: Uint8Array;
}

function alphabet(chars: string): Alphabet {
  const member = new Uint8Array(128);
  for (const ch of chars) member[ch.charCodeAt(0)] = 1;
  return { member };
}

/** Standard base64 without padding: DC PATs, Basic credentials, legacy tokens (a subset). */
export const BASE64 = alphabet(`${DIGITS}${LETTERS}+/`);
/** Every character any Atlassian token uses: base64, base64url and '='. */
export const TOKEN_CHARS = alphabet(`${DIGITS}${LETTERS}+/-_=`);

export function isMember(alphabet: Alphabet, c: number): boolean {
  return c < 128 && alphabet.member[c] === 1;
}
