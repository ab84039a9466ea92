import * as assert from 'assert';
import { escapeControls, escapeMarkdown, formatDate, jsonForTerminal, plural } from '../../../../src/core/common/text';

describe('text helpers', () => {
  it('pluralises', () => {
    assert.strictEqual(plural(0, 'day'), '0 days');
    assert.strictEqual(plural(1, 'day'), '1 day');
    assert.strictEqual(plural(2, 'connection'), '2 connections');
  });

  it('formats dates as YYYY-MM-DD in UTC, and leaves what is not a date alone', () => {
    assert.strictEqual(formatDate('2026-11-27T23:30:00-05:00'), '2026-11-28');
    assert.strictEqual(formatDate('2026-01-02'), '2026-01-02');
    assert.strictEqual(formatDate('soon'), 'soon');
  });

  it('escapes Markdown', () => {
    assert.strictEqual(escapeMarkdown('**a** [b](c) <i> #1 x_y `z` |'), '\\*\\*a\\*\\* \\[b\\]\\(c\\) \\<i\\> \\#1 x\\_y \\`z\\` \\|');
    assert.strictEqual(escapeMarkdown('plain words'), 'plain words');
  });

  it('escapes C0 and C1 controls, DEL and bidi characters, and nothing else', () => {
    const hostile = 'a\x1b[2Jb\rc\nd\te\x7ff\x9bg\u202eh\u2066i\u200fj\u061ck\u2028l';
    assert.strictEqual(escapeControls(hostile), 'a\\x1b[2Jb\\x0dc\\x0ad\\x09e\\x7ff\\x9bg\\u202eh\\u2066i\\u200fj\\u061ck\\u2028l');
    assert.strictEqual(escapeControls('src/ünïcode 文件 — “ok”.ts'), 'src/ünïcode 文件 — “ok”.ts');
  });

  it('writes the same characters in JSON as \\u escapes: the value read back is unchanged', () => {
    const value = { name: 'x\x1b]0;title\x07\u009b31m\u202eevil' };
    const json = jsonForTerminal(JSON.stringify(value));
    // eslint-disable-next-line no-control-regex -- looking for control characters
    assert.ok(!/[\u0000-\u001f\u007f-\u009f\u202e]/.test(json), json);
    assert.deepStrictEqual(JSON.parse(json), value);
  });
});
