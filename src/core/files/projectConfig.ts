// `.jira-token-guard.json`: the settings a team commits next to its code so that the command line, the GitHub
// action and the editor (Scan Workspace, the open-file guard) agree. JSONC (comments, trailing commas). Pure:
// the caller reads the file (as a regular file under a cap) and passes its text in.
//
// The file is the repository's: a pull request, or a cloned repository opened in Restricted Mode, writes it.
// Every key that would make the guard see less (exclude, a rule off, inline ignores on, a smaller size limit,
// hosts to send tokens to) is honoured only where the caller trusts the file; `stricterOnly` keeps the rest.
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { RULES, type RuleId } from '../scanner';
import { normalizeBaseUrl } from '../connections/url';
import { escapeControls } from '../common/text';
import { looksLikeToken } from '../tokens/tokenShapes';

export const CONFIG_FILE_NAME = '.jira-token-guard.json';
/** 64 KB: far more than any real configuration; a larger file is not read. */
export const CONFIG_FILE_MAX_BYTES = 64 * 1024;

export interface ProjectConfig {
  /** Globs relative to the root (as `files.exclude`): findings in these paths are not reported. */
  exclude?: string[];
  /** Rules switched off. */
  rulesOff?: RuleId[];
  inlineIgnores?: boolean;
  reportUnverified?: boolean;
  /** Bytes. */
  maxFileBytes?: number;
  /** Data Center sites (normalized base URLs) `scan --verify` may send a PAT to. */
  verifyHosts?: string[];
}

export const CONFIG_KEYS = ['exclude', 'rules', 'inlineIgnores', 'reportUnverified', 'maxFileSize', 'verifyHosts'] as const;

export type ConfigResult = { ok: true; config: ProjectConfig } | { ok: false; error: string };

/** What the file holds, or the first problem in it. Errors quote key names (escaped, cut short), never values. */
export function parseProjectConfig(text: string, name = CONFIG_FILE_NAME): ConfigResult {
  if (!text.replace(/^\uFEFF/, '').trim()) return { ok: true, config: {} };
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text.replace(/^\uFEFF/, ''), errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) return fail(`${name} is not valid JSON (JSONC: comments and trailing commas allowed) at offset ${errors[0].offset}`);
  if (value === undefined) return { ok: true, config: {} };
  if (!isObject(value)) return fail(`${name} must hold an object, such as { "exclude": ["test/fixtures/**"] }`);
  const config: ProjectConfig = {};
  for (const [key, entry] of Object.entries(value)) {
    switch (key) {
      case '$schema':
        break;
      case 'exclude':
        if (!Array.isArray(entry) || !entry.every((g) => typeof g === 'string' && g.trim() !== ''))
          return fail(`"exclude" in ${name} must be a list of globs, such as ["test/fixtures/**"]`);
        config.exclude = entry as string[];
        break;
      case 'rules': {
        if (!isObject(entry)) return fail(`"rules" in ${name} must be an object such as { "jira-dc-pat": "off" }`);
        const off: RuleId[] = [];
        for (const [id, state] of Object.entries(entry)) {
          if (!Object.prototype.hasOwnProperty.call(RULES, id))
            return fail(`unknown rule ${quoteKey(id)} in "rules" of ${name} (rules: ${Object.keys(RULES).join(', ')})`);
          if (state !== 'off' && state !== 'on') return fail(`rule ${quoteKey(id)} in ${name} must be "off" or "on"`);
          if (state === 'off') off.push(id as RuleId);
        }
        config.rulesOff = off;
        break;
      }
      case 'inlineIgnores':
      case 'reportUnverified':
        if (typeof entry !== 'boolean') return fail(`"${key}" in ${name} must be true or false`);
        config[key] = entry;
        break;
      case 'maxFileSize': {
        const bytes = typeof entry === 'number' ? sizeInBytes(String(entry)) : typeof entry === 'string' ? sizeInBytes(entry) : undefined;
        if (bytes === undefined) return fail(`"maxFileSize" in ${name} must be a size such as "2MB", "512KB" or a number of KB`);
        config.maxFileBytes = bytes;
        break;
      }
      case 'verifyHosts': {
        if (!Array.isArray(entry)) return fail(`"verifyHosts" in ${name} must be a list of URLs, such as ["https://jira.example.com"]`);
        const hosts: string[] = [];
        for (const url of entry) {
          const normalized = typeof url === 'string' ? normalizeBaseUrl(url) : undefined;
          if (!normalized?.ok || !/^https?:\/\//.test(url as string))
            return fail(`"verifyHosts" in ${name} must list http(s) URLs of Jira sites, such as "https://jira.example.com"`);
          hosts.push(normalized.url);
        }
        config.verifyHosts = hosts;
        break;
      }
      default:
        return fail(`unknown key ${quoteKey(key)} in ${name} (known keys: ${CONFIG_KEYS.join(', ')})`);
    }
  }
  return { ok: true, config };
}

/**
 * What an untrusted file may still do: only make the guard stricter. Kept: inline ignores off, unverified
 * tokens reported, a size limit above `currentMaxBytes`. Dropped: exclude, rules off, inline ignores on, a
 * smaller limit, verify hosts (a token would go where the file says). `dropped` names the keys left out.
 */
export function stricterOnly(config: ProjectConfig, currentMaxBytes: number): { config: ProjectConfig; dropped: string[] } {
  const kept: ProjectConfig = {};
  const dropped: string[] = [];
  if (config.exclude?.length) dropped.push('exclude');
  if (config.rulesOff?.length) dropped.push('rules');
  if (config.verifyHosts?.length) dropped.push('verifyHosts');
  if (config.inlineIgnores === false) kept.inlineIgnores = false;
  else if (config.inlineIgnores === true) dropped.push('inlineIgnores');
  if (config.reportUnverified === true) kept.reportUnverified = true;
  else if (config.reportUnverified === false) dropped.push('reportUnverified');
  if (config.maxFileBytes !== undefined) {
    if (config.maxFileBytes > currentMaxBytes) kept.maxFileBytes = config.maxFileBytes;
    else if (config.maxFileBytes < currentMaxBytes) dropped.push('maxFileSize');
  }
  return { config: kept, dropped };
}

/** `2048` (KB), `512k`, `512kb`, `4m`, `4MB`, `100b`: bytes, or undefined when it is not a positive size. */
export function sizeInBytes(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(b|k|kb|m|mb|g|gb)?$/i.exec(value.trim());
  const units: Record<string, number> = { b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };
  const bytes = match ? Math.floor(Number(match[1]) * units[(match[2] ?? 'kb').toLowerCase()]) : NaN;
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A key name from the file, safe to print: escaped, and cut short (a token pasted as a key is not repeated whole). */
function quoteKey(key: string): string {
  if (looksLikeToken(key.trim())) return '(a key shaped like a token, not repeated)';
  const shown = key.length > 40 ? `${key.slice(0, 20)}…` : key;
  return `"${escapeControls(shown)}"`;
}

function fail(error: string): ConfigResult {
  return { ok: false, error };
}
