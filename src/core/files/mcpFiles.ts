// Which files are AI-assistant MCP configurations, by name. Apart from hygiene/mcpConfig.ts, so that the
// scanner, which asks this of every file, does not load the JSONC parser that edits them.
const MCP_FILE_NAMES = new Set([
  'mcp.json',
  '.mcp.json',
  'claude_desktop_config.json',
  'mcp_config.json',
  'cline_mcp_settings.json',
  'mcp_settings.json',
]);
/** Files with another name that hold MCP servers: Gemini CLI and Claude Code settings, Zed. */
const MCP_FILE_PATHS = ['.gemini/settings.json', '.claude/settings.json', '.claude/settings.local.json', '.claude.json'];

function normalized(fileName: string): string {
  return fileName.replace(/\\/g, '/').toLowerCase();
}

/** `.vscode/mcp.json`, `.cursor/mcp.json`, `claude_desktop_config.json`, `.mcp.json` and the like. */
export function isMcpConfigFile(fileName: string | undefined): boolean {
  // Asked for every file of a folder scan: most are not JSON, and are told apart without a copy of the path.
  if (!fileName || !endsWithJson(fileName)) return false;
  const path = normalized(fileName);
  const base = path.slice(path.lastIndexOf('/') + 1);
  return MCP_FILE_NAMES.has(base) || MCP_FILE_PATHS.some((p) => path === p || path.endsWith(`/${p}`));
}

function endsWithJson(fileName: string): boolean {
  const n = fileName.length;
  return (
    n > 5 &&
    fileName.charCodeAt(n - 5) === 0x2e &&
    (fileName.charCodeAt(n - 4) | 0x20) === 0x6a &&
    (fileName.charCodeAt(n - 3) | 0x20) === 0x73 &&
    (fileName.charCodeAt(n - 2) | 0x20) === 0x6f &&
    (fileName.charCodeAt(n - 1) | 0x20) === 0x6e
  );
}

/** The workspace MCP configuration of VS Code, which understands `${input:…}`. */
export function isVsCodeMcpConfig(fileName: string | undefined): boolean {
  return !!fileName && /(?:^|\/)\.vscode\/mcp\.json$/.test(normalized(fileName));
}
