// Core's byte helpers stand in for Node's Buffer (core also runs in a browser): each is held to what
// Buffer does, on the inputs the scanner and the Jira client give them.
import * as assert from 'assert';
import * as crypto from 'crypto';
import {
  base64Bytes,
  base64Of,
  basicCredentials,
  codeUnitWriter,
  indexOfBytes,
  latin1Bytes,
  latin1Text,
  utf16Text,
  utf8Length,
  utf8Text,
  writeCodeUnitsPortable,
} from '../../../../src/core/common/bytes';
import { sha256Hex } from '../../../../src/core/tokens/sha256';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('byte helpers (what Buffer did, without Node)', () => {
  it("decodes base64 as Buffer does: both alphabets, other characters skipped, '=' ends the value", () => {
    const inputs = [
      'QUJD',
      'QU=JD',
      'QU JD',
      'QU*JD',
      'QUJ',
      'QU',
      'Q',
      '',
      'QUJDRA==',
      'QUJDRA=x',
      'a-_b',
      'QUJ\nD',
      'QUJD=QUJD',
      'éQUJD',
    ];
    for (const input of inputs) assert.strictEqual(hex(base64Bytes(input)), Buffer.from(input, 'base64').toString('hex'), input);
    for (let n = 0; n < 40; n++) {
      const random = crypto.randomBytes(n);
      assert.strictEqual(hex(base64Bytes(random.toString('base64url'))), random.toString('hex'));
    }
  });

  it('encodes base64 and Basic credentials as Buffer does', () => {
    for (let n = 0; n < 40; n++) {
      const random = crypto.randomBytes(n);
      assert.strictEqual(base64Of(random), random.toString('base64'));
    }
    assert.strictEqual(basicCredentials('ana@example.com', 'pä$$'), Buffer.from('ana@example.com:pä$$', 'utf8').toString('base64'));
  });

  it('decodes UTF-8, Latin-1 and UTF-16 (both byte orders) as Buffer does, invalid bytes and lone surrogates included', () => {
    const random = crypto.randomBytes(20001);
    assert.strictEqual(utf8Text(random, 3, 19000), random.toString('utf8', 3, 19000));
    assert.strictEqual(latin1Text(random, 1, 20001), random.toString('latin1', 1, 20001));
    assert.strictEqual(utf16Text(random, 1, 20001, false), random.toString('utf16le', 1, 20001));
    const swapped = Buffer.from(random.subarray(1, 20001)).swap16();
    assert.strictEqual(utf16Text(random, 1, 20001, true), swapped.toString('utf16le'));
    assert.strictEqual(hex(latin1Bytes('Basic \u00ff')), Buffer.from('Basic \u00ff', 'latin1').toString('hex'));
  });

  it('counts UTF-8 bytes as Buffer.byteLength does, lone surrogates included', () => {
    for (const text of ['abc', 'é', '☃', '😀', '\ud800', '\udc00x', 'a\ud83d', '\ud83d\ud83d\ude00']) {
      assert.strictEqual(utf8Length(text), Buffer.byteLength(text, 'utf8'), JSON.stringify(text));
    }
  });

  it('finds a byte sequence as Buffer.indexOf does', () => {
    const bytes = Buffer.from('abcabcabd xyz abd');
    for (const [needle, from] of [
      ['abd', 0],
      ['abd', 8],
      ['abd', 9],
      ['z', 0],
      ['q', 0],
      ['abc', 4],
    ] as const) {
      assert.strictEqual(indexOfBytes(bytes, Buffer.from(needle), from), bytes.indexOf(needle, from), `${needle} from ${from}`);
    }
  });

  it("writes UTF-16 code units of ASCII and non-ASCII stretches alike, with Node's Buffer and without", () => {
    const text = `abc é ${'x'.repeat(20000)} 😀 ${'y'.repeat(9000)}\ud800`;
    const nodeMemory = new ArrayBuffer(2 * text.length + 8);
    codeUnitWriter(nodeMemory)(text, 2, text.length, 1);
    const portable = new Uint16Array(text.length + 4);
    writeCodeUnitsPortable(text, 2, text.length, portable, 1);
    for (const [name, units] of [
      ['Buffer', new Uint16Array(nodeMemory)],
      ['portable', portable],
    ] as const) {
      for (let i = 2; i < text.length; i++) assert.strictEqual(units[i - 1], text.charCodeAt(i), `${name}: unit ${i}`);
    }
  });

  it("computes SHA-256 as Node's crypto does, across block boundaries and non-ASCII text", () => {
    for (const text of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'é☃😀'.repeat(50), 'x'.repeat(1000)]) {
      assert.strictEqual(sha256Hex(text), crypto.createHash('sha256').update(text, 'utf8').digest('hex'), `${text.length} characters`);
    }
  });
});
