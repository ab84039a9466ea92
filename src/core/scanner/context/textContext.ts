// What the text around a candidate says: keywords nearby, the scheme or key in front of it.
// Every look is bounded, so a rule's verdict depends on a few hundred characters around the
// candidate only: that keeps the scan linear and lets a range rescan reproduce a full scan.

/** How far a keyword may sit from a candidate: about a line of code. */
export const KEYWORD_REACH = 80;

/** Lower case; the byte scan looks for the same words (kernels/anchorBytes.ts). */
export const JIRA_KEYWORD_WORDS = ['jira', 'atlassian', 'confluence'];
export const JIRA_KEYWORDS = new RegExp(JIRA_KEYWORD_WORDS.join('|'), 'i');
export const PAT_KEYWORDS = /jira|atlassian|confluence|bitbucket|bearer/i;

/** Start of the context before `offset`: at most `reach` characters, on its line or the one before. */
export function contextStart(text: string, offset: number, reach = KEYWORD_REACH): number {
  const from = Math.max(0, offset - reach);
  const before = text.slice(from, offset);
  const lineStart = before.lastIndexOf('\n');
  const previousLineStart = lineStart > 0 ? before.lastIndexOf('\n', lineStart - 1) : -1;
  return from + previousLineStart + 1;
}

/** End of the context after `offset`: at most `reach` characters, on the same line. */
export function contextEnd(text: string, offset: number, reach = KEYWORD_REACH): number {
  const after = text.slice(offset, Math.min(text.length, offset + reach));
  const lineEnd = after.indexOf('\n');
  return offset + (lineEnd < 0 ? after.length : lineEnd);
}

/** True when `keywords` match near [start, end), the candidate itself excluded. */
export function keywordNear(text: string, start: number, end: number, keywords: RegExp): boolean {
  // Most candidates have no keyword anywhere near: one test over the whole reach settles those.
  if (!keywords.test(text.slice(Math.max(0, start - KEYWORD_REACH), end + KEYWORD_REACH))) return false;
  return keywords.test(text.slice(contextStart(text, start), start)) || keywords.test(text.slice(end, contextEnd(text, end)));
}

/** True when the text just before `offset` ends with `pattern` (a regex anchored with `$`). */
export function endsBefore(text: string, offset: number, pattern: RegExp, reach = 24): boolean {
  return pattern.test(text.slice(Math.max(0, offset - reach), offset));
}

/**
 * Where keywords occur before candidates visited in text order: each part of the text is searched at
 * most once however many candidates look back over it, and only the few KB before those that ask.
 */
export class KeywordIndex {
  private searchedTo = -1;
  private lastEnd = -1;

  /** A scan makes one per text, most never asked: the searching regex is made once per keyword set. */
  constructor(
    private readonly text: string,
    private readonly keywords: RegExp,
  ) {}

  private get pattern(): RegExp {
    let pattern = GLOBAL_PATTERNS.get(this.keywords);
    if (!pattern) GLOBAL_PATTERNS.set(this.keywords, (pattern = new RegExp(this.keywords.source, 'gi')));
    return pattern;
  }

  /** True when a keyword ends within (from, to]. */
  endsWithin(from: number, to: number): boolean {
    if (to < this.searchedTo) {
      this.searchedTo = -1;
      this.lastEnd = -1;
    }
    // A keyword may straddle the end of the part searched before: look again a little before it.
    const start = Math.max(0, from, this.searchedTo - MAX_KEYWORD_LENGTH);
    if (start < to) {
      const part = this.text.slice(start, to);
      const pattern = this.pattern;
      pattern.lastIndex = 0;
      for (let match = pattern.exec(part); match; match = pattern.exec(part)) this.lastEnd = start + match.index + match[0].length;
    }
    this.searchedTo = Math.max(this.searchedTo, to);
    return this.lastEnd > from;
  }
}

const GLOBAL_PATTERNS = new Map<RegExp, RegExp>();

/** Longer than any keyword of JIRA_KEYWORDS and PAT_KEYWORDS ("confluence"). */
const MAX_KEYWORD_LENGTH = 16;
