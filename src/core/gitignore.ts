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

type Token = { kind: 'char'; code: number } | { kind: 'any' } | { kind: 'star' } | { kind: 'class'; negated: boolean; ranges: number[] };
/** A segment of a pattern: '**' (any number of folders) or a glob within one path segment. */
type Segment = 'globstar' | Token[];

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
    const path = relativePath.replace(/\\/g, '/').replace(/^\.?\/+/, '').replace(/\/+$/, '');
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
      } else matched = matchGlob(rule.segments[0] as Token[], name, stats);
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
  const segments: Segment[] = anchored ? line.split('/').filter((part, i, all) => part !== '' || i === all.length - 1).map(compileSegment) : [compileGlob(line)];
  // Consecutive '**' segments mean the same as one.
  const merged = segments.filter((segment, i) => !(segment === 'globstar' && segments[i - 1] === 'globstar'));
  return { negated, directoryOnly, anchored, segments: merged };
}

function compileSegment(part: string): Segment {
  return part === '**' ? 'globstar' : compileGlob(part);
}

/** `*` and `**` inside a segment both stop at '/'; `?` is one character; `[...]` a class; `\x` a literal. */
function compileGlob(glob: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && i + 1 < glob.length) tokens.push({ kind: 'char', code: glob.charCodeAt(++i) });
    else if (c === '*') {
      if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') tokens.push({ kind: 'any' });
    else if (c === '[') {
      const parsed = parseClass(glob, i);
      if (parsed) {
        tokens.push(parsed.token);
        i = parsed.end;
      } else tokens.push({ kind: 'char', code: 0x5b });
    } else tokens.push({ kind: 'char', code: glob.charCodeAt(i) });
  }
  return tokens;
}

function parseClass(glob: string, open: number): { token: Token; end: number } | undefined {
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
  return { token: { kind: 'class', negated, ranges }, end: i };
}

function matchesToken(token: Token, code: number): boolean {
  switch (token.kind) {
    case 'char':
      return token.code === code;
    case 'any':
      return true;
    case 'class': {
      let inside = false;
      for (let r = 0; r < token.ranges.length && !inside; r += 2) inside = code >= token.ranges[r] && code <= token.ranges[r + 1];
      return inside !== token.negated;
    }
    default:
      return false;
  }
}

/**
 * A glob against one segment: the two-pointer match that resumes after the last star only. Stars
 * cannot overlap in what they must cover, so this is exact, in at most pattern × text steps.
 */
function matchGlob(tokens: Token[], text: string, stats: MatchStats): boolean {
  let t = 0;
  let s = 0;
  let starToken = -1;
  let starText = 0;
  while (s < text.length) {
    stats.steps++;
    const token = tokens[t];
    if (token && token.kind === 'star') {
      starToken = t++;
      starText = s;
    } else if (token && matchesToken(token, text.charCodeAt(s))) {
      t++;
      s++;
    } else if (starToken >= 0) {
      t = starToken + 1;
      s = ++starText;
    } else return false;
  }
  while (t < tokens.length && tokens[t].kind === 'star') t++;
  return t === tokens.length;
}

/**
 * Segments against path parts: the set of pattern positions reachable after each part (no
 * backtracking). A '**' takes zero or more parts; a trailing one takes at least one ("dir/**" is what
 * is inside dir, not dir itself).
 */
function matchSegments(segments: Segment[], parts: string[], from: number, stats: MatchStats): boolean {
  const count = segments.length;
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
