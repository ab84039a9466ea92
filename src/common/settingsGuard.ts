// The settings guard: any extension can write any setting (application scope included), so a change that
// weakens the guard takes effect only after the user confirms it in a modal dialog; until then the value
// last accepted at that level stays in force, and Cancel writes it back. Changes that keep or strengthen
// the guard are accepted as they come. The rules are in core/settings/settingsLedger.ts.
import * as vscode from 'vscode';
import {
  describeSettingValue,
  GUARDED_SETTINGS,
  type GuardedSetting,
  guardedSetting,
  type LevelId,
  levelValueInForce,
  readLedger,
  reviewLevel,
  type SettingsLedger,
} from '../core/settings/settingsLedger';
import { SerialQueue } from '../core/common/serialQueue';
import { type GuardSettings, SETTING_SCOPES, type SettingsChange, type SettingsInForce, settingDefault } from './config';
import { Settings, SETTINGS_LEDGER_STATE_KEY } from './constants';
import { Disposable } from './lifecycle';
import { type Log } from './log';
import { type Ui } from './ui';

interface Level {
  id: LevelId;
  target: vscode.ConfigurationTarget;
  /** The folder of a folder level, for reading and writing it. */
  folder?: vscode.Uri;
  current: unknown;
  /** For the question: "your user settings", "the workspace settings", … */
  name: string;
}

export const APPLY_SETTING_CHANGE = 'Apply Change';

export class SettingsGuard extends Disposable implements SettingsInForce {
  private ledger: SettingsLedger;
  private readonly questions = new SerialQueue();
  private readonly writes = new SerialQueue();
  /** `key level` pairs whose question is waiting or shown. */
  private readonly asking = new Set<string>();
  private readonly changed = this._register(new vscode.EventEmitter<SettingsChange>());
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly state: vscode.Memento,
    private readonly ui: Ui,
    private readonly log: Log,
    /** package.json's restrictedConfigurations (without the section): their workspace values count only in a trusted workspace. */
    private readonly restricted: ReadonlySet<string>,
  ) {
    super();
    const stored = readLedger(state.get(SETTINGS_LEDGER_STATE_KEY));
    this.ledger = stored ?? { version: 1, accepted: {} };
    // The first run of a version with the guard takes the settings as they are: there is nothing to compare them with.
    if (!stored)
      for (const rule of GUARDED_SETTINGS)
        for (const level of this.allLevels(rule.key as keyof GuardSettings)) this.record(rule.key, level.id, level.current);
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        const affected = GUARDED_SETTINGS.filter((rule) => e.affectsConfiguration(`${Settings.section}.${rule.key}`));
        for (const rule of affected) this.review(rule);
        this.changed.fire({ affects: (key) => e.affectsConfiguration(key ? `${Settings.section}.${key}` : Settings.section) });
      }),
    );
    // Workspace values of restricted settings start to count; a new folder brings its own.
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.reviewAll()));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.reviewAll()));
    // Changes made while the extension was not running (another program editing settings.json).
    this.reviewAll();
    if (!stored) void this.save();
  }

  /** Resolves once every question asked so far has been answered (tests wait for it). */
  async settled(): Promise<void> {
    await this.questions.run(() => Promise.resolve());
    await this.writes.run(() => Promise.resolve());
  }

  value<K extends keyof GuardSettings>(key: K, scope: vscode.ConfigurationScope | undefined, raw: GuardSettings[K]): GuardSettings[K] {
    const rule = guardedSetting(key);
    if (!rule || !this.hasWaitingChange(key)) return raw;
    const inspected = vscode.workspace.getConfiguration(Settings.section, scope).inspect<GuardSettings[K]>(key);
    const folder = folderOf(scope);
    const levels = this.levels(key, folder);
    // Most specific first, as VS Code resolves them.
    for (const level of [...levels].reverse()) {
      const value = levelValueInForce(rule, settingDefault(key), level.current, this.ledger.accepted[key]?.[level.id]);
      if (value !== undefined) return value as GuardSettings[K];
    }
    return inspected?.defaultValue ?? settingDefault(key);
  }

  levelsInForce(key: keyof GuardSettings, scope: vscode.ConfigurationScope | undefined): unknown[] | undefined {
    const rule = guardedSetting(key);
    if (!rule) return undefined;
    return this.levels(key, folderOf(scope)).map((level) =>
      levelValueInForce(rule, settingDefault(key), level.current, this.ledger.accepted[key]?.[level.id]),
    );
  }

  private hasWaitingChange(key: string): boolean {
    for (const entry of this.asking) if (entry.startsWith(`${key} `)) return true;
    return false;
  }

  private reviewAll(): void {
    for (const rule of GUARDED_SETTINGS) this.review(rule);
    this.changed.fire({ affects: () => true });
  }

  /** Accepts what does not weaken the guard; asks about what does. */
  private review(rule: GuardedSetting): void {
    const key = rule.key as keyof GuardSettings;
    let recorded = false;
    for (const level of this.allLevels(key)) {
      const verdict = reviewLevel(rule, settingDefault(key), level.current, this.ledger.accepted[key]?.[level.id]);
      if (verdict.kind === 'accept') {
        this.record(key, level.id, level.current);
        recorded = true;
      } else if (verdict.kind === 'ask') {
        this.ask(rule, level);
      }
    }
    if (recorded) void this.save();
  }

  private ask(rule: GuardedSetting, level: Level): void {
    const entry = `${rule.key} ${level.id}`;
    if (this.asking.has(entry)) return;
    this.asking.add(entry);
    void this.questions
      .run(() => this.confirm(rule, level.id))
      .catch((error: unknown) => this.log.error(`The change of ${Settings.section}.${rule.key} could not be reviewed`, error))
      .finally(() => {
        this.asking.delete(entry);
        this.changed.fire({ affects: (key) => key === undefined || key === rule.key });
      });
  }

  /** One question at a time, about the value set now (it may have changed again while an earlier question was open). */
  private async confirm(rule: GuardedSetting, levelId: LevelId): Promise<void> {
    if (this.isDisposed) return;
    const key = rule.key as keyof GuardSettings;
    const level = this.allLevels(key).find((l) => l.id === levelId);
    if (!level) return;
    const accepted = this.ledger.accepted[key]?.[levelId];
    const verdict = reviewLevel(rule, settingDefault(key), level.current, accepted);
    if (verdict.kind !== 'ask') {
      if (verdict.kind === 'accept') {
        this.record(key, levelId, level.current);
        await this.save();
      }
      return;
    }
    const name = `${Settings.section}.${key}`;
    const detail =
      `${name} was changed in ${level.name} from ${describeSettingValue(verdict.from)} to ${describeSettingValue(verdict.to)}, by you or by ` +
      `another extension: any installed extension can write settings. Until you apply it, Jira Token Guard keeps ` +
      `${describeSettingValue(verdict.from)}; Cancel changes the setting back.`;
    let choice: string | undefined;
    try {
      choice = await this.ui.showWarningMessage(
        `Apply a settings change that weakens Jira Token Guard? ${rule.consequence(verdict.to)}`,
        { modal: true, detail },
        APPLY_SETTING_CHANGE,
      );
    } catch (error) {
      this.log.warn(
        `The question could not be shown, so the answer is no: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
    }
    const now = this.allLevels(key).find((l) => l.id === levelId);
    if (choice === APPLY_SETTING_CHANGE && now && JSON.stringify(now.current) === JSON.stringify(level.current)) {
      this.record(key, levelId, level.current);
      await this.save();
      this.log.info(`Applied the change of ${name} in ${level.name} to ${describeSettingValue(verdict.to)}, as you confirmed.`);
      return;
    }
    if (choice === APPLY_SETTING_CHANGE) return; // changed again while asked: the next review asks about that value
    this.log.warn(`Did not apply the change of ${name} in ${level.name} to ${describeSettingValue(verdict.to)}: it is set back.`);
    try {
      await vscode.workspace.getConfiguration(Settings.section, level.folder).update(key, accepted?.value, level.target);
    } catch (error) {
      this.log.error(`Could not set ${name} back in ${level.name}; ${describeSettingValue(verdict.from)} stays in force`, error);
    }
  }

  private record(key: string, level: LevelId, value: unknown): void {
    (this.ledger.accepted[key] ??= {})[level] = value === undefined ? {} : { value };
  }

  private save(): Promise<void> {
    const snapshot = JSON.parse(JSON.stringify(this.ledger)) as SettingsLedger;
    return this.writes.run(async () => {
      await this.state.update(SETTINGS_LEDGER_STATE_KEY, snapshot);
    });
  }

  /** The levels that count for `key` at `folder` (or, with no folder, every level of the window). */
  private levels(key: keyof GuardSettings, folder?: vscode.WorkspaceFolder): Level[] {
    return this.allLevels(key).filter((level) => !level.folder || (folder && level.folder.toString() === folder.uri.toString()));
  }

  private allLevels(key: keyof GuardSettings): Level[] {
    const scope = SETTING_SCOPES[key];
    const top = vscode.workspace.getConfiguration(Settings.section).inspect(key);
    const levels: Level[] = [
      { id: 'global', target: vscode.ConfigurationTarget.Global, current: top?.globalValue, name: 'your user settings' },
    ];
    // VS Code ignores an application setting's workspace values, and a restricted one's in Restricted Mode.
    if (scope === 'application' || (this.restricted.has(key) && !vscode.workspace.isTrusted)) return levels;
    const workspace = vscode.workspace.workspaceFile ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!workspace) return levels;
    levels.push({
      id: `workspace ${workspace.toString()}`,
      target: vscode.ConfigurationTarget.Workspace,
      current: top?.workspaceValue,
      name: 'the workspace settings',
    });
    // A single-folder workspace keeps its folder settings in the workspace settings: one level.
    if (scope !== 'resource' || !vscode.workspace.workspaceFile) return levels;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      levels.push({
        id: `folder ${folder.uri.toString()}`,
        target: vscode.ConfigurationTarget.WorkspaceFolder,
        folder: folder.uri,
        current: vscode.workspace.getConfiguration(Settings.section, folder.uri).inspect(key)?.workspaceFolderValue,
        name: `the settings of folder “${folder.name}”`,
      });
    }
    return levels;
  }
}

function folderOf(scope: vscode.ConfigurationScope | undefined): vscode.WorkspaceFolder | undefined {
  if (!scope || !vscode.workspace.workspaceFile) return undefined;
  if (scope instanceof vscode.Uri) return vscode.workspace.getWorkspaceFolder(scope);
  if ('uri' in scope && scope.uri instanceof vscode.Uri) {
    return 'index' in scope && 'name' in scope ? scope : vscode.workspace.getWorkspaceFolder(scope.uri);
  }
  return undefined;
}

/** The settings a workspace may not set in Restricted Mode (package.json), without the section prefix. */
export function restrictedSettingsOf(context: vscode.ExtensionContext): Set<string> {
  const manifest = context.extension?.packageJSON as
    { capabilities?: { untrustedWorkspaces?: { restrictedConfigurations?: unknown } } } | undefined;
  const listed = manifest?.capabilities?.untrustedWorkspaces?.restrictedConfigurations;
  return new Set(
    (Array.isArray(listed) ? listed : []).filter((k): k is string => typeof k === 'string').map((k) => k.replace(/^jiraTokenGuard\./, '')),
  );
}
