// The byte-level scan must find what the string scanner finds in the decoded text, at the same lines and
// columns: on the scanner's own corpus, and on that corpus recoded (BOM, UTF-16, CRLF), pushed behind
// multi-byte characters, spread far apart, and mixed with invalid UTF-8.
import * as assert from 'assert';
import { type LocatedFinding, scanBytes, scanText } from '../../../../src/core/scanner/byteScan';
import { decodeText } from '../../../../src/core/scanner/textDecoding';
import { makeCloudToken, makeDataCenterPat } from '../../../support/tokens';
import { type Doc, negatives, positives } from './scanner.test';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function utf16(text: string, bigEndian: boolean): Buffer {
  const body = Buffer.from(text, 'utf16le');
  if (bigEndian) body.swap16();
  return Buffer.concat([Buffer.from(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]), body]);
}

function assertSame(bytes: Buffer, fileName: string, label: string, options: { reportUnverified?: boolean } = {}): LocatedFinding[] {
  const expected = scanText(decodeText(bytes), { fileName, ...options });
  const actual = scanBytes(bytes, { fileName, ...options });
  assert.deepStrictEqual(actual, expected, label);
  return actual;
}

/** Multi-byte characters of every UTF-8 length, and a surrogate pair. */
const WIDE = 'é中😀Ł€\u0301';

function variants(d: Doc): Array<[string, Buffer]> {
  const crlf = d.text.replace(/\r?\n/g, '\r\n');
  const wideLines = d.text
    .split('\n')
    .map((line, i) => (i % 2 ? `${WIDE.repeat(i)} ${line}` : `${line}${WIDE}`))
    .join('\n');
  const wideBefore = d.text.replace(/([=:"'( ])(?=[A-Za-z0-9])/g, `$1`).replace(/\n/g, `\n${WIDE}`);
  const far = d.text.split('\n').join(`\n${'x'.repeat(40_000)}\n`);
  return [
    ['as written', Buffer.from(d.text)],
    ['with a BOM', Buffer.concat([BOM, Buffer.from(d.text)])],
    ['CRLF', Buffer.from(crlf)],
    ['CRLF with a BOM', Buffer.concat([BOM, Buffer.from(crlf)])],
    ['multi-byte characters on every line', Buffer.from(wideLines)],
    ['multi-byte characters before every line', Buffer.concat([BOM, Buffer.from(wideBefore)])],
    ['lines 40 KB apart', Buffer.from(far)],
    ['UTF-16 LE with a BOM', utf16(wideLines, false)],
    ['UTF-16 BE with a BOM', utf16(crlf, true)],
    [
      'invalid UTF-8 before tokens',
      Buffer.concat(d.text.split('\n').flatMap((line) => [Buffer.from([0xe2, 0x82, 0x20, 0xff, 0xc3]), Buffer.from(`${line}\n`)])),
    ],
  ];
}

describe('scanner: byte-level scan equals the string scan', function () {
  this.timeout(60_000);

  it('on every document of the scanner corpus, in every encoding and layout', () => {
    let findings = 0;
    for (const d of [...positives(), ...negatives()]) {
      for (const [label, bytes] of variants(d))
        findings += assertSame(bytes, d.fileName, `${d.name} (${d.fileName}), ${label}`, { reportUnverified: true }).length;
    }
    assert.ok(findings > 500, `${findings} findings compared`);
  });

  it('with tokens in many places of a long file with long lines', () => {
    const tokens = () => [
      `JIRA_API_TOKEN=${makeCloudToken()};`,
      `Authorization: Bearer ${makeDataCenterPat()};`,
      `x="${makeCloudToken()}";`,
    ];
    const parts: string[] = [];
    for (let i = 0; i < 300; i++)
      parts.push(
        i % 7 === 0 ? '\r\n' : i % 11 === 0 ? '\r' : '',
        WIDE.repeat(i % 5),
        'var a=1;'.repeat(i * 3),
        ...(i % 4 === 0 ? tokens() : []),
        i % 3 ? '\n' : ' ',
      );
    const text = parts.join('');
    assert.ok(assertSame(Buffer.from(text), 'big.js', 'long file').length >= 200);
  });

  it('never decodes more than the windows around anchors: a file without one gives nothing', () => {
    assert.deepStrictEqual(scanBytes(Buffer.from(`${'const x = 1;\n'.repeat(1000)}${WIDE}`)), []);
    assert.deepStrictEqual(scanBytes(new Uint8Array(0)), []);
    assert.deepStrictEqual(scanBytes(BOM), []);
  });

  it('finds a token in UTF-16 text (PowerShell writes it with a BOM)', () => {
    const token = makeCloudToken();
    for (const bigEndian of [false, true]) {
      const [finding] = scanBytes(utf16(`# setup\r\n$JiraToken = "${token}"\r\n`, bigEndian), { fileName: 'setup.ps1' });
      assert.deepStrictEqual([finding.ruleId, finding.line, finding.column, finding.span], ['atlassian-api-token', 1, 14, token]);
    }
  });
});
