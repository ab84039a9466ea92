// The places outside the workspace where people keep Jira tokens, and the search of them for a token (its
// forms from core/hygiene/tokenUses.ts). Only reads; never returns or prints the token. The home folder is a
// parameter, so tests use a temporary one.
import * as fs from 'fs';
import * as path from 'path';
import { linesContaining, type TokenUse } from '../core/hygiene/tokenUses';

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
