import * as assert from 'assert';
import { IGNORE_FILE_HEADER, appendIgnoreEntries } from '../../../../src/core/files/ignoreFileFormat';

const A = 'a'.repeat(64);
const B = 'B'.repeat(64);

describe('ignore file format (shared by Ignore in Workspace and jira-token-guard ignore)', () => {
  it('starts a new file with the header, appends each fingerprint once in lower case, with its note', () => {
    const { text, added } = appendIgnoreEntries(undefined, [
      { fingerprint: A, comment: 'rule at a.js:1' },
      { fingerprint: B },
      { fingerprint: B.toLowerCase() },
    ]);
    assert.strictEqual(added, 2);
    assert.strictEqual(text, `${IGNORE_FILE_HEADER}${A} # rule at a.js:1\n${'b'.repeat(64)}\n`);
  });

  it('keeps what is there, adds a missing final newline, skips present fingerprints and keeps a note on its line', () => {
    const current = `# ours\n${A} # old`;
    const { text, added } = appendIgnoreEntries(current, [{ fingerprint: A }, { fingerprint: B, comment: 'two\nlines\r\n' }]);
    assert.strictEqual(added, 1);
    assert.strictEqual(text, `# ours\n${A} # old\n${'b'.repeat(64)} # two lines\n`);
    assert.deepStrictEqual(appendIgnoreEntries(text, [{ fingerprint: A }]), { text, added: 0 });
  });
});
