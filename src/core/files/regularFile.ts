// Reading a small file that the scanned repository controls (the ignore list): only a regular file, never
// through a symbolic link, never more than a cap. A link to /dev/zero would otherwise fill memory, and a
// FIFO would block the read for ever.
import { constants, promises as fs } from 'fs';

export type RegularFileRead =
  | { kind: 'read'; bytes: Buffer }
  | { kind: 'missing' }
  /** A symbolic link, FIFO, device, socket or folder: not read. */
  | { kind: 'not-regular' }
  | { kind: 'too-large' };

/** O_NOFOLLOW: a link swapped in after the lstat fails the open. O_NONBLOCK: so does a FIFO, instead of blocking. Both absent on Windows. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export async function readRegularFile(file: string, maxBytes: number): Promise<RegularFileRead> {
  let stats;
  try {
    stats = await fs.lstat(file);
  } catch (error) {
    if (isMissing(error)) return { kind: 'missing' };
    throw error;
  }
  if (!stats.isFile()) return { kind: 'not-regular' };
  if (stats.size > maxBytes) return { kind: 'too-large' };
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, OPEN_FLAGS);
  } catch (error) {
    if (isMissing(error)) return { kind: 'missing' };
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return { kind: 'not-regular' };
    throw error;
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) return { kind: 'not-regular' };
    // The file may grow between the stat and the read: one byte more than the cap tells.
    const buffer = Buffer.alloc(Math.min(opened.size, maxBytes) + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > maxBytes) return { kind: 'too-large' };
    return { kind: 'read', bytes: buffer.subarray(0, filled) };
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
