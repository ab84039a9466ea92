// "Tokens in this account" under a Data Center connection: the account's personal access tokens, listed through
// the PAT API only when the node is expanded (never at start-up), with their flags, and Revoke Token… on one of
// them after a modal. The command accepts only a node of the current listing: another extension can call it,
// but cannot make a node, so a forged id and site revoke nothing.
import * as vscode from 'vscode';
import type { DeadTokens } from '../hygiene/deadTokens';
import { type Connection, type ConnectionKind } from '../core/connections/connection';
import type { PatAuth } from '../node/jira';
import { DEFAULT_STALE_DAYS, type InventoryToken, flagsOf, fromPat } from '../core/hygiene/tokenInventory';
import { type ListedTokenFlag, newSinceLastLook, readSeenIds } from '../core/hygiene/tokenListing';
import { decodePatId } from '../core/tokens/tokenShapes';
import { quotedData } from '../core/common/text';
import { type ConnectionStore } from './connectionStore';
import { setting } from '../common/config';
import { TREE_NODE, type TreeNodeRef } from '../common/commandArgs';
import { ACCOUNT_TOKENS_SEEN_STATE_KEY, Commands } from '../common/constants';
import { UserFacingError } from '../common/commandErrors';
import { registerGuardedCommands } from '../common/guardedCommands';
import { Disposable } from '../common/lifecycle';
import { type Log } from '../common/log';
import { type Ui } from '../common/ui';

/** The kinds whose credential the PAT API takes: a PAT (Bearer) or the account password (Basic). */
export const ACCOUNT_TOKEN_KINDS: ReadonlySet<ConnectionKind> = new Set<ConnectionKind>(['datacenter-pat', 'datacenter-basic']);

/** "Tokens in this account": collapsed until the user opens it. */
export class AccountTokensNode implements TreeNodeRef {
  readonly [TREE_NODE] = true as const;
  readonly type = 'account-tokens';
  constructor(readonly connectionId: string) {}
}

export interface AccountTokenRow {
  token: InventoryToken;
  flags: ListedTokenFlag[];
  /** The token this connection authenticates with (the id inside the stored PAT). */
  storedHere: boolean;
}

/** One PAT of the account, as listed. */
export class AccountTokenNode implements TreeNodeRef {
  readonly [TREE_NODE] = true as const;
  readonly type = 'account-token';
  constructor(
    readonly connectionId: string,
    readonly row: AccountTokenRow,
  ) {}
}

/** Why there is nothing to list: a failure (wrong token, unreachable…) or an empty account. */
export class AccountTokensMessageNode implements TreeNodeRef {
  readonly [TREE_NODE] = true as const;
  readonly type = 'account-tokens-message';
  constructor(
    readonly connectionId: string,
    readonly message: string,
    readonly failed: boolean,
  ) {}
}

export type AccountTokensChild = AccountTokenNode | AccountTokensMessageNode;

export interface AccountTokensDeps {
  store: ConnectionStore;
  globalState: vscode.Memento;
  ui: Ui;
  log: Log;
  now: () => Date;
  /** A revoked id still listed later is an alert of token activity. */
  deadTokens?: Pick<DeadTokens, 'record'>;
}

/** What Revoke Token… did. */
export interface AccountTokenRevocation {
  revoked: boolean;
  id: string;
  reason?: string;
}

export class AccountTokens extends Disposable {
  private readonly listings = new Map<string, Promise<AccountTokensChild[]>>();
  /** The token nodes of the current listings: the only arguments Revoke Token… accepts. */
  private readonly listedNodes = new Map<string, ReadonlySet<AccountTokenNode>>();
  /** Per connection, the ids seen before this session's first look: "new" stays new until the window reloads. */
  private readonly seenBeforeSession = new Map<string, string[] | undefined>();
  /** Bumped by reload(): a listing that was under way then is not a current one when it ends. */
  private generation = 0;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** A listing changed (revoked, reloaded): the tree renders again. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: AccountTokensDeps) {
    super();
    // A token replaced or removed lists (and authenticates) differently: ask again on the next look.
    this._register(deps.store.onDidChangeSecrets(() => this.reload()));
    this._register(registerGuardedCommands(deps, { [Commands.revokeAccountToken]: (arg) => this.revoke(arg) }));
  }

  /** Forgets every listing; the next look asks Jira again. */
  reload(): void {
    this.generation++;
    this.listings.clear();
    this.listedNodes.clear();
    this.changed.fire();
  }

  /** The account's tokens, asked once per look (the tree asks again whenever it renders). */
  children(connectionId: string): Promise<AccountTokensChild[]> {
    let listing = this.listings.get(connectionId);
    if (!listing) {
      listing = this.load(connectionId).catch((error: unknown) => {
        this.deps.log.error('Listing the account tokens failed', error);
        return [new AccountTokensMessageNode(connectionId, 'Could not list the tokens; the details are in the output.', true)];
      });
      this.listings.set(connectionId, listing);
    }
    return listing;
  }

  private async load(connectionId: string): Promise<AccountTokensChild[]> {
    const generation = this.generation;
    const connection = this.deps.store.get(connectionId);
    const message = (text: string, failed = true): AccountTokensChild[] => [new AccountTokensMessageNode(connectionId, text, failed)];
    if (!connection || !ACCOUNT_TOKEN_KINDS.has(connection.kind)) return message('This connection has no account tokens to list.');
    const secret = connection.tokenMissing ? undefined : await this.deps.store.getToken(connectionId);
    if (!secret) return message('No token is stored for this connection: replace its token to list the account’s tokens.');
    const auth = authOf(connection, secret);
    // The PAT API client loads when a listing runs, not at start-up.
    const { PatApi } = await import('../node/jira');
    const listed = await new PatApi(connection.baseUrl, {
      timeoutMs: Math.max(1, setting('requestTimeoutSeconds')) * 1000,
      log: (line) => this.deps.log.info(line),
    }).list(auth);
    if (!listed.ok) {
      this.deps.log.warn(`Tokens in this account of ${quotedData(connection.label)}: ${listed.reason}.`);
      return message(`Could not list the tokens: ${listed.message}`);
    }
    const storedId = 'pat' in auth ? decodePatId(secret) : undefined;
    const ids = listed.tokens.map((t) => t.id);
    const before = this.seenBefore(connectionId);
    const fresh = newSinceLastLook(before, ids);
    // The first look ever is the baseline for the rest of the session.
    if (before === undefined) this.seenBeforeSession.set(connectionId, ids);
    await this.remember(connectionId, ids);
    const now = this.deps.now();
    const rows = listed.tokens.map(fromPat).map((token): AccountTokenRow => {
      const flags: ListedTokenFlag[] = flagsOf(token, {
        now,
        staleDays: DEFAULT_STALE_DAYS,
        expiresWithinDays: setting('expiryWarningDays'),
        storedIds: new Set(storedId ? [storedId] : []),
      });
      if (fresh.has(token.id)) flags.push('new');
      return { token, flags, storedHere: token.id === storedId };
    });
    if (rows.length === 0) return message('This account has no personal access tokens.', false);
    const nodes = rows.map((row) => new AccountTokenNode(connectionId, row));
    if (generation === this.generation) this.listedNodes.set(connectionId, new Set(nodes));
    return nodes;
  }

  private seenBefore(connectionId: string): string[] | undefined {
    if (!this.seenBeforeSession.has(connectionId))
      this.seenBeforeSession.set(connectionId, readSeenIds(this.deps.globalState.get(ACCOUNT_TOKENS_SEEN_STATE_KEY))[connectionId]);
    return this.seenBeforeSession.get(connectionId);
  }

  /** Keeps the ids of this look (ids only), and drops those of connections that no longer exist. */
  private async remember(connectionId: string, ids: string[]): Promise<void> {
    const all = readSeenIds(this.deps.globalState.get(ACCOUNT_TOKENS_SEEN_STATE_KEY));
    all[connectionId] = ids;
    for (const id of Object.keys(all)) if (!this.deps.store.get(id)) delete all[id];
    await this.deps.globalState.update(ACCOUNT_TOKENS_SEEN_STATE_KEY, all);
  }

  /**
   * Revoke Token…: only a token node this tree listed (never an id and site from arguments), always after a
   * modal naming the token, its id and the site, and saying so when it is the token stored here.
   */
  async revoke(arg: unknown): Promise<AccountTokenRevocation | undefined> {
    const node = this.listedNode(arg);
    const connection = this.deps.store.get(node.connectionId);
    if (!connection) throw new UserFacingError('That connection no longer exists.');
    const { token, storedHere } = node.row;
    const host = new URL(connection.baseUrl).host;
    const choice = await this.deps.ui.showWarningMessage(
      storedHere
        ? `Revoke the personal access token ${quotedData(token.label)} (id ${token.id}) on ${host}? It is the token stored here for ${quotedData(connection.label)}: this connection stops working until you replace its token.`
        : `Revoke the personal access token ${quotedData(token.label)} (id ${token.id}) on ${host}?`,
      {
        modal: true,
        detail: `Whatever still uses this token stops working. The ${connection.kind === 'datacenter-pat' ? 'token' : 'password'} stored for ${quotedData(connection.label)} is used to ask Jira; no other token is revoked.`,
      },
      'Revoke',
    );
    if (choice !== 'Revoke') return undefined;
    const secret = await this.deps.store.getToken(connection.id);
    if (!secret) throw new UserFacingError(`The token of ${quotedData(connection.label)} is not in the secret storage: replace it first.`);
    const { PatApi } = await import('../node/jira');
    const result = await new PatApi(connection.baseUrl, {
      timeoutMs: Math.max(1, setting('requestTimeoutSeconds')) * 1000,
      log: (line) => this.deps.log.info(line),
    }).revoke(authOf(connection, secret), token.id);
    this.listings.delete(connection.id);
    this.listedNodes.delete(connection.id);
    this.changed.fire();
    if (!result.ok) {
      this.deps.log.warn(`Revoke Token: nothing revoked on ${host} (${result.reason}).`);
      void this.deps.ui.showWarningMessage(`Nothing was revoked on ${host}: ${result.message}`, {});
      return { revoked: false, id: token.id, reason: result.reason };
    }
    this.deps.log.info(`Revoke Token: revoked the PAT with id ${token.id} on ${host}.`);
    await this.deps.deadTokens?.record(token.id, 'revoked', connection.id);
    void this.deps.ui.showInformationMessage(
      `Revoked the token ${quotedData(token.label)} (id ${token.id}) on ${host}.${storedHere ? ` Replace the token of ${quotedData(connection.label)}.` : ''}`,
      {},
    );
    return { revoked: true, id: token.id };
  }

  /** The node as this tree listed it, or a refusal: a look-alike object from a caller is not one. */
  private listedNode(arg: unknown): AccountTokenNode {
    const node = arg instanceof AccountTokenNode ? arg : undefined;
    if (!node || !this.listedNodes.get(node.connectionId)?.has(node))
      throw new UserFacingError('Revoke Token works on a token listed under “Tokens in this account” in the Connections view.');
    return node;
  }
}

function authOf(connection: Connection, secret: string): PatAuth {
  return connection.kind === 'datacenter-pat' ? { pat: secret } : { username: connection.username ?? '', password: secret };
}
