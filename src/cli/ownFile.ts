// The files the command writes (--output, --write-baseline): a pull request can commit one as a symbolic link
// to a file the CI runner may write, so they are written only as regular files (regularFile.ts). Errors name
// the option, never the path or the content.
import * as fs from 'fs';
import { replaceRegularFile } from '../node/regularFile';
import { UsageError } from './args';
import { describeError } from '../scanEngine/scanSources';

const NOT_REGULAR = 'is a symbolic link or not a regular file (a FIFO, device or folder): not written';

/** Before a scan: a target that will be refused is refused now, not after minutes of scanning. */
export function refuseUnwritableTarget(file: string, what: string): void {
  let stats: fs.Stats;
  try {
    stats = fs.lstatSync(file);
  } catch {
    return; // absent (or unreadable): the write tells
  }
  if (!stats.isFile()) throw new UsageError(`the ${what} ${NOT_REGULAR}`);
}

/** `what`: '--output file'; `kind`: 'the report'. */
export async function writeOwnFile(file: string, content: string, what: string, kind: string): Promise<void> {
  let written;
  try {
    written = await replaceRegularFile(file, content);
  } catch (error) {
    throw new UsageError(`cannot write ${kind} to the ${what}: ${describeError(error)}`);
  }
  if (written === 'not-regular') throw new UsageError(`the ${what} ${NOT_REGULAR}`);
}
