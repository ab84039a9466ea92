// Finds the maximal runs of an alphabet's characters at least `minLength` long: the candidates of the
// rules that have no literal prefix to search for (DC PATs, legacy tokens, Basic credentials, stored
// tokens). Reading every character from JavaScript costs about as much as the whole gitleaks prefilter
// the scanner must beat threefold (and a Boyer–Moore-style skip loop, a third of it), so the work is
// done by a SIMD WebAssembly function assembled on first use: 16 characters per step, no branch that
// depends on the text in the common case. A portable loop stands in where WebAssembly is unavailable,
// and checks the SIMD one in the tests. The WebAssembly memory lives as long as the extension host: the
// kernel zeroes each chunk of the text once it has read it, and the runs are zeroed once copied out, so
// no scan leaves a file's content (a token, perhaps) behind.
import { type Alphabet, BASE64, isMember, TOKEN_CHARS } from '../charClasses';
import { codeUnitWriter } from '../../common/bytes';
import { assembleModule, I32, op, V128, type WasmFunction } from './wasmEncoding';

/** Runs as [start0, end0, start1, end1, …], absolute offsets, end exclusive, in text order. */
export type Runs = Int32Array;

/** The kernel carries runs across 16-character chunks only; shorter runs could hide inside one. */
export const SHORTEST_RUN = 16;

export function findRuns(text: string, from: number, to: number, alphabet: Alphabet, minLength: number): Runs {
  if (minLength < SHORTEST_RUN) throw new RangeError(`runs shorter than ${SHORTEST_RUN} are not supported`);
  if (to - from < minLength) return NO_RUNS;
  return engine().find(text, from, to, alphabet, minLength);
}

/** For the tests: the WebAssembly kernel's memory, when it is the one in use. */
export function runFinderMemory(): Uint8Array | undefined {
  return current?.textMemory?.();
}

/** The reference implementation. */
export function findRunsPortable(text: string, from: number, to: number, alphabet: Alphabet, minLength: number): Runs {
  const runs: number[] = [];
  let i = from;
  while (i < to) {
    if (!isMember(alphabet, text.charCodeAt(i))) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < to && isMember(alphabet, text.charCodeAt(end))) end++;
    if (end - i >= minLength) runs.push(i, end);
    i = end + 1;
  }
  return Int32Array.from(runs);
}

const NO_RUNS = new Int32Array(0);

interface RunEngine {
  find(text: string, from: number, to: number, alphabet: Alphabet, minLength: number): Runs;
  textMemory?(): Uint8Array;
}

let current: RunEngine | undefined;

function engine(): RunEngine {
  if (!current) {
    try {
      current = new SimdRunEngine();
    } catch {
      current = { find: findRunsPortable };
    }
  }
  return current;
}

// Memory: one 32-byte nibble table per alphabet, then the text as UTF-16 with zero padding, then runs.
export const ALPHABETS = [BASE64, TOKEN_CHARS];
export const TEXT_OFFSET = 64;
export const PADDING_BYTES = 64;
export const PAGE_BYTES = 65536;
/**
 * Memory only grows: past this size (a text of 16 M characters) the instance is dropped after use, so
 * that one huge file does not keep the extension host's memory up. The compiled module is kept.
 */
const KEPT_MEMORY_BYTES = 32 * 1024 * 1024;

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type Kernel = (text: number, length: number, table: number, minLength: number, out: number) => number;
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: { findRuns: Kernel; memory: WasmMemory } };
}

let compiled: object | undefined;

class SimdRunEngine implements RunEngine {
  private readonly memory: WasmMemory;
  private readonly kernel: Kernel;
  private bytes!: Uint8Array;
  private codeUnits!: Uint16Array;
  private writeUnits!: (text: string, from: number, to: number, at: number) => void;
  private words!: Int32Array;

  constructor() {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!wasm) throw new Error('WebAssembly is unavailable');
    compiled ??= new wasm.Module(assembleKernel());
    const { exports } = new wasm.Instance(compiled, {});
    this.memory = exports.memory;
    this.kernel = exports.findRuns;
    this.mapMemory();
    ALPHABETS.forEach((alphabet, i) => this.bytes.set(nibbleTables(alphabet), i * 32));
  }

  find(text: string, from: number, to: number, alphabet: Alphabet, minLength: number): Runs {
    const table = ALPHABETS.indexOf(alphabet) * 32;
    if (table < 0) return findRunsPortable(text, from, to, alphabet, minLength);
    const length = to - from;
    const textEnd = TEXT_OFFSET + 2 * length;
    const out = (textEnd + PADDING_BYTES + 7) & ~7;
    this.reserve(out + 8 * (Math.floor(length / (minLength + 1)) + 1));
    this.writeUnits(text, from, to, TEXT_OFFSET / 2);
    this.codeUnits.fill(0, textEnd / 2, (textEnd + PADDING_BYTES) / 2);
    // The kernel zeroes the text as it reads it; the runs are zeroed here, once copied.
    const count = this.kernel(TEXT_OFFSET, length, table, minLength, out);
    const runs = this.words.slice(out / 4, out / 4 + 2 * count);
    if (count) this.words.fill(0, out / 4, out / 4 + 2 * count);
    if (from !== 0) for (let i = 0; i < runs.length; i++) runs[i] += from;
    if (this.bytes.length > KEPT_MEMORY_BYTES) current = undefined;
    return runs;
  }

  textMemory(): Uint8Array {
    return this.bytes;
  }

  private reserve(bytes: number): void {
    const missing = bytes - this.bytes.length;
    if (missing <= 0) return;
    this.memory.grow(Math.ceil(missing / PAGE_BYTES));
    this.mapMemory();
  }

  /** Views of the memory; growing it detaches the old ones. */
  private mapMemory(): void {
    this.bytes = new Uint8Array(this.memory.buffer);
    this.codeUnits = new Uint16Array(this.memory.buffer);
    this.writeUnits = codeUnitWriter(this.memory.buffer);
    this.words = new Int32Array(this.memory.buffer);
  }
}

/**
 * Byte-class lookup in two 16-byte tables indexed by the low and the high nibble (the `pshufb` trick):
 * a byte is in the alphabet when `low[b & 15] & high[b >> 4]` is not 0. Bytes of the same high nibble
 * share one bit, so any ASCII set fits in 8 bits; high nibbles 8–15 (non-ASCII) map to 0.
 */
export function nibbleTables(alphabet: Alphabet): Uint8Array {
  const tables = new Uint8Array(32);
  const bitOfLowSet = new Map<number, number>();
  for (let high = 0; high < 8; high++) {
    let lowSet = 0;
    for (let low = 0; low < 16; low++) if (alphabet.member[high * 16 + low]) lowSet |= 1 << low;
    if (lowSet === 0) continue;
    if (!bitOfLowSet.has(lowSet)) bitOfLowSet.set(lowSet, 1 << bitOfLowSet.size);
    const bit = bitOfLowSet.get(lowSet) as number;
    tables[16 + high] = bit;
    for (let low = 0; low < 16; low++) if (lowSet & (1 << low)) tables[low] |= bit;
  }
  return tables;
}

// findRuns(text, length, table, minLength, out) -> count. `text` holds `length` UTF-16 code units and
// zero padding; each 16-unit chunk becomes a 16-bit mask of the units that are NOT members. `carry`
// counts the members that run up to the chunk; a run is written when it ends, if long enough.
const [TEXT, LENGTH, TABLE, MIN_LENGTH, OUT] = [0, 1, 2, 3, 4];
const [POSITION, CARRY, OTHERS, LEAD, COUNT, ADDRESS] = [5, 6, 7, 8, 9, 10];
const [LOW, HIGH, NIBBLE, ZERO, CHARS] = [11, 12, 13, 14, 15];
/** Built on the first scan that needs it, not when the extension loads. */
const assembleKernel = (): Uint8Array => assembleModule(runKernel(2, true));

/**
 * The loop over UTF-16 code units, or over bytes: 16 bytes per step, no narrowing (bytes >= 0x80 are in no
 * alphabet). `zeroText`: each chunk is zeroed once read, in the same pass, at no measurable cost (the string
 * scanner's copy of a text is read once; the byte kernels read theirs again, and zero it when a scan ends).
 */
export function runKernel(unitBytes: 1 | 2, zeroText = false): WasmFunction {
  const address =
    unitBytes === 2
      ? [op.localGet(TEXT), op.localGet(POSITION), op.localGet(POSITION), op.i32Add, op.i32Add, op.localSet(ADDRESS)]
      : [op.localGet(TEXT), op.localGet(POSITION), op.i32Add, op.localSet(ADDRESS)];
  const load =
    unitBytes === 2
      ? // Saturating narrow: code units >= 0x100 become 0xFF, which is in no alphabet.
        [op.localGet(ADDRESS), op.v128Load(0), op.localGet(ADDRESS), op.v128Load(16), op.i8x16NarrowI16x8U, op.localSet(CHARS)]
      : [op.localGet(ADDRESS), op.v128Load(0), op.localSet(CHARS)];
  const zero = !zeroText
    ? []
    : unitBytes === 2
      ? [op.localGet(ADDRESS), op.localGet(ZERO), op.v128Store(0), op.localGet(ADDRESS), op.localGet(ZERO), op.v128Store(16)]
      : [op.localGet(ADDRESS), op.localGet(ZERO), op.v128Store(0)];
  return {
    name: 'findRuns',
    params: [I32, I32, I32, I32, I32],
    results: [I32],
    locals: [
      [6, I32],
      [5, V128],
    ],
    body: [
      op.localGet(TABLE),
      op.v128Load(0),
      op.localSet(LOW),
      op.localGet(TABLE),
      op.v128Load(16),
      op.localSet(HIGH),
      op.i32Const(15),
      op.i8x16Splat,
      op.localSet(NIBBLE),
      op.i32Const(0),
      op.i8x16Splat,
      op.localSet(ZERO),
      op.block,
      op.loop,
      // The chunk that starts at `length` is (partly) padding: it closes a run that ends the text.
      op.localGet(POSITION),
      op.localGet(LENGTH),
      op.i32GtS,
      op.brIf(1),
      ...address,
      ...load,
      ...zero,
      op.localGet(LOW),
      op.localGet(CHARS),
      op.localGet(NIBBLE),
      op.v128And,
      op.i8x16Swizzle,
      op.localGet(HIGH),
      op.localGet(CHARS),
      op.i32Const(4),
      op.i8x16ShrU,
      op.i8x16Swizzle,
      op.v128And,
      op.localGet(ZERO),
      op.i8x16Eq,
      op.i8x16Bitmask,
      op.localSet(OTHERS),
      // Members at the start of the chunk end the carried run (none when every unit is a member: the
      // run goes on). A run long enough is rare: the one branch that depends on the text is seldom taken.
      op.localGet(OTHERS),
      op.i32Ctz,
      op.localSet(LEAD),
      op.localGet(OTHERS),
      op.i32Eqz,
      op.i32Eqz,
      op.localGet(CARRY),
      op.localGet(LEAD),
      op.i32Add,
      op.localGet(MIN_LENGTH),
      op.i32GeS,
      op.i32And,
      op.if,
      op.localGet(OUT),
      op.localGet(COUNT),
      op.i32Const(3),
      op.i32Shl,
      op.i32Add,
      op.localTee(ADDRESS),
      op.localGet(POSITION),
      op.localGet(CARRY),
      op.i32Sub,
      op.i32Store(0),
      op.localGet(ADDRESS),
      op.localGet(POSITION),
      op.localGet(LEAD),
      op.i32Add,
      op.i32Store(4),
      op.localGet(COUNT),
      op.i32Const(1),
      op.i32Add,
      op.localSet(COUNT),
      op.end,
      // The carried run: 16 more when every unit is a member, else the members at the end of the chunk.
      op.localGet(CARRY),
      op.i32Const(16),
      op.i32Add,
      op.localGet(OTHERS),
      op.i32Const(16),
      op.i32Shl,
      op.i32Clz,
      op.localGet(OTHERS),
      op.i32Eqz,
      op.select,
      op.localSet(CARRY),
      op.localGet(POSITION),
      op.i32Const(16),
      op.i32Add,
      op.localSet(POSITION),
      op.br(0),
      op.end,
      op.end,
      op.localGet(COUNT),
    ],
  };
}
