// Token activity: the inventory of every account and organisation behind the stored connections, its
// export (Export Token Inventory…), and the alerts between two looks (Check Token Activity Now, and on the
// interval of jiraTokenGuard.tokenActivity.alertInterval). Each look is compared with the snapshot of the
// last one in globalState (ids and dates, one key per connection); each alert is said once, in one
// notification per look, and listed in the audit report.
import * as path from 'path';
import * as vscode from 'vscode';
import { type ConnectionStore } from '../connections/connectionStore';
import { type OrganisationStore } from '../connections/organisationStore';
import { Commands, INVENTORY_SNAPSHOT_KEY_PREFIX, Settings } from '../common/constants';
import { isArgumentObject } from '../common/commandArgs';
import { UserFacingError } from '../common/commandErrors';
import { onDidChangeSettings, setting } from '../common/config';
import { Disposable, toDisposable } from '../common/lifecycle';
import { type Log } from '../common/log';
import { type Ui } from '../common/ui';
import { describeUri, toUri, writeTextFileAtomically } from '../common/workspaceFiles';
import {
  ALERT_INTERVAL_MS,
  type AlertInterval,
  deadTokensFor,
  describeAlert,
  effectiveAlertInterval,
  type NoticedAlert,
  nextLookDelayMs,
} from '../core/hygiene/activityAlerts';
import type { AuditInventory } from '../core/hygiene/audit';
import type { InventoryOwner, InventorySourceResult } from '../core/hygiene/inventoryReader';
import type { InventoryRow } from '../core/hygiene/inventoryExport';
import { DEFAULT_STALE_DAYS, inventoryAlerts, readSnapshot } from '../core/hygiene/tokenInventory';
import { plural, quotedData } from '../core/common/text';
import { type DeadTokens } from './deadTokens';

export const OPEN_AUDIT_REPORT = 'Open Audit Report';

const INTERVAL_SETTING = 'tokenActivity.alertInterval';

export interface TokenActivityDeps {
  store: ConnectionStore;
  /** Their admin keys are read here only when a look or an export runs. */
  organisations: OrganisationStore;
  log: Log;
  ui: Ui;
  now: () => Date;
  globalState: vscode.Memento;
  deadTokens: DeadTokens;
}

export interface ExportInventoryArgs {
  /** The file to write (a URI or an absolute path); its extension, .csv or .json, picks the format. */
  uri: vscode.Uri | string;
}

export interface ExportInventoryResult {
  uri: string;
  format: 'csv' | 'json';
  tokens: number;
  /** Connections whose tokens could not be read (their verdicts are in the message and the log). */
  failed: number;
}

export interface ActivitySchedule {
  /** The first look after activation (or a change of the setting) waits at least this long: start-up stays fast. */
  minDelayMs: number;
}

const DEFAULT_SCHEDULE: ActivitySchedule = { minDelayMs: 60_000 };

export class TokenActivity extends Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armedInterval: AlertInterval = 'off';
  private stopped = true;
  private running: Promise<NoticedAlert[]> | undefined;
  /** This session's alerts, for the audit report. */
  private readonly noticed: NoticedAlert[] = [];
  /** Connections whose reading failed and was logged: logged again only after it worked once. */
  private readonly failing = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  /** The last look started here, even one whose every source failed: the next waits a whole interval from it. */
  private lastAttempt: Date | undefined;

  constructor(
    private readonly deps: TokenActivityDeps,
    private readonly schedule: ActivitySchedule = DEFAULT_SCHEDULE,
  ) {
    super();
    this._register(toDisposable(() => this.clearTimer()));
    this._register(onDidChangeSettings((change) => change.affects(INTERVAL_SETTING) && this.rearm()));
    // An organisation added or removed changes the default interval.
    this._register(deps.organisations.onDidChange(() => this.rearm()));
  }

  /** Arms the timer for the interval in force; nothing is read at activation. */
  start(): void {
    this.stopped = false;
    this.rearm();
  }

  /** Tests stop the timer so that only their own looks run; a settings change does not re-arm it then. */
  stopSchedule(): void {
    this.stopped = true;
    this.clearTimer();
  }

  /** The interval the timer is armed for ('off': no timer). */
  get scheduledInterval(): AlertInterval {
    return this.timer ? this.armedInterval : 'off';
  }

  /** The interval in force: the user's setting, or daily when never set and an organisation is added. */
  interval(): AlertInterval {
    const inspected = vscode.workspace.getConfiguration(Settings.section).inspect(INTERVAL_SETTING);
    // An application setting: only the user's own value counts (VS Code ignores workspace values).
    const userSet = inspected?.globalValue !== undefined;
    const hasOrganisation = this.deps.organisations.list().length > 0;
    return effectiveAlertInterval(userSet ? setting(INTERVAL_SETTING) : undefined, hasOrganisation);
  }

  private rearm(): void {
    if (this.stopped) return;
    const interval = this.interval();
    if (interval === this.armedInterval && this.timer) return;
    this.clearTimer();
    this.armedInterval = interval;
    if (interval === 'off') return;
    const intervalMs = ALERT_INTERVAL_MS[interval];
    const last = [this.lastLook(), this.lastAttempt].reduce<Date | undefined>((a, b) => (!a || (b && b > a) ? b : a), undefined);
    const delay = nextLookDelayMs(last, intervalMs, this.deps.now(), this.schedule.minDelayMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.check().finally(() => this.rearm());
    }, delay);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The earliest last look of the owners still stored (a restart keeps the rhythm). */
  private lastLook(): Date | undefined {
    const times = this.owners()
      .map((c) => readSnapshot(this.deps.globalState.get(INVENTORY_SNAPSHOT_KEY_PREFIX + c.id))?.takenAt)
      .filter((t): t is string => t !== undefined && !Number.isNaN(Date.parse(t)))
      .map((t) => Date.parse(t));
    return times.length ? new Date(Math.min(...times)) : undefined;
  }

  /** The stored connections, then the organisations (their admin API is the accepted adminApiUrl). */
  private owners(): InventoryOwner[] {
    const adminApi = setting('adminApiUrl');
    return [
      ...this.deps.store.list(),
      ...this.deps.organisations
        .list()
        .map((o) => ({ id: o.id, label: o.label, kind: 'cloud-org' as const, baseUrl: adminApi, orgId: o.orgId })),
    ];
  }

  /** Every source's tokens, or its verdict. */
  async read(): Promise<InventorySourceResult[]> {
    // The HTTP clients load when the inventory is first read, not at start-up.
    const { readInventory } = await import('../core/hygiene/inventoryReader');
    const { openNodeTransport } = await import('../node/jira');
    const organisationIds = new Set(this.deps.organisations.list().map((o) => o.id));
    return readInventory(this.owners(), {
      transport: openNodeTransport,
      // An admin key is read from the organisations' own store, never through the connections.
      readSecret: (id) => (organisationIds.has(id) ? this.deps.organisations.adminKey(id) : this.deps.store.getToken(id)),
      timeoutMs: Math.max(1, setting('requestTimeoutSeconds')) * 1000,
      log: (line) => this.deps.log.info(line),
    });
  }

  /** The inventory with its flags, and this session's alerts, for the audit report; undefined when nothing has one. */
  async auditInventory(): Promise<AuditInventory | undefined> {
    const { hasInventory } = await import('../core/hygiene/inventoryReader');
    if (!this.owners().some(hasInventory)) return undefined;
    const sources = await this.read();
    return { sources, rows: await this.rows(sources), noticed: [...this.noticed] };
  }

  private async rows(sources: InventorySourceResult[]): Promise<InventoryRow[]> {
    const { inventoryRows } = await import('../core/hygiene/inventoryExport');
    return inventoryRows(sources, {
      now: this.deps.now(),
      staleDays: DEFAULT_STALE_DAYS,
      expiresWithinDays: Math.max(0, setting('expiryWarningDays')),
    });
  }

  /** Check Token Activity Now, and the timer: shows this look's alerts in one notification; resolves to them. Concurrent calls share one look. */
  check(): Promise<NoticedAlert[]> {
    this.running ??= this.look()
      .catch((error) => {
        this.deps.log.error('The token activity check failed; it runs again at the next interval', error);
        return [];
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Resolves once the notification's button (if pressed) has been acted on (tests). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** This session's alerts, oldest first. */
  noticedAlerts(): NoticedAlert[] {
    return [...this.noticed];
  }

  private async look(): Promise<NoticedAlert[]> {
    this.lastAttempt = this.deps.now();
    const sources = await this.read();
    const now = this.deps.now();
    const dead = this.deps.deadTokens.list();
    const fresh: NoticedAlert[] = [];
    for (const source of sources) {
      if (!source.ok) {
        if (!this.failing.has(source.connectionId))
          this.deps.log.warn(
            `Token activity: the tokens of “${source.connectionLabel}” could not be read (${source.reason}): ${source.error}`,
          );
        this.failing.add(source.connectionId);
        continue;
      }
      this.failing.delete(source.connectionId);
      const key = INVENTORY_SNAPSHOT_KEY_PREFIX + source.connectionId;
      const { alerts, snapshot } = inventoryAlerts(readSnapshot(this.deps.globalState.get(key)), source.tokens, {
        now,
        idleDays: DEFAULT_STALE_DAYS,
        dead: deadTokensFor(dead, source.connectionId, source.source),
      });
      // Kept before anything is shown: a restart or another window must not say the same again.
      await this.deps.globalState.update(key, snapshot);
      for (const alert of alerts)
        fresh.push({
          alert,
          connectionId: source.connectionId,
          connectionLabel: source.connectionLabel,
          site: source.site,
          at: now.toISOString(),
        });
    }
    await this.forgetRemovedConnections();
    this.noticed.push(...fresh);
    if (fresh.length > 0) this.notify(fresh);
    this.deps.log.info(`Token activity: ${plural(sources.length, 'source')} read, ${plural(fresh.length, 'alert')}.`);
    return fresh;
  }

  private notify(alerts: NoticedAlert[]): void {
    const shown = alerts.slice(0, 5).map((n) =>
      describeAlert(
        n,
        (text) => quotedData(text, 60),
        (text) => quotedData(text, 60).slice(1, -1),
      ),
    );
    const more = alerts.length > shown.length ? ` And ${plural(alerts.length - shown.length, 'more alert')}.` : '';
    const message = `Token activity: ${plural(alerts.length, 'alert')}. ${shown.join(' ')}${more}`;
    const done = Promise.resolve(this.deps.ui.showWarningMessage(message, {}, OPEN_AUDIT_REPORT)).then(async (choice) => {
      if (choice === OPEN_AUDIT_REPORT) await vscode.commands.executeCommand(Commands.auditTokens);
    });
    const tracked = done.catch((error) => this.deps.log.error('The token activity notification failed', error));
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  /** One snapshot key per connection or organisation: a removed one's goes. */
  private async forgetRemovedConnections(): Promise<void> {
    const ids = new Set(this.owners().map((c) => c.id));
    for (const key of this.deps.globalState.keys())
      if (key.startsWith(INVENTORY_SNAPSHOT_KEY_PREFIX) && !ids.has(key.slice(INVENTORY_SNAPSHOT_KEY_PREFIX.length)))
        await this.deps.globalState.update(key, undefined);
  }

  /** Export Token Inventory…: CSV or JSON by the file's extension, written whole or not at all. */
  async export(arg?: unknown): Promise<ExportInventoryResult | undefined> {
    const automated = isArgumentObject(arg);
    const { hasInventory } = await import('../core/hygiene/inventoryReader');
    if (!this.owners().some(hasInventory))
      throw new UserFacingError(
        'No connection lists its tokens: add a Data Center connection with a personal access token, or an Atlassian organisation, first.',
      );
    let uri: vscode.Uri | undefined;
    if (automated) {
      uri = toUri((arg as Partial<ExportInventoryArgs>).uri);
      if (!uri) throw new UserFacingError('Say which file: exportTokenInventory({ uri: <.csv or .json file URI or absolute path> }).');
    } else {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      uri = await vscode.window.showSaveDialog({
        title: 'Export Token Inventory (no tokens, no keys)',
        ...(folder
          ? { defaultUri: vscode.Uri.joinPath(folder, `jira-token-inventory-${this.deps.now().toISOString().slice(0, 10)}.csv`) }
          : {}),
        filters: { CSV: ['csv'], JSON: ['json'] },
        saveLabel: 'Export',
      });
    }
    if (!uri) return undefined;
    const extension = path.posix.extname(uri.path).toLowerCase();
    const format = extension === '.json' ? 'json' : extension === '.csv' ? 'csv' : undefined;
    if (!format) throw new UserFacingError(`Choose a file ending in .csv or .json (${path.posix.basename(uri.path)} is neither).`);
    const sources = await this.read();
    const rows = await this.rows(sources);
    const { inventoryCsv, inventoryJson } = await import('../core/hygiene/inventoryExport');
    await writeTextFileAtomically(uri, format === 'json' ? inventoryJson(rows) : inventoryCsv(rows));
    const failed = sources.filter((s) => !s.ok);
    this.deps.log.info(`Exported ${plural(rows.length, 'token')} to ${describeUri(uri)}; ${failed.length} source(s) could not be read.`);
    if (!automated) {
      const unread = failed.length
        ? ` Not included: ${failed.map((s) => `${quotedData(s.connectionLabel, 40)} (${s.ok ? '' : s.error.replace(/\.$/, '')})`).join(', ')}.`
        : '';
      void this.deps.ui.showInformationMessage(
        `Exported ${plural(rows.length, 'token')} to ${path.posix.basename(uri.path)}. The file holds no token or key.${unread}`,
        {},
      );
    }
    return { uri: uri.toString(), format, tokens: rows.length, failed: failed.length };
  }
}
