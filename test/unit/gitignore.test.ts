import * as assert from 'assert';
import { GitignoreMatcher } from '../../src/core/gitignore';

describe('GitignoreMatcher', () => {
  const matcher = new GitignoreMatcher()
    .add('', 'dist/\n*.log\n!keep.log\n/secret.env\n')
    .add('packages/app', 'generated/\n*.tmp\n');

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
