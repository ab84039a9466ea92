// A scanner rule as one record: what it reports (SARIF and the docs read the words), how it ranks against
// an overlapping finding, where its candidates are (anchors.ts) and the check made at each. A new rule is
// a file in rules/ and a line in rules/index.ts; both scans take everything else from the record.
import type { Anchor } from './anchors';
import type { KnownTokens } from './context/knownTokens';
import type { Candidate, Confidence } from './candidate';

export interface Rule<Id extends string = string> {
  readonly id: Id;
  readonly title: string;
  readonly description: string;
  /** The confidence of a typical finding (a finding may say less: an unverified checksum, no keyword near). */
  readonly defaultConfidence: Confidence;
  /** Of overlapping findings the more confident stays, then the one of lower order. Unique; gaps leave room. */
  readonly order: number;
  readonly anchors: readonly Anchor[];
  /**
   * The check at an anchor found in `text`: [start, end) is the prefix literal, the '@', the run, the whole
   * text (a file anchor) or the region scanned (stored tokens). Reads a bounded neighbourhood only.
   */
  detect(text: string, start: number, end: number, scan: RuleScan): void;
}

/** What a detector knows of the scan it runs in, and where it reports. */
export interface RuleScan {
  readonly fileName: string | undefined;
  readonly reportUnverified: boolean;
  readonly knownTokens: KnownTokens;
  /** One value per scan, made by `make` on first use: what candidates (of one rule or several) share. */
  shared<T>(make: (text: string, scan: RuleScan) => T): T;
  report(candidate: Candidate): void;
}

/** Keeps the id's literal type: the rule ids are the ids of rules/index.ts's list. */
export function defineRule<Id extends string>(rule: Rule<Id>): Rule<Id> {
  return rule;
}
