// The one owner of SecretStorage. Tokens live only there, under a key derived from the connection id;
// the non-secret metadata (with each token's fingerprint, never a password's) lives in globalState. A secret
// is read only when a feature needs it (a check, terminals, a replacement), never at start-up, and then kept
// in memory for redaction. Every write is atomic from the user's point of view:
// when a step fails, what was written before it is rolled back and the previous state stays intact.
import * as vscode from 'vscode';
import { SerialQueue } from '../core/common/serialQueue';
import { Disposable } from '../common/lifecycle';
import { type Connection, type ConnectionKind, type TokenFingerprint } from '../core/connections/connection';
import { type KnownToken } from '../core/scanner';
import { fingerprintOf, looksLikeToken } from '../core/tokens/tokenShapes';
import { UserFacingError } from '../common/userFacingError';
import { CONNECTIONS_STATE_KEY, SECRET_KEY_PREFIX } from '../common/constants';

/** A failure the user must hear about in plain words; `message` never holds a secret. */
export class StoreError extends UserFacingError {}

/** How long a write of ours waits for its own change event. */
const ECHO_WINDOW_MS = 5_000;

export type NewConnection = Omit<Connection, 'id' | 'createdAt'> & { createdAt?: string };

/** The slice of vscode.Memento the store needs (a seam for tests). */
export type MetadataStorage = Pick<vscode.Memento, 'get' | 'update'>;

export class ConnectionStore extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private readonly secretsChanged = this._register(new vscode.EventEmitter<void>());
  /** Fires only when a token was added, replaced or removed (here or in another window). */
  readonly onDidChangeSecrets = this.secretsChanged.event;
  private readonly queue = new SerialQueue();
  /** Secrets read (or written) since start-up because a feature needed them: for redaction and matching passwords. */
  private readonly secretCache = new Map<string, string>();
  /** When our own writes happened, per key: their change events must not drop the copy just written. */
  private readonly ownWrites = new Map<string, number[]>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly metadata: MetadataStorage,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
    // Another window added, rotated or removed a token: forget the copy in memory (read again when needed)
    // and tell the views. Our own writes echo here too and are skipped.
    this._register(secrets.onDidChange((e) => e.key.startsWith(SECRET_KEY_PREFIX) && this.secretChangedElsewhere(e.key)));
  }

  private secretChangedElsewhere(key: string): void {
    // An echo comes at once; an expected one that never came must not hide another window's change for long.
    const recent = (this.ownWrites.get(key) ?? []).filter((at) => Date.now() - at < ECHO_WINDOW_MS);
    if (recent.length > 0) {
      recent.shift();
      if (recent.length) this.ownWrites.set(key, recent);
      else this.ownWrites.delete(key);
      return;
    }
    this.ownWrites.delete(key);
    this.secretCache.delete(key.slice(SECRET_KEY_PREFIX.length));
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

  /** Reads the secret (once; then from memory). A token stored by an earlier version gets its fingerprint now. */
  async getToken(id: string): Promise<string | undefined> {
    const cached = this.secretCache.get(id);
    if (cached !== undefined) return cached;
    const before = this.get(id);
    const token = await this.secrets.get(secretKey(id));
    if (token === undefined) return undefined;
    this.secretCache.set(id, token);
    if (before && !before.tokenFingerprint) {
      const fingerprint = tokenFingerprintOf(before.kind, token);
      const unchanged = (c: Connection) => !c.tokenFingerprint && c.rotatedAt === before.rotatedAt && c.kind === before.kind;
      if (fingerprint) void this.updateIf(id, unchanged, { tokenFingerprint: fingerprint }).catch(() => undefined);
      // A password is known from now on, in memory only: the leak guard can match it.
      else this.changed.fire();
    }
    return token;
  }

  /** The secrets currently known in memory (for redaction), without touching SecretStorage. */
  knownSecrets(): string[] {
    return [...this.secretCache.values()];
  }

  /**
   * The stored tokens the leak guard looks for, without reading SecretStorage: the fingerprints kept in the
   * metadata, plus secrets without one (passwords) that a feature has already read this session.
   */
  knownTokens(): KnownToken[] {
    return this.list().flatMap((c) => {
      const cached = c.tokenFingerprint ? undefined : this.secretCache.get(c.id);
      const known = c.tokenFingerprint ?? (cached ? { sha256: fingerprintOf(cached), length: cached.length } : undefined);
      return known ? [{ fingerprint: known.sha256, length: known.length, connectionId: c.id, label: c.label }] : [];
    });
  }

  /** Reads the secrets that have no fingerprint (passwords, tokens stored by an earlier version): for Scan Workspace and the audit. */
  async readUnfingerprinted(): Promise<void> {
    for (const c of this.list()) if (!c.tokenFingerprint && !c.tokenMissing) await this.getToken(c.id);
  }

  /** Stores the token, then the metadata; if the metadata cannot be written the token is removed again. */
  add(details: NewConnection, token: string): Promise<Connection> {
    return this.queue.run(async () => {
      const connection: Connection = {
        ...details,
        id: newConnectionId(),
        createdAt: details.createdAt ?? this.now().toISOString(),
        ...withFingerprint(details.kind, token),
      };
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
    return this.queue.run(async () => {
      const added: Connection[] = entries.map(({ details, token }) => ({
        ...details,
        id: newConnectionId(),
        createdAt: details.createdAt ?? this.now().toISOString(),
        ...(token === undefined ? { tokenMissing: true } : withFingerprint(details.kind, token)),
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
    return this.queue.run(async () => {
      const current = this.requireConnection(id);
      const previousToken = await this.secrets.get(secretKey(id));
      await this.storeSecret(id, token);
      const updated: Connection = {
        ...current,
        ...changes,
        rotatedAt: this.now().toISOString(),
        lastCheck: undefined,
        tokenMissing: undefined,
        tokenFingerprint: tokenFingerprintOf(current.kind, token),
      };
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
  updateIf(
    id: string,
    stillCurrent: (connection: Connection) => boolean,
    changes: Partial<Omit<Connection, 'id'>>,
  ): Promise<Connection | undefined> {
    return this.queue.run(async () => {
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
    return this.queue.run(async () => {
      const current = this.requireConnection(id);
      const previousToken = await this.secrets.get(secretKey(id));
      try {
        await this.deleteSecret(id);
      } catch (error) {
        throw new StoreError(`The token could not be deleted from secret storage (${describe(error)}). Nothing was changed.`);
      }
      const updated: Connection = { ...current, ...changes, id, tokenMissing: true, lastCheck: undefined, tokenFingerprint: undefined };
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
    return this.queue.run(async () => {
      this.requireConnection(id);
      const previousToken = await this.secrets.get(secretKey(id));
      try {
        await this.deleteSecret(id);
      } catch (error) {
        throw new StoreError(`The token could not be deleted from secret storage (${describe(error)}). The connection was kept.`);
      }
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
    this.expectEcho(secretKey(id));
    try {
      await this.secrets.store(secretKey(id), token);
    } catch (error) {
      this.ownWrites.delete(secretKey(id));
      throw new StoreError(
        `The token could not be saved in the system's secret storage (${describe(error)}). Nothing was saved.` +
          (process.platform === 'linux' ? ' On Linux, install and unlock a keyring such as GNOME Keyring or KWallet, then try again.' : ''),
      );
    }
    // Kept in memory only once a feature reads it (and a copy in use is kept current).
    if (this.secretCache.has(id)) this.secretCache.set(id, token);
  }

  private async deleteSecret(id: string): Promise<void> {
    const key = secretKey(id);
    this.secretCache.delete(id);
    this.expectEcho(key);
    try {
      await this.secrets.delete(key);
    } catch (error) {
      this.ownWrites.delete(key);
      throw error;
    }
  }

  /** Counts a write of ours, so that its change event is not taken for another window's. */
  private expectEcho(key: string): void {
    this.ownWrites.set(key, [...(this.ownWrites.get(key) ?? []), Date.now()]);
  }

  private async writeList(connections: Connection[]): Promise<void> {
    await this.metadata.update(CONNECTIONS_STATE_KEY, connections);
  }
}

/** The fingerprint kept in the metadata: only for a value with a token's shape, never for a password. */
export function tokenFingerprintOf(kind: ConnectionKind, token: string): TokenFingerprint | undefined {
  if (kind === 'datacenter-basic' || !looksLikeToken(token)) return undefined;
  return { sha256: fingerprintOf(token), length: token.length };
}

function withFingerprint(kind: ConnectionKind, token: string): Pick<Connection, 'tokenFingerprint'> {
  const fingerprint = tokenFingerprintOf(kind, token);
  return fingerprint ? { tokenFingerprint: fingerprint } : {};
}

export function secretKey(id: string): string {
  return `${SECRET_KEY_PREFIX}${id}`;
}

/** The reason of a failure, one line, without stack. */
function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] || 'unknown error').slice(0, 200);
}

/** Web Crypto's, present in the browser's worker and in every Node a VS Code host runs (20+): no Node import here. */
function newConnectionId(): string {
  return globalThis.crypto.randomUUID();
}
