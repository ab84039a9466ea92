// The passes the byte-level scan makes over every byte of a file, as SIMD WebAssembly sharing one copy of
// the file in memory: the binary test (NUL and control bytes in the first 8 KB), the base64 runs (the run
// finder's kernel over bytes) and the anchor marks ('@' before a host name, "ATATT3", "ATCTT3", "ATBB"),
// with the anchor tests of anchorBytes.ts applied to marks and runs, so that JavaScript sees only the few
// that pass (a cold process would otherwise interpret a loop over 270,000 of them per 100 MB of code).
// Portable loops stand in where WebAssembly is unavailable, and check the kernels in the tests.
import { isAnchorMark, isAnchorRunShape, keywordAt, LEGACY_RUN_LENGTH } from './anchorBytes';
import { assembleKernels, BINARY_SAMPLE_BYTES, CandidateMode, SCRATCH_OFFSET, TEXT_OFFSET } from './byteKernelCode';
import { type Alphabet, BASE64, isMember } from '../charClasses';
import { ALPHABETS, nibbleTables, PADDING_BYTES, PAGE_BYTES, type Runs, SHORTEST_RUN } from './runFinder';

/**
 * Memory only grows: past this size the instance is dropped after use, so that one huge buffer does not
 * keep the extension host's memory up (the compiled module is kept). A folder scan's largest buffer (a
 * chunk of 8 MB with its margins, see scanSources) fits with room for its longest output: a new
 * instance after each large file would also throw away the optimised code that calls this one.
 */
export const KEPT_MEMORY_BYTES = 32 * 1024 * 1024;

export interface ByteKernels {
  /**
   * Where to read a file of up to `capacity` bytes so that `load` of its start copies nothing (a view of
   * the kernels' own memory where they have one). Valid until the next call of this or `load`.
   */
  textBuffer(capacity: number): Uint8Array;
  /** Copies `bytes` in (nothing when they are the start of `textBuffer`); the other calls read this copy until the next load. */
  load(bytes: Uint8Array): void;
  /**
   * Zeroes text the kernels were given or lent out: the first `length` bytes and whatever `load` copied
   * in, or, with no length, every byte they ever held. A scan leaves no file's content behind.
   */
  forget(length?: number): void;
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

/** `forget` on the kernels in use, if a scan made any (an empty scan does not assemble them for this). */
export function forgetKernelText(): void {
  current?.forget();
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

  private text = new Uint8Array(0);

  textBuffer(capacity: number): Uint8Array {
    if (this.text.length < capacity) this.text = new Uint8Array(capacity);
    return this.text;
  }

  load(bytes: Uint8Array): void {
    this.bytes = bytes;
  }

  forget(length?: number): void {
    this.text.fill(0, 0, length === undefined ? this.text.length : Math.min(this.text.length, length));
    this.bytes = new Uint8Array(0);
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
    compiled ??= new wasm.Module(assembleKernels());
    this.exports = new wasm.Instance(compiled, {}).exports;
    this.mapMemory();
    ALPHABETS.forEach((alphabet, i) => this.view.set(nibbleTables(alphabet), i * 32));
  }

  /** A view of the text's place in memory, and how many bytes it has room for (with their outputs). */
  private text: Uint8Array | undefined;
  /** Where text given or lent out since the last `forget` may end. */
  private textEnd = TEXT_OFFSET;
  /** How far the kernels' output (marks, runs: offsets, not text) reached since the last `forget`. */
  private outputEnd = 0;
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
    if (mode !== CandidateMode.BinaryTest) this.wrote(out + 4 * marks + 8 * this.exports.memoryWord(SCRATCH_OFFSET + 4));
    this.dropIfHuge();
    // Views only where there is something to see: most files have neither.
    this.candidateMarks = marks ? this.take(out, marks) : NONE;
    this.candidateRuns = runs ? this.take(out + 4 * marks, 2 * runs) : NONE;
    return 'text';
  }

  textBuffer(capacity: number): Uint8Array {
    this.reserve(this.memoryFor(capacity));
    if (!this.text || this.text.buffer !== this.memory || this.text.length < capacity)
      this.text = new Uint8Array(this.memory, TEXT_OFFSET, capacity);
    this.textEnd = Math.max(this.textEnd, TEXT_OFFSET + capacity);
    return this.text;
  }

  load(bytes: Uint8Array): void {
    const inPlace =
      this.text !== undefined && bytes.buffer === this.text.buffer && bytes.byteOffset === TEXT_OFFSET && bytes.length <= this.text.length;
    this.length = bytes.length;
    this.textEnd = Math.max(this.textEnd, TEXT_OFFSET + bytes.length);
    if (!inPlace) {
      this.reserve(this.memoryFor(bytes.length));
      this.view.set(bytes, TEXT_OFFSET);
    }
    this.view.fill(0, TEXT_OFFSET + bytes.length, TEXT_OFFSET + bytes.length + PADDING_BYTES);
  }

  forget(length?: number): void {
    // All of it: the text, its padding and the longest output the kernels write after a text that long.
    // A file's: its text and padding, and the output its scan wrote.
    const end =
      length === undefined
        ? this.memoryFor(this.textEnd - TEXT_OFFSET)
        : Math.max(TEXT_OFFSET + Math.max(length, this.length) + PADDING_BYTES, this.outputEnd);
    this.view.fill(0, TEXT_OFFSET, Math.min(this.view.length, end));
    if (length === undefined) this.textEnd = TEXT_OFFSET;
    this.outputEnd = 0;
    this.length = 0;
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
    this.wrote(out + 8 * count);
    return this.take(out, 2 * count);
  }

  anchorMarks(): Int32Array {
    const out = this.outOffset();
    const count = this.exports.findAnchorMarks(TEXT_OFFSET, this.length, out);
    this.wrote(out + 4 * count);
    return this.take(out, count);
  }

  anchorRuns(): Runs {
    const table = ALPHABETS.indexOf(BASE64) * 32;
    const out = this.outOffset();
    const count = this.exports.findRuns(TEXT_OFFSET, this.length, table, LEGACY_RUN_LENGTH, out);
    this.wrote(out + 8 * count);
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

  private wrote(end: number): void {
    if (end > this.outputEnd) this.outputEnd = end;
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

export { BINARY_SAMPLE_BYTES, CandidateMode };
