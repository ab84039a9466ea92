// What core used Node's Buffer for, on Uint8Array, TextEncoder and TextDecoder: core also runs in a
// browser's extension host, which has no Buffer. Base64 decoding keeps Buffer's lenient reading, which the
// rules rely on (both alphabets, anything else skipped, the first '=' ends the value).

const encoder = new TextEncoder();
/** Invalid UTF-8 becomes U+FFFD, as Buffer's toString('utf8') does. */
const decoder = new TextDecoder('utf-8');

export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The UTF-8 text of bytes[start, end). */
export function utf8Text(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return decoder.decode(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end));
}

/** How many bytes `text` takes in UTF-8 (a lone surrogate takes 3, as its replacement character does). */
export function utf8Length(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) length += 1;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      length += 2; // the pair's 2 units become 4 bytes
      i++;
    } else length += 2;
  }
  return length;
}

const CHUNK = 8192;

/** One character per byte (ISO-8859-1), as Buffer's toString('latin1'). */
export function latin1Text(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let text = '';
  for (let at = start; at < end; at += CHUNK) text += String.fromCharCode(...bytes.subarray(at, Math.min(end, at + CHUNK)));
  return text;
}

/** UTF-16 code units of bytes[start, end) (an even length), little- or big-endian; lone surrogates kept, as Buffer does. */
export function utf16Text(bytes: Uint8Array, start: number, end: number, bigEndian: boolean): string {
  const units = new Uint16Array(Math.min(CHUNK, (end - start) >> 1));
  const [high, low] = bigEndian ? [0, 1] : [1, 0];
  let text = '';
  for (let at = start; at + 1 < end;) {
    let n = 0;
    for (; n < units.length && at + 1 < end; n++, at += 2) units[n] = (bytes[at + high] << 8) | bytes[at + low];
    text += String.fromCharCode(...units.subarray(0, n));
  }
  return text;
}

const chunkBytes = new Uint8Array(3 * CHUNK);

/** Node's Buffer, where the host has one (never in a browser): found, not imported, so core still builds for the web. */
interface HostBuffer {
  from(memory: ArrayBufferLike, byteOffset: number, length: number): { write(text: string, offset: number, encoding: 'utf16le'): number };
}
const hostBuffer = (globalThis as { Buffer?: HostBuffer }).Buffer;

/**
 * A writer of text[from, to) as UTF-16 code units into `memory` from code unit `at`. The text scan's run finder
 * writes every text it scans: Node's native UTF-16 write where there is one (the portable copy made a 10 MB
 * line's scan half as slow again), `writeCodeUnitsPortable` elsewhere. Made once per memory: a view per call
 * cost the scan of many small files 10%.
 */
export function codeUnitWriter(memory: ArrayBuffer): (text: string, from: number, to: number, at: number) => void {
  if (hostBuffer) {
    const bytes = hostBuffer.from(memory, 0, memory.byteLength);
    return (text, from, to, at) => void bytes.write(text.slice(from, to), 2 * at, 'utf16le');
  }
  const units = new Uint16Array(memory);
  return (text, from, to, at) => writeCodeUnitsPortable(text, from, to, units, at);
}

/** ASCII stretches go through the encoder and a widening copy (both native); others unit by unit. */
export function writeCodeUnitsPortable(text: string, from: number, to: number, target: Uint16Array, at: number): void {
  for (let start = from; start < to; start += CHUNK) {
    const end = Math.min(to, start + CHUNK);
    const { written } = encoder.encodeInto(text.slice(start, end), chunkBytes);
    const offset = at + start - from;
    if (written === end - start) target.set(chunkBytes.subarray(0, written), offset);
    else for (let i = start; i < end; i++) target[offset + i - start] = text.charCodeAt(i);
  }
}

/** Where `needle` first occurs in `haystack` from `from`, or -1. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  if (needle.length === 0) return Math.min(Math.max(0, from), haystack.length);
  const first = needle[0];
  const last = haystack.length - needle.length;
  for (let i = haystack.indexOf(first, Math.max(0, from)); i !== -1 && i <= last; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Sextet of each character code; -1 outside both alphabets ('-' and '_' are base64url's '+' and '/'). */
const SEXTETS = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) SEXTETS[BASE64_ALPHABET.charCodeAt(i)] = i;
SEXTETS[0x2d] = 62;
SEXTETS[0x5f] = 63;

/** Decodes base64 or base64url as Buffer.from(text, 'base64') does: other characters skipped, '=' ends it. */
export function base64Bytes(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let length = 0;
  let bits = 0;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x3d) break;
    const sextet = code < 128 ? SEXTETS[code] : -1;
    if (sextet < 0) continue;
    bits = (bits << 6) | sextet;
    if (++count === 4) {
      out[length++] = (bits >> 16) & 0xff;
      out[length++] = (bits >> 8) & 0xff;
      out[length++] = bits & 0xff;
      bits = count = 0;
    }
  }
  if (count === 2) out[length++] = (bits >> 4) & 0xff;
  else if (count === 3) {
    out[length++] = (bits >> 10) & 0xff;
    out[length++] = (bits >> 2) & 0xff;
  }
  return out.subarray(0, length);
}

/** Standard base64 with padding. */
export function base64Of(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const bits = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out +=
      BASE64_ALPHABET[bits >> 18] + BASE64_ALPHABET[(bits >> 12) & 63] + BASE64_ALPHABET[(bits >> 6) & 63] + BASE64_ALPHABET[bits & 63];
  }
  if (i + 1 === bytes.length) {
    const bits = bytes[i] << 16;
    out += BASE64_ALPHABET[bits >> 18] + BASE64_ALPHABET[(bits >> 12) & 63] + '==';
  } else if (i + 2 === bytes.length) {
    const bits = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += BASE64_ALPHABET[bits >> 18] + BASE64_ALPHABET[(bits >> 12) & 63] + BASE64_ALPHABET[(bits >> 6) & 63] + '=';
  }
  return out;
}

/** The value of an HTTP Basic header: base64 of `user:secret` in UTF-8. */
export function basicCredentials(user: string, secret: string): string {
  return base64Of(utf8Bytes(`${user}:${secret}`));
}

/** One byte per character (the low byte), as Buffer.from(text, 'latin1'). */
export function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
