// Reading a small file that the scanned repository controls (the ignore list): only a regular file, never
// through a symbolic link, never more than a cap. A link to /dev/zero would otherwise fill memory, and a
// FIFO would block the read for ever.
import * as fs from 'fs';
import { promisify } from 'util';

export type RegularFileRead =
  | { kind: 'read'; bytes: Buffer }
  | { kind: 'missing' }
  /** A symbolic link, FIFO, device, socket or folder: not read. */
  | { kind: 'not-regular' }
  | { kind: 'too-large' };

/** O_NOFOLLOW: a link swapped in after the lstat fails the open. O_NONBLOCK: so does a FIFO, instead of blocking. Both absent on Windows. */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

// Node's callback functions, not fs.promises: loading that (with streams and readline) costs every
// command line scan ~3 ms of start-up, for one small file.
const lstat = promisify(fs.lstat);
const open = promisify(fs.open);
const fstat = promisify(fs.fstat);
const read = promisify(fs.read);
const close = promisify(fs.close);

export async function readRegularFile(file: string, maxBytes: number): Promise<RegularFileRead> {
  let stats;
  try {
    stats = await lstat(file);
  } catch (error) {
    if (isMissing(error)) return { kind: 'missing' };
    throw error;
  }
  if (!stats.isFile()) return { kind: 'not-regular' };
  if (stats.size > maxBytes) return { kind: 'too-large' };
  let fd: number;
  try {
    fd = await open(file, OPEN_FLAGS);
  } catch (error) {
    if (isMissing(error)) return { kind: 'missing' };
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return { kind: 'not-regular' };
    throw error;
  }
  try {
    const opened = await fstat(fd);
    if (!opened.isFile()) return { kind: 'not-regular' };
    // The file may grow between the stat and the read: one byte more than the cap tells.
    const buffer = Buffer.alloc(Math.min(opened.size, maxBytes) + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await read(fd, buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > maxBytes) return { kind: 'too-large' };
    return { kind: 'read', bytes: buffer.subarray(0, filled) };
  } finally {
    await close(fd);
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
