// The repository's own files on disk, through Node: read only as regular files under a cap (lstat, no link
// followed), the ignore list replaced atomically. The desktop's LeakGuard uses it; the browser has no disk.
import { randomBytes } from 'crypto';
import { constants, promises as fs } from 'fs';
import { readRegularFile } from '../node/regularFile';
import { type DiskAccess } from './diskAccess';

export const nodeDisk: DiskAccess = {
  read: (file, maxBytes) => readRegularFile(file, maxBytes),
  write: writeIgnoreFile,
};

/**
 * On disk: written to a new file beside it, then renamed over it. A rename replaces the name itself, so
 * a link put there meanwhile is replaced, never followed; and a failed write leaves the old list intact.
 */
async function writeIgnoreFile(file: string, content: Uint8Array): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  // The list keeps its permissions; a new one gets the usual 0644.
  const mode = await fs.lstat(file).then(
    (stats) => stats.mode & 0o777,
    () => 0o644,
  );
  // O_EXCL: fails on any existing name, a link included.
  const handle = await fs.open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), mode);
  try {
    try {
      await handle.chmod(mode);
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
