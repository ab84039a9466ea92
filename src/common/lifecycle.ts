// One way for a class to release what it holds: it `_register`s each subscription, emitter, watcher or
// timer as it creates it, and one dispose() releases them all. No `vscode` import: every vscode.Disposable
// fits `IDisposable` by its shape, and plain Node can run (and unit-test) this file.

/** Anything with a dispose(): a vscode.Disposable, an EventEmitter, a watcher, a status bar item. */
export interface IDisposable {
  dispose(): unknown;
}

/** Runs `release` once, on the first dispose(): for what has no dispose() of its own (timers, a cleared collection). */
export function toDisposable(release: () => void): IDisposable {
  let released = false;
  return {
    dispose: () => {
      if (released) return;
      released = true;
      release();
    },
  };
}

/**
 * Disposes each in order, even after one throws: a failing child must not keep the others alive. The
 * failure is then rethrown (several as one AggregateError), not hidden.
 */
export function disposeAll(disposables: Iterable<IDisposable>): void {
  const errors: unknown[] = [];
  for (const disposable of disposables) {
    try {
      disposable.dispose();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} disposables failed to dispose`);
}

/** Base of the classes that own subscriptions: `this._register(…)` instead of a hand-kept array. */
export abstract class Disposable implements IDisposable {
  private readonly _disposables: IDisposable[] = [];
  private _isDisposed = false;

  /** True from the start of dispose(): work finishing later (a timer, a queued write) must not start more. */
  protected get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Keeps `value` to be disposed with this object, and returns it; after dispose() it is disposed at once. */
  protected _register<T extends IDisposable>(value: T): T {
    if (this._isDisposed) value.dispose();
    else this._disposables.push(value);
    return value;
  }

  /** Disposes everything registered, in the order registered (as VS Code disposes `context.subscriptions`); once. */
  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    disposeAll(this._disposables.splice(0));
  }
}
