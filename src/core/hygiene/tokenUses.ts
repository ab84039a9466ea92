// "Where is this token used?": finds a token by value in text, and names the places outside the workspace
// where people keep Jira tokens. Only reads; never returns or prints the token. The home folder is a
// parameter, so tests use a temporary one.
import { basicCredentials } from '../common/bytes';
import * as fs from 'fs';
import * as path from 'path';
import type { ConnectionKind } from '../connections/connection';
import { looksLikeToken } from '../tokens/tokenShapes';

export interface TokenUse {
  /** Absolute path of the file. */
  file: string;
  /** 1-based line numbers where the token appears. */
  lines: number[];
}

/**
 * Whether a secret may be looked for by content on a command's request. Where it is found tells whether a
 * guess was right: harmless for a token of a known shape (no one guesses 192 random characters), an oracle
 * for a password or anything short or plain. Those are searched only in the user's own flow, after a question.
 */
export function searchableByContent(kind: ConnectionKind, secret: string): boolean {
  return kind !== 'datacenter-basic' && looksLikeToken(secret);
}

/** Characters that continue a token: an occurrence next to one of them is part of a longer value. */
const TOKEN_CHAR = /[A-Za-z0-9_+/-]/;

/**
 * The forms in which a token is written: as is, URL-encoded, and inside an HTTP Basic header
 * (`base64(user:token)`, as MCP configurations hold it).
 */
export function tokenForms(token: string, user?: string): string[] {
  const forms = new Set([token, encodeURIComponent(token)]);
  if (user) forms.add(basicCredentials(user, token).replace(/=+$/, ''));
  return [...forms].filter((f) => f.length >= 8);
}

/** 1-based lines where one of `forms` appears as a whole value (not inside a longer token-like run). */
export function linesContaining(text: string, forms: readonly string[]): number[] {
  const lines = new Set<number>();
  for (const form of forms) {
    for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) {
      const before = at > 0 ? text[at - 1] : '';
      const after = text[at + form.length] ?? '';
      if ((before && TOKEN_CHAR.test(before)) || (after && TOKEN_CHAR.test(after))) continue;
      lines.add(lineOf(text, at));
    }
  }
  return [...lines].sort((a, b) => a - b);
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Files outside the workspace where Jira tokens are commonly kept: netrc, shell start-up files, Jira
 * command-line tools' configs, and the user-level MCP configurations of VS Code and other AI assistants.
 * Only those that exist are read.
 */
export function wellKnownTokenPlaces(home: string, platform: NodeJS.Platform = process.platform, appData?: string): string[] {
  const h = (...parts: string[]): string => path.join(home, ...parts);
  const config =
    platform === 'darwin'
      ? h('Library', 'Application Support')
      : platform === 'win32'
        ? (appData ?? h('AppData', 'Roaming'))
        : h('.config');
  const places = [
    // netrc (curl, git, Python requests)
    h('.netrc'),
    h('_netrc'),
    // shell start-up files
    h('.bashrc'),
    h('.bash_profile'),
    h('.bash_login'),
    h('.profile'),
    h('.zshrc'),
    h('.zshenv'),
    h('.zprofile'),
    h('.config', 'fish', 'config.fish'),
    // Jira command-line tools: jira-cli, go-jira, Atlassian CLI (acli)
    h('.config', '.jira', '.config.yml'),
    h('.jira.d', 'config.yml'),
    h('.config', 'jira', 'config.yml'),
    h('.config', 'acli', 'config.yaml'),
    // MCP configurations: VS Code (stable, Insiders, remote server), Cursor, Windsurf, Claude, Gemini, Continue
    path.join(config, 'Code', 'User', 'mcp.json'),
    path.join(config, 'Code - Insiders', 'User', 'mcp.json'),
    path.join(config, 'Code', 'User', 'settings.json'),
    h('.vscode-server', 'data', 'User', 'mcp.json'),
    h('.vscode', 'mcp.json'),
    h('.cursor', 'mcp.json'),
    h('.codeium', 'windsurf', 'mcp_config.json'),
    path.join(config, 'Claude', 'claude_desktop_config.json'),
    h('.claude.json'),
    h('.claude', 'settings.json'),
    h('.gemini', 'settings.json'),
    h('.continue', 'config.json'),
    h('.continue', 'config.yaml'),
  ];
  return [...new Set(places)];
}

/** `~/…` and `$HOME/…` expanded against `home`; relative paths are taken from `home` too. */
export function expandHome(raw: string, home: string): string {
  const trimmed = raw.trim();
  if (trimmed === '~' || trimmed === '$HOME') return home;
  const rest = /^(?:~|\$HOME)[\\/](.*)$/.exec(trimmed);
  if (rest) return path.join(home, rest[1]);
  return path.isAbsolute(trimmed) ? trimmed : path.join(home, trimmed);
}

export const MAX_PLACE_BYTES = 4 * 1024 * 1024;

/** Reads each file (skipping missing, unreadable, binary and very large ones) and finds the token in it. */
export async function findTokenInFiles(files: Iterable<string>, forms: readonly string[]): Promise<TokenUse[]> {
  const uses: TokenUse[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file)) continue;
    seen.add(file);
    let text: string;
    try {
      const stat = await fs.promises.stat(file);
      if (!stat.isFile() || stat.size > MAX_PLACE_BYTES) continue;
      const bytes = await fs.promises.readFile(file);
      if (bytes.includes(0)) continue;
      text = bytes.toString('utf8');
    } catch {
      continue;
    }
    const lines = linesContaining(text, forms);
    if (lines.length) uses.push({ file, lines });
  }
  return uses;
}
