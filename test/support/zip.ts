// A small zip reader for the tests that look inside the .vsix (a zip file): the central directory lists the
// entries, each is stored or deflated. No tool (unzip) and no package needed; no ZIP64 (a .vsix is small).
import * as zlib from 'zlib';

export interface ZipEntry {
  name: string;
  /** Uncompressed size, as the central directory records it. */
  size: number;
  read(): Buffer;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

export function readZip(zip: Buffer): ZipEntry[] {
  // The end record is the last 22 bytes, unless a comment (at most 65535 bytes) follows it.
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip file: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== CENTRAL_DIRECTORY_ENTRY) throw new Error(`zip: central directory entry ${n} is damaged`);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    entries.push({
      name,
      size,
      read() {
        if (zip.readUInt32LE(localHeader) !== LOCAL_HEADER) throw new Error(`zip: ${name}: local header is damaged`);
        const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
        const data = zip.subarray(start, start + compressedSize);
        const content = method === 0 ? data : method === 8 ? zlib.inflateRawSync(data) : undefined;
        if (!content) throw new Error(`zip: ${name}: compression method ${method} is not read here`);
        if (content.length !== size) throw new Error(`zip: ${name}: ${content.length} bytes, the directory says ${size}`);
        return content;
      },
    });
  }
  return entries;
}
