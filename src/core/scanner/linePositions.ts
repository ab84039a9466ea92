// Offsets to 0-based line and column (UTF-16 code units), for offsets visited in increasing order.
// Line breaks are \n, \r\n and \r, as editors count them. The text is searched only up to the last
// offset asked for: a finding near the start of a 10 MB line costs nothing more.

export class LinePositions {
  private line = 0;
  private lineStart = 0;
  private readonly lf = new NextOccurrence('\n');
  private readonly cr = new NextOccurrence('\r');

  constructor(private readonly text: string) {}

  at(offset: number): { line: number; column: number } {
    if (offset < this.lineStart) throw new RangeError('offsets must be visited in increasing order');
    for (;;) {
      const lf = this.lf.after(this.text, this.lineStart, offset);
      const cr = this.cr.after(this.text, this.lineStart, offset);
      const lineBreak = Math.min(lf, cr);
      if (lineBreak >= offset) return { line: this.line, column: offset - this.lineStart };
      this.line++;
      this.lineStart = lineBreak + (lineBreak === cr && lf === cr + 1 ? 2 : 1);
    }
  }
}

/** The next occurrence of a character at or after `from`, searched no further than `limit`. */
class NextOccurrence {
  private found = -1;
  /** No occurrence in [from, searchedTo) of the last search. */
  private searchedTo = 0;

  constructor(private readonly character: string) {}

  /** Its offset, or Infinity when there is none before `limit`. */
  after(text: string, from: number, limit: number): number {
    if (this.found >= from) return this.found;
    const start = Math.max(from, this.searchedTo);
    const index = text.slice(start, limit + 1).indexOf(this.character);
    if (index < 0) {
      this.searchedTo = limit + 1;
      return Infinity;
    }
    this.found = start + index;
    return this.found;
  }
}
