// How a file's bytes become the text an editor shows: a UTF-8 byte order mark is not part of the text,
// UTF-16 with a byte order mark is decoded (PowerShell and Visual Studio write it), everything else is
// read as UTF-8.

import { utf16Text, utf8Text } from '../common/bytes';

export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be';

export interface DetectedEncoding {
  encoding: TextEncoding;
  /** Bytes of the byte order mark, 0 without one. */
  bomLength: number;
}

const UTF8: DetectedEncoding = { encoding: 'utf8', bomLength: 0 };
const UTF8_BOM: DetectedEncoding = { encoding: 'utf8', bomLength: 3 };
const UTF16LE: DetectedEncoding = { encoding: 'utf16le', bomLength: 2 };
const UTF16BE: DetectedEncoding = { encoding: 'utf16be', bomLength: 2 };

/** Asked for every file of a folder scan: no object made, no read past a short file's end. */
export function detectEncoding(bytes: Uint8Array): Readonly<DetectedEncoding> {
  if (bytes.length < 2) return UTF8;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes.length > 2 && bytes[2] === 0xbf) return UTF8_BOM;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return UTF16LE;
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return UTF16BE;
  return UTF8;
}

/** True for UTF-16 with a byte order mark: full of NUL bytes, yet text. */
export function isUtf16Text(bytes: Uint8Array): boolean {
  return detectEncoding(bytes).encoding !== 'utf8';
}

/** The text of a whole file, as an editor shows it (no byte order mark). */
export function decodeText(bytes: Uint8Array): string {
  const { encoding, bomLength } = detectEncoding(bytes);
  return decodeFrom(bytes, bomLength, bytes.length, encoding);
}

/** UTF-16 code units between two offsets; an odd last byte of UTF-16 is dropped. */
export function decodeFrom(bytes: Uint8Array, start: number, end: number, encoding: TextEncoding): string {
  if (encoding === 'utf8') return utf8Text(bytes, start, end);
  return utf16Text(bytes, start, start + ((end - start) & ~1), encoding === 'utf16be');
}
