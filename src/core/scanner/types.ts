// The scan's public types. What rules themselves see is in candidate.ts, which imports no rule.
import type { RuleId } from './rules';
import type { Confidence, KnownToken } from './candidate';

export type { RuleId };
export type { Candidate, Confidence, KnownToken } from './candidate';

export interface Finding {
  ruleId: RuleId;
  /** Offsets of the secret in the text (UTF-16 code units), end exclusive. */
  start: number;
  end: number;
  /** 0-based, of `start`. */
  line: number;
  column: number;
  confidence: Confidence;
  /** SHA-256 hex of the secret value alone, decoded (`\=` and `%3D` read as `=`). */
  fingerprint: string;
  /** What the secret is, for people: 'Jira Cloud API token', 'Jira Data Center PAT', … */
  secretKind: string;
  /** What was found and why it matters; never the secret. */
  message: string;
  /** For known-stored-token: the connection whose live token this is. */
  connectionId?: string;
}

export interface ScanOptions {
  /** Report checksum-invalid ATATT3/ATCTT3/ATBB strings as low (default: placeholders, not reported). */
  reportUnverified?: boolean;
  /** Fingerprints of the live tokens in the store (held in memory only). */
  knownTokens?: readonly KnownToken[];
  /** From the .jira-token-guard-ignore file. */
  ignoredFingerprints?: ReadonlySet<string>;
  /**
   * Honour ignore comments in the text (default true). Never for `known-stored-token`: the user's own
   * live token is reported whatever the file says.
   */
  inlineIgnores?: boolean;
  /** Lock files (package-lock.json, yarn.lock, *.lock, …) are only checked for stored tokens. */
  fileName?: string;
  /**
   * Rescan only this region. The result is exactly what a full scan finds intersecting the range's
   * lines and the line after them (at most 4 KB either side of the range on very long lines). The work
   * is proportional to the region; only the line numbers of what is found count the line breaks before
   * it (a native search: about 1 ms per MB of text before the finding, nothing when nothing is found).
   */
  range?: { start: number; end: number };
}
