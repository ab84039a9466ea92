// Long synchronous work (walking a tree, reading and scanning files) gives the event loop a turn now and
// then, so that an extension host running it keeps answering. One clock per job: everything working on
// the job waits on the same turn, instead of each awaiting its own while the others run on in the
// microtask queue (which holds the loop for a slice each).

/** How long a job may hold the event loop at once unless it asks for less. */
export const DEFAULT_SLICE_MS = 50;

export interface EventLoopTurns {
  /** The turn to wait for: the one already asked for, or a new one once the slice is over. Undefined: go on. */
  due(): Promise<void> | undefined;
  /** The turn asked for that has not come yet. */
  readonly pending: Promise<void> | undefined;
}

/** Node's setImmediate where the host has it (it comes before timers); a browser's worker has only timers. */
const host = globalThis as { setImmediate?: (callback: () => void) => unknown };
const nextTurn: (callback: () => void) => unknown = host.setImmediate
  ? host.setImmediate.bind(globalThis)
  : (callback) => setTimeout(callback, 0);

export function eventLoopTurns(sliceMs = DEFAULT_SLICE_MS): EventLoopTurns {
  let sliceStart = Date.now();
  let pending: Promise<void> | undefined;
  return {
    due() {
      if (!pending && Date.now() - sliceStart < sliceMs) return undefined;
      pending ??= new Promise<void>((resolve) => nextTurn(resolve)).then(() => {
        pending = undefined;
        sliceStart = Date.now();
      });
      return pending;
    },
    get pending() {
      return pending;
    },
  };
}
