// What the text around a candidate says: keywords nearby, the scheme or key in front of it.
// Every look is bounded, so a rule's verdict depends on a few hundred characters around the
// candidate only: that keeps the scan linear and lets a range rescan reproduce a full scan.

/** How far a keyword may sit from a candidate: about a line of code. */
export const KEYWORD_REACH = 80;

export const JIRA_KEYWORDS = /jira|atlassian|confluence/i;
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
 * Where keywords occur, found by one forward pass shared by the candidates of a scan (they come in text
 * order): answering "is there a keyword in the last few KB?" costs nothing per candidate.
 */
export class KeywordIndex {
  private readonly pattern: RegExp;
  private cursor = -1;
  private lastEnd = -1;
  private nextEnd = -1;

  constructor(private readonly text: string, keywords: RegExp) {
    this.pattern = new RegExp(keywords.source, 'gi');
  }

  /** True when a keyword ends within (from, to]. */
  endsWithin(from: number, to: number): boolean {
    if (this.cursor < 0 || to < this.cursor) {
      this.pattern.lastIndex = Math.max(0, from);
      this.lastEnd = -1;
      this.advance();
    }
    this.cursor = to;
    while (this.nextEnd <= to) {
      this.lastEnd = this.nextEnd;
      this.advance();
    }
    return this.lastEnd > from;
  }

  private advance(): void {
    const match = this.pattern.exec(this.text);
    this.nextEnd = match ? match.index + match[0].length : Infinity;
  }
}
