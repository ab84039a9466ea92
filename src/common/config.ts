// Typed access to the extension's settings, read where used. A setting that can weaken the guard is read
// through the settings guard (settingsGuard.ts) once activate() has installed it: a weakening change that
// the user has not confirmed does not take effect.
import * as vscode from 'vscode';
import { Settings } from './constants';

export type LeakSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface GuardSettings {
  expiryWarningDays: number;
  rotationDays: number;
  leakDetection: boolean;
  leakSeverity: LeakSeverity;
  reportUnverifiedTokens: boolean;
  /** Read through `inlineIgnoresEnabled`, never `setting`. */
  inlineIgnores: boolean;
  scanDebounceMs: number;
  maxFileSizeKB: number;
  requestTimeoutSeconds: number;
  recheckIntervalHours: number;
  cloudGatewayUrl: string;
  adminApiUrl: string;
  'tokenActivity.staleDays': number;
  rotationMaxExpiryDays: number;
  tokenUseExtraPaths: string[];
  allowUnattendedTokenChanges: boolean;
  statusBar: string;
  /** Read through TokenActivity, which knows the default when an organisation is added. */
  'tokenActivity.alertInterval': 'off' | 'daily' | 'weekly';
}

const DEFAULTS: GuardSettings = {
  expiryWarningDays: 14,
  rotationDays: 90,
  leakDetection: true,
  leakSeverity: 'warning',
  reportUnverifiedTokens: false,
  inlineIgnores: true,
  scanDebounceMs: 250,
  maxFileSizeKB: 2048,
  requestTimeoutSeconds: 15,
  recheckIntervalHours: 0,
  cloudGatewayUrl: 'https://api.atlassian.com',
  adminApiUrl: 'https://api.atlassian.com',
  'tokenActivity.staleDays': 90,
  rotationMaxExpiryDays: 90,
  tokenUseExtraPaths: [],
  allowUnattendedTokenChanges: false,
  statusBar: 'auto',
  'tokenActivity.alertInterval': 'off',
};

/** Where each setting may be set (package.json's `scope`): VS Code ignores an application setting's workspace values. */
export const SETTING_SCOPES: Record<keyof GuardSettings, 'application' | 'window' | 'resource'> = {
  expiryWarningDays: 'application',
  rotationDays: 'application',
  leakDetection: 'resource',
  leakSeverity: 'resource',
  reportUnverifiedTokens: 'resource',
  inlineIgnores: 'resource',
  scanDebounceMs: 'application',
  maxFileSizeKB: 'resource',
  requestTimeoutSeconds: 'application',
  recheckIntervalHours: 'application',
  cloudGatewayUrl: 'application',
  adminApiUrl: 'application',
  'tokenActivity.staleDays': 'application',
  rotationMaxExpiryDays: 'application',
  tokenUseExtraPaths: 'application',
  allowUnattendedTokenChanges: 'application',
  statusBar: 'window',
  'tokenActivity.alertInterval': 'application',
};

export function settingDefault<K extends keyof GuardSettings>(key: K): GuardSettings[K] {
  return DEFAULTS[key];
}

/** What the settings guard answers: the value in force, and per level for `inlineIgnores`. */
export interface SettingsInForce {
  value<K extends keyof GuardSettings>(key: K, scope: vscode.ConfigurationScope | undefined, raw: GuardSettings[K]): GuardSettings[K];
  /** The level values of `key` in force, a weakening change not yet confirmed replaced by the accepted value. */
  levelsInForce(key: keyof GuardSettings, scope: vscode.ConfigurationScope | undefined): unknown[] | undefined;
  readonly onDidChange: vscode.Event<SettingsChange>;
}

/** A settings change as the features see it: a change VS Code reported, or one the user confirmed. */
export interface SettingsChange {
  affects(key?: keyof GuardSettings): boolean;
}

let guard: SettingsInForce | undefined;

/** Called by activate() with the settings guard, and with undefined on deactivation. */
export function installSettingsGuard(installed: SettingsInForce | undefined): void {
  guard = installed;
}

/** A setting's value; pass the document or folder for settings a folder can override (scope "resource"). */
export function setting<K extends keyof GuardSettings>(key: K, scope?: vscode.ConfigurationScope): GuardSettings[K] {
  const raw = vscode.workspace.getConfiguration(Settings.section, scope).get<GuardSettings[K]>(key, DEFAULTS[key]);
  return guard ? guard.value(key, scope, raw) : raw;
}

/** Fires after a settings change has been reviewed by the guard (or at once without one), and when the user confirms one. */
export function onDidChangeSettings(listener: (change: SettingsChange) => void): vscode.Disposable {
  if (guard) return guard.onDidChange(listener);
  return vscode.workspace.onDidChangeConfiguration((e) =>
    listener({ affects: (key) => e.affectsConfiguration(key ? `${Settings.section}.${key}` : Settings.section) }),
  );
}

/**
 * `jiraTokenGuard.inlineIgnores`: ignore comments count only while no settings level turns them off. A
 * workspace's settings can turn them off for everyone; they cannot turn them back on over a user's (or
 * a team's machine-wide) `false`.
 */
export function inlineIgnoresEnabled(scope?: vscode.ConfigurationScope): boolean {
  const inForce = guard?.levelsInForce('inlineIgnores', scope);
  if (inForce) return !inForce.includes(false);
  const inspected = vscode.workspace
    .getConfiguration(Settings.section, scope)
    .inspect<boolean>('inlineIgnores' satisfies keyof GuardSettings);
  if (!inspected) return true;
  const levels = [
    inspected.globalValue,
    inspected.workspaceValue,
    inspected.workspaceFolderValue,
    inspected.globalLanguageValue,
    inspected.workspaceLanguageValue,
    inspected.workspaceFolderLanguageValue,
  ];
  return !levels.includes(false);
}
