// .gitignore semantics for workspace and command-line scans, with nested .gitignore files applying to
// their own folder. The repository being scanned writes these patterns, so matching must stay cheap
// whatever they say: each file is compiled once, a path is tested only against the .gitignore files of
// its own ancestor folders, and a pattern is matched without backtracking (a set of states over its
// segments, and a two-pointer match inside a segment): at most pattern length × path length steps.
// Verdicts on folders are cached, so each folder is decided once however many files it holds.
// Linear is not enough: 250 patterns of 4 KB over 2,000 long names is 10^10 steps, and 140,000 short
// patterns over 2,000 files are 3 × 10^8 tests. So the work of a walk (or a matcher) is budgeted, see
// MatchBudget: a pattern that costs more than its share is dropped, with a warning.

/** Work done, for tests and benchmarks: pattern tests and the character steps inside them. */
export interface MatchStats {
  evaluations: number;
  steps: number;
}

/**
 * The work allowed, in units of about a character step of the automaton (~7 ns): `floor`, plus `perPath`
 * for each path tested. A pattern looked at costs 1, a test 4 more, then its steps. 3,000 ordinary
 * patterns (names, `*.ext`, `dir/`, a few `**` and classes) cost ~14,000 a path over node_modules; a 4 KB
 * `*a*a…b` against a 195-character name, 25,000 alone. 2^24 + 2^15 a path is ~0.1 s, plus ~0.25 ms a
 * path, and the whole walk stays under twice that.
 */
export interface MatchLimits {
  floor: number;
  perPath: number;
}

export const MATCH_LIMITS: MatchLimits = { floor: 2 ** 24, perPath: 2 ** 15 };

/** What looking at a pattern, and testing it, cost beyond its character steps. */
const VISIT_COST = 1;
const TEST_COST = 4;

/** A pattern dropped for its cost, for a warning. */
export interface DroppedPattern {
  /** The .gitignore it came from, relative to the root; '' for lines given by the caller (files.exclude). */
  file: string;
  /** 1-based. */
  line: number;
}

/**
 * The work a walk (or a matcher) may spend on patterns. Within the limits, a test may use all that is
 * left of them. Past them, each pattern may only spend its share (the limits over the number of
 * patterns) and one that spent more is dropped: it ignores nothing any more, and a dropped `!` pattern
 * re-includes everything (so everything before it is moot). Dropping only ever scans more. A legitimate
 * file, which stays within the limits, loses nothing; a hostile one gets at most twice the limits.
 */
export class MatchBudget {
  /** Work spent, in the units of MatchLimits. */
  work = 0;
  private paths = 0;
  private patterns = 0;

  constructor(
    readonly stats: MatchStats = { evaluations: 0, steps: 0 },
    private readonly onDropped?: (dropped: DroppedPattern) => void,
    private readonly limits: MatchLimits = MATCH_LIMITS,
  ) {}

  /** A scope's patterns share the budget from now on. */
  register(scope: IgnoreScope): void {
    this.patterns += scope.rules.length;
  }

  /** One more path tested: the work at which the limits are reached. */
  nextPath(): number {
    this.paths++;
    return this.limits.floor + this.limits.perPath * this.paths;
  }

  /** A pattern's share of `end` (from nextPath). */
  share(end: number): number {
    return end / Math.max(1, this.patterns);
  }

  drop(scope: IgnoreScope, rule: Rule): void {
    rule.dropped = true;
    scope.hasDropped = true;
    this.onDropped?.({ file: scope.source, line: rule.line });
  }
}

/** One line per file: how many of its patterns were dropped, and where. */
export function droppedPatternWarnings(dropped: readonly DroppedPattern[]): string[] {
  const byFile = new Map<string, number[]>();
  for (const { file, line } of dropped) {
    const lines = byFile.get(file);
    if (lines) lines.push(line);
    else byFile.set(file, [line]);
  }
  return [...byFile].map(([file, lines]) => {
    lines.sort((a, b) => a - b);
    const shown = lines.slice(0, 5).join(', ') + (lines.length > 5 ? ', …' : '');
    const where = file ? file : 'the excluded globs (files.exclude, search.exclude)';
    const what =
      lines.length === 1
        ? 'a pattern too costly to match was dropped (line'
        : `${lines.length} patterns too costly to match were dropped (lines`;
    return `${where}: ${what} ${shown}); the files they would have excluded are scanned`;
  });
}

/** Patterns longer than this are ignored (git's own limit on a path is 4096). */
const MAX_PATTERN_LENGTH = 4096;

const CHAR = 0;
const ANY = 1;
const STAR = 2;
const CLASS = 3;

/** `[...]`: pairs of low and high character codes. */
interface CharClass {
  negated: boolean;
  ranges: number[];
}

/**
 * A glob's tokens as numbers, not an object each: objects (4,096 for a 4 KB pattern) made compiling a
 * megabyte of patterns take a quarter of a second, mostly collecting garbage.
 */
interface Tokens {
  /** CHAR, ANY, STAR or CLASS. */
  kinds: number[];
  /** A CHAR's character code (0 for the others). */
  codes: number[];
  /** A CLASS's ranges, by token position. */
  classes: Map<number, CharClass> | undefined;
}

/**
 * A glob within one path segment, matched as a bit-parallel automaton: one bit per token position, a
 * word operation per 32 tokens per character, so a test costs name length × (tokens / 32) whatever the
 * stars (a backtracking matcher can take name length × tokens, or worse).
 */
interface Glob {
  tokens: Tokens;
  /** Most globs are a name, `*.ext` or `name*`: compared directly, without the automaton. */
  shortcut?: { kind: 'literal' | 'suffix' | 'prefix'; text: string };
  /** Built on the first test that needs it (a .gitignore of 100,000 names needs none). */
  automaton?: Automaton;
}

interface Automaton {
  words: number;
  /** Bits of the star positions (a star keeps its state on any character). */
  stars: Uint32Array;
  /** Per character code: the positions i + 1 whose token i accepts it. Filled on first use. */
  masks: Map<number, Uint32Array>;
  /** The state sets of a match, reused: matching is synchronous, one glob at a time. */
  states: Uint32Array;
  next: Uint32Array;
}

/** A segment of a pattern: '**' (any number of folders) or a glob within one path segment. */
type Segment = 'globstar' | Glob;

interface Rule {
  /** 1-based, for the warning when it is dropped. */
  line: number;
  negated: boolean;
  directoryOnly: boolean;
  /** With a slash inside: matched against the path relative to the .gitignore's folder; else against the last segment. */
  anchored: boolean;
  segments: Segment[];
  /** The work spent on it so far, and whether it was dropped for that (see MatchBudget). */
  spent: number;
  dropped: boolean;
}

export interface IgnoreScope {
  /** Folder of the .gitignore, relative to the root, '' for the root, always with '/' separators. */
  readonly dir: string;
  /** The .gitignore's path relative to the root, for warnings; '' for lines given by the caller. */
  readonly source: string;
  /** Segments in `dir`. */
  readonly depth: number;
  /** Dropped patterns are taken out (see MatchBudget). */
  rules: Rule[];
  /** A dropped '!' pattern stood before `rules`: the verdict so far is reset to "not ignored". */
  reset: boolean;
  /** Some of `rules` were dropped and are still there. */
  hasDropped: boolean;
}

export class GitignoreMatcher {
  private readonly scopes = new Map<string, IgnoreScope>();
  private readonly folderVerdicts = new Map<string, boolean>();
  readonly budget: MatchBudget;

  constructor(
    readonly stats: MatchStats = { evaluations: 0, steps: 0 },
    onDropped?: (dropped: DroppedPattern) => void,
    limits?: MatchLimits,
  ) {
    // A dropped pattern may change verdicts already cached: they are decided again.
    this.budget = new MatchBudget(
      stats,
      (dropped) => {
        this.folderVerdicts.clear();
        onDropped?.(dropped);
      },
      limits,
    );
  }

  /** Adds the rules of `<dir>/.gitignore` (dir relative to the root, '' for the root); `source` names them in warnings. */
  add(dir: string, content: string, source?: string): this {
    const scope = compileScope(dir, content, source);
    if (scope.rules.length) {
      this.scopes.set(scope.dir, scope);
      this.budget.register(scope);
    }
    this.folderVerdicts.clear();
    return this;
  }

  get isEmpty(): boolean {
    return this.scopes.size === 0;
  }

  /** True when the path (relative to the root, '/' separators) is ignored, itself or through a folder. */
  ignores(relativePath: string, isDirectory = false): boolean {
    const path = relativePath
      .replace(/\\/g, '/')
      .replace(/^\.?\/+/, '')
      .replace(/\/+$/, '');
    if (!path || this.scopes.size === 0) return false;
    const parent = path.lastIndexOf('/');
    if (parent > 0 && this.folderIgnored(path.slice(0, parent))) return true;
    return this.test(path, isDirectory);
  }

  /** A folder's own verdict or its parent's, each decided once. */
  private folderIgnored(folder: string): boolean {
    const known = this.folderVerdicts.get(folder);
    if (known !== undefined) return known;
    const parent = folder.lastIndexOf('/');
    const verdict = (parent > 0 && this.folderIgnored(folder.slice(0, parent))) || this.test(folder, true);
    this.folderVerdicts.set(folder, verdict);
    return verdict;
  }

  /** The path itself, against the scopes of its ancestor folders only (its folders are not ignored). */
  private test(path: string, isDirectory: boolean): boolean {
    const chain: IgnoreScope[] = [];
    const root = this.scopes.get('');
    if (root) chain.push(root);
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
      const scope = this.scopes.get(path.slice(0, slash));
      if (scope) chain.push(scope);
    }
    return ignoredBy(chain, path, isDirectory, this.budget);
  }
}

/**
 * Compiles one .gitignore file: done once per file, whatever the number of paths tested against it.
 * `source` names it in warnings (default: `<dir>/.gitignore`).
 */
export function compileScope(dir: string, content: string, source?: string): IgnoreScope {
  const normalized = dir.replace(/\\/g, '/').replace(/^\.?\/+|\/+$/g, '');
  const rules: Rule[] = [];
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const rule = parseRule(lines[i], i + 1);
    if (rule) rules.push(rule);
  }
  return {
    dir: normalized,
    source: source ?? (normalized ? `${normalized}/.gitignore` : '.gitignore'),
    depth: normalized ? normalized.split('/').length : 0,
    rules,
    reset: false,
    hasDropped: false,
  };
}

/**
 * Whether `path` (relative to the root) is ignored by `chain`, the scopes of its ancestor folders from
 * the root down: the last matching rule decides, deeper files after shallower ones, as in git. The
 * scopes must be registered with `budget`.
 */
export function ignoredBy(chain: readonly IgnoreScope[], path: string, isDirectory: boolean, budget: MatchBudget): boolean {
  const stats = budget.stats;
  const end = budget.nextPath();
  const share = budget.share(end);
  let work = budget.work;
  let ignored = false;
  const name = path.slice(path.lastIndexOf('/') + 1);
  let parts: string[] | undefined;
  for (const scope of chain) {
    if (scope.reset) ignored = false; // a dropped '!' pattern was here
    for (const rule of scope.rules) {
      work += VISIT_COST;
      rule.spent += VISIT_COST;
      if (work > end && rule.spent > share) {
        budget.drop(scope, rule);
        if (rule.negated) ignored = false;
        continue;
      }
      if (rule.negated !== ignored) continue; // cannot change the verdict
      if (rule.directoryOnly && !isDirectory) continue;
      stats.evaluations++;
      work += TEST_COST;
      rule.spent += TEST_COST;
      // Within the limits, all that is left of them; past them, what is left of the pattern's share.
      const allowed = Math.max(end - work, share - rule.spent);
      const before = stats.steps;
      let matched: boolean;
      if (rule.anchored) {
        parts ??= path.split('/');
        matched = matchSegments(rule.segments, parts, scope.depth, stats, before + allowed);
      } else matched = matchGlob(rule.segments[0] as Glob, name, stats, before + allowed);
      const steps = stats.steps - before;
      work += steps;
      rule.spent += steps;
      if (steps > allowed) {
        budget.drop(scope, rule);
        if (rule.negated) ignored = false;
      } else if (matched) ignored = !rule.negated;
    }
    if (scope.hasDropped) withoutDropped(scope);
  }
  budget.work = work;
  return ignored;
}

/**
 * Takes the dropped patterns out of a scope, so that they cost nothing more. A dropped '!' pattern
 * re-includes everything: the patterns before it no longer decide anything, and the scope resets the
 * verdict instead.
 */
function withoutDropped(scope: IgnoreScope): void {
  let from = 0;
  for (let i = 0; i < scope.rules.length; i++) if (scope.rules[i].dropped && scope.rules[i].negated) from = i + 1;
  if (from > 0) scope.reset = true;
  scope.rules = scope.rules.slice(from).filter((rule) => !rule.dropped);
  scope.hasDropped = false;
}

function parseRule(raw: string, lineNumber: number): Rule | undefined {
  let line = raw;
  // Trailing blanks are dropped unless escaped with a backslash.
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t') && line[end - 2] !== '\\') end--;
  line = line.slice(0, end);
  if (!line || line.startsWith('#') || line.length > MAX_PATTERN_LENGTH) return undefined;
  let negated = false;
  if (line.startsWith('!')) {
    negated = true;
    line = line.slice(1);
  } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
    line = line.slice(1);
  }
  let directoryOnly = false;
  if (line.endsWith('/') && !line.endsWith('\\/')) {
    directoryOnly = true;
    line = line.replace(/\/+$/, '');
  }
  if (!line) return undefined;
  const anchored = line.includes('/');
  if (line.startsWith('/')) line = line.replace(/^\/+/, '');
  if (!line) return undefined;
  const segments: Segment[] = anchored
    ? line
        .split('/')
        .filter((part, i, all) => part !== '' || i === all.length - 1)
        .map(compileSegment)
    : [compileGlob(line)];
  // Consecutive '**' segments mean the same as one.
  const merged = segments.filter((segment, i) => !(segment === 'globstar' && segments[i - 1] === 'globstar'));
  return { line: lineNumber, negated, directoryOnly, anchored, segments: merged, spent: 0, dropped: false };
}

function compileSegment(part: string): Segment {
  return part === '**' ? 'globstar' : compileGlob(part);
}

function compileGlob(glob: string): Glob {
  const tokens = globTokens(glob);
  return { tokens, shortcut: shortcutOf(tokens) };
}

function automatonOf(glob: Glob): Automaton {
  const { kinds } = glob.tokens;
  const words = (kinds.length >> 5) + 1;
  const stars = new Uint32Array(words);
  for (let i = 0; i < kinds.length; i++) if (kinds[i] === STAR) stars[i >> 5] |= 1 << (i & 31);
  return { words, stars, masks: new Map(), states: new Uint32Array(words), next: new Uint32Array(words) };
}

function shortcutOf({ kinds, codes }: Tokens): Glob['shortcut'] {
  const n = kinds.length;
  const literal = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (kinds[i] !== CHAR) return false;
    return true;
  };
  const text = (from: number, to: number) => String.fromCharCode(...codes.slice(from, to));
  if (n > 256) return undefined;
  if (literal(0, n)) return { kind: 'literal', text: text(0, n) };
  if (n > 1 && kinds[0] === STAR && literal(1, n)) return { kind: 'suffix', text: text(1, n) };
  if (n > 1 && kinds[n - 1] === STAR && literal(0, n - 1)) return { kind: 'prefix', text: text(0, n - 1) };
  return undefined;
}

/** `*` and `**` inside a segment both stop at '/'; `?` is one character; `[...]` a class; `\x` a literal. */
function globTokens(glob: string): Tokens {
  const kinds: number[] = [];
  const codes: number[] = [];
  let classes: Map<number, CharClass> | undefined;
  const push = (kind: number, code = 0) => {
    kinds.push(kind);
    codes.push(code);
  };
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charCodeAt(i);
    if (c === 0x5c /* \\ */ && i + 1 < glob.length) push(CHAR, glob.charCodeAt(++i));
    else if (c === 0x2a /* * */) {
      if (kinds[kinds.length - 1] !== STAR) push(STAR);
    } else if (c === 0x3f /* ? */) push(ANY);
    else if (c === 0x5b /* [ */) {
      const parsed = parseClass(glob, i);
      if (parsed) {
        (classes ??= new Map()).set(kinds.length, parsed.charClass);
        push(CLASS);
        i = parsed.end;
      } else push(CHAR, c);
    } else push(CHAR, c);
  }
  return { kinds, codes, classes };
}

function parseClass(glob: string, open: number): { charClass: CharClass; end: number } | undefined {
  let i = open + 1;
  let negated = false;
  if (glob[i] === '!' || glob[i] === '^') {
    negated = true;
    i++;
  }
  const ranges: number[] = [];
  let first = true;
  while (i < glob.length && (glob[i] !== ']' || first)) {
    first = false;
    let low = glob.charCodeAt(i);
    if (glob[i] === '\\' && i + 1 < glob.length) low = glob.charCodeAt(++i);
    let high = low;
    if (glob[i + 1] === '-' && i + 2 < glob.length && glob[i + 2] !== ']') {
      i += 2;
      high = glob[i] === '\\' && i + 1 < glob.length ? glob.charCodeAt(++i) : glob.charCodeAt(i);
    }
    ranges.push(low, high);
    i++;
  }
  if (i >= glob.length) return undefined; // no closing bracket: a literal '['
  return { charClass: { negated, ranges }, end: i };
}

/** Whether token `i` accepts the character `code`. */
function matchesToken(tokens: Tokens, i: number, code: number): boolean {
  switch (tokens.kinds[i]) {
    case CHAR:
      return tokens.codes[i] === code;
    case ANY:
      return true;
    case CLASS: {
      const { negated, ranges } = tokens.classes!.get(i)!;
      let inside = false;
      for (let r = 0; r < ranges.length && !inside; r += 2) inside = code >= ranges[r] && code <= ranges[r + 1];
      return inside !== negated;
    }
    default:
      return false;
  }
}

/** A glob against one segment: the automaton's states after each character, all at once. Gives up past `limit` steps. */
function matchGlob(glob: Glob, text: string, stats: MatchStats, limit: number): boolean {
  const { shortcut } = glob;
  if (shortcut) {
    stats.steps++;
    if (shortcut.kind === 'literal') return text === shortcut.text;
    return shortcut.kind === 'suffix' ? text.endsWith(shortcut.text) : text.startsWith(shortcut.text);
  }
  const automaton = (glob.automaton ??= automatonOf(glob));
  const { words, stars } = automaton;
  const count = glob.tokens.kinds.length;
  let states = automaton.states;
  let next = automaton.next;
  states.fill(0);
  states[0] = 1;
  closeOverStars(states, stars);
  for (let s = 0; s < text.length; s++) {
    stats.steps += words;
    if (stats.steps > limit) return false;
    const mask = maskFor(glob.tokens, automaton, text.charCodeAt(s));
    let carry = 0;
    let any = 0;
    for (let w = 0; w < words; w++) {
      const moving = states[w] & ~stars[w];
      // Token i matched: state i + 1; a star stays where it is.
      next[w] = (((moving << 1) | carry) & mask[w]) | (states[w] & stars[w]);
      carry = moving >>> 31;
      any |= next[w];
    }
    if (!any) return false;
    [states, next] = [next, states];
    closeOverStars(states, stars);
  }
  return (states[count >> 5] & (1 << (count & 31))) !== 0;
}

/** A star may match nothing: its state also stands for the next position (stars never follow stars). */
function closeOverStars(states: Uint32Array, stars: Uint32Array): void {
  let carry = 0;
  for (let w = 0; w < states.length; w++) {
    const starred = states[w] & stars[w];
    states[w] |= (starred << 1) | carry;
    carry = starred >>> 31;
  }
}

function maskFor(tokens: Tokens, automaton: Automaton, code: number): Uint32Array {
  let mask = automaton.masks.get(code);
  if (!mask) {
    mask = new Uint32Array(automaton.words);
    for (let i = 0; i < tokens.kinds.length; i++) if (matchesToken(tokens, i, code)) mask[(i + 1) >> 5] |= 1 << ((i + 1) & 31);
    automaton.masks.set(code, mask);
  }
  return mask;
}

/**
 * Segments against path parts: the set of pattern positions reachable after each part (no
 * backtracking). A '**' takes zero or more parts; a trailing one takes at least one ("dir/**" is what
 * is inside dir, not dir itself).
 */
function matchSegments(segments: Segment[], parts: string[], from: number, stats: MatchStats, limit: number): boolean {
  const count = segments.length;
  // `**/name`, the most common anchored form: the '**' takes every part but the last.
  if (count === 2 && segments[0] === 'globstar' && segments[1] !== 'globstar') {
    stats.steps++;
    return parts.length > from && matchGlob(segments[1], parts[parts.length - 1], stats, limit);
  }
  let states = new Uint8Array(count + 1);
  let next = new Uint8Array(count + 1);
  states[0] = 1;
  closeOverGlobstars(segments, states);
  for (let p = from; p < parts.length; p++) {
    next.fill(0);
    let any = false;
    for (let i = 0; i < count; i++) {
      if (!states[i]) continue;
      const segment = segments[i];
      stats.steps++;
      if (segment === 'globstar') {
        next[i] = 1; // takes this part and may take more
        next[i + 1] = 1;
        any = true;
      } else if (matchGlob(segment, parts[p], stats, limit)) {
        next[i + 1] = 1;
        any = true;
      }
      if (stats.steps > limit) return false;
    }
    if (!any) return false;
    [states, next] = [next, states];
    closeOverGlobstars(segments, states);
  }
  return states[count] === 1;
}

/** A '**' may take no part: its state also stands for the next one (except a trailing '**'). */
function closeOverGlobstars(segments: Segment[], states: Uint8Array): void {
  for (let i = 0; i < segments.length; i++) {
    if (states[i] && segments[i] === 'globstar' && i + 1 < segments.length) states[i + 1] = 1;
  }
}

/** Folders no scan wants by default. */
export const ALWAYS_SKIPPED_DIRS = new Set(['.git', 'node_modules']);
