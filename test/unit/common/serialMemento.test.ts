import * as assert from 'assert';
import type * as vscode from 'vscode';
import { SerialMemento } from '../../../src/common/serialMemento';

/**
 * VS Code's extension-host memento as it behaves (ExtensionMemento over ExtHostStorage): one object per
 * extension, changed in place; a write sends the whole object a moment later; the main process stores it and
 * sends that whole value back, which the memento takes as its value, then answers the write.
 */
class EchoingMemento implements vscode.Memento {
  value: Record<string, unknown> = {};
  persisted: Record<string, unknown> = {};
  inFlight = 0;
  mostInFlight = 0;
  private readonly waiting: Array<{ sent: Promise<Record<string, unknown>>; done: () => void }> = [];
  /** Answer each write by itself after this many ms; undefined: the test answers with answerOne(). */
  constructor(private readonly answerAfterMs?: number) {}
  keys(): readonly string[] {
    return Object.keys(this.value).filter((k) => this.value[k] !== undefined);
  }
  get<T>(key: string, defaultValue?: T): T | undefined {
    return (this.value[key] as T | undefined) ?? defaultValue;
  }
  update(key: string, value: unknown): Thenable<void> {
    this.value[key] = value;
    this.mostInFlight = Math.max(this.mostInFlight, ++this.inFlight);
    // Sent on the next turn of the event loop (VS Code's RunOnceScheduler with no delay).
    const sent = new Promise<Record<string, unknown>>((resolve) => setTimeout(() => resolve(structuredClone(this.value)), 0));
    return new Promise<void>((resolve) => {
      this.waiting.push({ sent, done: resolve });
      if (this.answerAfterMs !== undefined) setTimeout(() => void this.answerOne(), this.answerAfterMs);
    });
  }
  /** The main process stores the oldest write, echoes it, and answers it. */
  async answerOne(): Promise<void> {
    const write = this.waiting.shift()!;
    const sent = await write.sent;
    this.persisted = sent;
    this.value = structuredClone(sent);
    this.inFlight--;
    write.done();
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('SerialMemento (globalState through one queue)', () => {
  it('the memento it wraps loses a write made while another is in flight (the reason it exists)', async () => {
    const inner = new EchoingMemento();
    void inner.update('a', 1);
    await tick(); // the first write is sent
    void inner.update('b', 2);
    const echo = inner.answerOne(); // its echo arrives before the second write is sent
    await echo;
    await tick();
    await inner.answerOne();
    assert.strictEqual(inner.get('b'), undefined, 'the echo of the first write took the second away');
    assert.strictEqual(inner.persisted.b, undefined, 'and it was never stored');
  });

  it('keeps every overlapping write, and reads see a queued value at once', async () => {
    const inner = new EchoingMemento(5);
    const state = new SerialMemento(inner);
    const writes = [state.update('a', 1)];
    await new Promise((r) => setTimeout(r, 1));
    writes.push(state.update('b', 2), state.update('a', 3), state.update('c', 4), state.update('c', undefined));
    assert.strictEqual(state.get('a'), 3, 'the newest queued value');
    assert.deepStrictEqual([...state.keys()].sort(), ['a', 'b']);
    assert.strictEqual(state.get('c', 'default'), 'default');
    await Promise.all(writes);
    assert.deepStrictEqual(inner.persisted, { a: 3, b: 2, c: undefined });
    assert.deepStrictEqual([...state.keys()].sort(), ['a', 'b']);
    assert.strictEqual(inner.mostInFlight, 1, 'one write in flight at a time');
  });

  it('a failed write rejects its own caller and does not stop the next', async () => {
    const inner = new EchoingMemento(1);
    const state = new SerialMemento(inner);
    const original = inner.update.bind(inner);
    inner.update = (key, value) => (key === 'bad' ? Promise.reject(new Error('disk full')) : original(key, value));
    const bad = state.update('bad', 1);
    const good = state.update('good', 2);
    await assert.rejects(Promise.resolve(bad), /disk full/);
    await good;
    assert.strictEqual(inner.persisted.good, 2);
  });
});
