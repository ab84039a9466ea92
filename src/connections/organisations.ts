// Atlassian organisations (Cloud admins): Add Atlassian Organisation… (label, org id, admin API key; the key is
// tried on the first page before it is saved), Remove Organisation… (modal), a root node per organisation that
// lists every managed user's API tokens through every page when opened (never at start-up), and Revoke Selected
// Tokens… on several of them after ONE modal listing them all. Revocation accepts only token nodes of the current
// listing: another extension can call the command but cannot make a node, so forged ids revoke nothing.
import * as vscode from 'vscode';
import type { DeadTokens } from '../hygiene/deadTokens';
import type { OrgAdminApi, OrgAdminProgress } from '../node/jira';
import { flagsOf, fromOrgToken, type InventoryToken, type TokenFlag } from '../core/hygiene/tokenInventory';
import { groupByUser, isOrgId, owningConnections, type OrgUserGroup } from '../core/hygiene/orgTokens';
import { escapeControls, plural, quotedData } from '../core/common/text';
import { type ConnectionStore } from './connectionStore';
import { type Organisation, type OrganisationStore } from './organisationStore';
import { setting } from '../common/config';
import { isArgumentObject, TREE_NODE } from '../common/commandArgs';
import { Commands } from '../common/constants';
import { UserFacingError } from '../common/commandErrors';
import { registerGuardedCommands } from '../common/guardedCommands';
import { Disposable } from '../common/lifecycle';
import { type Log } from '../common/log';
import { type Ui } from '../common/ui';

// The nodes carry the tree's brand but no connection id: a connection command run on one asks which connection.

/** A root node: one organisation. Its tokens are asked for when it is opened. */
export class OrganisationNode {
  readonly [TREE_NODE] = true as const;
  readonly type = 'organisation';
  constructor(
    readonly organisation: Organisation,
    /** How many tokens the last listing found; undefined before one. */
    readonly tokenCount: number | undefined,
  ) {}
}

/** One managed user of a listing, with their tokens. */
export class OrgUserNode {
  readonly [TREE_NODE] = true as const;
  readonly type = 'org-user';
  constructor(
    readonly organisationId: string,
    readonly group: OrgUserGroup,
    readonly tokens: readonly OrgTokenNode[],
  ) {}
}

/** One API token, as listed. */
export class OrgTokenNode {
  readonly [TREE_NODE] = true as const;
  readonly type = 'org-token';
  constructor(
    readonly organisationId: string,
    readonly token: InventoryToken,
    readonly flags: readonly TokenFlag[],
    /** Labels of the stored Cloud connections whose email is this token's user's. */
    readonly belongsTo: readonly string[],
    /** The settings the flags were computed with, so their words match them until the next listing. */
    readonly wording: { staleDays: number; expiresWithinDays: number },
  ) {}
}

/** Why there is nothing to list: a verdict (wrong key, missing scope…) or an empty organisation. */
export class OrgMessageNode {
  readonly [TREE_NODE] = true as const;
  readonly type = 'org-message';
  constructor(
    readonly organisationId: string,
    readonly message: string,
    readonly failed: boolean,
  ) {}
}

export type OrganisationTreeNode = OrganisationNode | OrgUserNode | OrgTokenNode | OrgMessageNode;

export interface OrganisationsDeps {
  organisations: OrganisationStore;
  connections: ConnectionStore;
  ui: Ui;
  log: Log;
  now: () => Date;
  /** A revoked id still listed later is an alert of token activity. */
  deadTokens?: Pick<DeadTokens, 'record'>;
}

/** What Revoke Selected Tokens… did, token by token (ids only). */
export interface OrgRevocation {
  revoked: string[];
  failed: Array<{ id: string; reason: string }>;
}

export class Organisations extends Disposable {
  private readonly listings = new Map<string, Promise<Array<OrgUserNode | OrgMessageNode>>>();
  /** The token nodes of the current listings: the only arguments Revoke Selected Tokens… accepts. */
  private readonly listedNodes = new Map<string, ReadonlySet<OrgTokenNode>>();
  private readonly counts = new Map<string, number>();
  private readonly users = new WeakMap<OrgTokenNode, OrgUserNode>();
  /** Bumped by reload(): a listing under way then is not a current one when it ends. */
  private generation = 0;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: OrganisationsDeps) {
    super();
    // Adding or removing one does not ask the admin API again for the others.
    this._register(deps.organisations.onDidChange(() => this.forgetRemoved()));
    this._register(
      registerGuardedCommands(deps, {
        [Commands.addOrganisation]: (arg) => this.add(arg),
        [Commands.removeOrganisation]: (arg) => this.remove(arg),
        [Commands.revokeOrgTokens]: (node, selected) => this.revokeSelected(node, selected),
      }),
    );
  }

  reload(): void {
    this.generation++;
    this.listings.clear();
    this.listedNodes.clear();
    this.counts.clear();
    this.changed.fire();
  }

  private forgetRemoved(): void {
    const present = new Set(this.deps.organisations.list().map((o) => o.id));
    for (const id of [...this.listings.keys()])
      if (!present.has(id)) {
        this.listings.delete(id);
        this.listedNodes.delete(id);
        this.counts.delete(id);
      }
    this.changed.fire();
  }

  roots(): OrganisationNode[] {
    return this.deps.organisations.list().map((o) => new OrganisationNode(o, this.counts.get(o.id)));
  }

  /** The user node a token node is listed under (for the tree's getParent). */
  userOf(node: OrgTokenNode): OrgUserNode | undefined {
    return this.users.get(node);
  }

  /** The organisation's users, asked once per look (the tree asks again whenever it renders). */
  children(organisationId: string): Promise<Array<OrgUserNode | OrgMessageNode>> {
    let listing = this.listings.get(organisationId);
    if (!listing) {
      listing = this.load(organisationId).catch((error: unknown) => {
        this.deps.log.error('Listing the organisation tokens failed', error);
        return [new OrgMessageNode(organisationId, 'Could not list the tokens; the details are in the output.', true)];
      });
      this.listings.set(organisationId, listing);
    }
    return listing;
  }

  private async api(onProgress?: (p: OrgAdminProgress) => void): Promise<OrgAdminApi> {
    // The admin API client loads when it is used, not at start-up.
    const { OrgAdminApi } = await import('../node/jira');
    return new OrgAdminApi({
      baseUrl: setting('adminApiUrl'),
      timeoutMs: Math.max(1, setting('requestTimeoutSeconds')) * 1000,
      log: (line) => this.deps.log.info(line),
      ...(onProgress ? { onProgress } : {}),
    });
  }

  private async load(organisationId: string): Promise<Array<OrgUserNode | OrgMessageNode>> {
    const generation = this.generation;
    const message = (text: string, failed = true) => [new OrgMessageNode(organisationId, text, failed)];
    const organisation = this.deps.organisations.get(organisationId);
    if (!organisation) return message('This organisation is no longer added.');
    const key = await this.deps.organisations.adminKey(organisationId);
    if (!key) return message('No admin API key is stored for this organisation: remove it and add it again.');
    const listed = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Organisation ${quotedData(organisation.label)}` },
      async (progress) => {
        const report = (text: string): void => {
          progress.report({ message: text });
          this.deps.log.info(`Organisation ${quotedData(organisation.label)}: ${text}`);
        };
        report('Reading page 1…');
        const api = await this.api((p) =>
          report(p.kind === 'page' ? `Reading page ${p.page + 1}…` : `Rate limited by Atlassian, waiting ${p.seconds} s`),
        );
        return api.listTokens(key, organisation.orgId);
      },
    );
    if (!listed.ok) {
      this.deps.log.warn(`Organisation ${quotedData(organisation.label)}: ${listed.reason}.`);
      return message(`Could not list the tokens: ${listed.message}`);
    }
    const now = this.deps.now();
    const cloud = this.deps.connections
      .list()
      .filter((c) => c.kind.startsWith('cloud') && c.email)
      .map((c) => ({ label: c.label, email: c.email }));
    // A hand-edited settings.json can hold what the manifest's minimum refuses.
    const wording = { now, staleDays: Math.max(1, setting('tokenActivity.staleDays')), expiresWithinDays: setting('expiryWarningDays') };
    const groups = groupByUser(listed.tokens.map(fromOrgToken));
    const users = groups.map(
      (group) =>
        new OrgUserNode(
          organisationId,
          group,
          group.tokens.map(
            (token) => new OrgTokenNode(organisationId, token, flagsOf(token, wording), owningConnections(token, cloud), wording),
          ),
        ),
    );
    for (const user of users) for (const token of user.tokens) this.users.set(token, user);
    if (generation === this.generation) {
      this.listedNodes.set(organisationId, new Set(users.flatMap((u) => u.tokens)));
      this.counts.set(organisationId, listed.tokens.length);
      // The root's description shows the count: render it again.
      setTimeout(() => this.changed.fire(), 0);
    }
    if (users.length === 0) return message('This organisation’s managed users have no API tokens.', false);
    return users;
  }

  /**
   * Add Atlassian Organisation…: label, org id and admin API key, from input boxes or from a caller's own
   * `{ label, orgId, adminKey }`. The key is tried on the first page; it is saved only when that works. The
   * caller gets the new organisation's id, never a key or a token.
   */
  async add(arg: unknown): Promise<string | undefined> {
    const given = isArgumentObject(arg) ? arg : undefined;
    let fields: { label: string; orgId: string; adminKey: string } | undefined;
    if (given) {
      const { label, orgId, adminKey } = given;
      if (typeof orgId !== 'string' || !isOrgId(orgId)) throw new UserFacingError('orgId must be an Atlassian organisation id.');
      if (typeof adminKey !== 'string' || !adminKey.trim()) throw new UserFacingError('adminKey must be the organisation’s admin API key.');
      fields = {
        label: typeof label === 'string' && label.trim() ? label.trim() : orgId.trim(),
        orgId: orgId.trim(),
        adminKey: adminKey.trim(),
      };
    } else fields = await this.askFields();
    if (!fields) return undefined;
    const api = await this.api();
    const tried = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Trying the admin API key on organisation ${fields.orgId}…` },
      () => api.listTokens(fields.adminKey, fields.orgId, { firstPageOnly: true }),
    );
    if (!tried.ok) throw new UserFacingError(`The organisation was not added: ${tried.message}`);
    const organisation = await this.deps.organisations.add({ label: fields.label, orgId: fields.orgId }, fields.adminKey);
    this.deps.log.info(`Added the organisation ${quotedData(organisation.label)} (${organisation.orgId}).`);
    void this.deps.ui.showInformationMessage(
      `Added the organisation ${quotedData(organisation.label)}. Open it in the Connections view to list its tokens.`,
      {},
    );
    return organisation.id;
  }

  private async askFields(): Promise<{ label: string; orgId: string; adminKey: string } | undefined> {
    const label = await this.deps.ui.showInputBox({
      title: 'Add Atlassian Organisation (1/3)',
      prompt: 'A name for the organisation in the Connections view',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Enter a name.'),
    });
    if (label === undefined) return undefined;
    const orgId = await this.deps.ui.showInputBox({
      title: 'Add Atlassian Organisation (2/3)',
      prompt: 'The organisation id (admin.atlassian.com › Settings › API keys shows it)',
      ignoreFocusOut: true,
      validateInput: (v) => (isOrgId(v) ? undefined : 'An organisation id is letters, digits and dashes (a UUID).'),
    });
    if (orgId === undefined) return undefined;
    const adminKey = await this.deps.ui.showInputBox({
      title: 'Add Atlassian Organisation (3/3)',
      prompt: `An admin API key with the scope read:tokens:admin (kept in the secret storage only)`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Enter the admin API key.'),
    });
    if (adminKey === undefined) return undefined;
    return { label: label.trim(), orgId: orgId.trim(), adminKey: adminKey.trim() };
  }

  /** Remove Organisation…: an organisation node, an `{ id }`, or a pick; always a modal. */
  async remove(arg: unknown): Promise<boolean> {
    let organisation: Organisation | undefined;
    if (arg instanceof OrganisationNode) organisation = this.deps.organisations.get(arg.organisation.id);
    else if (isArgumentObject(arg) && typeof arg.id === 'string') organisation = this.deps.organisations.get(arg.id);
    else {
      const all = this.deps.organisations.list();
      if (all.length === 0) throw new UserFacingError('No organisation is added.');
      const picked = await this.deps.ui.showQuickPick(
        all.map((o) => ({ label: o.label, description: o.orgId, organisation: o })),
        { placeHolder: 'The organisation to remove' },
      );
      organisation = picked?.organisation;
      if (!picked) return false;
    }
    if (!organisation) throw new UserFacingError('That organisation is not added.');
    const choice = await this.deps.ui.showWarningMessage(
      `Remove the organisation ${quotedData(organisation.label)} (${organisation.orgId})?`,
      { modal: true, detail: 'Its admin API key is deleted from the secret storage. No token is revoked.' },
      'Remove',
    );
    if (choice !== 'Remove') return false;
    await this.deps.organisations.remove(organisation.id);
    return true;
  }

  /**
   * Revoke Selected Tokens…: the clicked node and the tree's selection, all of them token nodes of the current
   * listings (anything else refuses the whole request before any question), then ONE modal naming each token,
   * its user and id; each is revoked through the admin API with its organisation's key; then listed again.
   */
  async revokeSelected(node: unknown, selected: unknown): Promise<OrgRevocation | undefined> {
    const chosen = Array.isArray(selected) && selected.includes(node) ? (selected as unknown[]) : [node];
    const nodes = chosen.map((n) => this.listedNode(n));
    const lines = nodes.map((n) => `${quotedData(n.token.label)} of ${describeUser(n.token)}, id ${escapeControls(n.token.id)}`);
    const orgLabels = [...new Set(nodes.map((n) => this.deps.organisations.get(n.organisationId)?.label ?? n.organisationId))];
    const choice = await this.deps.ui.showWarningMessage(
      `Revoke ${plural(nodes.length, 'API token')} of ${orgLabels.map((l) => quotedData(l)).join(', ')}?`,
      { modal: true, detail: `${lines.join('\n')}\n\nWhatever still uses these tokens stops working. No other token is revoked.` },
      'Revoke',
    );
    if (choice !== 'Revoke') return undefined;
    const api = await this.api();
    const outcome: OrgRevocation = { revoked: [], failed: [] };
    for (const n of nodes) {
      const key = await this.deps.organisations.adminKey(n.organisationId);
      const userId = n.token.user?.id;
      if (!key || !userId) {
        outcome.failed.push({
          id: n.token.id,
          reason: key ? 'The API listed this token without its user.' : 'No admin API key is stored.',
        });
        continue;
      }
      const result = await api.revokeToken(key, userId, n.token.id);
      if (result.ok) {
        outcome.revoked.push(n.token.id);
        await this.deps.deadTokens?.record(n.token.id, 'revoked', n.organisationId);
      } else outcome.failed.push({ id: n.token.id, reason: result.message });
    }
    for (const id of new Set(nodes.map((n) => n.organisationId))) {
      this.listings.delete(id);
      this.listedNodes.delete(id);
    }
    this.changed.fire();
    this.deps.log.info(
      `Revoke Selected Tokens: revoked ${outcome.revoked.join(', ') || 'none'}; failed ${outcome.failed.map((f) => f.id).join(', ') || 'none'}.`,
    );
    const failures = outcome.failed.map((f) => `${f.id}: ${f.reason}`).join(' ');
    if (outcome.failed.length)
      void this.deps.ui.showWarningMessage(
        `Revoked ${outcome.revoked.length} of ${plural(nodes.length, 'token')}. Not revoked: ${failures}`,
        {},
      );
    else void this.deps.ui.showInformationMessage(`Revoked ${plural(nodes.length, 'API token')}.`, {});
    return outcome;
  }

  private listedNode(arg: unknown): OrgTokenNode {
    const node = arg instanceof OrgTokenNode ? arg : undefined;
    if (!node || !this.listedNodes.get(node.organisationId)?.has(node))
      throw new UserFacingError('Revoke Selected Tokens works on tokens listed under an organisation in the Connections view.');
    return node;
  }
}

function describeUser(token: InventoryToken): string {
  const { name, email, id } = token.user ?? {};
  // Names come from the server: control and bidi characters are shown escaped in the modal.
  return escapeControls(name && email ? `${name} <${email}>` : (name ?? email ?? id ?? 'an unknown user'));
}
