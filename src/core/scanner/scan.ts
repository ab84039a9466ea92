// The scan: anchors and runs are searched in the text (or, for a rescan, in the region plus a margin
// that covers every rule's look-around), each candidate is checked locally, then overlaps, stored
// tokens, ignores and positions are settled.
import { fingerprintOf } from '../tokens/tokenShapes';
import { detectBasicAuth } from './rules/jiraBasicAuthHeader';
import { detectDataCenterPat, PAT_LENGTH } from './context/dataCenterPats';
import { hasIgnoreDirective } from './ignores';
import { detectKnownTokens, KnownTokens } from './rules/knownStoredToken';
import { detectLegacyToken, LEGACY_LENGTH } from './rules/atlassianApiTokenLegacy';
import { LinePositions } from './linePositions';
import { isLockFile } from './lockFiles';
import { detectPrefixedTokens, MAX_CLOUD_LENGTH } from './context/cloudTokens';
import { knownTokenMessage } from './messages';
import { findRuns } from './kernels/runFinder';
import { BASE64 } from './charClasses';
import { JIRA_KEYWORDS, KeywordIndex } from './context/textContext';
import { mayHaveSections } from './context/assignments';
import { Candidate, Confidence, Finding, RuleId, ScanOptions } from './types';
import { detectUrlCredentials } from './rules/atlassianUrlCredentials';
import { detectMcpCredentials } from './rules/mcpConfigCredential';

/** Text read around a rescanned region: every rule looks at most this far (a Cloud token and its run). */
export const CONTEXT_MARGIN = 4 * MAX_CLOUD_LENGTH;
/** A rescanned region extends to whole lines, but no further than this on long lines. */
const LINE_REACH = 4096;

/** When findings overlap, the first in this order wins (after confidence). */
const RULE_ORDER: readonly RuleId[] = [
  'known-stored-token',
  'atlassian-api-token',
  'atlassian-access-token',
  'bitbucket-app-password',
  'bitbucket-dc-http-token',
  'jira-dc-pat',
  'jira-basic-auth-header',
  'atlassian-url-credentials',
  'mcp-config-credential',
  'atlassian-api-token-legacy',
];
const CONFIDENCE_ORDER: readonly Confidence[] = ['high', 'medium', 'low'];

interface Region {
  start: number;
  end: number;
}

type Scored = Candidate & { fingerprint: string; connectionId?: string };

/**
 * The Jira and Atlassian credentials in `text`, sorted by start. Linear in the length of the text (of
 * the region, for a `range` rescan) whatever the text holds: no backtracking regex runs over it, and
 * every check made at a candidate reads a bounded neighbourhood.
 */
export function scan(text: string, options: ScanOptions = {}): Finding[] {
  const region = options.range ? rescanRegion(text, options.range) : { start: 0, end: text.length };
  const from = Math.max(0, region.start - CONTEXT_MARGIN);
  const to = Math.min(text.length, region.end + CONTEXT_MARGIN);
  const known = options.knownTokens?.length ? new KnownTokens(options.knownTokens) : KnownTokens.NONE;
  const candidates: Candidate[] = [];
  if (!isLockFile(options.fileName)) {
    const sections = mayHaveSections(options.fileName) ? new KeywordIndex(text, JIRA_KEYWORDS) : undefined;
    detectPatterns(text, from, to, options.reportUnverified ?? false, candidates, sections);
    // Reads the whole (small) configuration: a range rescan finds the same, filtered to its region.
    detectMcpCredentials(text, options.fileName, candidates);
  }
  detectKnownTokens(text, from, to, known, candidates);
  if (candidates.length === 0) return [];
  return settle(text, candidates, known, region, options.ignoredFingerprints, options.inlineIgnores ?? true);
}

function detectPatterns(
  text: string,
  from: number,
  to: number,
  reportUnverified: boolean,
  out: Candidate[],
  sections: KeywordIndex | undefined,
): void {
  detectPrefixedTokens(text, from, to, reportUnverified, out);
  detectUrlCredentials(text, from, to, out);
  // Tens of thousands of runs per megabyte of code: each is sent on only to the rules it can fit.
  const runs = findRuns(text, from, to, BASE64, LEGACY_LENGTH);
  const patLength = PAT_LENGTH;
  const legacyLength = LEGACY_LENGTH;
  for (let r = 0; r < runs.length; r += 2) {
    const start = runs[r];
    const end = runs[r + 1];
    if (end - start >= patLength) detectDataCenterPat(text, start, end, out);
    else if (end - start === legacyLength) detectLegacyToken(text, start, end, out, sections);
    if (followsWordEndingInC(text, start)) detectBasicAuth(text, start, end, reportUnverified, out);
  }
}

/** "Basic <value>": the only runs the Basic rule can use (a third of all runs follow a blank). */
function followsWordEndingInC(text: string, start: number): boolean {
  let i = start - 1;
  while (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09) i--;
  return i < start - 1 && (text.charCodeAt(i) | 0x20) === 0x63;
}

function settle(
  text: string,
  candidates: Candidate[],
  known: KnownTokens,
  region: Region,
  ignored: ReadonlySet<string> | undefined,
  inlineIgnores: boolean,
): Finding[] {
  const scored = candidates.map((candidate): Scored => {
    const fingerprint = fingerprintOf(candidate.secret);
    const token = known.get(fingerprint);
    if (!token) return { ...candidate, fingerprint };
    return {
      ...candidate,
      fingerprint,
      ruleId: 'known-stored-token',
      confidence: 'high',
      message: knownTokenMessage(token.label),
      connectionId: token.connectionId,
    };
  });
  const positions = new LinePositions(text);
  return withoutOverlaps(scored)
    .filter((f) => f.end > region.start && f.start < region.end)
    .filter(
      (f) =>
        !ignored?.has(f.fingerprint) && !(inlineIgnores && f.ruleId !== 'known-stored-token' && hasIgnoreDirective(text, f.start, f.end)),
    )
    .map((f) => {
      const finding: Finding = {
        ruleId: f.ruleId,
        start: f.start,
        end: f.end,
        ...positions.at(f.start),
        confidence: f.confidence,
        fingerprint: f.fingerprint,
        secretKind: f.secretKind,
        message: f.message,
      };
      if (f.connectionId) finding.connectionId = f.connectionId;
      return finding;
    });
}

/** Sorted by start; of overlapping findings only the strongest stays. */
function withoutOverlaps(findings: Scored[]): Scored[] {
  const kept: Scored[] = [];
  for (const f of [...findings].sort((a, b) => a.start - b.start || rank(a) - rank(b))) {
    const last = kept[kept.length - 1];
    if (last && f.start < last.end) {
      if (rank(f) < rank(last)) kept[kept.length - 1] = f;
    } else kept.push(f);
  }
  return kept;
}

function rank(f: Scored): number {
  return (
    CONFIDENCE_ORDER.indexOf(f.confidence) * RULE_ORDER.length +
    RULE_ORDER.indexOf(f.ruleId) -
    (f.ruleId === 'known-stored-token' ? 100 : 0)
  );
}

/** The lines of the range and the line after it (keywords and ignore comments reach one line down). */
export function rescanRegion(text: string, range: Region): Region {
  const clamp = (n: number) => Math.min(text.length, Math.max(0, n));
  const start = clamp(Math.min(range.start, range.end));
  const end = clamp(Math.max(range.start, range.end));
  const before = text.slice(Math.max(0, start - LINE_REACH), start);
  const after = text.slice(end, Math.min(text.length, end + LINE_REACH));
  const lineEnd = after.indexOf('\n');
  const nextLineEnd = lineEnd < 0 ? -1 : after.indexOf('\n', lineEnd + 1);
  return {
    start: start - before.length + before.lastIndexOf('\n') + 1,
    end: end + (nextLineEnd < 0 ? after.length : nextLineEnd + 1),
  };
}
