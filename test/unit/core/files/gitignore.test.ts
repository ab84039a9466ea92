import * as assert from 'assert';
import { type DroppedPattern, droppedPatternWarnings, GitignoreMatcher, MATCH_LIMITS } from '../../../../src/core/files/gitignore';

describe('GitignoreMatcher', () => {
  const matcher = new GitignoreMatcher().add('', 'dist/\n*.log\n!keep.log\n/secret.env\n').add('packages/app', 'generated/\n*.tmp\n');

  it('applies root rules to the whole tree', () => {
    assert.ok(matcher.ignores('dist/extension.js'));
    assert.ok(matcher.ignores('packages/app/dist/x.js'));
    assert.ok(matcher.ignores('a/b/debug.log'));
    assert.ok(!matcher.ignores('a/b/keep.log'));
    assert.ok(matcher.ignores('secret.env'));
    assert.ok(!matcher.ignores('a/secret.env'), 'anchored patterns match at their own folder only');
    assert.ok(!matcher.ignores('src/index.ts'));
  });

  it('applies nested rules below their folder only', () => {
    assert.ok(matcher.ignores('packages/app/generated/tokens.ts'));
    assert.ok(matcher.ignores('packages/app/x.tmp'));
    assert.ok(!matcher.ignores('generated/tokens.ts'));
    assert.ok(!matcher.ignores('packages/other/x.tmp'));
  });

  it('reports ignored folders', () => {
    assert.ok(matcher.ignores('dist', true));
    assert.ok(!matcher.ignores('src', true));
  });
});

describe('GitignoreMatcher: git pattern syntax', () => {
  const cases: Array<[pattern: string, path: string, isDirectory: boolean, ignored: boolean]> = [
    ['**/foo', 'foo', false, true],
    ['**/foo', 'a/b/foo', false, true],
    ['**/foo/bar', 'x/foo/bar', false, true],
    ['abc/**', 'abc/x/y', false, true],
    ['abc/**', 'abc', true, false],
    ['a/**/b', 'a/b', false, true],
    ['a/**/b', 'a/x/y/b', false, true],
    ['a/**/b', 'c/a/b', false, false],
    ['a/b', 'x/a/b', false, false],
    ['*.min.*', 'dist/app.min.js', false, true],
    ['file?.txt', 'file1.txt', false, true],
    ['file?.txt', 'file10.txt', false, false],
    ['[abc].txt', 'b.txt', false, true],
    ['[!abc].txt', 'b.txt', false, false],
    ['[a-c]x', 'cx', false, true],
    ['\\#notes', '#notes', false, true],
    ['\\!important', '!important', false, true],
    ['trailing\\ ', 'trailing ', false, true],
    ['trailing   ', 'trailing', false, true],
    ['dir/', 'x/dir', false, false],
    ['dir/', 'x/dir', true, true],
    ['*', 'anything/at/all', false, true],
    ['# comment', '# comment', false, false],
    // The shortcuts (a plain name, `*.ext`, `name*`, `**/name`) decide as the automaton would.
    ['*.log', '.log', false, true],
    ['*.log', 'a.logx', false, false],
    ['*.log', 'x/alog', false, false],
    ['build*', 'build', false, true],
    ['build*', 'builds/a.js', false, true],
    ['build*', 'rebuild', false, false],
    ['\\*.js', '*.js', false, true],
    ['\\*.js', 'a.js', false, false],
    ['Thumbs.db', 'a/Thumbs.db', false, true],
    ['Thumbs.db', 'a/thumbs.db', false, false],
    ['**/node_modules', 'a/node_modules/b.js', false, true],
    ['**/node_modules', 'a/node_modules_x/b.js', false, false],
    ['**/*.code-search', 'x/y.code-search', false, true],
    ['/**/CVS', 'CVS', true, true],
  ];
  for (const [pattern, path, isDirectory, ignored] of cases) {
    it(`${JSON.stringify(pattern)} ${ignored ? 'ignores' : 'keeps'} ${path}${isDirectory ? '/' : ''}`, () => {
      assert.strictEqual(new GitignoreMatcher().add('', `${pattern}\n`).ignores(path, isDirectory), ignored);
    });
  }

  it('cannot re-include a file inside an ignored folder, as in git', () => {
    assert.ok(new GitignoreMatcher().add('', 'logs/\n!logs/keep.txt\n').ignores('logs/keep.txt'));
    assert.ok(!new GitignoreMatcher().add('', 'logs/*\n!logs/keep.txt\n').ignores('logs/keep.txt'));
  });
});

describe('GitignoreMatcher: work proportional to the paths tested (as Scan Workspace uses it)', function () {
  this.timeout(60_000);

  it('10,000 sibling folders each with a .gitignore: a file meets its own and the root one only, each folder decided once', () => {
    const stats = { evaluations: 0, steps: 0 };
    const matcher = new GitignoreMatcher(stats).add('', '*.log\n');
    for (let i = 0; i < 10_000; i++) matcher.add(`d${i}`, `ignored${i}.txt\n`);
    let ignored = 0;
    for (let i = 0; i < 10_000; i++) {
      for (const name of ['a.txt', 'b.log', `ignored${i}.txt`, 'sub/c.txt']) if (matcher.ignores(`d${i}/${name}`)) ignored++;
    }
    assert.strictEqual(ignored, 20_000);
    assert.ok(stats.evaluations <= 3 * 50_000, `${stats.evaluations} evaluations for 40,000 files in 20,000 folders`);
  });

  it('500 nested folders each with a .gitignore: a path meets the files above it only', () => {
    const stats = { evaluations: 0, steps: 0 };
    const matcher = new GitignoreMatcher(stats);
    for (let d = 0; d < 500; d++) matcher.add('n/'.repeat(d), `*.tmp${d}\n`);
    let segments = 0;
    for (let d = 0; d < 500; d++) {
      const path = `${'n/'.repeat(d)}keep.txt`;
      segments += d + 1;
      assert.strictEqual(matcher.ignores(path), false);
    }
    assert.ok(stats.evaluations <= 2 * segments, `${stats.evaluations} evaluations for ${segments} path segments`);
  });
});

describe('GitignoreMatcher: the work on patterns is budgeted (as Find Where This Token Is Used and remote folders use it)', function () {
  this.timeout(60_000);

  it('250 wildcard-heavy 4 KB patterns over 2,000 long names: at most twice the limits, each pattern dropped once and reported', () => {
    const stats = { evaluations: 0, steps: 0 };
    const dropped: DroppedPattern[] = [];
    const matcher = new GitignoreMatcher(stats, (pattern) => dropped.push(pattern)).add('sub', `${'*a'.repeat(2047)}b\n`.repeat(250));
    for (let i = 0; i < 2000; i++) assert.strictEqual(matcher.ignores(`sub/${String(i).padStart(5, '0')}${'a'.repeat(190)}`), false);
    const bound = 2 * (MATCH_LIMITS.floor + MATCH_LIMITS.perPath * 2001);
    assert.ok(stats.steps <= bound, `${stats.steps} steps (bound ${bound})`);
    assert.strictEqual(dropped.length, 250);
    assert.ok(dropped.every((d) => d.file === 'sub/.gitignore'));
  });

  it('a verdict cached for a folder is decided again once a pattern is dropped, towards scanning more', () => {
    const dropped: DroppedPattern[] = [];
    const matcher = new GitignoreMatcher(undefined, (d) => dropped.push(d), { floor: 0, perPath: 16 }).add('', '*b*u*i*l*d*\n');
    assert.strictEqual(matcher.ignores('build/a.js'), true, 'within the budget, the pattern applies (and the folder verdict is kept)');
    for (let i = 0; i < 50 && !dropped.length; i++) matcher.ignores(`rebuild-${i}.txt`);
    assert.deepStrictEqual(dropped, [{ file: '.gitignore', line: 1 }]);
    assert.strictEqual(matcher.ignores('build/out.js'), false, 'dropped: the folder is no longer ignored');
  });
});

describe('droppedPatternWarnings', () => {
  it("one line per file, its lines in order, the caller's excluded globs named as settings", () => {
    assert.deepStrictEqual(
      droppedPatternWarnings([
        { file: 'a/.gitignore', line: 9 },
        { file: '', line: 1 },
        { file: 'a/.gitignore', line: 2 },
      ]),
      [
        'a/.gitignore: 2 patterns too costly to match were dropped (lines 2, 9); the files they would have excluded are scanned',
        'the excluded globs (files.exclude, search.exclude): a pattern too costly to match was dropped (line 1); the files they would have excluded are scanned',
      ],
    );
    const many = droppedPatternWarnings(Array.from({ length: 7 }, (_, i) => ({ file: '.gitignore', line: 7 - i })));
    assert.deepStrictEqual(many, [
      '.gitignore: 7 patterns too costly to match were dropped (lines 1, 2, 3, 4, 5, …); the files they would have excluded are scanned',
    ]);
  });
});
