// The Atlassian organisations a Cloud admin added: a list in globalState (id, label, org id, created; never a
// secret) and each admin API key in SecretStorage under its own prefix. Deliberately apart from the connection
// store: the key can never reach a Jira check, terminals, MCP, a launch, export or rotation, which all read
// connections only.
import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import { isOrgId } from '../core/hygiene/orgTokens';
import { ADMIN_KEY_PREFIX, ORGANISATIONS_STATE_KEY } from '../common/constants';
import { UserFacingError } from '../common/commandErrors';
import { Disposable } from '../common/lifecycle';

export interface Organisation {
  id: string;
  label: string;
  orgId: string;
  createdAt: string;
}

const adminKeyOf = (id: string): string => `${ADMIN_KEY_PREFIX}${id}`;

export class OrganisationStore extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  /** Keys read or stored this session, so the log can redact them. */
  private readonly keyCache = new Map<string, string>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
  }

  /** The organisations, sorted by label; malformed entries are left out. */
  list(): Organisation[] {
    const raw = this.state.get<unknown>(ORGANISATIONS_STATE_KEY);
    if (!Array.isArray(raw)) return [];
    return raw
      .filter((o): o is Organisation => {
        const r = o as Record<string, unknown> | null;
        return (
          typeof r === 'object' &&
          r !== null &&
          typeof r.id === 'string' &&
          typeof r.label === 'string' &&
          typeof r.orgId === 'string' &&
          isOrgId(r.orgId) &&
          typeof r.createdAt === 'string'
        );
      })
      .map(({ id, label, orgId, createdAt }) => ({ id, label, orgId, createdAt }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }

  get(id: string): Organisation | undefined {
    return this.list().find((o) => o.id === id);
  }

  /** Stores the key first, then the entry; a failed save of the entry takes the key away again. */
  async add(fields: { label: string; orgId: string }, adminKey: string): Promise<Organisation> {
    if (this.list().some((o) => o.orgId === fields.orgId))
      throw new UserFacingError(`The organisation ${fields.orgId} is already added; remove it first to change its key.`);
    const organisation: Organisation = { id: randomUUID(), label: fields.label, orgId: fields.orgId, createdAt: this.now().toISOString() };
    await this.secrets.store(adminKeyOf(organisation.id), adminKey);
    this.keyCache.set(organisation.id, adminKey);
    try {
      await this.state.update(ORGANISATIONS_STATE_KEY, [...this.list(), organisation]);
    } catch (error) {
      await this.secrets.delete(adminKeyOf(organisation.id));
      this.keyCache.delete(organisation.id);
      throw error;
    }
    this.changed.fire();
    return organisation;
  }

  async remove(id: string): Promise<void> {
    await this.state.update(
      ORGANISATIONS_STATE_KEY,
      this.list().filter((o) => o.id !== id),
    );
    await this.secrets.delete(adminKeyOf(id));
    this.changed.fire();
  }

  /** Read when a listing or a revocation runs, never at activation. */
  async adminKey(id: string): Promise<string | undefined> {
    const key = await this.secrets.get(adminKeyOf(id));
    if (key) this.keyCache.set(id, key);
    return key;
  }

  /** The keys this session has seen (kept after removal: a line about them may still be logged). */
  knownSecrets(): string[] {
    return [...this.keyCache.values()];
  }
}
