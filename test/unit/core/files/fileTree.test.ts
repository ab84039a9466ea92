// The walk over trees a hostile repository can write: the pattern work must stay proportional to the
// tree (counted, not timed), whatever the .gitignore files say.
import * as assert from 'assert';
import { type EntryType, type TreeFileSystem, walkTree } from '../../../../src/core/files/fileTree';
import {
  type DroppedPattern,
  GitignoreMatcher,
  MATCH_LIMITS,
  type MatchLimits,
  type MatchStats,
} from '../../../../src/core/files/gitignore';

/** An in-memory tree: paths of files ('/'-separated) with their text. */
function memoryTree(files: Record<string, string>): TreeFileSystem {
  const folders = new Map<string, Map<string, EntryType>>([['', new Map()]]);
  for (const file of Object.keys(files)) {
    const parts = file.split('/');
    let dir = '';
    for (let i = 0; i < parts.length; i++) {
      if (!folders.has(dir)) folders.set(dir, new Map());
      folders.get(dir)!.set(parts[i], i === parts.length - 1 ? 'file' : 'directory');
      dir = dir ? `${dir}/${parts[i]}` : parts[i];
    }
  }
  return {
    readDirectory: (dir) => [...(folders.get(dir) ?? [])],
    readText: (path) => files[path],
  };
}

async function walk(
  files: Record<string, string>,
  options: { skippedDirs?: Set<string>; gitignore?: boolean; limits?: MatchLimits } = {},
): Promise<{ paths: string[]; stats: MatchStats; dropped: DroppedPattern[] }> {
  const stats: MatchStats = { evaluations: 0, steps: 0 };
  const paths: string[] = [];
  const dropped: DroppedPattern[] = [];
  for await (const folder of walkTree(memoryTree(files), {
    skippedDirs: options.skippedDirs ?? new Set(['.git', 'node_modules']),
    gitignore: options.gitignore,
    stats,
    limits: options.limits,
    onPatternDropped: (pattern) => dropped.push(pattern),
  }))
    paths.push(...folder);
  return { paths: paths.sort(), stats, dropped };
}

/** Path segments the walk visits: the size the work must stay proportional to. */
function segmentsOf(paths: string[]): number {
  return paths.reduce((sum, p) => sum + p.split('/').length, 0);
}

describe('walkTree: hostile .gitignore files cost work proportional to the tree', function () {
  this.timeout(60_000);

  it('"**/a/**/a/…/a/b" over folders nested a/a/… 50 and 100 deep', async () => {
    const pattern = `${'**/a/'.repeat(8)}b\n`;
    const results: Array<{ segments: number; steps: number }> = [];
    for (const depth of [50, 100]) {
      const files: Record<string, string> = { '.gitignore': pattern };
      for (let d = 1; d <= depth; d++) files[`${'a/'.repeat(d)}f.txt`] = 'x';
      files[`${'a/'.repeat(depth)}b`] = 'x';
      const { paths, stats } = await walk(files);
      assert.ok(!paths.includes(`${'a/'.repeat(depth)}b`), 'the pattern still works');
      assert.strictEqual(paths.length, depth + 1, 'every other file is listed');
      // Each test is at most (pattern segments) × (path segments) states, each a one-character glob.
      const patternSegments = 17;
      const bound = 4 * patternSegments * (segmentsOf(paths) + depth * depth);
      assert.ok(stats.steps <= bound, `${stats.steps} steps at depth ${depth} (bound ${bound})`);
      results.push({ segments: segmentsOf(paths), steps: stats.steps });
    }
    const [small, large] = results;
    const growth = large.steps / small.steps;
    const sizeGrowth = large.segments / small.segments;
    assert.ok(growth <= 1.5 * sizeGrowth, `steps grew ${growth.toFixed(1)}x while the tree's path segments grew ${sizeGrowth.toFixed(1)}x`);
  });

  it('10,000 sibling folders each with a .gitignore: each file meets its own and the root one only', async () => {
    const files: Record<string, string> = { '.gitignore': '*.log\n' };
    for (let i = 0; i < 10_000; i++) {
      files[`d${i}/.gitignore`] = `ignored${i}.txt\n!keep.log\n`;
      files[`d${i}/file.txt`] = 'x';
      files[`d${i}/ignored${i}.txt`] = 'x';
    }
    const { paths, stats } = await walk(files);
    assert.strictEqual(paths.length, 20_001, 'the root .gitignore, and in each folder its .gitignore and file.txt');
    assert.ok(!paths.some((p) => p.includes('ignored')));
    const entries = Object.keys(files).length + 10_000;
    assert.ok(stats.evaluations <= 4 * entries, `${stats.evaluations} pattern evaluations for ${entries} entries`);
  });

  it('500 nested folders each with a .gitignore: work grows with the paths, not with every file times every pattern', async () => {
    const counts: number[] = [];
    const sizes: number[] = [];
    for (const depth of [250, 500]) {
      const files: Record<string, string> = {};
      for (let d = 0; d < depth; d++) {
        const dir = 'n/'.repeat(d);
        files[`${dir}.gitignore`] = `*.tmp${d}\n`;
        files[`${dir}keep${d}.txt`] = 'x';
        files[`${dir}drop.tmp${d}`] = 'x';
      }
      const { paths, stats } = await walk(files);
      assert.strictEqual(paths.length, 2 * depth);
      // An entry (file or folder) at depth d is tested against the d .gitignore files above it, one rule
      // each: as many evaluations as the path segments of the entries, at most.
      const entrySegments = segmentsOf(Object.keys(files)) + (depth * (depth - 1)) / 2;
      assert.ok(
        stats.evaluations <= entrySegments,
        `${stats.evaluations} evaluations at depth ${depth} (${entrySegments} entry path segments)`,
      );
      counts.push(stats.steps);
      sizes.push(segmentsOf(Object.keys(files)));
    }
    assert.ok(counts[1] / counts[0] <= 1.5 * (sizes[1] / sizes[0]), `steps ${counts.join(' → ')}, tree ${sizes.join(' → ')} path segments`);
  });

  it('a pattern built to make backtracking matchers explode costs steps linear in its length', () => {
    const stats: MatchStats = { evaluations: 0, steps: 0 };
    const matcher = new GitignoreMatcher(stats).add('', `${'*a'.repeat(30)}b\n${'**/'.repeat(30)}x/**/y\n[[[[[[\n`);
    assert.strictEqual(matcher.ignores(`${'a'.repeat(200)}`), false);
    assert.strictEqual(matcher.ignores(`${'q/'.repeat(100)}x/q/y`), true);
    assert.ok(stats.steps < 200 * 62 + 101 * 34 + 1000, `${stats.steps} steps`);
  });
});

/** Ordinary .gitignore lines, as large files hold them: names, extensions, folders, anchored paths, a few classes and '**'. */
function ordinaryPatterns(count: number): string[] {
  let seed = 1;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const word = () =>
    Array.from({ length: 3 + Math.floor(random() * 8) }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 26)]).join('');
  const forms: Array<[number, () => string]> = [
    [0.3, () => word()],
    [0.55, () => `*.${word()}`],
    [0.65, () => `${word()}*`],
    [0.72, () => `${word()}/`],
    [0.8, () => `/${word()}/${word()}`],
    [0.86, () => `**/${word()}`],
    [0.9, () => `${word()}/**/${word()}`],
    [0.93, () => `*.${word()}[cod]`],
    [0.95, () => `[Dd]${word()}/`],
    [0.97, () => `*.${word()}.*`],
    [0.98, () => `**/${word()}/*.js`],
    [1, () => `!${word()}*.txt`],
  ];
  const lines = [
    '*.log',
    '*.tmp',
    '*~',
    '.#*',
    '*.sw?',
    '*.py[cod]',
    '__pycache__/',
    '.DS_Store',
    '*.min.*',
    'coverage/',
    'dist/',
    '!dist/keep.txt',
  ];
  while (lines.length < count) {
    const pick = random();
    lines.push(forms.find(([upTo]) => pick < upTo)![1]());
  }
  return lines;
}

/** Files named as in node_modules: packages, scoped ones, their lib folders, declarations, maps, licences. */
function packageTree(packages: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < packages; i++) {
    const name = i % 5 === 0 ? `@scope-${i}/package-name-${i}` : `package-name-with-words-${i}`;
    for (const file of [
      'package.json',
      'README.md',
      'LICENSE',
      'index.js',
      'index.d.ts',
      'lib/index.js',
      'lib/index.js.map',
      `lib/module-${i}.min.js`,
      'lib/utils/helpers.js',
      'lib/utils/helpers.d.ts',
      'CHANGELOG.md',
      'dist/keep.txt',
    ])
      files[`deps/${name}/${file}`] = 'x';
  }
  return files;
}

describe('walkTree: the work on .gitignore patterns is budgeted', function () {
  this.timeout(60_000);

  it('250 wildcard-heavy 4 KB patterns over 2,000 files with 195-character names: at most twice the limits, every pattern dropped and named, every file listed', async () => {
    const files: Record<string, string> = { '.gitignore': `${'*a'.repeat(2047)}b\n`.repeat(250) };
    for (let i = 0; i < 2000; i++) files[`${String(i).padStart(5, '0')}${'a'.repeat(190)}`] = 'x';
    const { paths, stats, dropped } = await walk(files);
    assert.strictEqual(paths.length, 2001);
    const bound = 2 * (MATCH_LIMITS.floor + MATCH_LIMITS.perPath * 2001);
    // Unbudgeted: 25,000 steps per pattern per name, 1.25 × 10^10 in all.
    assert.ok(stats.steps <= bound, `${stats.steps} steps (bound ${bound})`);
    assert.deepStrictEqual(
      dropped.map((d) => `${d.file}:${d.line}`).sort(),
      Array.from({ length: 250 }, (_, i) => `.gitignore:${i + 1}`).sort(),
    );
  });

  it('140,000 short patterns (a 1 MB .gitignore) over 2,000 files: pattern tests bounded by the limits, not 2.8 × 10^8', async () => {
    const files: Record<string, string> = { '.gitignore': Array.from({ length: 140_000 }, (_, i) => `x${i.toString(36)}`).join('\n') };
    for (let i = 0; i < 2000; i++) files[`f${i}`] = 'x';
    const { paths, stats, dropped } = await walk(files);
    assert.strictEqual(paths.length, 2001);
    // A test costs at least 5 units of the budget (1 to look at the pattern, 4 to test it).
    const bound = (2 * (MATCH_LIMITS.floor + MATCH_LIMITS.perPath * 2001)) / 5;
    assert.ok(stats.evaluations <= bound, `${stats.evaluations} tests (bound ${bound})`);
    assert.ok(dropped.length > 100_000, `${dropped.length} dropped`);
  });

  it('a dropped pattern only ever scans more: what it ignored is listed, and a dropped "!" pattern re-includes', async () => {
    const files = {
      '.gitignore': '*.log\n*s*e*c*r*e*t*.txt\n!*k*e*e*p*.log\n',
      'a.log': 'x',
      'b-keep.log': 'x',
      'secret.txt': 'x',
      'plain.txt': 'x',
    };
    const full = await walk(files);
    assert.deepStrictEqual(full.paths, ['.gitignore', 'b-keep.log', 'plain.txt']);
    assert.deepStrictEqual(full.dropped, []);
    // Limits so small that the costly patterns go, and the cheap `*.log` stays.
    const starved = await walk(files, { limits: { floor: 0, perPath: 16 } });
    assert.deepStrictEqual(starved.paths, ['.gitignore', 'a.log', 'b-keep.log', 'plain.txt', 'secret.txt']);
    assert.deepStrictEqual(starved.dropped.map((d) => d.line).sort(), [2, 3]);
    for (const path of full.paths) assert.ok(starved.paths.includes(path), `${path} is still listed`);
  });

  it('3,000 ordinary patterns over a node_modules-like tree lose nothing, on the allowance per path alone (no floor: any size of tree)', async () => {
    const files = { '.gitignore': ordinaryPatterns(3000).join('\n'), ...packageTree(150) };
    const unlimited = await walk(files, { limits: { floor: Infinity, perPath: 0 } });
    const { paths, dropped, stats } = await walk(files, { limits: { floor: 0, perPath: MATCH_LIMITS.perPath } });
    assert.deepStrictEqual(dropped, []);
    assert.deepStrictEqual(paths, unlimited.paths);
    assert.ok(paths.length > 500 && paths.length < Object.keys(files).length, `${paths.length} listed: the patterns do ignore some`);
    assert.ok(stats.evaluations > 500_000, `${stats.evaluations} tests: every pattern is looked at`);
  });
});

describe('walkTree: what it lists', () => {
  it('honours nested .gitignore files, negations and folder patterns; skips folders by name; never enters an ignored folder', async () => {
    const { paths } = await walk({
      '.gitignore': 'build/\n*.log\n!keep.log\n/root-only.txt\n',
      'build/out.js': 'x',
      'a/debug.log': 'x',
      'a/keep.log': 'x',
      'root-only.txt': 'x',
      'a/root-only.txt': 'x',
      'pkg/.gitignore': 'generated/\n*.tmp\n',
      'pkg/generated/x.ts': 'x',
      'pkg/src/y.ts': 'x',
      'pkg/z.tmp': 'x',
      'node_modules/dep/z.js': 'x',
      'src/node_modules/dep/z.js': 'x',
    });
    assert.deepStrictEqual(paths, ['.gitignore', 'a/keep.log', 'a/root-only.txt', 'pkg/.gitignore', 'pkg/src/y.ts']);
  });

  it('lists everything without .gitignore and with no folder skipped when asked', async () => {
    const { paths } = await walk(
      { '.gitignore': '*\n', 'a.txt': 'x', 'node_modules/b.js': 'x' },
      { gitignore: false, skippedDirs: new Set() },
    );
    assert.deepStrictEqual(paths, ['.gitignore', 'a.txt', 'node_modules/b.js']);
  });

  it('stops when cancelled', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 100; i++) files[`d${i}/f.txt`] = 'x';
    let folders = 0;
    const listed: string[] = [];
    for await (const folder of walkTree(memoryTree(files), { skippedDirs: new Set(), cancelled: () => ++folders > 5 }))
      listed.push(...folder);
    assert.strictEqual(listed.length, 4);
  });
});
