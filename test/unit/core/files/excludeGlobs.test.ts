// The editor's files.exclude / search.exclude globs, as the shared walker and matcher apply them to a disk
// scan. The workspace writes these globs: expansion is bounded and matching is the linear .gitignore matcher.
import * as assert from 'assert';
import { expandBraces, excludeGlobsAsIgnoreLines } from '../../../../src/core/files/excludeGlobs';
import { compileScope, type DroppedPattern, GitignoreMatcher } from '../../../../src/core/files/gitignore';
import { type EntryType, walkTree } from '../../../../src/core/files/fileTree';

function excluded(globs: string[], path: string): boolean {
  return new GitignoreMatcher().add('', excludeGlobsAsIgnoreLines(globs)).ignores(path);
}

describe('files.exclude globs for disk scans', () => {
  it('expands braces, nested ones too, and keeps unbalanced ones literal', () => {
    assert.deepStrictEqual(expandBraces('**/*.{js,ts}'), ['**/*.js', '**/*.ts']);
    assert.deepStrictEqual(expandBraces('{a,{b,c}/d}x'), ['ax', 'b/dx', 'c/dx']);
    assert.deepStrictEqual(expandBraces('{a,b'), ['{a,b']);
  });

  it('drops a brace bomb instead of expanding it', () => {
    assert.strictEqual(expandBraces('{a,b}'.repeat(40)), undefined);
    assert.strictEqual(excludeGlobsAsIgnoreLines(['{a,b}'.repeat(40), '**/*.log']), '/**/*.log');
    const deep = `${'{'.repeat(500)}x${'}'.repeat(500)}`;
    assert.deepStrictEqual(expandBraces(deep), ['x']);
  });

  it('matches as the editor does: relative to the folder, ** for any depth, folders with their files', () => {
    assert.ok(excluded(['**/.DS_Store'], 'a/b/.DS_Store'));
    assert.ok(excluded(['*.log'], 'top.log'));
    assert.ok(!excluded(['*.log'], 'sub/deep.log'), 'no ** means the top folder only');
    assert.ok(excluded(['**/bower_components'], 'x/bower_components/lib/a.js'));
    assert.ok(excluded(['build/**'], 'build/out.js'));
    assert.ok(!excluded(['build/**'], 'src/build/out.js'));
    assert.ok(excluded(['**/*.{tmp,bak}'], 'a/b.bak'));
  });

  it('keeps a leading ! or # literal: a glob never re-includes or comments out', () => {
    assert.strictEqual(excludeGlobsAsIgnoreLines(['!keep.js', '#x']), '/!keep.js\n/#x');
    assert.ok(excluded(['!keep.js'], '!keep.js'));
    assert.ok(!excluded(['!keep.js'], 'keep.js'));
  });

  it('the walker skips excluded files and never enters excluded folders', async () => {
    const tree: Record<string, Array<[string, EntryType]>> = {
      '': [
        ['a.js', 'file'],
        ['out', 'directory'],
        ['src', 'directory'],
      ],
      out: [['b.js', 'file']],
      src: [
        ['c.js', 'file'],
        ['c.tmp', 'file'],
      ],
    };
    const entered: string[] = [];
    const paths: string[] = [];
    const fileSystem = { readDirectory: (dir: string) => (entered.push(dir), tree[dir]), readText: () => '' };
    const scope = compileScope('', excludeGlobsAsIgnoreLines(['out', '**/*.tmp']));
    for await (const folder of walkTree(fileSystem, { skippedDirs: new Set(), excluded: scope })) paths.push(...folder);
    assert.deepStrictEqual(paths.sort(), ['a.js', 'src/c.js']);
    assert.ok(!entered.includes('out'));
  });

  it('costly globs from the settings are dropped like costly .gitignore lines, and named as settings', async () => {
    const names = Array.from({ length: 2000 }, (_, i) => `${String(i).padStart(5, '0')}${'a'.repeat(190)}`);
    const fileSystem = { readDirectory: () => names.map((name): [string, EntryType] => [name, 'file']), readText: () => '' };
    const glob = `**/${'*a'.repeat(500)}b`;
    const scope = compileScope('', excludeGlobsAsIgnoreLines(Array.from({ length: 250 }, (_, i) => glob + '*'.repeat(i % 2))), '');
    const dropped: DroppedPattern[] = [];
    const paths: string[] = [];
    for await (const folder of walkTree(fileSystem, { skippedDirs: new Set(), excluded: scope, onPatternDropped: (d) => dropped.push(d) }))
      paths.push(...folder);
    assert.strictEqual(paths.length, 2000);
    assert.ok(dropped.length > 0 && dropped.every((d) => d.file === ''), `${dropped.length} dropped`);
  });
});
