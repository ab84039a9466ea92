// .gitignore semantics for workspace and command-line scans, with nested .gitignore files applying to
// their own folder. The repository being scanned writes these patterns, so matching must stay cheap
// whatever they say: each file is compiled once, a path is tested only against the .gitignore files of
// its own ancestor folders, and a pattern is matched without backtracking (a set of states over its
// segments, and a two-pointer match inside a segment): at most pattern length × path length steps.
// Verdicts on folders are cached, so each folder is decided once however many files it holds.

/** Work done, for tests and benchmarks: pattern tests and the character steps inside them. */
export interface MatchStats {
  evaluations: number;
  steps: number;
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
  negated: boolean;
  directoryOnly: boolean;
  /** With a slash inside: matched against the path relative to the .gitignore's folder; else against the last segment. */
  anchored: boolean;
  segments: Segment[];
}

export interface IgnoreScope {
  /** Folder of the .gitignore, relative to the root, '' for the root, always with '/' separators. */
  readonly dir: string;
  /** Segments in `dir`. */
  readonly depth: number;
  readonly rules: readonly Rule[];
}

export class GitignoreMatcher {
  private readonly scopes = new Map<string, IgnoreScope>();
  private readonly folderVerdicts = new Map<string, boolean>();

  constructor(readonly stats: MatchStats = { evaluations: 0, steps: 0 }) {}

  /** Adds the rules of `<dir>/.gitignore` (dir relative to the root, '' for the root). */
  add(dir: string, content: string): this {
    const scope = compileScope(dir, content);
    if (scope.rules.length) this.scopes.set(scope.dir, scope);
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
    return ignoredBy(chain, path, isDirectory, this.stats);
  }
}

/** Compiles one .gitignore file: done once per file, whatever the number of paths tested against it. */
export function compileScope(dir: string, content: string): IgnoreScope {
  const normalized = dir.replace(/\\/g, '/').replace(/^\.?\/+|\/+$/g, '');
  const rules: Rule[] = [];
  for (const line of content.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const rule = parseRule(line);
    if (rule) rules.push(rule);
  }
  return { dir: normalized, depth: normalized ? normalized.split('/').length : 0, rules };
}

/**
 * Whether `path` (relative to the root) is ignored by `chain`, the scopes of its ancestor folders from
 * the root down: the last matching rule decides, deeper files after shallower ones, as in git.
 */
export function ignoredBy(chain: readonly IgnoreScope[], path: string, isDirectory: boolean, stats: MatchStats): boolean {
  let ignored = false;
  const name = path.slice(path.lastIndexOf('/') + 1);
  let parts: string[] | undefined;
  for (const scope of chain) {
    for (const rule of scope.rules) {
      if (rule.negated !== ignored) continue; // cannot change the verdict
      if (rule.directoryOnly && !isDirectory) continue;
      stats.evaluations++;
      let matched: boolean;
      if (rule.anchored) {
        parts ??= path.split('/');
        matched = matchSegments(rule.segments, parts, scope.depth, stats);
      } else matched = matchGlob(rule.segments[0] as Glob, name, stats);
      if (matched) ignored = !rule.negated;
    }
  }
  return ignored;
}

function parseRule(raw: string): Rule | undefined {
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
  return { negated, directoryOnly, anchored, segments: merged };
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

/** A glob against one segment: the automaton's states after each character, all at once. */
function matchGlob(glob: Glob, text: string, stats: MatchStats): boolean {
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
function matchSegments(segments: Segment[], parts: string[], from: number, stats: MatchStats): boolean {
  const count = segments.length;
  // `**/name`, the most common anchored form: the '**' takes every part but the last.
  if (count === 2 && segments[0] === 'globstar' && segments[1] !== 'globstar') {
    stats.steps++;
    return parts.length > from && matchGlob(segments[1], parts[parts.length - 1], stats);
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
      } else if (matchGlob(segment, parts[p], stats)) {
        next[i + 1] = 1;
        any = true;
      }
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
