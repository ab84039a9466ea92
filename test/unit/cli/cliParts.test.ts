import * as assert from 'assert';
import { inferConnectionKind } from '../../../src/core/connections/kindInference';
import { reportFinding } from '../../../src/core/findings/reportedFinding';
import { levelOf, relativeUri } from '../../../src/core/findings/sarif';
import { scan } from '../../../src/core/scanner';
import { parseSize } from '../../../src/cli/scanCommand';
import { makeCloudToken, makeDataCenterPat, makeLegacyCloudToken } from '../../support/tokens';

describe('CLI parts', () => {
  it('parses --max-file-size in KB by default, or with a unit', () => {
    assert.strictEqual(parseSize(undefined), 2048 * 1024);
    assert.strictEqual(parseSize('2048'), 2048 * 1024);
    assert.strictEqual(parseSize('512k'), 512 * 1024);
    assert.strictEqual(parseSize('4MB'), 4 * 1024 * 1024);
    assert.strictEqual(parseSize('100b'), 100);
    assert.strictEqual(parseSize('1.5m'), 1.5 * 1024 * 1024);
    for (const bad of ['', '0', '-1', 'lots', '5 parsecs']) assert.throws(() => parseSize(bad), /--max-file-size/);
  });

  it('infers the connection kind from the token shape, then the host, then the user given', () => {
    assert.strictEqual(inferConnectionKind('https://acme.atlassian.net', makeCloudToken()), 'cloud');
    assert.strictEqual(inferConnectionKind('https://jira.example.com', makeCloudToken()), 'cloud', 'an ATATT3 token behind a proxy host');
    assert.strictEqual(inferConnectionKind('https://jira.example.com', makeDataCenterPat()), 'datacenter-pat');
    assert.strictEqual(
      inferConnectionKind('https://acme.atlassian.net', makeDataCenterPat()),
      'datacenter-pat',
      'the check then says the host is wrong',
    );
    assert.strictEqual(inferConnectionKind('https://jira.example.com', 'hunter2!', { username: 'alice' }), 'datacenter-basic');
    assert.strictEqual(inferConnectionKind('https://acme.atlassian.net', makeLegacyCloudToken(), { email: 'a@b.co' }), 'cloud');
    assert.strictEqual(inferConnectionKind('https://jira.example.com', makeLegacyCloudToken(), { email: 'a@b.co' }), 'cloud');
    assert.strictEqual(inferConnectionKind('https://jira.example.com', 'opaque-value'), 'datacenter-pat');
  });

  it('reports findings with 1-based, end-exclusive positions and the secret masked', () => {
    const token = makeCloudToken();
    const text = `a\r\nb\n\tx = "${token}"\n`;
    const [finding] = scan(text);
    const reported = reportFinding('dir/f.txt', finding, text);
    assert.deepStrictEqual([reported.line, reported.column, reported.endLine, reported.endColumn], [3, 7, 3, 7 + token.length]);
    assert.strictEqual(reported.redacted, `${token.slice(0, 4)}…${token.slice(-4)}`);
    assert.ok(!JSON.stringify(reported).includes(token));
    const spanning = reportFinding('f', { ...finding, start: 0, end: 4, line: 0, column: 0 }, 'ab\ncd');
    assert.deepStrictEqual([spanning.endLine, spanning.endColumn], [2, 2]);
  });

  it('maps confidence to SARIF levels and paths to URI references', () => {
    assert.deepStrictEqual(
      ['high', 'medium', 'low'].map((c) => levelOf(c as 'high')),
      ['error', 'warning', 'note'],
    );
    assert.strictEqual(relativeUri('src/a b/#1 ü.ts'), 'src/a%20b/%231%20%C3%BC.ts');
  });
});
