import * as assert from 'assert';
import { Disposable, disposeAll, type IDisposable, toDisposable } from '../../../src/common/lifecycle';

/** A disposable that writes its name to `log` each time it is disposed, and throws if told to. */
function recorder(log: string[], name: string, error?: Error): IDisposable {
  return {
    dispose: () => {
      log.push(name);
      if (error) throw error;
    },
  };
}

class Owner extends Disposable {
  register<T extends IDisposable>(value: T): T {
    return this._register(value);
  }
  get disposed(): boolean {
    return this.isDisposed;
  }
}

describe('lifecycle', () => {
  it('disposes what was registered once, in the order registered', () => {
    const log: string[] = [];
    const owner = new Owner();
    const first = recorder(log, 'first');
    assert.strictEqual(owner.register(first), first, '_register returns what it was given');
    owner.register(recorder(log, 'second'));
    owner.register(recorder(log, 'third'));
    assert.deepStrictEqual(log, []);
    owner.dispose();
    assert.deepStrictEqual(log, ['first', 'second', 'third']);
    owner.dispose();
    assert.deepStrictEqual(log, ['first', 'second', 'third'], 'a second dispose() does nothing');
  });

  it('disposes the rest when one throws, then rethrows that error', () => {
    const log: string[] = [];
    const owner = new Owner();
    const failure = new Error('cannot dispose');
    owner.register(recorder(log, 'first'));
    owner.register(recorder(log, 'failing', failure));
    owner.register(recorder(log, 'last'));
    assert.throws(
      () => owner.dispose(),
      (e) => e === failure,
    );
    assert.deepStrictEqual(log, ['first', 'failing', 'last']);
    assert.strictEqual(owner.disposed, true);
    owner.dispose();
    assert.deepStrictEqual(log, ['first', 'failing', 'last'], 'nothing is disposed twice after a failure');
  });

  it('rethrows several failures together', () => {
    const log: string[] = [];
    const a = new Error('a');
    const b = new Error('b');
    assert.throws(
      () => disposeAll([recorder(log, 'a', a), recorder(log, 'ok'), recorder(log, 'b', b)]),
      (e) => e instanceof AggregateError && e.errors.length === 2 && e.errors[0] === a && e.errors[1] === b,
    );
    assert.deepStrictEqual(log, ['a', 'ok', 'b']);
    assert.doesNotThrow(() => disposeAll([]));
  });

  it('disposes at once what is registered after dispose(), and is already disposed while children are disposed', () => {
    const log: string[] = [];
    const owner = new Owner();
    const seen: boolean[] = [];
    // A child whose disposal makes more work (a timer's last run, an emitter's listener) sees the owner as disposed.
    owner.register({ dispose: () => seen.push(owner.disposed) });
    owner.register({ dispose: () => owner.register(recorder(log, 'late during dispose')) });
    owner.register({ dispose: () => owner.dispose() });
    owner.dispose();
    assert.deepStrictEqual(seen, [true]);
    assert.deepStrictEqual(log, ['late during dispose']);
    owner.register(recorder(log, 'late after dispose'));
    assert.deepStrictEqual(log, ['late during dispose', 'late after dispose']);
  });

  it('toDisposable runs its release once', () => {
    let released = 0;
    const disposable = toDisposable(() => released++);
    disposable.dispose();
    disposable.dispose();
    assert.strictEqual(released, 1);
  });
});
