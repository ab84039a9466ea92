// Just enough of the WebAssembly binary format to assemble one small SIMD function at load time
// (no build step, no binary blob in the repository). Opcodes: the core and SIMD specifications.

export type Code = readonly number[];

export function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

export function signedLeb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const vector = (items: readonly Code[]): number[] => [...unsignedLeb(items.length), ...items.flat()];
const name = (text: string): number[] => [...unsignedLeb(text.length), ...Array.from(text, (ch) => ch.charCodeAt(0))];
const section = (id: number, content: Code): number[] => [id, ...unsignedLeb(content.length), ...content];
const simd = (opcode: number): Code => [0xfd, ...unsignedLeb(opcode)];

export const I32 = 0x7f;
export const V128 = 0x7b;

/** The instructions the kernels use, by their text-format names. */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (depth: number): Code => [0x0c, ...unsignedLeb(depth)],
  brIf: (depth: number): Code => [0x0d, ...unsignedLeb(depth)],
  /** A call of the module's function at `index` (its place in the list given to assembleModule). */
  call: (index: number): Code => [0x10, ...unsignedLeb(index)],
  localGet: (index: number): Code => [0x20, ...unsignedLeb(index)],
  localSet: (index: number): Code => [0x21, ...unsignedLeb(index)],
  localTee: (index: number): Code => [0x22, ...unsignedLeb(index)],
  i32Store: (offset: number): Code => [0x36, 2, ...unsignedLeb(offset)],
  i32Load: (offset: number): Code => [0x28, 2, ...unsignedLeb(offset)],
  i32Load8U: (offset: number): Code => [0x2d, 0, ...unsignedLeb(offset)],
  i32Const: (value: number): Code => [0x41, ...signedLeb(value)],
  i32Eqz: [0x45],
  i32Eq: [0x46],
  i32Ne: [0x47],
  i32LtU: [0x49],
  i32GtU: [0x4b],
  i32GtS: [0x4a],
  i32GeS: [0x4e],
  i32Clz: [0x67],
  i32Ctz: [0x68],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32Shl: [0x74],
  i32And: [0x71],
  i32Or: [0x72],
  i32Popcnt: [0x69],
  i32LtS: [0x48],
  return: [0x0f],
  /** [a, b, condition] -> condition ? a : b, without a branch. */
  select: [0x1b],
  v128Or: simd(0x50),
  v128AndNot: simd(0x4f),
  i8x16LtU: simd(0x26),
  i8x16GtU: simd(0x28),
  i8x16Sub: simd(0x71),
  v128Load: (offset: number): Code => [...simd(0x00), 0, ...unsignedLeb(offset)],
  v128Store: (offset: number): Code => [...simd(0x0b), 0, ...unsignedLeb(offset)],
  i8x16Swizzle: simd(0x0e),
  i8x16Splat: simd(0x0f),
  i8x16Eq: simd(0x23),
  v128And: simd(0x4e),
  i8x16Bitmask: simd(0x64),
  i8x16NarrowI16x8U: simd(0x66),
  i8x16ShrU: simd(0x6d),
} as const;

export interface WasmFunction {
  name: string;
  params: number[];
  results: number[];
  locals: Array<[count: number, type: number]>;
  body: readonly Code[];
}

/** A module with exported functions and one exported memory they share. */
export function assembleModule(fns: WasmFunction | readonly WasmFunction[]): Uint8Array {
  const list = Array.isArray(fns) ? (fns as readonly WasmFunction[]) : [fns as WasmFunction];
  const bodies = list.map((fn) => {
    const body = [...vector(fn.locals.map(([count, type]) => [...unsignedLeb(count), type])), ...fn.body.flat(), ...op.end];
    return [...unsignedLeb(body.length), ...body];
  });
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(list.map((fn) => [0x60, ...vector(fn.params.map((t) => [t])), ...vector(fn.results.map((t) => [t]))]))),
    ...section(3, vector(list.map((_, i) => unsignedLeb(i)))),
    ...section(5, vector([[0x00, 1]])),
    ...section(7, vector([...list.map((fn, i) => [...name(fn.name), 0x00, ...unsignedLeb(i)]), [...name('memory'), 0x02, 0]])),
    ...section(10, vector(bodies)),
  ]);
}
