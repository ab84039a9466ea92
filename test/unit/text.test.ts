import * as assert from 'assert';
import { escapeMarkdown, formatDate, plural } from '../../src/core/text';

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
});
