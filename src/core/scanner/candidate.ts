// What a rule reports and reads, with no rule id: rules import this, never types.ts (which lists the rules).
export type Confidence = 'high' | 'medium' | 'low';

/** A live token of the store, known by fingerprint and length only. Tokens under 16 characters are not looked for. */
export interface KnownToken {
  fingerprint: string;
  length: number;
  connectionId: string;
  label: string;
}

/** What a rule reports, before positions, fingerprint and ignores are settled (the scan adds the rule's id). */
export interface Candidate {
  start: number;
  end: number;
  confidence: Confidence;
  /** The decoded secret: what the fingerprint is taken of. */
  secret: string;
  secretKind: string;
  message: string;
}
