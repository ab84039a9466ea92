// Typed access to the extension's settings, read where used.
import * as vscode from 'vscode';
import { Settings } from './constants';

export interface GuardSettings {
  expiryWarningDays: number;
  rotationDays: number;
}

const DEFAULTS: GuardSettings = {
  expiryWarningDays: 14,
  rotationDays: 90,
};

export function setting<K extends keyof GuardSettings>(key: K): GuardSettings[K] {
  return vscode.workspace.getConfiguration(Settings.section).get<GuardSettings[K]>(key, DEFAULTS[key]);
}

export function affectsGuardSetting(event: vscode.ConfigurationChangeEvent, key?: keyof GuardSettings): boolean {
  return event.affectsConfiguration(key ? `${Settings.section}.${key}` : Settings.section);
}
