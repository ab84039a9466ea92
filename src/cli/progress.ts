// One progress line on a terminal's stderr, shared by the folder and history scans.
import { type CliIo } from './io';

/** A scan shorter than this shows no progress line. */
const PROGRESS_AFTER_MS = 1000;
const PROGRESS_EVERY_MS = 250;

/** Only on a terminal (a pipe or a CI log gets the report alone), once a scan has run for a second; erased at the end. */
export function showProgressLine(io: CliIo, describe: () => string): () => void {
  if (!io.stderr.isTTY) return () => undefined;
  const started = Date.now();
  let shown = false;
  const timer = setInterval(() => {
    if (Date.now() - started < PROGRESS_AFTER_MS) return;
    shown = true;
    io.stderr.write(`\r\x1b[K${describe()}`);
  }, PROGRESS_EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (shown) io.stderr.write('\r\x1b[K');
  };
}
