// VS Code's globalState can lose an update made while an earlier one is still on its way to the main process:
// the main process sends the earlier whole value back, and the extension host's memento takes it in place of
// the newer one (ExtensionMemento's onDidChangeStorage listener), so the newer write is sent stale or not at all.
// Seen here as a connection missing from the list right after it was added. One queue for every write of the
// extension keeps a single update in flight; reads see a queued value at once, as with VS Code's own memento.
import type * as vscode from 'vscode';

type SyncedMemento = vscode.Memento & { setKeysForSync?(keys: readonly string[]): void };

export class SerialMemento implements vscode.Memento {
  private tail: Promise<unknown> = Promise.resolve();
  /** Values written but not yet handed to VS Code, newest per key. */
  private readonly queued = new Map<string, { value: unknown; serial: number }>();
  private serial = 0;

  constructor(private readonly inner: SyncedMemento) {}

  keys(): readonly string[] {
    const keys = new Set(this.inner.keys());
    for (const [key, { value }] of this.queued) {
      if (value === undefined) keys.delete(key);
      else keys.add(key);
    }
    return [...keys];
  }

  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  get<T>(key: string, defaultValue?: T): T | undefined {
    const queued = this.queued.get(key);
    if (queued) return (queued.value === undefined ? defaultValue : queued.value) as T | undefined;
    return defaultValue === undefined ? this.inner.get<T>(key) : this.inner.get<T>(key, defaultValue);
  }

  update(key: string, value: unknown): Thenable<void> {
    const serial = ++this.serial;
    this.queued.set(key, { value, serial });
    const run = this.tail.then(() => {
      // VS Code's memento holds the value from here on; a newer queued write of the key stays in front.
      const pending = this.inner.update(key, value);
      if (this.queued.get(key)?.serial === serial) this.queued.delete(key);
      return pending;
    });
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  setKeysForSync(keys: readonly string[]): void {
    this.inner.setKeysForSync?.(keys);
  }
}
