// The passes the byte-level scan makes over every byte of a file, as SIMD WebAssembly sharing one copy of
// the file in memory: the binary test (NUL and control bytes in the first 8 KB), the base64 runs (the run
// finder's kernel over bytes) and the anchor marks ('@' before a host name, "ATATT3", "ATCTT3", "ATBB"),
// with the anchor tests of anchorBytes.ts applied to marks and runs, so that JavaScript sees only the few
// that pass (a cold process would otherwise interpret a loop over 270,000 of them per 100 MB of code).
// Portable loops stand in where WebAssembly is unavailable, and check the kernels in the tests.
import {
  ASSIGNED_VALUE_STARTS,
  BLANKS,
  isAnchorMark,
  isAnchorRunShape,
  keywordAt,
  KEYWORD_REACH_BYTES,
  KEYWORDS,
  LEGACY_RUN_LENGTH,
  NOT_USERINFO_ENDS,
  PAT_FIRST_BYTES,
  PAT_RUN_LENGTH,
  PAT_SECOND_BYTES,
  VALUE_CONTINUATIONS,
} from './anchorBytes';
import { Alphabet, BASE64, isMember } from './charClasses';
import { ALPHABETS, nibbleTables, PADDING_BYTES, PAGE_BYTES, runKernel, Runs, SHORTEST_RUN } from './runFinder';
import { assembleModule, Code, I32, op, V128, WasmFunction } from './wasmEncoding';

/**
 * Memory only grows: past this size the instance is dropped after use, so that one huge buffer does not
 * keep the extension host's memory up (the compiled module is kept). A folder scan's largest buffer (a
 * chunk of 8 MB with its margins, see scanSources) fits with room for its longest output: a new
 * instance after each large file would also throw away the optimised code that calls this one.
 */
export const KEPT_MEMORY_BYTES = 32 * 1024 * 1024;

/** Memory: the nibble tables (64 bytes), a word for a kernel's second result, zeros (what the kernels read before the text), then the text. */
const SCRATCH_OFFSET = 64;
const TEXT_OFFSET = 128;

/** isProbablyBinary's sample: the first 8 KB. */
export const BINARY_SAMPLE_BYTES = 8192;

export interface ByteKernels {
  /**
   * Where to read a file of up to `capacity` bytes so that `load` of its start copies nothing (a view of
   * the kernels' own memory where they have one). Valid until the next call of this or `load`.
   */
  textBuffer(capacity: number): Buffer;
  /** Copies `bytes` in (nothing when they are the start of `textBuffer`); the other calls read this copy until the next load. */
  load(bytes: Uint8Array): void;
  /** Control bytes (not tab, line breaks, form feed, escape) in the first `length` bytes; -1 on a NUL. */
  controls(length: number): number;
  /** Valid until the next call: a view into the kernels' memory where they have one. */
  runs(alphabet: Alphabet, minLength: number): Runs;
  /**
   * One pass for a file: the binary test (when `mode` asks for it), then the anchor marks and runs, left in
   * `candidateMarks` and `candidateRuns` (valid until the next call). 'binary' when the bytes look binary.
   */
  findCandidates(mode: CandidateMode): 'binary' | 'text';
  readonly candidateMarks: Int32Array;
  readonly candidateRuns: Runs;
  /** Offsets where `isAnchorMark` holds, in order. Valid until the next call. */
  anchorMarks(): Int32Array;
  /** The base64 runs of LEGACY_RUN_LENGTH or more where `isAnchorRunShape` holds. Valid until the next call. */
  anchorRuns(): Runs;
  /** `keywordAt` of the loaded bytes: where one of KEYWORDS lies whole in [from, to), or -1. */
  keywordAt(from: number, to: number): number;
  /**
   * The line breaks that start in [from, to) (\n, \r\n and \r, a \r\n once even when its \n is at `to`),
   * and where the line after the last of them starts (-1 when there is none). `from` must not split a \r\n.
   */
  lineBreaks(from: number, to: number): { count: number; lineStart: number };
}

/** What `findCandidates` does: the binary test, the anchors, or both. */
export const CandidateMode = { Anchors: 0, BinaryTestAndAnchors: 1, BinaryTest: 2 } as const;
export type CandidateMode = (typeof CandidateMode)[keyof typeof CandidateMode];

const NONE: Int32Array = new Int32Array(0);

let current: ByteKernels | undefined;

export function byteKernels(): ByteKernels {
  if (!current) {
    try {
      current = new SimdByteKernels();
    } catch {
      current = new PortableByteKernels();
    }
  }
  return current;
}

/** The runs of `alphabet` in bytes: every byte of a multi-byte character is in no alphabet. */
export function findByteRuns(bytes: Uint8Array, from: number, to: number, alphabet: Alphabet, minLength: number): Runs {
  if (minLength < SHORTEST_RUN) throw new RangeError(`runs shorter than ${SHORTEST_RUN} are not supported`);
  const kernels = byteKernels();
  kernels.load(bytes.subarray(from, to));
  const runs = kernels.runs(alphabet, minLength).slice();
  if (from !== 0) for (let i = 0; i < runs.length; i++) runs[i] += from;
  return runs;
}

/** A NUL byte, or more than 10% control bytes, in the first 8 KB (the kernels' form of isProbablyBinary). */
export function looksBinary(kernels: ByteKernels, length: number): boolean {
  const sample = Math.min(length, BINARY_SAMPLE_BYTES);
  const controls = kernels.controls(sample);
  return controls < 0 || (sample > 0 && controls / sample > 0.1);
}

export class PortableByteKernels implements ByteKernels {
  private bytes: Uint8Array = new Uint8Array(0);
  candidateMarks: Int32Array = NONE;
  candidateRuns: Runs = NONE;

  findCandidates(mode: CandidateMode): 'binary' | 'text' {
    this.candidateMarks = this.candidateRuns = NONE;
    if (mode !== CandidateMode.Anchors && looksBinary(this, this.bytes.length)) return 'binary';
    if (mode === CandidateMode.BinaryTest) return 'text';
    this.candidateMarks = this.anchorMarks();
    this.candidateRuns = this.anchorRuns();
    return 'text';
  }

  private text = Buffer.alloc(0);

  textBuffer(capacity: number): Buffer {
    if (this.text.length < capacity) this.text = Buffer.allocUnsafe(capacity);
    return this.text;
  }

  load(bytes: Uint8Array): void {
    this.bytes = bytes;
  }

  controls(length: number): number {
    let count = 0;
    for (let i = 0; i < length; i++) {
      const b = this.bytes[i];
      if (b === 0) return -1;
      if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) || b === 0x7f) count++;
    }
    return count;
  }

  runs(alphabet: Alphabet, minLength: number): Runs {
    const { bytes } = this;
    const runs: number[] = [];
    let i = 0;
    while (i < bytes.length) {
      if (!isMember(alphabet, bytes[i])) {
        i++;
        continue;
      }
      let end = i + 1;
      while (end < bytes.length && isMember(alphabet, bytes[end])) end++;
      if (end - i >= minLength) runs.push(i, end);
      i = end + 1;
    }
    return Int32Array.from(runs);
  }

  keywordAt(from: number, to: number): number {
    return keywordAt(this.bytes, from, to);
  }

  lineBreaks(from: number, to: number): { count: number; lineStart: number } {
    const { bytes } = this;
    let count = 0;
    let lineStart = -1;
    for (let i = from; i < to; i++) {
      if (bytes[i] !== 0x0a && bytes[i] !== 0x0d) continue;
      count++;
      lineStart = bytes[i] === 0x0d && bytes[i + 1] === 0x0a ? ++i + 1 : i + 1;
    }
    return { count, lineStart };
  }

  anchorMarks(): Int32Array {
    const { bytes } = this;
    const marks: number[] = [];
    for (let i = 0; i < bytes.length; i++) if (isAnchorMark(bytes, i)) marks.push(i);
    return Int32Array.from(marks);
  }

  anchorRuns(): Runs {
    const runs = this.runs(BASE64, LEGACY_RUN_LENGTH);
    const kept: number[] = [];
    for (let r = 0; r < runs.length; r += 2) if (isAnchorRunShape(this.bytes, runs[r], runs[r + 1])) kept.push(runs[r], runs[r + 1]);
    return Int32Array.from(kept);
  }
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface Exports {
  memory: WasmMemory;
  findRuns(text: number, length: number, table: number, minLength: number, out: number): number;
  findAnchorMarks(text: number, length: number, out: number): number;
  keepAnchorRuns(text: number, length: number, runs: number, count: number): number;
  findKeyword(text: number, from: number, to: number): number;
  findCandidates(text: number, length: number, out: number, mode: number): number;
  memoryWord(address: number): number;
  countLineBreaks(text: number, from: number, to: number, last: number): number;
  countControls(text: number, length: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Exports };
}

let compiled: object | undefined;

class SimdByteKernels implements ByteKernels {
  private readonly exports: Exports;
  /** The memory's buffer and a view of it, replaced when it grows (asking the memory costs a call per file). */
  private memory!: ArrayBuffer;
  private view!: Uint8Array;
  private length = 0;

  constructor() {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!wasm) throw new Error('WebAssembly is unavailable');
    compiled ??= new wasm.Module(MODULE);
    this.exports = new wasm.Instance(compiled, {}).exports;
    this.mapMemory();
    ALPHABETS.forEach((alphabet, i) => this.view.set(nibbleTables(alphabet), i * 32));
  }

  /** A view of the text's place in memory, and how many bytes it has room for (with their outputs). */
  private text: Buffer | undefined;
  candidateMarks: Int32Array = NONE;
  candidateRuns: Runs = NONE;

  findCandidates(mode: CandidateMode): 'binary' | 'text' {
    const out = this.outOffset();
    const marks = this.exports.findCandidates(TEXT_OFFSET, this.length, out, mode);
    if (marks < 0) {
      this.candidateMarks = this.candidateRuns = NONE;
      return 'binary';
    }
    const runs = this.exports.memoryWord(SCRATCH_OFFSET);
    this.dropIfHuge();
    // Views only where there is something to see: most files have neither.
    this.candidateMarks = marks ? this.take(out, marks) : NONE;
    this.candidateRuns = runs ? this.take(out + 4 * marks, 2 * runs) : NONE;
    return 'text';
  }

  textBuffer(capacity: number): Buffer {
    this.reserve(this.memoryFor(capacity));
    if (!this.text || this.text.buffer !== this.memory || this.text.length < capacity)
      this.text = Buffer.from(this.memory, TEXT_OFFSET, capacity);
    return this.text;
  }

  load(bytes: Uint8Array): void {
    const inPlace =
      this.text !== undefined && bytes.buffer === this.text.buffer && bytes.byteOffset === TEXT_OFFSET && bytes.length <= this.text.length;
    this.length = bytes.length;
    if (!inPlace) {
      this.reserve(this.memoryFor(bytes.length));
      this.view.set(bytes, TEXT_OFFSET);
    }
    this.view.fill(0, TEXT_OFFSET + bytes.length, TEXT_OFFSET + bytes.length + PADDING_BYTES);
  }

  /**
   * Room for a text of `length` bytes, its padding and the longest output: a mark at every other byte
   * (an '@' needs a letter or digit after it, a prefixed token four bytes) and, after the marks, a run
   * of 24 (two words) every 25 bytes; or runs of 16 every 17 bytes.
   */
  private memoryFor(length: number): number {
    return ((TEXT_OFFSET + length + PADDING_BYTES + 7) & ~7) + Math.ceil(2.5 * length) + 64;
  }

  controls(length: number): number {
    return this.exports.countControls(TEXT_OFFSET, Math.min(length, this.length));
  }

  runs(alphabet: Alphabet, minLength: number): Runs {
    const table = ALPHABETS.indexOf(alphabet) * 32;
    if (table < 0) throw new RangeError('unknown alphabet');
    const out = this.outOffset();
    const count = this.exports.findRuns(TEXT_OFFSET, this.length, table, minLength, out);
    return this.take(out, 2 * count);
  }

  anchorMarks(): Int32Array {
    const out = this.outOffset();
    return this.take(out, this.exports.findAnchorMarks(TEXT_OFFSET, this.length, out));
  }

  anchorRuns(): Runs {
    const table = ALPHABETS.indexOf(BASE64) * 32;
    const out = this.outOffset();
    const count = this.exports.findRuns(TEXT_OFFSET, this.length, table, LEGACY_RUN_LENGTH, out);
    return this.take(out, 2 * this.exports.keepAnchorRuns(TEXT_OFFSET, this.length, out, count));
  }

  keywordAt(from: number, to: number): number {
    return this.exports.findKeyword(TEXT_OFFSET, from, Math.min(to, this.length));
  }

  lineBreaks(from: number, to: number): { count: number; lineStart: number } {
    const count = this.exports.countLineBreaks(TEXT_OFFSET, from, Math.min(to, this.length), SCRATCH_OFFSET);
    const last = new Int32Array(this.memory, SCRATCH_OFFSET, 1)[0];
    // The last break's end: after its \n when it is a \r\n (whose \n may be the byte at `to`).
    const lineStart =
      last < 0 ? -1 : this.view[TEXT_OFFSET + last] === 0x0d && this.view[TEXT_OFFSET + last + 1] === 0x0a ? last + 2 : last + 1;
    return { count, lineStart };
  }

  private outOffset(): number {
    return (TEXT_OFFSET + this.length + PADDING_BYTES + 7) & ~7;
  }

  private take(out: number, words: number): Int32Array {
    this.dropIfHuge();
    return new Int32Array(this.memory, out, words);
  }

  /** Memory only grows: one huge file must not keep it up (this instance still answers until dropped). */
  private dropIfHuge(): void {
    if (this.memory.byteLength > KEPT_MEMORY_BYTES && current === this) current = undefined;
  }

  private reserve(bytes: number): void {
    const missing = bytes - this.memory.byteLength;
    if (missing <= 0) return;
    this.exports.memory.grow(Math.ceil(missing / PAGE_BYTES));
    this.mapMemory();
  }

  private mapMemory(): void {
    this.memory = this.exports.memory.buffer;
    this.view = new Uint8Array(this.memory);
  }
}

const splat = (value: number, local: number) => [op.i32Const(value), op.i8x16Splat, op.localSet(local)];

// findAnchorMarks(text, length, out) -> count: every '@' and "AT" found 16 offsets per step, and each of
// those (few) given `isAnchorMark`'s tests one by one. Bytes before the text are zeros, and so is the
// padding after it.
const [M_TEXT, M_LENGTH, M_OUT] = [0, 1, 2];
const [M_POSITION, M_COUNT, M_BITS, M_ADDRESS, M_AT, M_BYTE] = [3, 4, 5, 6, 7, 8];
const [M_CHARS, M_NEXT, M_AT_SIGN, M_A, M_T] = [9, 10, 11, 12, 13];
/** Leaves 1 when the byte code left by `read` is one of `values`. */
const oneOf = (read: Code[], values: readonly number[]): Code[] =>
  values.flatMap((value, i) => [...read, op.i32Const(value), op.i32Eq, ...(i > 0 ? [op.i32Or] : [])]);
const markByte = (delta: number): Code[] => [op.localGet(M_AT), op.i32Load8U(delta)];
const markByteIs = (delta: number, char: string): Code[] => [...markByte(delta), op.i32Const(char.charCodeAt(0)), op.i32Eq];
/** Leaves 1 when the mark at address M_AT passes `isAnchorMark`. */
const ANCHOR_MARK_TEST: Code[] = [
  ...markByteIs(0, '@'),
  op.if,
  // The byte before: printable, and one that may end a userinfo.
  op.localGet(M_AT),
  op.i32Const(1),
  op.i32Sub,
  op.i32Load8U(0),
  op.localTee(M_BYTE),
  op.i32Const(0x20),
  op.i32GtU,
  op.localGet(M_BYTE),
  op.i32Const(0x7f),
  op.i32LtU,
  op.i32And,
  ...oneOf([op.localGet(M_BYTE)], NOT_USERINFO_ENDS),
  op.i32Eqz,
  op.i32And,
  // The byte after: a letter or a digit.
  ...markByte(1),
  op.localTee(M_BYTE),
  op.i32Const(0x20),
  op.i32Or,
  op.i32Const(0x61),
  op.i32Sub,
  op.i32Const(26),
  op.i32LtU,
  op.localGet(M_BYTE),
  op.i32Const(0x30),
  op.i32Sub,
  op.i32Const(10),
  op.i32LtU,
  op.i32Or,
  op.i32And,
  op.localSet(M_BYTE),
  op.else,
  // "AT", then "ATT3", "CTT3" or "BB".
  ...markByteIs(2, 'B'),
  ...markByteIs(3, 'B'),
  op.i32And,
  ...markByteIs(2, 'A'),
  ...markByteIs(2, 'C'),
  op.i32Or,
  ...markByteIs(3, 'T'),
  op.i32And,
  ...markByteIs(4, 'T'),
  op.i32And,
  ...markByteIs(5, '3'),
  op.i32And,
  op.i32Or,
  op.localSet(M_BYTE),
  op.end,
  op.localGet(M_BYTE),
];
const FIND_ANCHOR_MARKS: WasmFunction = {
  name: 'findAnchorMarks',
  params: [I32, I32, I32],
  results: [I32],
  locals: [
    [6, I32],
    [5, V128],
  ],
  body: [
    ...splat(0x40, M_AT_SIGN),
    ...splat(0x41, M_A),
    ...splat(0x54, M_T),
    op.block,
    op.loop,
    op.localGet(M_POSITION),
    op.localGet(M_LENGTH),
    op.i32GeS,
    op.brIf(1),
    op.localGet(M_TEXT),
    op.localGet(M_POSITION),
    op.i32Add,
    op.localTee(M_ADDRESS),
    op.v128Load(0),
    op.localSet(M_CHARS),
    op.localGet(M_ADDRESS),
    op.v128Load(1),
    op.localSet(M_NEXT),
    op.localGet(M_CHARS),
    op.localGet(M_AT_SIGN),
    op.i8x16Eq,
    op.localGet(M_CHARS),
    op.localGet(M_A),
    op.i8x16Eq,
    op.localGet(M_NEXT),
    op.localGet(M_T),
    op.i8x16Eq,
    op.v128And,
    op.v128Or,
    op.i8x16Bitmask,
    op.localSet(M_BITS),
    // Padding is zero: no mark past the end.
    op.block,
    op.loop,
    op.localGet(M_BITS),
    op.i32Eqz,
    op.brIf(1),
    op.localGet(M_ADDRESS),
    op.localGet(M_BITS),
    op.i32Ctz,
    op.i32Add,
    op.localSet(M_AT),
    ...ANCHOR_MARK_TEST,
    op.if,
    op.localGet(M_OUT),
    op.localGet(M_COUNT),
    op.i32Const(2),
    op.i32Shl,
    op.i32Add,
    op.localGet(M_AT),
    op.localGet(M_TEXT),
    op.i32Sub,
    op.i32Store(0),
    op.localGet(M_COUNT),
    op.i32Const(1),
    op.i32Add,
    op.localSet(M_COUNT),
    op.end,
    op.localGet(M_BITS),
    op.localGet(M_BITS),
    op.i32Const(1),
    op.i32Sub,
    op.i32And,
    op.localSet(M_BITS),
    op.br(0),
    op.end,
    op.end,
    op.localGet(M_POSITION),
    op.i32Const(16),
    op.i32Add,
    op.localSet(M_POSITION),
    op.br(0),
    op.end,
    op.end,
    op.localGet(M_COUNT),
  ],
};

// keepAnchorRuns(text, length, runs, count) -> kept: `isAnchorRunShape` for each [start, end) pair at
// `runs`, the pairs that pass moved to the front. A byte at `end` is the text's or its zero padding.
const [R_TEXT, R_LENGTH, R_RUNS, R_COUNT] = [0, 1, 2, 3];
const [R_INDEX, R_KEPT, R_START, R_END, R_BEFORE, R_AT, R_KEEP, R_PAIR] = [4, 5, 6, 7, 8, 9, 10, 11];
/** findKeyword's place in KERNELS, for the call. */
const FIND_KEYWORD_INDEX = 4;
const byteAt = (local: number, delta = 0): Code[] => [
  op.localGet(R_TEXT),
  op.localGet(local),
  op.i32Add,
  ...(delta < 0 ? [op.i32Const(-delta), op.i32Sub] : []),
  op.i32Load8U(Math.max(0, delta)),
];
const lengthIs = (value: number): Code[] => [op.localGet(R_END), op.localGet(R_START), op.i32Sub, op.i32Const(value), op.i32Eq];
const KEEP_ANCHOR_RUNS: WasmFunction = {
  name: 'keepAnchorRuns',
  params: [I32, I32, I32, I32],
  results: [I32],
  locals: [[8, I32]],
  body: [
    op.block,
    op.loop,
    op.localGet(R_INDEX),
    op.localGet(R_COUNT),
    op.i32GeS,
    op.brIf(1),
    op.localGet(R_RUNS),
    op.localGet(R_INDEX),
    op.i32Const(3),
    op.i32Shl,
    op.i32Add,
    op.localTee(R_PAIR),
    op.i32Load(0),
    op.localSet(R_START),
    op.localGet(R_PAIR),
    op.i32Load(4),
    op.localSet(R_END),
    // A PAT's shape
    ...lengthIs(PAT_RUN_LENGTH),
    ...oneOf(byteAt(R_START), PAT_FIRST_BYTES),
    op.i32And,
    ...oneOf(byteAt(R_START, 1), PAT_SECOND_BYTES),
    op.i32And,
    ...byteAt(R_END),
    op.i32Const(0x3d),
    op.i32Ne,
    op.i32And,
    op.localSet(R_KEEP),
    op.localGet(R_START),
    op.i32Const(0),
    op.i32GtS,
    op.if,
    ...byteAt(R_START, -1),
    op.localSet(R_BEFORE),
    // A legacy token's shape, and a keyword in reach
    ...lengthIs(LEGACY_RUN_LENGTH),
    ...oneOf([op.localGet(R_BEFORE)], ASSIGNED_VALUE_STARTS),
    op.i32And,
    ...oneOf(byteAt(R_END), VALUE_CONTINUATIONS),
    op.i32Eqz,
    op.i32And,
    op.if,
    op.localGet(R_TEXT),
    // from: max(0, start - reach); R_AT holds it for a moment
    op.localGet(R_START),
    op.i32Const(KEYWORD_REACH_BYTES),
    op.i32Sub,
    op.localTee(R_AT),
    op.i32Const(0),
    op.i32LtS,
    op.if,
    op.i32Const(0),
    op.localSet(R_AT),
    op.end,
    op.localGet(R_AT),
    // to: min(length, end + reach)
    op.localGet(R_END),
    op.i32Const(KEYWORD_REACH_BYTES),
    op.i32Add,
    op.localTee(R_AT),
    op.localGet(R_LENGTH),
    op.i32GtS,
    op.if,
    op.localGet(R_LENGTH),
    op.localSet(R_AT),
    op.end,
    op.localGet(R_AT),
    op.call(FIND_KEYWORD_INDEX),
    op.i32Const(0),
    op.i32GeS,
    op.localGet(R_KEEP),
    op.i32Or,
    op.localSet(R_KEEP),
    op.end,
    // Blanks, and a 'c' or 'C' before them (the byte before the text is zero: not a blank)
    ...oneOf([op.localGet(R_BEFORE)], BLANKS),
    op.if,
    op.localGet(R_START),
    op.i32Const(1),
    op.i32Sub,
    op.localSet(R_AT),
    op.block,
    op.loop,
    ...oneOf(byteAt(R_AT), BLANKS),
    op.i32Eqz,
    op.brIf(1),
    op.localGet(R_AT),
    op.i32Const(1),
    op.i32Sub,
    op.localSet(R_AT),
    op.br(0),
    op.end,
    op.end,
    op.localGet(R_AT),
    op.i32Const(0),
    op.i32GeS,
    ...byteAt(R_AT),
    op.i32Const(0x20),
    op.i32Or,
    op.i32Const(0x63),
    op.i32Eq,
    op.i32And,
    op.localGet(R_KEEP),
    op.i32Or,
    op.localSet(R_KEEP),
    op.end,
    op.end,
    op.localGet(R_KEEP),
    op.if,
    op.localGet(R_RUNS),
    op.localGet(R_KEPT),
    op.i32Const(3),
    op.i32Shl,
    op.i32Add,
    op.localTee(R_PAIR),
    op.localGet(R_START),
    op.i32Store(0),
    op.localGet(R_PAIR),
    op.localGet(R_END),
    op.i32Store(4),
    op.localGet(R_KEPT),
    op.i32Const(1),
    op.i32Add,
    op.localSet(R_KEPT),
    op.end,
    op.localGet(R_INDEX),
    op.i32Const(1),
    op.i32Add,
    op.localSet(R_INDEX),
    op.br(0),
    op.end,
    op.end,
    op.localGet(R_KEPT),
  ],
};

// findKeyword(text, from, to) -> offset or -1: 16 candidate offsets per step, each compared on four bytes
// (loaded at +0..+3) with bit 5 set against the keywords' first four letters; the few that match are
// compared on the rest of their word one byte at a time.
const [K_TEXT, K_FROM, K_TO] = [0, 1, 2];
const [K_POSITION, K_BITS, K_ADDRESS, K_VALID, K_AT, K_FIRST] = [3, 4, 5, 6, 7, 8];
const K_BYTES = [9, 10, 11, 12];
const K_CASE = 13;
const K_LETTER = 14;
const KEYWORD_STARTS = KEYWORDS.map((word) => word.slice(0, 4));
const KEYWORD_LETTERS = [...new Set(KEYWORD_STARTS.join(''))];
const letterLocal = (letter: string) => K_LETTER + KEYWORD_LETTERS.indexOf(letter);
const wordMatch = (word: string): Code[] =>
  Array.from(word).flatMap((letter, k) => [
    op.localGet(K_BYTES[k]),
    op.localGet(letterLocal(letter)),
    op.i8x16Eq,
    ...(k > 0 ? [op.v128And] : []),
  ]);
/** Leaves 1 when the word whose first four letters matched at K_AT is whole and ends before `to`. */
const WHOLE_WORD: Code[] = KEYWORDS.flatMap((word, w) => [
  op.localGet(K_FIRST),
  op.i32Const(word.charCodeAt(0)),
  op.i32Eq,
  op.localGet(K_TO),
  op.localGet(K_AT),
  op.i32Sub,
  op.i32Const(word.length),
  op.i32GeS,
  op.i32And,
  ...Array.from(word.slice(4)).flatMap((letter, k) => [
    op.localGet(K_TEXT),
    op.localGet(K_AT),
    op.i32Add,
    op.i32Load8U(4 + k),
    op.i32Const(0x20),
    op.i32Or,
    op.i32Const(letter.charCodeAt(0)),
    op.i32Eq,
    op.i32And,
  ]),
  ...(w > 0 ? [op.i32Or] : []),
]);
const FIND_KEYWORD: WasmFunction = {
  name: 'findKeyword',
  params: [I32, I32, I32],
  results: [I32],
  locals: [
    [6, I32],
    [5 + KEYWORD_LETTERS.length, V128],
  ],
  body: [
    ...splat(0x20, K_CASE),
    ...KEYWORD_LETTERS.flatMap((letter) => splat(letter.charCodeAt(0), letterLocal(letter))),
    op.localGet(K_FROM),
    op.localSet(K_POSITION),
    op.block,
    op.loop,
    // Offsets from here up to to - 4 can start a word: none left ends the search.
    op.localGet(K_TO),
    op.i32Const(3),
    op.i32Sub,
    op.localGet(K_POSITION),
    op.i32Sub,
    op.localTee(K_VALID),
    op.i32Const(1),
    op.i32LtS,
    op.brIf(1),
    op.localGet(K_TEXT),
    op.localGet(K_POSITION),
    op.i32Add,
    op.localSet(K_ADDRESS),
    ...K_BYTES.flatMap((local, k) => [op.localGet(K_ADDRESS), op.v128Load(k), op.localGet(K_CASE), op.v128Or, op.localSet(local)]),
    ...KEYWORD_STARTS.flatMap((word, w) => [...wordMatch(word), ...(w > 0 ? [op.v128Or] : [])]),
    op.i8x16Bitmask,
    op.localSet(K_BITS),
    op.localGet(K_VALID),
    op.i32Const(16),
    op.i32LtS,
    op.if,
    op.i32Const(1),
    op.localGet(K_VALID),
    op.i32Shl,
    op.i32Const(1),
    op.i32Sub,
    op.localGet(K_BITS),
    op.i32And,
    op.localSet(K_BITS),
    op.end,
    op.block,
    op.loop,
    op.localGet(K_BITS),
    op.i32Eqz,
    op.brIf(1),
    op.localGet(K_POSITION),
    op.localGet(K_BITS),
    op.i32Ctz,
    op.i32Add,
    op.localTee(K_AT),
    op.localGet(K_TEXT),
    op.i32Add,
    op.i32Load8U(0),
    op.i32Const(0x20),
    op.i32Or,
    op.localSet(K_FIRST),
    ...WHOLE_WORD,
    op.if,
    op.localGet(K_AT),
    op.return,
    op.end,
    op.localGet(K_BITS),
    op.localGet(K_BITS),
    op.i32Const(1),
    op.i32Sub,
    op.i32And,
    op.localSet(K_BITS),
    op.br(0),
    op.end,
    op.end,
    op.localGet(K_POSITION),
    op.i32Const(16),
    op.i32Add,
    op.localSet(K_POSITION),
    op.br(0),
    op.end,
    op.end,
    op.i32Const(-1),
  ],
};

// countControls(text, length) -> count, or -1 on a NUL byte
const [C_TEXT, C_LENGTH] = [0, 1];
const [C_POSITION, C_COUNT, C_BITS, C_ZEROS, C_VALID] = [2, 3, 4, 5, 6];
const [C_CHARS, C_SPACE, C_ZERO, C_TAB, C_LF, C_FF, C_CR, C_ESC, C_DEL] = [7, 8, 9, 10, 11, 12, 13, 14, 15];
const COUNT_CONTROLS: WasmFunction = {
  name: 'countControls',
  params: [I32, I32],
  results: [I32],
  locals: [
    [5, I32],
    [9, V128],
  ],
  body: [
    ...splat(0x20, C_SPACE),
    ...splat(0, C_ZERO),
    ...splat(0x09, C_TAB),
    ...splat(0x0a, C_LF),
    ...splat(0x0c, C_FF),
    ...splat(0x0d, C_CR),
    ...splat(0x1b, C_ESC),
    ...splat(0x7f, C_DEL),
    op.block,
    op.loop,
    op.localGet(C_POSITION),
    op.localGet(C_LENGTH),
    op.i32GeS,
    op.brIf(1),
    op.localGet(C_TEXT),
    op.localGet(C_POSITION),
    op.i32Add,
    op.v128Load(0),
    op.localSet(C_CHARS),
    // (c < 0x20 and not one of \t \n \f \r ESC) or c == 0x7f
    op.localGet(C_CHARS),
    op.localGet(C_SPACE),
    op.i8x16LtU,
    op.localGet(C_CHARS),
    op.localGet(C_TAB),
    op.i8x16Eq,
    op.localGet(C_CHARS),
    op.localGet(C_LF),
    op.i8x16Eq,
    op.v128Or,
    op.localGet(C_CHARS),
    op.localGet(C_FF),
    op.i8x16Eq,
    op.v128Or,
    op.localGet(C_CHARS),
    op.localGet(C_CR),
    op.i8x16Eq,
    op.v128Or,
    op.localGet(C_CHARS),
    op.localGet(C_ESC),
    op.i8x16Eq,
    op.v128Or,
    op.v128AndNot,
    op.localGet(C_CHARS),
    op.localGet(C_DEL),
    op.i8x16Eq,
    op.v128Or,
    op.i8x16Bitmask,
    op.localSet(C_BITS),
    op.localGet(C_CHARS),
    op.localGet(C_ZERO),
    op.i8x16Eq,
    op.i8x16Bitmask,
    op.localSet(C_ZEROS),
    // The last chunk: only the bytes before `length` count.
    op.localGet(C_LENGTH),
    op.localGet(C_POSITION),
    op.i32Sub,
    op.localTee(C_VALID),
    op.i32Const(16),
    op.i32LtS,
    op.if,
    op.i32Const(1),
    op.localGet(C_VALID),
    op.i32Shl,
    op.i32Const(1),
    op.i32Sub,
    op.localTee(C_VALID),
    op.localGet(C_BITS),
    op.i32And,
    op.localSet(C_BITS),
    op.localGet(C_VALID),
    op.localGet(C_ZEROS),
    op.i32And,
    op.localSet(C_ZEROS),
    op.end,
    op.localGet(C_ZEROS),
    op.if,
    op.i32Const(-1),
    op.return,
    op.end,
    op.localGet(C_COUNT),
    op.localGet(C_BITS),
    op.i32Popcnt,
    op.i32Add,
    op.localSet(C_COUNT),
    op.localGet(C_POSITION),
    op.i32Const(16),
    op.i32Add,
    op.localSet(C_POSITION),
    op.br(0),
    op.end,
    op.end,
    op.localGet(C_COUNT),
  ],
};

// countLineBreaks(text, from, to, last) -> count: \n and \r 16 bytes per step, less the \r\n pairs whose
// two bytes are both before `to`; the offset of the last \n or \r is stored at `last` (-1 when none).
const [L_TEXT, L_FROM, L_TO, L_LAST] = [0, 1, 2, 3];
const [L_POSITION, L_COUNT, L_ADDRESS, L_VALID, L_LF, L_CR, L_PAIRS, L_FINAL] = [4, 5, 6, 7, 8, 9, 10, 11];
const [L_CHARS, L_NEXT, L_LF_BYTE, L_CR_BYTE] = [12, 13, 14, 15];
const keepBelow = (bits: number, countLocal: number): Code[] => [
  op.i32Const(1),
  op.localGet(countLocal),
  op.i32Shl,
  op.i32Const(1),
  op.i32Sub,
  op.localGet(bits),
  op.i32And,
  op.localSet(bits),
];
const COUNT_LINE_BREAKS: WasmFunction = {
  name: 'countLineBreaks',
  params: [I32, I32, I32, I32],
  results: [I32],
  locals: [
    [8, I32],
    [4, V128],
  ],
  body: [
    ...splat(0x0a, L_LF_BYTE),
    ...splat(0x0d, L_CR_BYTE),
    op.i32Const(-1),
    op.localSet(L_FINAL),
    op.localGet(L_FROM),
    op.localSet(L_POSITION),
    op.block,
    op.loop,
    op.localGet(L_TO),
    op.localGet(L_POSITION),
    op.i32Sub,
    op.localTee(L_VALID),
    op.i32Const(1),
    op.i32LtS,
    op.brIf(1),
    op.localGet(L_TEXT),
    op.localGet(L_POSITION),
    op.i32Add,
    op.localTee(L_ADDRESS),
    op.v128Load(0),
    op.localSet(L_CHARS),
    op.localGet(L_ADDRESS),
    op.v128Load(1),
    op.localSet(L_NEXT),
    op.localGet(L_CHARS),
    op.localGet(L_LF_BYTE),
    op.i8x16Eq,
    op.i8x16Bitmask,
    op.localSet(L_LF),
    op.localGet(L_CHARS),
    op.localGet(L_CR_BYTE),
    op.i8x16Eq,
    op.localTee(L_CHARS),
    op.i8x16Bitmask,
    op.localSet(L_CR),
    op.localGet(L_CHARS),
    op.localGet(L_NEXT),
    op.localGet(L_LF_BYTE),
    op.i8x16Eq,
    op.v128And,
    op.i8x16Bitmask,
    op.localSet(L_PAIRS),
    // The last step: only offsets before `to`, and pairs whose \n is before it too.
    op.localGet(L_VALID),
    op.i32Const(16),
    op.i32LtS,
    op.if,
    ...keepBelow(L_LF, L_VALID),
    ...keepBelow(L_CR, L_VALID),
    op.end,
    op.localGet(L_VALID),
    op.i32Const(17),
    op.i32LtS,
    op.if,
    op.localGet(L_VALID),
    op.i32Const(1),
    op.i32Sub,
    op.localSet(L_VALID),
    ...keepBelow(L_PAIRS, L_VALID),
    op.end,
    op.localGet(L_COUNT),
    op.localGet(L_LF),
    op.i32Popcnt,
    op.i32Add,
    op.localGet(L_CR),
    op.i32Popcnt,
    op.i32Add,
    op.localGet(L_PAIRS),
    op.i32Popcnt,
    op.i32Sub,
    op.localSet(L_COUNT),
    op.localGet(L_LF),
    op.localGet(L_CR),
    op.i32Or,
    op.localTee(L_LF),
    op.if,
    op.localGet(L_POSITION),
    op.i32Const(31),
    op.localGet(L_LF),
    op.i32Clz,
    op.i32Sub,
    op.i32Add,
    op.localSet(L_FINAL),
    op.end,
    op.localGet(L_POSITION),
    op.i32Const(16),
    op.i32Add,
    op.localSet(L_POSITION),
    op.br(0),
    op.end,
    op.end,
    op.localGet(L_LAST),
    op.localGet(L_FINAL),
    op.i32Store(0),
    op.localGet(L_COUNT),
  ],
};

// findCandidates(text, length, out, mode) -> marks, or -1 when binary: the binary test (mode 1 or 2),
// then (mode 0 or 1) findAnchorMarks into `out` and, after the marks, the base64 runs of 24 or more that
// keepAnchorRuns keeps; their count is stored at SCRATCH_OFFSET. One call per file instead of four.
const [C2_TEXT, C2_LENGTH, C2_OUT, C2_MODE] = [0, 1, 2, 3];
const [C2_SAMPLE, C2_MARKS, C2_RUNS_OUT] = [4, 5, 6];
const KERNEL_INDEX = { findRuns: 0, findAnchorMarks: 1, keepAnchorRuns: 2, countControls: 3 };
const FIND_CANDIDATES: WasmFunction = {
  name: 'findCandidates',
  params: [I32, I32, I32, I32],
  results: [I32],
  locals: [[3, I32]],
  body: [
    op.localGet(C2_MODE),
    op.if,
    // sample = min(length, BINARY_SAMPLE_BYTES); binary when a NUL, or 10 * controls > sample
    op.localGet(C2_LENGTH),
    op.localTee(C2_SAMPLE),
    op.i32Const(BINARY_SAMPLE_BYTES),
    op.i32GtS,
    op.if,
    op.i32Const(BINARY_SAMPLE_BYTES),
    op.localSet(C2_SAMPLE),
    op.end,
    op.localGet(C2_TEXT),
    op.localGet(C2_SAMPLE),
    op.call(KERNEL_INDEX.countControls),
    op.localTee(C2_MARKS),
    op.i32Const(0),
    op.i32LtS,
    op.localGet(C2_MARKS),
    op.i32Const(10),
    op.i32Mul,
    op.localGet(C2_SAMPLE),
    op.i32GtS,
    op.i32Or,
    op.if,
    op.i32Const(-1),
    op.return,
    op.end,
    op.localGet(C2_MODE),
    op.i32Const(CandidateMode.BinaryTest),
    op.i32Eq,
    op.if,
    op.i32Const(SCRATCH_OFFSET),
    op.i32Const(0),
    op.i32Store(0),
    op.i32Const(0),
    op.return,
    op.end,
    op.end,
    op.localGet(C2_TEXT),
    op.localGet(C2_LENGTH),
    op.localGet(C2_OUT),
    op.call(KERNEL_INDEX.findAnchorMarks),
    op.localTee(C2_MARKS),
    op.i32Const(2),
    op.i32Shl,
    op.localGet(C2_OUT),
    op.i32Add,
    op.localSet(C2_RUNS_OUT),
    op.i32Const(SCRATCH_OFFSET),
    op.localGet(C2_TEXT),
    op.localGet(C2_LENGTH),
    op.localGet(C2_RUNS_OUT),
    op.localGet(C2_TEXT),
    op.localGet(C2_LENGTH),
    op.i32Const(ALPHABETS.indexOf(BASE64) * 32),
    op.i32Const(LEGACY_RUN_LENGTH),
    op.localGet(C2_RUNS_OUT),
    op.call(KERNEL_INDEX.findRuns),
    op.call(KERNEL_INDEX.keepAnchorRuns),
    op.i32Store(0),
    op.localGet(C2_MARKS),
  ],
};

/** memoryWord(address) -> the i32 there: a kernel's second result, read without a view. */
const MEMORY_WORD: WasmFunction = {
  name: 'memoryWord',
  params: [I32],
  results: [I32],
  locals: [],
  body: [op.localGet(0), op.i32Load(0)],
};

const KERNELS = [
  runKernel(1),
  FIND_ANCHOR_MARKS,
  KEEP_ANCHOR_RUNS,
  COUNT_CONTROLS,
  FIND_KEYWORD,
  COUNT_LINE_BREAKS,
  FIND_CANDIDATES,
  MEMORY_WORD,
];
// Calls name their callee by its place in this list.
if (KERNELS[FIND_KEYWORD_INDEX] !== FIND_KEYWORD || Object.entries(KERNEL_INDEX).some(([name, index]) => KERNELS[index].name !== name))
  throw new Error('a kernel calls another by a wrong place');
const MODULE = assembleModule(KERNELS);
