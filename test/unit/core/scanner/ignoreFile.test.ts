import * as assert from 'assert';
import { formatIgnoreEntry, parseIgnoreFile } from '../../../../src/core/scanner';
import { fingerprintOf } from '../../../../src/core/tokens/tokenShapes';

describe('scanner: ignore file', () => {
  const a = fingerprintOf('a');
  const b = fingerprintOf('b');
  const c = fingerprintOf('c');

  it('reads one fingerprint per line, with comments, blank lines and junk', () => {
    const text = [
      '\uFEFF# Jira Token Guard: findings to ignore',
      '',
      a,
      `  ${b.toUpperCase()}   # test fixture in docs/ (upper case is fine)`,
      `${c}# no space before the comment`,
      'not a fingerprint',
      `${a.slice(1)}`,
      `${a}0`,
      '# ' + fingerprintOf('commented out'),
    ].join('\r\n');
    assert.deepStrictEqual([...parseIgnoreFile(text)].sort(), [a, b, c].sort());
  });

  it('accepts any line ending and an empty file', () => {
    assert.deepStrictEqual([...parseIgnoreFile(`${a}\r${b}\n`)].sort(), [a, b].sort());
    assert.strictEqual(parseIgnoreFile('').size, 0);
  });

  it('writes entries that read back, comments on one line', () => {
    assert.strictEqual(formatIgnoreEntry(a), a);
    assert.strictEqual(
      formatIgnoreEntry(a.toUpperCase(), 'atlassian-api-token at docs/setup.md:12'),
      `${a} # atlassian-api-token at docs/setup.md:12`,
    );
    assert.strictEqual(formatIgnoreEntry(a, ' two\nlines  '), `${a} # two lines`);
    assert.deepStrictEqual([...parseIgnoreFile([formatIgnoreEntry(a, 'x'), formatIgnoreEntry(b)].join('\n'))], [a, b]);
  });

  it('refuses something that is not a fingerprint', () => {
    assert.throws(() => formatIgnoreEntry('ATATT3xFfGF0abc'), RangeError);
    assert.throws(() => formatIgnoreEntry(`${a}0`), RangeError);
  });
});
