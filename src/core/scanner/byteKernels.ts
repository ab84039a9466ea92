// The passes the byte-level scan makes over every byte of a file, as SIMD WebAssembly sharing one copy of
// the file in memory: the binary test (NUL and control bytes in the first 8 KB), the base64 runs (the run
// finder's kernel over bytes), and the marks ('@' and "AT", where URL credentials and prefixed tokens can
// start). Portable loops stand in where WebAssembly is unavailable, and check the kernels in the tests.
import { Alphabet, isMember } from './charClasses';
import { ALPHABETS, nibbleTables, PADDING_BYTES, PAGE_BYTES, runKernel, Runs, SHORTEST_RUN, TEXT_OFFSET } from './runFinder';
import { assembleModule, Code, I32, op, V128, WasmFunction } from './wasmEncoding';

/**
 * Memory only grows: past this size the instance is dropped after use, so that one huge buffer does not
 * keep the extension host's memory up (the compiled module is kept). A folder scan's largest buffer (a
 * chunk of 8 MB with its margins, see scanSources) fits with room for a mark at every byte: a new
 * instance after each large file would also throw away the optimised code that calls this one.
 */
export const KEPT_MEMORY_BYTES = 48 * 1024 * 1024;

/** isProbablyBinary's sample: the first 8 KB. */
export const BINARY_SAMPLE_BYTES = 8192;

export interface ByteKernels {
  /** Copies `bytes` in; the other calls read this copy until the next load. */
  load(bytes: Uint8Array): void;
  /** Control bytes (not tab, line breaks, form feed, escape) in the first `length` bytes; -1 on a NUL. */
  controls(length: number): number;
  /** Valid until the next call: a view into the kernels' memory where they have one. */
  runs(alphabet: Alphabet, minLength: number): Runs;
  /** Offsets of every '@' and every 'A' followed by 'T', in order. Valid until the next call. */
  marks(): Int32Array;
  /**
   * The first offset in [from, to - 4] where "jira", "atla" or "conf" starts, in any case (each byte
   * with bit 5 set, as `keywordInReach` compares), or -1. The caller checks the rest of the word.
   */
  keywordStart(from: number, to: number): number;
}

/** The first four letters of each of JIRA_KEYWORDS (jira, atlassian, confluence), lower case. */
export const KEYWORD_STARTS = ['jira', 'atla', 'conf'];

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

  keywordStart(from: number, to: number): number {
    const { bytes } = this;
    for (let i = from; i + 4 <= to; i++) {
      for (const word of KEYWORD_STARTS) {
        let k = 0;
        while (k < 4 && (bytes[i + k] | 0x20) === word.charCodeAt(k)) k++;
        if (k === 4) return i;
      }
    }
    return -1;
  }

  marks(): Int32Array {
    const { bytes } = this;
    const marks: number[] = [];
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x40 || (bytes[i] === 0x41 && bytes[i + 1] === 0x54)) marks.push(i);
    return Int32Array.from(marks);
  }
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface Exports {
  memory: WasmMemory;
  findRuns(text: number, length: number, table: number, minLength: number, out: number): number;
  findMarks(text: number, length: number, out: number): number;
  findKeywordStart(text: number, from: number, to: number): number;
  countControls(text: number, length: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Exports };
}

let compiled: object | undefined;

class SimdByteKernels implements ByteKernels {
  private readonly exports: Exports;
  private view!: Uint8Array;
  private length = 0;

  constructor() {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!wasm) throw new Error('WebAssembly is unavailable');
    compiled ??= new wasm.Module(MODULE);
    this.exports = new wasm.Instance(compiled, {}).exports;
    this.view = new Uint8Array(this.exports.memory.buffer);
    ALPHABETS.forEach((alphabet, i) => this.view.set(nibbleTables(alphabet), i * 32));
  }

  load(bytes: Uint8Array): void {
    this.length = bytes.length;
    // Room for the text, its padding and the longest output: a mark at every byte.
    this.reserve(this.outOffset() + 4 * bytes.length + 64);
    this.view.set(bytes, TEXT_OFFSET);
    this.view.fill(0, TEXT_OFFSET + bytes.length, TEXT_OFFSET + bytes.length + PADDING_BYTES);
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

  marks(): Int32Array {
    const out = this.outOffset();
    return this.take(out, this.exports.findMarks(TEXT_OFFSET, this.length, out));
  }

  keywordStart(from: number, to: number): number {
    return this.exports.findKeywordStart(TEXT_OFFSET, from, Math.min(to, this.length));
  }

  private outOffset(): number {
    return (TEXT_OFFSET + this.length + PADDING_BYTES + 7) & ~7;
  }

  private take(out: number, words: number): Int32Array {
    // Memory only grows: one huge file must not keep it up (this instance still answers until dropped).
    if (this.exports.memory.buffer.byteLength > KEPT_MEMORY_BYTES) current = undefined;
    return new Int32Array(this.exports.memory.buffer, out, words);
  }

  private reserve(bytes: number): void {
    const missing = bytes - this.exports.memory.buffer.byteLength;
    if (missing <= 0) return;
    this.exports.memory.grow(Math.ceil(missing / PAGE_BYTES));
    this.view = new Uint8Array(this.exports.memory.buffer);
  }
}

// findMarks(text, length, out) -> count
const [M_TEXT, M_LENGTH, M_OUT] = [0, 1, 2];
const [M_POSITION, M_COUNT, M_BITS, M_ADDRESS] = [3, 4, 5, 6];
const [M_CHARS, M_NEXT, M_AT_SIGN, M_A, M_T] = [7, 8, 9, 10, 11];
const splat = (value: number, local: number) => [op.i32Const(value), op.i8x16Splat, op.localSet(local)];
const FIND_MARKS: WasmFunction = {
  name: 'findMarks',
  params: [I32, I32, I32],
  results: [I32],
  locals: [
    [4, I32],
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
    op.localGet(M_OUT),
    op.localGet(M_COUNT),
    op.i32Const(2),
    op.i32Shl,
    op.i32Add,
    op.localGet(M_POSITION),
    op.localGet(M_BITS),
    op.i32Ctz,
    op.i32Add,
    op.i32Store(0),
    op.localGet(M_COUNT),
    op.i32Const(1),
    op.i32Add,
    op.localSet(M_COUNT),
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

// findKeywordStart(text, from, to) -> offset or -1: 16 candidate offsets per step, each compared on four
// bytes (loaded at +0..+3) with bit 5 set, against the three four-letter starts.
const [K_TEXT, K_FROM, K_TO] = [0, 1, 2];
const [K_POSITION, K_BITS, K_ADDRESS, K_VALID] = [3, 4, 5, 6];
const K_BYTES = [7, 8, 9, 10];
const K_CASE = 11;
const K_LETTER = 12;
const KEYWORD_LETTERS = [...new Set(KEYWORD_STARTS.join(''))];
const letterLocal = (letter: string) => K_LETTER + KEYWORD_LETTERS.indexOf(letter);
const wordMatch = (word: string): Code[] =>
  Array.from(word).flatMap((letter, k) => [
    op.localGet(K_BYTES[k]),
    op.localGet(letterLocal(letter)),
    op.i8x16Eq,
    ...(k > 0 ? [op.v128And] : []),
  ]);
const FIND_KEYWORD_START: WasmFunction = {
  name: 'findKeywordStart',
  params: [I32, I32, I32],
  results: [I32],
  locals: [
    [4, I32],
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
    op.localGet(K_BITS),
    op.if,
    op.localGet(K_POSITION),
    op.localGet(K_BITS),
    op.i32Ctz,
    op.i32Add,
    op.return,
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

const MODULE = assembleModule([runKernel(1), FIND_MARKS, COUNT_CONTROLS, FIND_KEYWORD_START]);
