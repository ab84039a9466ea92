// The live tokens of the store, known by fingerprint and length only: the stored-token rule looks for
// them, and the scan turns any finding whose fingerprint is one of them into a stored-token finding.
import { SHORTEST_RUN } from '../kernels/runFinder';
import type { KnownToken } from '../candidate';

export class KnownTokens {
  private readonly byFingerprint = new Map<string, KnownToken>();
  /** Distinct lengths worth searching, shortest first. Shorter values would match ordinary words. */
  readonly lengths: number[];

  static readonly NONE = new KnownTokens();

  constructor(tokens: readonly KnownToken[] = []) {
    for (const token of tokens) this.byFingerprint.set(token.fingerprint.toLowerCase(), token);
    this.lengths = [...new Set(tokens.map((t) => t.length))].filter((l) => l >= SHORTEST_RUN).sort((a, b) => a - b);
  }

  get(fingerprint: string): KnownToken | undefined {
    return this.byFingerprint.get(fingerprint);
  }
}
