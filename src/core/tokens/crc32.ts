// CRC-32 (zlib: reflected polynomial 0xEDB88320, init and final xor 0xFFFFFFFF), table driven.
// Not zlib.crc32: VS Code 1.90's extension host runs Node 18, which lacks it.

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 of the UTF-16 code units of an ASCII string (tokens are ASCII), from `start` to `end`. */
export function crc32Ascii(text: string, start = 0, end = text.length): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The 8 upper-case hex digits Atlassian appends to its tokens. */
export function crc32Hex(text: string, start = 0, end = text.length): string {
  return crc32Ascii(text, start, end).toString(16).toUpperCase().padStart(8, '0');
}
