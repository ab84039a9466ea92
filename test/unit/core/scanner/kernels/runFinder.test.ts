import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { isProbablyBinary, scan } from '../../../../../src/core/scanner';
import { BASE64, TOKEN_CHARS } from '../../../../../src/core/scanner/charClasses';
import { isLockFile } from '../../../../../src/core/scanner/lockFiles';
import { REGION_MARGIN } from '../../../../../src/core/scanner/byteScan';
import { DEFAULT_CHUNK_BYTES } from '../../../../../src/scanEngine/scanSources';
import { findRuns, findRunsPortable, runFinderMemory, runKernel, TEXT_OFFSET } from '../../../../../src/core/scanner/kernels/runFinder';
import { fingerprintOf } from '../../../../../src/core/tokens/tokenShapes';
import { makeDataCenterPat } from '../../../../support/tokens';
import { assembleKernels } from '../../../../../src/core/scanner/kernels/byteKernelCode';
import { assembleModule } from '../../../../../src/core/scanner/kernels/wasmEncoding';
import {
  type ByteKernels,
  byteKernels,
  CandidateMode,
  findByteRuns,
  looksBinary,
  PortableByteKernels,
} from '../../../../../src/core/scanner/kernels/byteKernels';

/** The one-call pass gives what the separate kernels give, in every mode. */
function assertSameCandidates(simd: ByteKernels, portable: ByteKernels, label: string): void {
  for (const mode of [CandidateMode.Anchors, CandidateMode.BinaryTestAndAnchors, CandidateMode.BinaryTest]) {
    const found = [simd.findCandidates(mode), Array.from(simd.candidateMarks), Array.from(simd.candidateRuns)];
    assert.deepStrictEqual(
      found,
      [portable.findCandidates(mode), Array.from(portable.candidateMarks), Array.from(portable.candidateRuns)],
      `${label}, mode ${mode}`,
    );
    if (mode === CandidateMode.Anchors)
      assert.deepStrictEqual(found.slice(1), [Array.from(simd.anchorMarks()), Array.from(simd.anchorRuns())], label);
  }
}

describe('scanner: run finder', () => {
  const pieces = ['a', 'Z', '0', '+', '/', '=', '_', '-', ' ', '\n', '.', 'é', 'Ł', '中', '😀', '\u0141', 'ATATT3'];
  let seed = 11;
  const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;

  function randomText(length: number): string {
    let text = '';
    while (text.length < length) text += random(10) < 8 ? 'xY9'[random(3)].repeat(random(40)) : pieces[random(pieces.length)];
    return text;
  }

  it('finds the same runs as the portable loop, for every alphabet, length and window', () => {
    for (let i = 0; i < 400; i++) {
      const text = randomText(random(600));
      const from = random(text.length + 1);
      const to = from + random(text.length - from + 1);
      for (const alphabet of [BASE64, TOKEN_CHARS]) {
        for (const minLength of [16, 17, 24, 44]) {
          assert.deepStrictEqual(
            findRuns(text, from, to, alphabet, minLength),
            findRunsPortable(text, from, to, alphabet, minLength),
            JSON.stringify({ text, from, to, minLength }),
          );
        }
      }
    }
  });

  it('handles runs at the edges, of exactly 16 characters, and across chunk boundaries', () => {
    for (let length = 14; length <= 70; length++) {
      for (const prefix of ['', ' ', 'x'.repeat(15) + ' ', ' '.repeat(17)]) {
        const text = `${prefix}${'A'.repeat(length)}`;
        assert.deepStrictEqual(findRuns(text, 0, text.length, BASE64, 16), findRunsPortable(text, 0, text.length, BASE64, 16), text);
      }
    }
  });

  it('keeps up with long texts', () => {
    const text = randomBytes(300_000).toString('base64').replace(/[A-F]/g, ' ');
    assert.deepStrictEqual(findRuns(text, 0, text.length, BASE64, 24), findRunsPortable(text, 0, text.length, BASE64, 24));
  });

  it('lets go of the memory a huge text needed, and keeps working', () => {
    const huge = `${'x'.repeat(30)} `.repeat(550_000);
    const runs = findRuns(huge, 0, huge.length, BASE64, 24);
    assert.strictEqual(runs.length, 2 * 550_000);
    assert.deepStrictEqual([runs[2], runs[3]], [31, 61]);
    assert.deepStrictEqual(findRuns('ab '.repeat(10) + 'A'.repeat(30), 0, 60, BASE64, 24), Int32Array.from([30, 60]));
  });

  it("leaves no text in the kernel's memory once a scan ends, which outlives the scan in an extension host", () => {
    const pat = makeDataCenterPat();
    const text = `${'const x = 1;\n'.repeat(500)}headers: { Authorization: "Bearer ${pat}" }\n${'y'.repeat(5000)}\n`;
    assert.strictEqual(scan(text).length, 1);
    // A window of a larger file, as the byte scan asks, and known tokens: the same memory.
    const at = text.indexOf(pat);
    const known = [{ fingerprint: fingerprintOf(pat), length: pat.length, connectionId: 'c', label: 'Acme' }];
    assert.strictEqual(scan(text, { range: { start: at, end: at + 10 }, knownTokens: known }).length, 1);
    const memory = runFinderMemory();
    assert.ok(memory, 'the WebAssembly kernel is the one in use');
    assert.strictEqual(Buffer.from(memory).indexOf(Buffer.from(pat, 'utf16le')), -1, 'the token is not left behind');
    assert.ok(
      memory.subarray(TEXT_OFFSET).every((byte) => byte === 0),
      'every byte is zero after the tables',
    );
  });

  it('finds the same runs in UTF-8 bytes as in the decoded text, by byte offset', () => {
    for (let i = 0; i < 300; i++) {
      const text = randomText(random(600));
      const bytes = Buffer.from(text, 'utf8');
      const from = random(bytes.length + 1);
      const to = from + random(bytes.length - from + 1);
      for (const alphabet of [BASE64, TOKEN_CHARS]) {
        for (const minLength of [16, 24, 44]) {
          const portable = new PortableByteKernels();
          portable.load(bytes.subarray(from, to));
          const expected = portable.runs(alphabet, minLength).map((offset) => offset + from);
          assert.deepStrictEqual(findByteRuns(bytes, from, to, alphabet, minLength), expected);
          // Each byte run is an ASCII run of the text, with the same characters.
          const textRuns = findRunsPortable(text, 0, text.length, alphabet, minLength);
          const asText = new Set<string>();
          for (let r = 0; r < textRuns.length; r += 2) asText.add(text.slice(textRuns[r], textRuns[r + 1]));
          if (from === 0 && to === bytes.length) {
            for (let r = 0; r < expected.length; r += 2) assert.ok(asText.has(bytes.toString('latin1', expected[r], expected[r + 1])));
            assert.strictEqual(expected.length, textRuns.length);
          }
        }
      }
    }
    const big = Buffer.from(randomBytes(300_000).toString('base64').replace(/[A-F]/g, ' '));
    const portable = new PortableByteKernels();
    portable.load(big);
    assert.deepStrictEqual(findByteRuns(big, 0, big.length, BASE64, 24), portable.runs(BASE64, 24));
  });

  it('the SIMD kernels assemble and compile here: no silent fall-back to the portable loops the others are checked against', () => {
    // The fall-back exists for a runtime without WebAssembly SIMD; Node has it, so a broken assembly must fail here.
    const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } }).WebAssembly;
    assert.doesNotThrow(() => new wasm.Module(assembleKernels()));
    assert.ok(!(byteKernels() instanceof PortableByteKernels), 'the byte kernels are the SIMD ones');
    assert.doesNotThrow(() => new wasm.Module(assembleModule(runKernel(2))));
  });

  it('byte kernels: anchor marks and runs agree with the portable loops, on text made of what they test', () => {
    const anchorPieces = [
      '@',
      'a@b',
      ' @x',
      '"@x',
      '/@x',
      '(@x',
      '<@x',
      '{@x',
      '[@x',
      "'@x",
      '`@x',
      'x@-',
      'x@9',
      '~@Z',
      '\u00e9@x',
      'x@\u00e9',
      'AT',
      'ATATT3',
      'ATCTT3',
      'ATBB',
      'ATAT',
      'ATCT',
      'ATB',
      'AATATT3',
      ' ',
      '\t',
      '=',
      ':',
      '"',
      "'",
      '`',
      '>',
      '?',
      '|',
      '_',
      '-',
      'c',
      'C',
      'Basic',
      'basic \t',
      'abc',
      'x'.repeat(24),
      'x'.repeat(23),
      'x'.repeat(25),
      'MD' + 'x'.repeat(42),
      'Nz' + 'y'.repeat(42),
      'OT' + '9'.repeat(41),
      'Aa' + 'x'.repeat(42),
      // Path-length runs, where a slash-delimited PAT may sit: 45 to 204 characters are kept.
      '/',
      'x'.repeat(45),
      'x'.repeat(100),
      'x'.repeat(159),
      'x'.repeat(160),
      'x'.repeat(161),
    ];
    const samples: Uint8Array[] = [new Uint8Array(0), Buffer.from('@'), Buffer.from('@a'), Buffer.from('AT'), Buffer.from('ATBB')];
    for (let i = 0; i < 1500; i++) {
      let text = '';
      const length = random(i % 2 ? 300 : 600);
      while (text.length < length) text += anchorPieces[random(anchorPieces.length)];
      samples.push(Buffer.from(text, 'utf8'));
    }
    const simd = byteKernels();
    const portable = new PortableByteKernels();
    for (const bytes of samples) {
      simd.load(bytes);
      portable.load(bytes);
      const label = JSON.stringify(Buffer.from(bytes).toString('latin1'));
      assert.deepStrictEqual(simd.anchorMarks(), portable.anchorMarks(), label);
      assert.deepStrictEqual(simd.anchorRuns(), portable.anchorRuns(), label);
      assertSameCandidates(simd, portable, label);
    }
    // Runs of a path's length are kept whatever they hold; past it, or at 44 without a PAT's lead, not.
    for (const [length, kept] of [
      [44, false],
      [45, true],
      [204, true],
      [205, false],
    ] as const) {
      simd.load(Buffer.from(` ${'x'.repeat(length)} `));
      assert.strictEqual(simd.anchorRuns().length === 2, kept, `a run of ${length}`);
    }
    // Each kind of mark and run, and what is not one.
    simd.load(Buffer.from('a@b @c x@- ATATT3 ATCTT3 ATBB ATAT'));
    assert.deepStrictEqual(Array.from(simd.anchorMarks()), [1, 11, 18, 25]);
    const legacy = 'k'.repeat(24);
    const text = `jira_t="${legacy}" ${legacy}_ Basic  ${legacy}x MD${'a'.repeat(42)} MD${'a'.repeat(42)}= q${legacy}${' '.repeat(300)}t="${legacy}"`;
    simd.load(Buffer.from(text));
    const runs = Array.from(simd.anchorRuns());
    assert.deepStrictEqual(
      runs.filter((_, i) => i % 2 === 0).map((start) => text.slice(start, start + 3)),
      ['kkk', 'kkk', 'MDa'],
      'an assigned 24-run near "jira", a run after "Basic ", a PAT; not a continued run, a PAT with padding, a run inside a word or one with no keyword in reach',
    );
  });

  it('byte kernels: the binary test agrees with the portable loop', () => {
    const samples: Uint8Array[] = [
      new Uint8Array(0),
      Buffer.from('@'),
      Buffer.from('AT'),
      Buffer.from('A'),
      Buffer.from('xAT@ATATT3 a@b.c ATBB\u0000'),
    ];
    for (let i = 0; i < 300; i++) {
      const bytes = Buffer.from(randomText(random(400)) + 'AT@'.slice(random(3)));
      if (random(4) === 0) bytes[random(bytes.length)] = random(3) === 0 ? 0 : random(32);
      samples.push(bytes);
    }
    samples.push(randomBytes(20_000), Buffer.alloc(9000, 0x01), Buffer.concat([Buffer.alloc(8192, 0x41), Buffer.from([0])]));
    const simd = byteKernels();
    const portable = new PortableByteKernels();
    for (const bytes of samples) {
      simd.load(bytes);
      portable.load(bytes);
      assert.deepStrictEqual(simd.anchorMarks(), portable.anchorMarks());
      for (const length of [bytes.length, Math.min(bytes.length, 8192), Math.min(bytes.length, 7)])
        assert.strictEqual(simd.controls(length), portable.controls(length));
      assert.strictEqual(looksBinary(simd, bytes.length), isProbablyBinary(bytes));
      assertSameCandidates(simd, portable, `${bytes.length} bytes`);
    }
  });

  it('byte kernels: the keywords found agree with the portable loop, at every edge of the range', () => {
    const pieces = [
      'jira',
      'JIRA',
      'jIrA',
      'atla',
      'ATLASSIAN',
      'atlassia',
      'conf',
      'Confluence',
      'confluenc',
      'jir',
      'atl',
      'con',
      'JJira',
      '\u00ca',
      'x',
      ' ',
      '\n',
    ];
    const simd = byteKernels();
    const portable = new PortableByteKernels();
    for (let i = 0; i < 400; i++) {
      let text = '';
      while (text.length < random(120)) text += pieces[random(pieces.length)];
      const bytes = Buffer.from(text, 'utf8');
      simd.load(bytes);
      portable.load(bytes);
      for (let k = 0; k < 20; k++) {
        const from = random(bytes.length + 1);
        const to = from + random(bytes.length - from + 1);
        assert.strictEqual(simd.keywordAt(from, to), portable.keywordAt(from, to), `${JSON.stringify(text)} [${from}, ${to})`);
      }
      assert.strictEqual(simd.keywordAt(0, bytes.length), portable.keywordAt(0, bytes.length));
    }
    simd.load(Buffer.from('J\x09RA jIRA conf ATLASSIAn'));
    assert.strictEqual(simd.keywordAt(0, 9), 5);
    assert.strictEqual(simd.keywordAt(0, 8), -1, 'a word must end before `to`');
    assert.strictEqual(simd.keywordAt(6, 27), 15, '"conf" is not "confluence"; "ATLASSIAn" is "atlassian"');
    assert.strictEqual(simd.keywordAt(10, 23), -1, 'a word cut by `to` is not found');
  });

  it('byte kernels: line breaks agree with the portable loop, a \\r\\n counted once even when cut by `to`', () => {
    const pieces = ['\n', '\r', '\r\n', '\r\r\n', '\n\r', 'x', 'é', 'xxxxxxxxxxxxxxxxxxx'];
    const simd = byteKernels();
    const portable = new PortableByteKernels();
    for (let i = 0; i < 400; i++) {
      let text = '';
      while (text.length < random(200)) text += pieces[random(pieces.length)];
      const bytes = Buffer.from(text, 'utf8');
      simd.load(bytes);
      portable.load(bytes);
      for (let k = 0; k < 20; k++) {
        let from = random(bytes.length + 1);
        // A stretch never starts between the \r and the \n of a line break.
        if (from > 0 && bytes[from - 1] === 0x0d && bytes[from] === 0x0a) from++;
        const to = Math.min(bytes.length, from + random(bytes.length + 1));
        assert.deepStrictEqual(simd.lineBreaks(from, to), portable.lineBreaks(from, to), `${JSON.stringify(text)} [${from}, ${to})`);
      }
    }
    simd.load(Buffer.from('a\r\nb\rc\n'));
    assert.deepStrictEqual(simd.lineBreaks(0, 2), { count: 1, lineStart: 3 }, 'cut between \\r and \\n: one break, the line after the \\n');
    assert.deepStrictEqual(simd.lineBreaks(0, 7), { count: 3, lineStart: 7 });
    assert.deepStrictEqual(simd.lineBreaks(3, 4), { count: 0, lineStart: -1 });
  });

  it("byte kernels: a folder scan's largest buffer (a chunk and its margins) keeps the same instance", () => {
    const chunk = Buffer.from('a@'.repeat((DEFAULT_CHUNK_BYTES + 2 * REGION_MARGIN) / 2));
    const kernels = byteKernels();
    kernels.load(chunk);
    assert.strictEqual(kernels.anchorMarks().length, chunk.length / 2 - 1, 'a mark at every other byte (the last has no host after it)');
    assert.strictEqual(kernels.runs(BASE64, 16).length, 0);
    kernels.load(Buffer.from('a'.repeat(chunk.length)));
    assert.strictEqual(kernels.runs(BASE64, 16).length, 2);
    assert.strictEqual(byteKernels(), kernels);
    kernels.load(Buffer.alloc(0));
  });

  it('refuses runs shorter than a chunk', () => {
    assert.throws(() => findRuns('x', 0, 1, BASE64, 8), RangeError);
  });
});

describe('scanner: files to skip', () => {
  it('knows lock files by name', () => {
    for (const name of [
      'package-lock.json',
      '/repo/yarn.lock',
      'C:\\repo\\pnpm-lock.yaml',
      'Cargo.lock',
      'Gemfile.lock',
      'composer.lock',
      'poetry.lock',
      'go.sum',
      'gradle.lockfile',
      'x/flake.lock',
      'GO.SUM',
      'Package-Lock.JSON',
      'BUN.LOCKB',
      'x/app.LockFile',
    ]) {
      assert.ok(isLockFile(name), name);
    }
    for (const name of [undefined, '', 'package.json', 'lock.ts', '/repo/locks/config.yml', 'yarn.lock.md'])
      assert.ok(!isLockFile(name), String(name));
  });

  it('tells binary from text', () => {
    assert.strictEqual(isProbablyBinary(Buffer.from('JIRA_API_TOKEN=abc\n\tindented\r\n', 'utf8')), false);
    assert.strictEqual(isProbablyBinary(Buffer.from('héllo “wörld” 🔑', 'utf8')), false);
    assert.strictEqual(isProbablyBinary(new Uint8Array(0)), false);
    assert.strictEqual(isProbablyBinary(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x14])), true);
    assert.strictEqual(isProbablyBinary(Uint8Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41))), true);
    // Only the first 8 KB count.
    const late = new Uint8Array(10_000).fill(0x41);
    late[9_000] = 0;
    assert.strictEqual(isProbablyBinary(late), false);
  });
});
