// The editor's `files.exclude` / `search.exclude` globs as .gitignore lines for the shared walker and
// matcher (src/core/files/gitignore.ts), so a disk scan of a folder skips what the editor's search skips. The
// workspace's own settings write these globs, so they are hostile input: braces are expanded to a
// bounded number of alternatives, and the lines are matched by the linear .gitignore matcher, never
// turned into a backtracking regular expression.

/** A glob with more alternatives than this is dropped (scanning more is the safe side). */
const MAX_ALTERNATIVES = 64;
const MAX_GLOB_LENGTH = 1024;

/**
 * .gitignore lines equivalent to the globs (relative to the workspace folder). Each line is anchored
 * with a leading '/', as an editor glob is matched against the whole relative path ('*.log' only at
 * the top, '**' for any depth); that also keeps a leading '!' or '#' literal.
 */
export function excludeGlobsAsIgnoreLines(globs: Iterable<string>): string {
  const lines: string[] = [];
  for (const glob of globs) {
    if (!glob || glob.length > MAX_GLOB_LENGTH || /[\r\n]/.test(glob)) continue;
    const alternatives = expandBraces(glob.replace(/\\/g, '/'));
    if (!alternatives) continue;
    for (const alternative of alternatives) {
      const trimmed = alternative.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
      if (trimmed) lines.push(`/${trimmed}`);
    }
  }
  return lines.join('\n');
}

/** `a{b,c}d` as ['abd', 'acd'] (nested braces too); undefined when over MAX_ALTERNATIVES. */
export function expandBraces(glob: string): string[] | undefined {
  let results = [''];
  let i = 0;
  const close = matchingBraces(glob);
  const expandRange = (from: number, to: number): string[] | undefined => expandBraces(glob.slice(from, to));
  while (i < glob.length) {
    const end = close.get(i);
    if (glob[i] !== '{' || end === undefined) {
      results = results.map((r) => r + glob[i]);
      i++;
      continue;
    }
    const options: string[] = [];
    let start = i + 1;
    for (let j = i + 1; j <= end; j++) {
      const inner = close.get(j);
      if (glob[j] === '{' && inner !== undefined) {
        j = inner;
        continue;
      }
      if (glob[j] === ',' || j === end) {
        const expanded = expandRange(start, j);
        if (!expanded) return undefined;
        options.push(...expanded);
        start = j + 1;
      }
    }
    if (results.length * options.length > MAX_ALTERNATIVES) return undefined;
    results = results.flatMap((r) => options.map((o) => r + o));
    i = end + 1;
  }
  return results;
}

/** Positions of each '{' and its '}' (unbalanced braces stay literal). */
function matchingBraces(glob: string): Map<number, number> {
  const pairs = new Map<number, number>();
  const open: number[] = [];
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] === '{') open.push(i);
    else if (glob[i] === '}' && open.length) pairs.set(open.pop()!, i);
  }
  return pairs;
}
