// Renders the connection store as the sidebar tree; it holds no state of its own.
import * as vscode from 'vscode';
import { type Connection, connectionUser } from '../core/connections/connection';
import { KIND_LABELS } from '../core/connections/kindLabels';
import { describeAge, describeExpiry, describeHealth, type Health, tokenAgeDays } from '../core/hygiene/health';
import { escapeMarkdown, formatDate, plural } from '../core/common/text';
import { type ConnectionStore } from './connectionStore';
import { ACCOUNT_TOKEN_KINDS, type AccountTokens, AccountTokenNode, AccountTokensMessageNode, AccountTokensNode } from './accountTokens';
import { describeDates, describeFlag } from '../core/hygiene/tokenListing';
import {
  type Organisations,
  OrganisationNode,
  type OrganisationTreeNode,
  OrgMessageNode,
  OrgTokenNode,
  OrgUserNode,
} from './organisations';
import { DEFAULT_STALE_DAYS } from '../core/hygiene/tokenInventory';
import { setting } from '../common/config';
import { onDidChangeSettings } from '../common/config';
import { currentHealth } from '../common/healthPolicy';
import { TREE_NODE, type TreeNodeRef } from '../common/commandArgs';
import { ContextKeys } from '../common/constants';
import { Disposable } from '../common/lifecycle';

const HEALTH_ICONS: Record<Health, vscode.ThemeIcon> = {
  unchecked: new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('disabledForeground')),
  ok: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failing: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
  expiring: new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground')),
  expired: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('errorForeground')),
  'rotation-due': new vscode.ThemeIcon('history', new vscode.ThemeColor('editorWarning.foreground')),
  'token-missing': new vscode.ThemeIcon('key', new vscode.ThemeColor('editorWarning.foreground')),
};

const HEALTH_LABELS: Record<Health, string> = {
  unchecked: 'not checked yet',
  ok: 'token works',
  failing: 'check failed',
  expiring: 'expiring soon',
  expired: 'expired',
  'rotation-due': 'rotation due',
  'token-missing': 'token missing',
};

export class ConnectionNode implements TreeNodeRef {
  readonly [TREE_NODE] = true as const;
  readonly type = 'connection';
  constructor(
    readonly connection: Connection,
    readonly health: Health,
  ) {}

  get connectionId(): string {
    return this.connection.id;
  }
}

export class DetailNode implements TreeNodeRef {
  readonly [TREE_NODE] = true as const;
  readonly type = 'detail';
  constructor(
    readonly connectionId: string,
    readonly label: string,
    readonly value: string,
    readonly icon: string,
  ) {}
}

export type ConnectionsTreeNode =
  ConnectionNode | DetailNode | AccountTokensNode | AccountTokenNode | AccountTokensMessageNode | OrganisationTreeNode;

/** Which connection new terminals get ("Use in Terminals"), so its node can say so. */
export interface TerminalUse {
  readonly connectionId: string | undefined;
  readonly onDidChange: vscode.Event<void>;
}

export class ConnectionsTreeProvider extends Disposable implements vscode.TreeDataProvider<ConnectionsTreeNode> {
  private readonly changed = this._register(new vscode.EventEmitter<ConnectionsTreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  /** The value last given to the hasConnections context key. */
  private contextHasConnections: boolean | undefined;
  private contextHasOrganisations: boolean | undefined;
  /**
   * Part of the ids of "Tokens in this account": VS Code restores an item left open by its id when the window
   * loads, and the account's tokens must not be asked for at start-up, only when the user opens the node.
   */
  private readonly session = Math.random().toString(36).slice(2, 10);

  constructor(
    private readonly store: ConnectionStore,
    private readonly now: () => Date = () => new Date(),
    private readonly terminalUse?: TerminalUse,
    private readonly accountTokens?: AccountTokens,
    private readonly organisations?: Organisations,
  ) {
    super();
    if (organisations)
      this._register(
        organisations.onDidChange(() => {
          void this.updateContextKeys();
          this.refresh();
        }),
      );
    if (terminalUse) this._register(terminalUse.onDidChange(() => this.refresh()));
    if (accountTokens) this._register(accountTokens.onDidChange(() => this.refresh()));
    this._register(
      store.onDidChange(() => {
        void this.updateContextKeys();
        this.refresh();
      }),
    );
    this._register(onDidChangeSettings((e) => e.affects() && this.refresh()));
    void this.updateContextKeys();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** Refresh: renders again and asks Jira again for the account tokens the next time they are shown. */
  reload(): void {
    this.organisations?.reload();
    if (this.accountTokens) this.accountTokens.reload();
    else this.refresh();
  }

  /** The welcome view (package.json viewsWelcome) shows while this is false. */
  hasConnections(): boolean {
    return this.store.list().length > 0;
  }

  /** The lists decide the context keys: set at construction and when the store or the organisations change. */
  private async updateContextKeys(): Promise<void> {
    const has = this.hasConnections();
    const hasOrganisations = (this.organisations?.roots().length ?? 0) > 0;
    if (has !== this.contextHasConnections) {
      this.contextHasConnections = has;
      await vscode.commands.executeCommand('setContext', ContextKeys.hasConnections, has);
    }
    if (hasOrganisations !== this.contextHasOrganisations) {
      this.contextHasOrganisations = hasOrganisations;
      await vscode.commands.executeCommand('setContext', ContextKeys.hasOrganisations, hasOrganisations);
    }
  }

  healthOf(connection: Connection): Health {
    return currentHealth(connection, this.now());
  }

  /**
   * The connections, then the organisations, at the root; under a node, its children (the account's and the
   * organisation's tokens are asked for when shown).
   */
  getChildren(): Array<ConnectionNode | OrganisationNode>;
  getChildren(node: ConnectionsTreeNode): Promise<ConnectionsTreeNode[]>;
  getChildren(node?: ConnectionsTreeNode): Array<ConnectionNode | OrganisationNode> | Promise<ConnectionsTreeNode[]> {
    if (!node) {
      const connections = this.store
        .list()
        .sort((a, b) => a.label.localeCompare(b.label))
        .map((c) => new ConnectionNode(c, this.healthOf(c)));
      return [...connections, ...(this.organisations?.roots() ?? [])];
    }
    if (node instanceof OrganisationNode && this.organisations) return this.organisations.children(node.organisation.id);
    if (node instanceof OrgUserNode) return Promise.resolve([...node.tokens]);
    if (node instanceof ConnectionNode) {
      const children: ConnectionsTreeNode[] = this.details(node.connection);
      if (this.accountTokens && ACCOUNT_TOKEN_KINDS.has(node.connection.kind)) children.push(new AccountTokensNode(node.connection.id));
      return Promise.resolve(children);
    }
    if (node instanceof AccountTokensNode && this.accountTokens) return this.accountTokens.children(node.connectionId);
    return Promise.resolve([]);
  }

  getParent(node: ConnectionsTreeNode): ConnectionsTreeNode | undefined {
    if (node instanceof OrganisationNode) return undefined;
    if (node instanceof OrgUserNode || node instanceof OrgTokenNode || node instanceof OrgMessageNode) {
      if (node instanceof OrgTokenNode) return this.organisations?.userOf(node);
      return this.organisations?.roots().find((r) => r.organisation.id === node.organisationId);
    }
    if (node instanceof AccountTokenNode || node instanceof AccountTokensMessageNode) return new AccountTokensNode(node.connectionId);
    if (node instanceof DetailNode || node instanceof AccountTokensNode) {
      const connection = this.store.get(node.connectionId);
      return connection ? new ConnectionNode(connection, this.healthOf(connection)) : undefined;
    }
    return undefined;
  }

  getTreeItem(node: ConnectionsTreeNode): vscode.TreeItem {
    if (node instanceof OrganisationNode || node instanceof OrgUserNode || node instanceof OrgTokenNode || node instanceof OrgMessageNode)
      return this.organisationItem(node);
    if (node instanceof AccountTokensNode) {
      const item = new vscode.TreeItem('Tokens in this account', vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `${node.connectionId}/account-tokens/${this.session}`;
      item.iconPath = new vscode.ThemeIcon('list-unordered');
      item.tooltip = 'The personal access tokens of this account, asked from Jira when opened.';
      item.contextValue = 'accountTokens';
      return item;
    }
    if (node instanceof AccountTokensMessageNode) {
      const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
      item.id = `${node.connectionId}/account-tokens/${this.session}/message`;
      item.iconPath = new vscode.ThemeIcon(node.failed ? 'error' : 'info');
      item.tooltip = node.message;
      item.contextValue = node.failed ? 'accountTokens:failed' : 'accountTokens:empty';
      return item;
    }
    if (node instanceof AccountTokenNode) return this.accountTokenItem(node);
    if (node instanceof DetailNode) {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.description = node.value;
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.tooltip = `${node.label}: ${node.value}`;
      item.contextValue = `detail:${node.label.toLowerCase().replace(/\s+/g, '-')}`;
      item.id = `${node.connectionId}/${node.label}`;
      return item;
    }
    const { connection, health } = node;
    const item = new vscode.TreeItem(connection.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = connection.id;
    const user = connectionUser(connection);
    const host = hostOf(connection.baseUrl);
    const inTerminals = this.terminalUse?.connectionId === connection.id;
    item.description = [user, host, describeHealth(connection, health, this.now()), inTerminals ? 'in terminals' : undefined]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = HEALTH_ICONS[health];
    // `:terminal` marks the connection new terminals use; menus match `viewItem =~ /^connection:/` either way.
    item.contextValue = `connection:${health}:${connection.kind}${inTerminals ? ':terminal' : ''}`;
    item.tooltip = this.tooltip(connection, health);
    item.accessibilityInformation = { label: `${connection.label}, ${KIND_LABELS[connection.kind].label}, ${HEALTH_LABELS[health]}` };
    return item;
  }

  private organisationItem(node: OrganisationTreeNode): vscode.TreeItem {
    // Ids carry the session: VS Code restores an item left open by its id, and nothing is listed at start-up.
    const base = `organisation/${node instanceof OrganisationNode ? node.organisation.id : node.organisationId}/${this.session}`;
    if (node instanceof OrganisationNode) {
      const { organisation, tokenCount } = node;
      const item = new vscode.TreeItem(organisation.label, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = base;
      item.description = [`org ${organisation.orgId}`, tokenCount === undefined ? undefined : plural(tokenCount, 'token')]
        .filter(Boolean)
        .join(' · ');
      item.iconPath = new vscode.ThemeIcon('organization');
      item.tooltip = `Atlassian organisation ${organisation.orgId}: every managed user's API tokens, asked from the admin API when opened.`;
      item.contextValue = 'organisation';
      return item;
    }
    if (node instanceof OrgMessageNode) {
      const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
      item.id = `${base}/message`;
      item.iconPath = new vscode.ThemeIcon(node.failed ? 'error' : 'info');
      item.tooltip = node.message;
      item.contextValue = node.failed ? 'organisation:failed' : 'organisation:empty';
      return item;
    }
    if (node instanceof OrgUserNode) {
      const { group } = node;
      const item = new vscode.TreeItem(
        group.name ?? group.email ?? (group.userId || 'Tokens without a user'),
        vscode.TreeItemCollapsibleState.Expanded,
      );
      item.id = `${base}/user/${group.userId}`;
      item.description = [group.name ? group.email : undefined, plural(node.tokens.length, 'token')].filter(Boolean).join(' · ');
      item.iconPath = new vscode.ThemeIcon('account');
      item.contextValue = 'orgUser';
      return item;
    }
    const { token, flags, belongsTo } = node;
    const wording = { ...node.wording, now: this.now() };
    const flagWords = [...flags.map((flag) => describeFlag(flag, token, wording)), ...belongsTo.map((label) => `belongs to ${label}`)];
    const item = new vscode.TreeItem(token.label || `token ${token.id}`, vscode.TreeItemCollapsibleState.None);
    item.id = `${base}/token/${token.id}`;
    const dates = describeDates(token).filter((fact) => !flagWords.includes(fact));
    item.description = [...flagWords, ...dates].join(' · ');
    const warned = flags.length > 0;
    item.iconPath = new vscode.ThemeIcon(
      warned ? 'warning' : 'key',
      warned ? new vscode.ThemeColor('editorWarning.foreground') : undefined,
    );
    item.contextValue = 'orgToken';
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escapeMarkdown(token.label)}** (id ${escapeMarkdown(token.id)})\n\n`);
    for (const fact of describeDates(token)) md.appendMarkdown(`- ${escapeMarkdown(fact)}\n`);
    if (flagWords.length) md.appendMarkdown(`\n${flagWords.map((w) => `⚑ ${escapeMarkdown(w)}`).join('  \n')}\n`);
    item.tooltip = md;
    item.accessibilityInformation = { label: [token.label, ...flagWords].join(', ') };
    return item;
  }

  private accountTokenItem(node: AccountTokenNode): vscode.TreeItem {
    const { token, flags, storedHere } = node.row;
    const wording = { now: this.now(), staleDays: DEFAULT_STALE_DAYS, expiresWithinDays: setting('expiryWarningDays') };
    const flagWords = flags.map((flag) => describeFlag(flag, token, wording));
    const item = new vscode.TreeItem(token.label || `token ${token.id}`, vscode.TreeItemCollapsibleState.None);
    item.id = `${node.connectionId}/account-tokens/${this.session}/${token.id}`;
    // A date fact a flag already says ("never used") is not said twice.
    const dates = describeDates(token).filter((fact) => !flagWords.includes(fact));
    item.description = [storedHere ? 'stored here' : undefined, ...flagWords, ...dates].filter(Boolean).join(' · ');
    const warned = flags.some((flag) => flag !== 'not-stored-here' && flag !== 'new');
    item.iconPath = storedHere
      ? new vscode.ThemeIcon('key', new vscode.ThemeColor('testing.iconPassed'))
      : new vscode.ThemeIcon(warned ? 'warning' : 'key', warned ? new vscode.ThemeColor('editorWarning.foreground') : undefined);
    item.contextValue = `accountToken:pat${storedHere ? ':stored' : ''}`;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(
      `**${escapeMarkdown(token.label)}** (id ${escapeMarkdown(token.id)})${storedHere ? ' — the token stored here' : ''}\n\n`,
    );
    for (const fact of describeDates(token)) md.appendMarkdown(`- ${escapeMarkdown(fact)}\n`);
    if (flagWords.length) md.appendMarkdown(`\n${flagWords.map((w) => `⚑ ${escapeMarkdown(w)}`).join('  \n')}\n`);
    item.tooltip = md;
    item.accessibilityInformation = {
      label: [token.label, storedHere ? 'stored here' : undefined, ...flagWords].filter(Boolean).join(', '),
    };
    return item;
  }

  private details(connection: Connection): DetailNode[] {
    const now = this.now();
    const rows: DetailNode[] = [
      new DetailNode(connection.id, 'URL', connection.baseUrl, 'globe'),
      new DetailNode(connection.id, 'Kind', KIND_LABELS[connection.kind].label, 'key'),
    ];
    const user = connectionUser(connection);
    if (user) rows.push(new DetailNode(connection.id, 'User', user, 'account'));
    rows.push(new DetailNode(connection.id, 'Created', formatDate(connection.createdAt), 'calendar'));
    rows.push(
      new DetailNode(
        connection.id,
        'Rotated',
        `${connection.rotatedAt ? formatDate(connection.rotatedAt) : 'never'}; token age ${describeAge(tokenAgeDays(connection, now))}`,
        'history',
      ),
    );
    const expiry = connection.expiresAt
      ? `${formatDate(connection.expiresAt)}, ${describeExpiry(connection, now)}`
      : describeExpiry(connection, now);
    rows.push(new DetailNode(connection.id, 'Expiry', expiry, 'watch'));
    rows.push(new DetailNode(connection.id, 'Last check', describeLastCheck(connection), 'pulse'));
    return rows;
  }

  private tooltip(connection: Connection, health: Health): vscode.MarkdownString {
    const now = this.now();
    const md = new vscode.MarkdownString(undefined, true);
    md.supportThemeIcons = true;
    md.appendMarkdown(`**${escapeMarkdown(connection.label)}** — ${HEALTH_LABELS[health]}\n\n`);
    md.appendMarkdown(`| | |\n|---|---|\n`);
    md.appendMarkdown(`| Site | ${escapeMarkdown(connection.baseUrl)} |\n`);
    md.appendMarkdown(`| Kind | ${KIND_LABELS[connection.kind].label} |\n`);
    const user = connectionUser(connection);
    if (user) md.appendMarkdown(`| User | ${escapeMarkdown(user)} |\n`);
    md.appendMarkdown(`| Token age | ${describeAge(tokenAgeDays(connection, now))} |\n`);
    md.appendMarkdown(`| Expiry | ${describeExpiry(connection, now)} |\n`);
    md.appendMarkdown(`| Last check | ${escapeMarkdown(describeLastCheck(connection))} |\n`);
    if (connection.lastCheck?.hint) md.appendMarkdown(`\n${escapeMarkdown(connection.lastCheck.hint)}\n`);
    return md;
  }
}

export function describeLastCheck(connection: Connection): string {
  const check = connection.lastCheck;
  if (!check) return 'never';
  return `${formatDate(check.checkedAt)}: ${check.status === 'valid' ? 'token works' : check.message}`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
