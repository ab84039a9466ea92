// The string scan: every rule's anchors are searched in the text (or, for a rescan, in the region plus a
// margin that covers every rule's look-around), the rule checks each candidate locally, then overlaps,
// stored tokens, ignores and positions are settled.
import { fingerprintOf } from '../tokens/tokenShapes';
import { atUserinfoEnd, type FileAnchor, followsWordEnd, type PrefixAnchor, type RunAnchor, type UserinfoEndAnchor } from './anchors';
import { ALPHANUMERIC, BASE64, isIn } from './charClasses';
import { MAX_CLOUD_LENGTH } from './context/cloudTokens';
import { KnownTokens } from './context/knownTokens';
import { hasIgnoreDirective } from './ignores';
import { findRuns } from './kernels/runFinder';
import { LinePositions } from './linePositions';
import { isLockFile } from './lockFiles';
import { knownTokenMessage } from './findingMessages';
import type { Rule, RuleScan } from './rule';
import { RULE_LIST, type RuleId } from './rules';
import { knownStoredToken } from './rules/knownStoredToken';
import { type Candidate, type Confidence, type Finding, type ScanOptions } from './types';

/** Text read around a rescanned region: every rule looks at most this far (a Cloud token and its run). */
export const CONTEXT_MARGIN = 4 * MAX_CLOUD_LENGTH;
/** A rescanned region extends to whole lines, but no further than this on long lines. */
const LINE_REACH = 4096;

type ScanRule = Rule<RuleId>;

/**
 * The rules' anchors by kind, each in the order of the rule list: candidates are found kind by kind
 * (prefixes, '@', runs, whole files, stored tokens), each kind in text order.
 */
const PLAN = planOf(RULE_LIST);

function planOf(rules: readonly ScanRule[]) {
  const prefixes = new Map<string, Array<{ rule: ScanRule; anchor: PrefixAnchor }>>();
  const userinfoEnds: Array<{ rule: ScanRule; anchor: UserinfoEndAnchor }> = [];
  const runs: Array<{ rule: ScanRule; anchor: RunAnchor; wordEnd: number }> = [];
  const files: Array<{ rule: ScanRule; anchor: FileAnchor }> = [];
  const stored: ScanRule[] = [];
  for (const rule of rules) {
    for (const anchor of rule.anchors) {
      if (anchor.kind === 'prefix') {
        // Prefixes are found by a native search for their first two characters, one search per pair.
        if (anchor.literal.length < 2) throw new Error(`${rule.id}: a prefix has two characters or more`);
        const lead = anchor.literal.slice(0, 2);
        prefixes.set(lead, [...(prefixes.get(lead) ?? []), { rule, anchor }]);
      } else if (anchor.kind === 'userinfo-end') userinfoEnds.push({ rule, anchor });
      else if (anchor.kind === 'run') {
        const wordEnd = anchor.afterWord ? anchor.afterWord.toLowerCase().charCodeAt(anchor.afterWord.length - 1) : -1;
        runs.push({ rule, anchor, wordEnd });
      } else if (anchor.kind === 'file') files.push({ rule, anchor });
      else stored.push(rule);
    }
  }
  return {
    prefixes: [...prefixes].map(([lead, hits]) => ({ lead, hits })),
    userinfoEnds,
    runs,
    shortestRun: Math.min(...runs.map((r) => r.anchor.minLength)),
    files,
    stored,
  };
}

/** Of overlapping findings the one of lowest rank stays: confidence, then the rule's order. */
const CONFIDENCE_ORDER: readonly Confidence[] = ['high', 'medium', 'low'];
const ORDER = new Map<RuleId, number>(RULE_LIST.map((rule) => [rule.id, rule.order]));
const RANK_SPAN = Math.max(...ORDER.values()) + 1;

interface Region {
  start: number;
  end: number;
}

type Found = Candidate & { ruleId: RuleId };
type Scored = Found & { fingerprint: string; connectionId?: string };

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
  const state = new ScanState(text, options, known);
  if (!isLockFile(options.fileName)) {
    findAnchored(text, from, to, state);
    for (const { rule, anchor } of PLAN.files)
      if (anchor.accepts(options.fileName) && text.length <= anchor.maxLength) state.detect(rule, 0, text.length);
  }
  for (const rule of PLAN.stored) state.detect(rule, from, to);
  if (state.candidates.length === 0) return [];
  return settle(text, state.candidates, known, region, options.ignoredFingerprints, options.inlineIgnores ?? true);
}

/** The prefixes, '@' and runs of [from, to), each handed to the rules anchored there. */
function findAnchored(text: string, from: number, to: number, state: ScanState): void {
  const window = text.slice(from, to);
  for (const { lead, hits } of PLAN.prefixes) {
    for (let i = window.indexOf(lead); i !== -1; i = window.indexOf(lead, i + 1)) {
      const at = from + i;
      let hit = 0;
      while (hit < hits.length && !text.startsWith(hits[hit].anchor.literal, at)) hit++;
      // Glued to a word ("…ATATT3ATATT3…"): not where a token starts.
      if (hit === hits.length || isIn(text.charCodeAt(at - 1), ALPHANUMERIC)) continue;
      state.detect(hits[hit].rule, at, at + hits[hit].anchor.literal.length);
    }
  }
  if (PLAN.userinfoEnds.length) {
    for (let i = window.indexOf('@'); i !== -1; i = window.indexOf('@', i + 1)) {
      const at = from + i;
      for (const { rule, anchor } of PLAN.userinfoEnds) if (atUserinfoEnd(text, at, anchor.host)) state.detect(rule, at, at + 1);
    }
  }
  // Tens of thousands of runs per megabyte of code: each is sent on only to the rules it can fit.
  const runs = findRuns(text, from, to, BASE64, PLAN.shortestRun);
  const hits = PLAN.runs;
  for (let r = 0; r < runs.length; r += 2) {
    const start = runs[r];
    const end = runs[r + 1];
    for (let h = 0; h < hits.length; h++) {
      const { anchor, wordEnd } = hits[h];
      if (end - start < anchor.minLength || end - start > anchor.maxLength || (wordEnd >= 0 && !followsWordEnd(text, start, wordEnd)))
        continue;
      state.detect(hits[h].rule, start, end);
    }
  }
}

/** One scan's candidates, and what its rules share. */
class ScanState implements RuleScan {
  readonly candidates: Found[] = [];
  readonly fileName: string | undefined;
  readonly reportUnverified: boolean;
  /** The rule whose detector runs: its id goes on what it reports. */
  private rule: ScanRule | undefined;
  private sharedValues: Map<unknown, unknown> | undefined;

  constructor(
    private readonly text: string,
    options: ScanOptions,
    readonly knownTokens: KnownTokens,
  ) {
    this.fileName = options.fileName;
    this.reportUnverified = options.reportUnverified ?? false;
  }

  detect(rule: ScanRule, start: number, end: number): void {
    this.rule = rule;
    rule.detect(this.text, start, end, this);
  }

  report(candidate: Candidate): void {
    this.candidates.push({ ...candidate, ruleId: (this.rule as ScanRule).id });
  }

  shared<T>(make: (text: string, scan: RuleScan) => T): T {
    this.sharedValues ??= new Map();
    if (!this.sharedValues.has(make)) this.sharedValues.set(make, make(this.text, this));
    return this.sharedValues.get(make) as T;
  }
}

function settle(
  text: string,
  candidates: Found[],
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
      ruleId: knownStoredToken.id,
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
        !ignored?.has(f.fingerprint) &&
        // The user's own live token is reported whatever the file says.
        !(inlineIgnores && f.ruleId !== knownStoredToken.id && hasIgnoreDirective(text, f.start, f.end)),
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
  // A stored token outranks everything, whatever the confidence of what overlaps it.
  if (f.ruleId === knownStoredToken.id) return -1;
  return CONFIDENCE_ORDER.indexOf(f.confidence) * RANK_SPAN + (ORDER.get(f.ruleId) as number);
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
