// Settings are written by anyone: the user, a trusted workspace, and every installed extension (a setting's
// scope does not stop an extension). So a change that weakens the guard (turns detection off, hides
// findings, sends a credential to another host, lets commands change tokens unasked) takes effect only once
// the user confirms it; until then the value the user last accepted at that settings level stays in force.
// The accepted values live in the extension's own globalState, which no other extension can read or write.
// No vscode here: the rules and the review are plain functions, tested in Node.
import { jsonForTerminal } from '../common/text';

/** A settings level: 'global' (user), 'workspace <id>', 'folder <uri>'. */
export type LevelId = string;

/** What the user accepted at each level of each guarded setting. `value` undefined: not set there. */
export interface SettingsLedger {
  version: 1;
  accepted: Record<string, Record<LevelId, { value?: unknown }>>;
}

export interface GuardedSetting {
  /** The key under `jiraTokenGuard.`. */
  key: string;
  /** True when `to` (the value in force after the change) weakens the guard compared with `from`. */
  weakens(from: unknown, to: unknown): boolean;
  /** What the change would do, in one sentence, for the question. */
  consequence(to: unknown): string;
}

const num = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

/** How often token activity is looked at: a lower rank looks less often. */
const alertRank = (value: unknown): number => (value === 'daily' ? 2 : value === 'weekly' ? 1 : 0);

/** Atlassian's API gateway: where scoped Cloud credentials go unless the user confirms another address. */
export const ATLASSIAN_GATEWAY_URL = 'https://api.atlassian.com';

/** Origins compared, so that `https://api.atlassian.com/` is the same place as the default; anything else shown escaped. */
function originOf(value: unknown): string {
  try {
    if (typeof value === 'string') return new URL(value.trim()).origin;
  } catch {
    // not an address: shown as data below
  }
  return describeSettingValue(value);
}

/**
 * Every setting that can weaken the guard, with what counts as weaker. Settings left out only tune
 * (timeouts, debounce, the background re-check to the connections' own hosts, the report of unverified
 * strings) or are confirmed where they are used (the MCP server command, approved with each offer).
 */
export const GUARDED_SETTINGS: readonly GuardedSetting[] = [
  {
    key: 'leakDetection',
    weakens: (from, to) => from !== false && to === false,
    consequence: () => 'Hardcoded tokens in open files would no longer be flagged.',
  },
  {
    key: 'leakSeverity',
    weakens: (from, to) => from !== 'hint' && to === 'hint',
    consequence: () => 'Leaked tokens would no longer show in the Problems panel (faint dots in the editor only).',
  },
  {
    key: 'inlineIgnores',
    weakens: (from, to) => from === false && to !== false,
    consequence: () => 'Comments in files (such as `gitleaks:allow`) could hide a leaked token again.',
  },
  {
    key: 'maxFileSizeKB',
    weakens: (from, to) => num(to, 2048) < num(from, 2048),
    consequence: (to) => `Scan Workspace would skip files larger than ${num(to, 2048)} KB.`,
  },
  {
    key: 'statusBar',
    weakens: (from, to) => from !== 'never' && to === 'never',
    consequence: () => 'The shield would no longer show leaked tokens and failing connections in the status bar.',
  },
  {
    key: 'rotationDays',
    weakens: (from, to) => {
      const before = num(from, 90);
      const after = num(to, 90);
      return before > 0 && (after <= 0 || after > before);
    },
    consequence: (to) =>
      num(to, 90) <= 0 ? 'Rotation reminders would be off.' : `Tokens would count as due for rotation only after ${num(to, 90)} days.`,
  },
  {
    key: 'expiryWarningDays',
    weakens: (from, to) => num(to, 14) < num(from, 14),
    consequence: (to) =>
      num(to, 14) <= 0
        ? 'Tokens would no longer be shown as expiring before they expire.'
        : `Expiry warnings would start only ${num(to, 14)} days before.`,
  },
  {
    key: 'rotationMaxExpiryDays',
    weakens: (from, to) => num(to, 90) > num(from, 90),
    consequence: (to) => `Rotate Token could create tokens that live ${num(to, 90)} days.`,
  },
  {
    key: 'cloudGatewayUrl',
    weakens: (from, to) => originOf(to) !== originOf(from) && originOf(to) !== ATLASSIAN_GATEWAY_URL,
    consequence: (to) =>
      `Scoped Cloud credentials (email and API token) would be sent to ${originOf(to)} instead of Atlassian's API gateway.`,
  },
  {
    // Never set, an added organisation makes it daily; an explicit "off" there counts from the default "off" (not asked).
    key: 'tokenActivity.alertInterval',
    weakens: (from, to) => alertRank(to) < alertRank(from),
    consequence: (to) =>
      alertRank(to) === 0
        ? 'Token activity would no longer be checked on a schedule: new tokens and tokens that should be dead would go unnoticed.'
        : 'Token activity would be checked only once a week.',
  },
  {
    key: 'adminApiUrl',
    weakens: (from, to) => originOf(to) !== originOf(from) && originOf(to) !== ATLASSIAN_GATEWAY_URL,
    consequence: (to) => `Organisation admin API keys would be sent to ${originOf(to)} instead of Atlassian's admin API.`,
  },
  {
    key: 'allowUnattendedTokenChanges',
    weakens: (from, to) => from !== true && to === true,
    consequence: () =>
      'Keybindings, tasks and other extensions could point a stored token at another site, replace it, or put it into terminals without asking you.',
  },
];

export const GUARDED_KEYS: ReadonlySet<string> = new Set(GUARDED_SETTINGS.map((s) => s.key));

export function guardedSetting(key: string): GuardedSetting | undefined {
  return GUARDED_SETTINGS.find((s) => s.key === key);
}

export type Review =
  /** What is set is what was accepted. */
  | { kind: 'same' }
  /** A change that does not weaken the guard: accepted as it is. */
  | { kind: 'accept' }
  /** A weakening change: the accepted value stays in force until the user confirms `to`. */
  | { kind: 'ask'; from: unknown; to: unknown };

/**
 * One level of one setting: `current` is what the settings hold there (undefined: not set), `accepted` what
 * the ledger holds (undefined: never seen, which counts as not set). Values are compared as they take
 * effect: an unset level means the default.
 */
export function reviewLevel(
  setting: GuardedSetting,
  defaultValue: unknown,
  current: unknown,
  accepted: { value?: unknown } | undefined,
): Review {
  const before = accepted?.value;
  if (sameValue(current, before)) return { kind: 'same' };
  const from = before === undefined ? defaultValue : before;
  const to = current === undefined ? defaultValue : current;
  return setting.weakens(from, to) ? { kind: 'ask', from, to } : { kind: 'accept' };
}

/** The value a level contributes: what is set there, or while a weakening change waits, what was accepted. */
export function levelValueInForce(
  setting: GuardedSetting,
  defaultValue: unknown,
  current: unknown,
  accepted: { value?: unknown } | undefined,
): unknown {
  return reviewLevel(setting, defaultValue, current, accepted).kind === 'ask' ? accepted?.value : current;
}

/** A ledger from whatever globalState holds: anything damaged reads as empty (every level compared with the default). */
export function readLedger(stored: unknown): SettingsLedger | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const { version, accepted } = stored as Partial<SettingsLedger>;
  if (version !== 1 || typeof accepted !== 'object' || accepted === null) return undefined;
  const clean: SettingsLedger['accepted'] = {};
  for (const [key, levels] of Object.entries(accepted)) {
    if (!GUARDED_KEYS.has(key) || typeof levels !== 'object' || levels === null) continue;
    clean[key] = {};
    for (const [level, entry] of Object.entries(levels as Record<string, unknown>)) {
      if (typeof entry === 'object' && entry !== null) clean[key][level] = { value: (entry as { value?: unknown }).value };
    }
  }
  return { version: 1, accepted: clean };
}

/** A value as the question shows it: JSON, control and bidi characters escaped, at most 200 characters. */
export function describeSettingValue(value: unknown): string {
  // JSON.stringify escapes C0 controls; jsonForTerminal the C1, line separators and bidi controls.
  const safe = jsonForTerminal(JSON.stringify(value) ?? 'unset');
  return safe.length > 200 ? `${safe.slice(0, 199)}…` : safe;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
