// Node's child_process module, loaded when a program is first started: loading it costs ~4 ms of every
// command's start-up, and a scan outside a repository starts none.
import type * as ChildProcess from 'child_process';

let loaded: typeof ChildProcess | undefined;

export function childProcess(): typeof ChildProcess {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('child_process') as typeof ChildProcess);
}
