// The live tokens of the store, known by fingerprint and length only. Runs of token characters of a
// stored length are hashed and compared; any other finding whose fingerprint is a stored one becomes a
// known-stored-token finding too (a token written with `\=` or inside a Basic header).
import { fingerprintOf } from '../../tokens/tokenShapes';
import { TOKEN_CHARS } from '../charClasses';
import { findRuns, SHORTEST_RUN } from '../kernels/runFinder';
import { knownTokenMessage, SECRET_KINDS } from '../messages';
import { Candidate, KnownToken } from '../types';

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

/** Candidates: a whole run (`"token"`), or the end of a run after '=' (`JIRA_TOKEN=token`). */
export function detectKnownTokens(text: string, from: number, to: number, known: KnownTokens, out: Candidate[]): void {
  if (known.lengths.length === 0) return;
  const runs = findRuns(text, from, to, TOKEN_CHARS, known.lengths[0]);
  for (let r = 0; r < runs.length; r += 2) {
    const start = runs[r];
    const end = runs[r + 1];
    for (const length of known.lengths) {
      if (length > end - start) break;
      if (length === end - start) check(text, start, end, known, out);
      else if (text.charCodeAt(end - length - 1) === 0x3d /* = */) check(text, end - length, end, known, out);
    }
  }
}

function check(text: string, start: number, end: number, known: KnownTokens, out: Candidate[]): void {
  const secret = text.slice(start, end);
  const token = known.get(fingerprintOf(secret));
  if (!token) return;
  out.push({
    ruleId: 'known-stored-token',
    start,
    end,
    confidence: 'high',
    secret,
    secretKind: SECRET_KINDS.storedToken,
    message: knownTokenMessage(token.label),
  });
}
