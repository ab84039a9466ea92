// `scan -`: standard input as one file. Read only when the scan asks for it, and no more than the size limit
// (plus one byte, which tells it is over): a stream piped in from `git diff` or `cat` of a large log must not
// fill memory. `name` is what reports show (--stdin-name), relative to the current folder, and what the
// scanner takes as the file name (so `--stdin-name .env` scans it as a .env file).
import * as path from 'path';
import { type SourceFile, ReadError } from '../scanEngine/scanSources';

/** What reports call standard input without --stdin-name. */
export const STDIN_NAME = 'stdin';

export function stdinSource(stream: NodeJS.ReadableStream, name: string, cwd: string, onTooLarge: () => void): SourceFile {
  // Kept: `scan --verify` reads a file with findings again, for the lines around them.
  let read: Promise<Buffer> | undefined;
  return {
    file: name,
    fileName: path.resolve(cwd, name),
    async read(maxBytes: number): Promise<Uint8Array | 'too-large'> {
      const bytes = await (read ??= readAtMost(stream, maxBytes + 1));
      if (bytes.length <= maxBytes) return bytes;
      onTooLarge();
      return 'too-large';
    },
  };
}

function readAtMost(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      stream.off('data', onData);
      stream.off('end', done);
      stream.off('error', onError);
      stream.pause();
      resolve(Buffer.concat(chunks).subarray(0, limit));
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(buffer);
      size += buffer.length;
      if (size >= limit) done();
    };
    // Node's message would not say more than this; it never quotes what was read.
    const onError = (): void => reject(new ReadError('cannot read standard input'));
    stream.on('data', onData);
    stream.on('end', done);
    stream.on('error', onError);
    stream.resume();
  });
}
