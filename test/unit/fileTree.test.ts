// The walk over trees a hostile repository can write: the pattern work must stay proportional to the
// tree (counted, not timed), whatever the .gitignore files say.
import * as assert from 'assert';
import { EntryType, TreeFileSystem, walkTree } from '../../src/core/files/fileTree';
import { GitignoreMatcher, MatchStats } from '../../src/core/files/gitignore';

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
  options: { skippedDirs?: Set<string>; gitignore?: boolean } = {},
): Promise<{ paths: string[]; stats: MatchStats }> {
  const stats: MatchStats = { evaluations: 0, steps: 0 };
  const paths: string[] = [];
  for await (const folder of walkTree(memoryTree(files), {
    skippedDirs: options.skippedDirs ?? new Set(['.git', 'node_modules']),
    gitignore: options.gitignore,
    stats,
  }))
    paths.push(...folder);
  return { paths: paths.sort(), stats };
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
