// Credentials in AI-assistant MCP configurations (.vscode/mcp.json, .cursor/mcp.json,
// claude_desktop_config.json, .mcp.json, …). Atlassian's remote MCP server is configured with
// `Authorization: Basic base64(email:token)`, community Jira servers read JIRA_API_TOKEN or
// CONFLUENCE_API_TOKEN from an `env` block: any literal there is a live credential whatever its format.
// Tokens of a known format keep their own rule (it outranks this one where both report).
import { base64Bytes, utf8Text } from '../../common/bytes';
import { findNodeAtLocation, type Node, parseTree } from 'jsonc-parser';
import { isMcpConfigFile } from '../../files/mcpFiles';
import { wholeFile } from '../anchors';
import { isCredentialName } from '../context/assignments';
import { isPlaceholderPassword } from '../context/placeholders';
import { mcpCredentialMessage, SECRET_KINDS } from '../findingMessages';
import { tokenKindOf } from '../context/tokenKinds';
import { defineRule, type RuleScan } from '../rule';

/** Configurations are small; a huge file with this name is not one, and is left to the other rules. */
const MAX_CONFIG_LENGTH = 512 * 1024;
const JIRA = /jira|atlassian|confluence|bitbucket/i;
const MIN_SECRET_LENGTH = 8;

export const mcpConfigCredential = defineRule({
  id: 'mcp-config-credential',
  title: 'Credential in an AI-assistant MCP configuration',
  description:
    'A literal Jira, Confluence or Atlassian credential in an MCP configuration (.vscode/mcp.json, .cursor/mcp.json, claude_desktop_config.json, .mcp.json, …): a Basic or Bearer Authorization header of an Atlassian server, a JIRA_API_TOKEN-style entry of its env block, or a token argument. In .vscode/mcp.json, a quick fix replaces it by an ${input:…} that VS Code asks for once and keeps in its secret storage.',
  defaultConfidence: 'high',
  order: 80,
  // Read whole: its credentials may be in any format, with no anchor to find. A range rescan finds the
  // same, filtered to its region.
  anchors: [wholeFile(isMcpConfigFile, MAX_CONFIG_LENGTH)],
  detect: (text, _start, _end, scan) => detectMcpCredentials(text, scan),
});

function detectMcpCredentials(text: string, scan: RuleScan): void {
  if (!JIRA.test(text)) return;
  let root: Node | undefined;
  try {
    root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  } catch {
    return; // nesting too deep for the parser's recursion: not a configuration
  }
  if (!root) return;
  const servers = ['servers', 'mcpServers', 'context_servers']
    .map((key) => findNodeAtLocation(root, [key]))
    .filter((n): n is Node => n?.type === 'object');
  // `{ "mcp": { "servers": … } }` (user settings) too.
  const nested = findNodeAtLocation(root, ['mcp', 'servers']);
  if (nested?.type === 'object') servers.push(nested);
  for (const list of servers) {
    for (const server of list.children ?? []) {
      const [name, config] = server.children ?? [];
      if (config?.type === 'object') detectInServer(text, String(name?.value ?? ''), config, scan);
    }
  }
}

function detectInServer(text: string, name: string, config: Node, scan: RuleScan): void {
  // Headers are only ours when the server is a Jira or Atlassian one; env names say it themselves.
  const atlassianServer = JIRA.test(name) || JIRA.test(text.slice(config.offset, config.offset + Math.min(config.length, 4096)));
  const args = findNodeAtLocation(config, ['args']);
  if (atlassianServer && args?.type === 'array') detectInArguments(text, args.children ?? [], scan);
  for (const block of ['env', 'headers', 'environment']) {
    const entries = findNodeAtLocation(config, [block]);
    if (entries?.type !== 'object') continue;
    for (const property of entries.children ?? []) {
      const [key, value] = property.children ?? [];
      if (typeof key?.value !== 'string' || value?.type !== 'string') continue;
      if (/^authorization$/i.test(key.value)) {
        if (atlassianServer) detectAuthorization(text, value, scan);
      } else if (JIRA.test(key.value) && isCredentialName(key.value)) {
        detectLiteral(text, value, `in the “${shortName(key.value)}” setting of an MCP server`, scan);
      }
    }
  }
}

const SECRET_FLAG = /^--?[\w-]*(?:token|password|passwd|pat|secret|api-key)$/i;

/** `["--jira-token", "…"]` and `["--jira-token=…"]` in the command line of an Atlassian server. */
function detectInArguments(text: string, items: Node[], scan: RuleScan): void {
  items.forEach((item, i) => {
    if (item.type !== 'string' || typeof item.value !== 'string') return;
    const previous = items[i - 1];
    if (previous?.type === 'string' && SECRET_FLAG.test(String(previous.value))) {
      detectLiteral(text, item, `after ${shortName(String(previous.value))} in the arguments of an MCP server`, scan);
      return;
    }
    const inline = /^(--?[\w-]+)=/.exec(item.value);
    if (inline && SECRET_FLAG.test(inline[1]) && !text.slice(item.offset + 1, item.offset + item.length - 1).includes('\\')) {
      const start = item.offset + 1 + inline[0].length;
      const secret = item.value.slice(inline[0].length);
      if (!isPlaceholder(secret))
        push(scan, start, start + secret.length, secret, `in ${shortName(inline[1])} in the arguments of an MCP server`);
    }
  });
}

/** `Basic <base64(user:password)>`: the finding spans the base64 value, its secret is the password. */
function detectAuthorization(text: string, value: Node, scan: RuleScan): void {
  const start = value.offset + 1;
  const raw = text.slice(start, value.offset + value.length - 1);
  const basic = /^(Basic[ \t]+)([A-Za-z0-9+/]+={0,2})$/i.exec(raw);
  if (basic) {
    const decoded = utf8Text(base64Bytes(basic[2]));
    const colon = decoded.indexOf(':');
    const password = decoded.slice(colon + 1);
    if (colon < 0 || password.length < MIN_SECRET_LENGTH || isPlaceholderPassword(password)) return;
    const valueStart = start + basic[1].length;
    push(scan, valueStart, valueStart + basic[2].length, password, 'in a Basic authorization header of an MCP server');
    return;
  }
  const bearer = /^(Bearer[ \t]+)(\S+)$/i.exec(raw);
  if (bearer && !isPlaceholder(bearer[2])) {
    const tokenStart = start + bearer[1].length;
    push(scan, tokenStart, tokenStart + bearer[2].length, bearer[2], 'as the Bearer token of an MCP server');
  }
}

function detectLiteral(text: string, value: Node, evidence: string, scan: RuleScan): void {
  const start = value.offset + 1;
  const raw = text.slice(start, value.offset + value.length - 1);
  if (isPlaceholder(raw) || raw.includes('\\')) return;
  push(scan, start, start + raw.length, raw, evidence);
}

function push(scan: RuleScan, start: number, end: number, secret: string, evidence: string): void {
  const known = tokenKindOf(secret);
  const kind = known?.verified ? known.kind : SECRET_KINDS.mcpCredential;
  scan.report({
    start,
    end,
    confidence: 'high',
    secret,
    secretKind: kind,
    message: mcpCredentialMessage(kind, evidence),
  });
}

/** `${input:jira-token}`, `${env:JIRA_API_TOKEN}`, `<your-token>`, `xxxx`, `your-api-token`, … */
function isPlaceholder(value: string): boolean {
  if (value.length < MIN_SECRET_LENGTH || /\$\{[^}]*\}|\{\{[^}]*\}\}/.test(value) || /^\$[A-Z_]/.test(value)) return true;
  if (/^(?:your|my|<|\[|xxx)|here$|example|placeholder|changeme|redacted|\*{3}/i.test(value)) return true;
  return isPlaceholderPassword(value);
}

function shortName(key: string): string {
  return key.length <= 40 ? key : `${key.slice(0, 37)}…`;
}
