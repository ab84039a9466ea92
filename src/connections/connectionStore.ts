// The one owner of SecretStorage. Tokens live only there, under a key derived from the connection id;
// the non-secret metadata lives in globalState. Every write is atomic from the user's point of view:
// when a step fails, what was written before it is rolled back and the previous state stays intact.
import * as vscode from 'vscode';
import { SerialQueue } from '../core/serialQueue';
import { randomUUID } from 'crypto';
import { Connection } from '../core/connection';
import { fingerprintOf } from '../core/tokenShapes';
import { UserFacingError } from '../userFacingError';
import { CONNECTIONS_STATE_KEY, SECRET_KEY_PREFIX } from '../constants';

/** A failure the user must hear about in plain words; `message` never holds a secret. */
export class StoreError extends UserFacingError {}

export type NewConnection = Omit<Connection, 'id' | 'createdAt'> & { createdAt?: string };

/** The slice of vscode.Memento the store needs (a seam for tests). */
export type MetadataStorage = Pick<vscode.Memento, 'get' | 'update'>;

export class ConnectionStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly secretsChanged = new vscode.EventEmitter<void>();
  /** Fires only when a token was added, replaced or removed (here or in another window). */
  readonly onDidChangeSecrets = this.secretsChanged.event;
  private readonly queue = new SerialQueue();
  /** Secrets read from SecretStorage, cached in memory for redaction and leak matching only. */
  private readonly secretCache = new Map<string, string>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly metadata: MetadataStorage,
    private readonly now: () => Date = () => new Date(),
  ) {
    // Another window added, rotated or removed a token: re-read it and tell the views. Our own writes
    // echo here too; they find the cache already up to date and change nothing.
    this.subscriptions.push(secrets.onDidChange((e) => e.key.startsWith(SECRET_KEY_PREFIX) && void this.reloadSecret(e.key)));
  }

  private async reloadSecret(key: string): Promise<void> {
    const id = key.slice(SECRET_KEY_PREFIX.length);
    const value = await this.secrets.get(key);
    if (value === this.secretCache.get(id)) return;
    if (value === undefined) this.secretCache.delete(id);
    else this.secretCache.set(id, value);
    this.secretsChanged.fire();
    this.changed.fire();
  }

  list(): Connection[] {
    const stored = this.metadata.get<Connection[]>(CONNECTIONS_STATE_KEY, []);
    return Array.isArray(stored) ? stored.map((c) => ({ ...c })) : [];
  }

  get(id: string): Connection | undefined {
    return this.list().find((c) => c.id === id);
  }

  /** Finds an existing connection for the same site and user (case-insensitive). */
  findSameSiteAndUser(baseUrl: string, user: string | undefined): Connection | undefined {
    const wanted = (user ?? '').toLowerCase();
    return this.list().find((c) => c.baseUrl === baseUrl && (c.email ?? c.username ?? '').toLowerCase() === wanted);
  }

  async getToken(id: string): Promise<string | undefined> {
    const cached = this.secretCache.get(id);
    if (cached !== undefined) return cached;
    const token = await this.secrets.get(secretKey(id));
    if (token !== undefined) this.secretCache.set(id, token);
    return token;
  }

  /** The secrets currently known in memory (for redaction), without touching SecretStorage. */
  knownSecrets(): string[] {
    return [...this.secretCache.values()];
  }

  /** Fingerprints of every stored token (SHA-256; the tokens themselves stay in memory only here). */
  async tokenFingerprints(): Promise<Array<{ connection: Connection; fingerprint: string; length: number }>> {
    const result = [];
    for (const connection of this.list()) {
      const token = await this.getToken(connection.id);
      if (token) result.push({ connection, fingerprint: fingerprintOf(token), length: token.length });
    }
    return result;
  }

  /** Stores the token, then the metadata; if the metadata cannot be written the token is removed again. */
  add(details: NewConnection, token: string): Promise<Connection> {
    return this.serialized(async () => {
      const connection: Connection = { ...details, id: randomUUID(), createdAt: details.createdAt ?? this.now().toISOString() };
      await this.storeSecret(connection.id, token);
      try {
        await this.writeList([...this.list(), connection]);
      } catch (error) {
        await this.deleteSecret(connection.id).catch(() => undefined);
        throw new StoreError(`The connection could not be saved (${describe(error)}). Nothing was stored.`);
      }
      this.secretsChanged.fire();
      this.changed.fire();
      return connection;
    });
  }

  /**
   * Adds several connections as one step (Import Connections): every given secret is stored first, then the
   * metadata in one write; if anything fails, the secrets already stored are removed again, so nothing is
   * half-added. An entry without a token is kept as `tokenMissing` until Replace Token gives it one.
   */
  addMany(entries: ReadonlyArray<{ details: NewConnection; token?: string }>): Promise<Connection[]> {
    return this.serialized(async () => {
      const added: Connection[] = entries.map(({ details, token }) => ({
        ...details,
        id: randomUUID(),
        createdAt: details.createdAt ?? this.now().toISOString(),
        ...(token === undefined ? { tokenMissing: true } : {}),
      }));
      const stored: string[] = [];
      try {
        for (const [i, { token }] of entries.entries()) {
          if (token === undefined) continue;
          await this.storeSecret(added[i].id, token);
          stored.push(added[i].id);
        }
        await this.writeList([...this.list(), ...added]);
      } catch (error) {
        for (const id of stored) await this.deleteSecret(id).catch(() => undefined);
        if (error instanceof StoreError) throw error;
        throw new StoreError(`The connections could not be saved (${describe(error)}). Nothing was stored.`);
      }
      this.secretsChanged.fire();
      this.changed.fire();
      return added;
    });
  }

  /** Rotation: the new token replaces the old one; on failure the old token is put back. */
  replaceToken(id: string, token: string, changes: Partial<Pick<Connection, 'expiresAt'>> = {}): Promise<Connection> {
    return this.serialized(async () => {
      const current = this.requireConnection(id);
      const previousToken = await this.secrets.get(secretKey(id));
      await this.storeSecret(id, token);
      const updated: Connection = { ...current, ...changes, rotatedAt: this.now().toISOString(), lastCheck: undefined, tokenMissing: undefined };
      try {
        await this.writeList(this.list().map((c) => (c.id === id ? updated : c)));
      } catch (error) {
        if (previousToken !== undefined) await this.storeSecret(id, previousToken).catch(() => undefined);
        else await this.deleteSecret(id).catch(() => undefined);
        throw new StoreError(`The new token could not be saved (${describe(error)}). The previous token is still in use.`);
      }
      this.secretsChanged.fire();
      this.changed.fire();
      return updated;
    });
  }

  /** Updates non-secret fields. */
  update(id: string, changes: Partial<Omit<Connection, 'id'>>): Promise<Connection> {
    return this.updateIf(id, () => true, changes).then((updated) => updated ?? this.requireConnection(id));
  }

  /**
   * Updates non-secret fields only if the connection still passes `stillCurrent` when the write runs
   * (in turn with every other write): a check that finished after a rotation must not overwrite it.
   * Resolves to undefined when the condition failed or the connection is gone.
   */
  updateIf(id: string, stillCurrent: (connection: Connection) => boolean, changes: Partial<Omit<Connection, 'id'>>): Promise<Connection | undefined> {
    return this.serialized(async () => {
      const current = this.get(id);
      if (!current || !stillCurrent(current)) return undefined;
      const updated: Connection = { ...current, ...changes, id };
      try {
        await this.writeList(this.list().map((c) => (c.id === id ? updated : c)));
      } catch (error) {
        throw new StoreError(`The connection could not be updated (${describe(error)}). Nothing was changed.`);
      }
      this.changed.fire();
      return updated;
    });
  }

  /**
   * Applies changes that point the connection elsewhere and forgets its token (the user did not let it move):
   * the secret is deleted first, so a failure never leaves the token pointed at the new place.
   */
  changeAndForgetToken(id: string, changes: Partial<Omit<Connection, 'id'>>): Promise<Connection> {
    return this.serialized(async () => {
      const current = this.requireConnection(id);
      const previousToken = await this.secrets.get(secretKey(id));
      try {
        await this.deleteSecret(id);
      } catch (error) {
        throw new StoreError(`The token could not be deleted from secret storage (${describe(error)}). Nothing was changed.`);
      }
      const updated: Connection = { ...current, ...changes, id, tokenMissing: true, lastCheck: undefined };
      try {
        await this.writeList(this.list().map((c) => (c.id === id ? updated : c)));
      } catch (error) {
        if (previousToken !== undefined) await this.storeSecret(id, previousToken).catch(() => undefined);
        throw new StoreError(`The connection could not be updated (${describe(error)}). Nothing was changed.`);
      }
      this.secretsChanged.fire();
      this.changed.fire();
      return updated;
    });
  }

  /** Deletes the secret first: a connection whose secret could not be deleted is kept, not orphaned. */
  remove(id: string): Promise<void> {
    return this.serialized(async () => {
      this.requireConnection(id);
      const previousToken = await this.secrets.get(secretKey(id));
      try {
        await this.secrets.delete(secretKey(id));
      } catch (error) {
        throw new StoreError(`The token could not be deleted from secret storage (${describe(error)}). The connection was kept.`);
      }
      this.secretCache.delete(id);
      try {
        await this.writeList(this.list().filter((c) => c.id !== id));
      } catch (error) {
        if (previousToken !== undefined) await this.storeSecret(id, previousToken).catch(() => undefined);
        throw new StoreError(`The connection could not be removed (${describe(error)}). Nothing was changed.`);
      }
      this.secretsChanged.fire();
      this.changed.fire();
    });
  }

  private requireConnection(id: string): Connection {
    const connection = this.get(id);
    if (!connection) throw new StoreError('That connection no longer exists. Refresh the Jira Connections view.');
    return connection;
  }

  private async storeSecret(id: string, token: string): Promise<void> {
    try {
      await this.secrets.store(secretKey(id), token);
    } catch (error) {
      throw new StoreError(
        `The token could not be saved in the system's secret storage (${describe(error)}). Nothing was saved.` +
          (process.platform === 'linux' ? ' On Linux, install and unlock a keyring such as GNOME Keyring or KWallet, then try again.' : ''),
      );
    }
    this.secretCache.set(id, token);
  }

  private async deleteSecret(id: string): Promise<void> {
    this.secretCache.delete(id);
    await this.secrets.delete(secretKey(id));
  }

  private async writeList(connections: Connection[]): Promise<void> {
    await this.metadata.update(CONNECTIONS_STATE_KEY, connections);
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    return this.queue.run(work);
  }

  dispose(): void {
    this.changed.dispose();
    this.secretsChanged.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

export function secretKey(id: string): string {
  return `${SECRET_KEY_PREFIX}${id}`;
}

/** The reason of a failure, one line, without stack. */
function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] || 'unknown error').slice(0, 200);
}
