// Offsets to 0-based line and column (UTF-16 code units), for offsets visited in increasing order.
// Line breaks are \n, \r\n and \r, as editors count them. Each break is found once, by a native search.

export class LinePositions {
  private line = 0;
  private lineStart = 0;
  private nextLf = -1;
  private nextCr = -1;

  constructor(private readonly text: string) {}

  at(offset: number): { line: number; column: number } {
    if (offset < this.lineStart) throw new RangeError('offsets must be visited in increasing order');
    for (;;) {
      if (this.nextLf < this.lineStart) this.nextLf = this.find('\n');
      if (this.nextCr < this.lineStart) this.nextCr = this.find('\r');
      const lineBreak = Math.min(this.nextLf, this.nextCr);
      if (lineBreak >= offset) return { line: this.line, column: offset - this.lineStart };
      this.line++;
      this.lineStart = lineBreak + (lineBreak === this.nextCr && this.nextLf === lineBreak + 1 ? 2 : 1);
    }
  }

  /** The next occurrence from the current line on; Infinity when there is none (and never searched again). */
  private find(character: string): number {
    const index = this.text.indexOf(character, this.lineStart);
    return index < 0 ? Infinity : index;
  }
}
