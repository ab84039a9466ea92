// Does a value look machine-generated? For legacy tokens, which have no checksum: 24 random
// characters from [a-z0-9] or [A-Za-z0-9]. Thresholds were set on generated tokens so that about 2 in
// 10,000 real tokens are rejected (entropy of random 24-character tokens: median 4.0, 1 in 100,000
// below 3.17), while placeholders, words and patterns are.
import { DIGIT, isIn, LETTER } from '../charClasses';

const MIN_ENTROPY = 3.0;
const MAX_REPEAT = 4;
const MAX_SEQUENCE = 4;
// Four-letter words are few: each one rejects 1 in 40,000 random mixed-case tokens.
const PLACEHOLDER_WORDS =
  /your|test|xxxx|token|secret|passw|example|sample|dummy|placeholder|changeme|replace|insert|lorem|ipsum|value|redacted/i;
const VOWELS = /[aeiou]/gi;

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

export function isAllHex(value: string): boolean {
  return /^[0-9a-fA-F]+$/.test(value);
}

/** True for a value that could be a generated token rather than a word, a placeholder or a pattern. */
export function looksGenerated(value: string): boolean {
  let digits = 0;
  let upper = 0;
  let lower = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (isIn(c, DIGIT)) digits++;
    else if (isIn(c, LETTER) && c < 0x61) upper++;
    else if (isIn(c, LETTER)) lower++;
  }
  const letters = upper + lower;
  // Without digits, only mixed case is random enough; all-lowercase words are not.
  if (letters === 0 || (digits === 0 && (upper === 0 || lower === 0))) return false;
  if (digits === 0 && (value.match(VOWELS)?.length ?? 0) / letters >= 0.4) return false;
  if (PLACEHOLDER_WORDS.test(value) || longestRepeat(value) > MAX_REPEAT || longestSequence(value) > MAX_SEQUENCE) return false;
  return shannonEntropy(value) >= MIN_ENTROPY;
}

function longestRepeat(value: string): number {
  let longest = 1;
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    run = value.charCodeAt(i) === value.charCodeAt(i - 1) ? run + 1 : 1;
    longest = Math.max(longest, run);
  }
  return longest;
}

/** Longest run like "abcde" or "54321". */
function longestSequence(value: string): number {
  let longest = 1;
  let up = 1;
  let down = 1;
  for (let i = 1; i < value.length; i++) {
    const step = value.charCodeAt(i) - value.charCodeAt(i - 1);
    up = step === 1 ? up + 1 : 1;
    down = step === -1 ? down + 1 : 1;
    longest = Math.max(longest, up, down);
  }
  return longest;
}

/** The random part of a DC PAT is 20 random bytes; a made-up example decodes to readable text or a pattern. */
export function looksLikeRandomBytes(bytes: Uint8Array): boolean {
  let printable = 0;
  const distinct = new Set<number>();
  for (const b of bytes) {
    if (b >= 0x20 && b < 0x7f) printable++;
    distinct.add(b);
  }
  return printable < bytes.length && distinct.size >= Math.min(8, bytes.length);
}
