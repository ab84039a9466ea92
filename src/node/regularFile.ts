// The files next to a scan that the scanned repository (or a pull request) may have put in place: the ignore
// list, a baseline, the report to write. Read only when a regular file, never through a symbolic link, never
// more than a cap: a link to /dev/zero would otherwise fill memory, and a FIFO would block the read for ever.
// Written through a new file beside it and a rename, never into a link or a device: a committed
// `report.sarif -> ~/.bashrc` must not make the scan overwrite the link's target.
import * as fs from 'fs';
import * as path from 'path';
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
const write = promisify(fs.write);
const rename = promisify(fs.rename);
const unlink = promisify(fs.unlink);
const fchmod = promisify(fs.fchmod);

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

/** O_EXCL: the new file is ours alone; O_NOFOLLOW: not a link put there in its place. */
const CREATE_FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0);

/**
 * Replaces `file` with `data`, or creates it: unless what is there is not a regular file (a symbolic link,
 * FIFO, device or folder), which is left alone. Only the last component is checked: the folders on the
 * way are the caller's to choose. A file there keeps its permissions.
 */
export async function replaceRegularFile(file: string, data: string | Uint8Array): Promise<'written' | 'not-regular'> {
  const existing = await lstatIfAny(file);
  if (existing && !existing.isFile()) return 'not-regular';
  const temporary = await createBeside(file);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    try {
      if (existing) await fchmod(temporary.fd, existing.mode & 0o777);
      for (let done = 0; done < bytes.length;) done += (await write(temporary.fd, bytes, done, bytes.length - done)).bytesWritten;
    } finally {
      await close(temporary.fd);
    }
    // Checked again just before: rename would replace a link swapped in meanwhile, not write through it.
    const now = await lstatIfAny(file);
    if (now && !now.isFile()) {
      await unlink(temporary.name);
      return 'not-regular';
    }
    await rename(temporary.name, file);
    return 'written';
  } catch (error) {
    await unlink(temporary.name).catch(() => undefined);
    throw error;
  }
}

async function lstatIfAny(file: string): Promise<fs.Stats | undefined> {
  try {
    return await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A new file in `file`'s folder (a rename does not cross file systems). O_EXCL makes a guessed name harmless. */
async function createBeside(file: string): Promise<{ name: string; fd: number }> {
  for (let attempt = 0; ; attempt++) {
    const name = path.join(path.dirname(file), `.jira-token-guard-${Math.random().toString(36).slice(2, 10)}.tmp`);
    try {
      return { name, fd: await open(name, CREATE_FLAGS, 0o666) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 8) throw error;
    }
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
