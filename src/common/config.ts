// Typed access to the extension's settings, read where used.
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
  rotationMaxExpiryDays: number;
  tokenUseExtraPaths: string[];
  allowUnattendedTokenChanges: boolean;
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
  rotationMaxExpiryDays: 90,
  tokenUseExtraPaths: [],
  allowUnattendedTokenChanges: false,
};

/** A setting's value; pass the document or folder for settings a folder can override (scope "resource"). */
export function setting<K extends keyof GuardSettings>(key: K, scope?: vscode.ConfigurationScope): GuardSettings[K] {
  return vscode.workspace.getConfiguration(Settings.section, scope).get<GuardSettings[K]>(key, DEFAULTS[key]);
}

export function affectsGuardSetting(event: vscode.ConfigurationChangeEvent, key?: keyof GuardSettings): boolean {
  return event.affectsConfiguration(key ? `${Settings.section}.${key}` : Settings.section);
}

/**
 * `jiraTokenGuard.inlineIgnores`: ignore comments count only while no settings level turns them off. A
 * workspace's settings can turn them off for everyone; they cannot turn them back on over a user's (or
 * a team's machine-wide) `false`.
 */
export function inlineIgnoresEnabled(scope?: vscode.ConfigurationScope): boolean {
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
