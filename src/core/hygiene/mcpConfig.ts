// AI-assistant MCP configuration files: where they live, and how a credential literal in
// `.vscode/mcp.json` becomes an `${input:…}` that VS Code asks for once and keeps in its secret storage.
// Edits go through jsonc-parser, so the file stays valid JSONC and keeps its formatting. Which files
// these are: core/files/mcpFiles.ts.
import {
  applyEdits,
  type Edit,
  findNodeAtLocation,
  findNodeAtOffset,
  type FormattingOptions,
  getNodePath,
  modify,
  type Node,
  parseTree,
  type ParseError,
} from 'jsonc-parser';

export interface McpInputPlan {
  /** Edits against the original text, not overlapping, in offset order (today: one). */
  edits: Edit[];
  inputId: string;
  /** What the user is asked for; never holds the secret. */
  description: string;
}

export interface McpFormatting {
  tabSize: number;
  insertSpaces: boolean;
  eol: string;
}

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false };

/**
 * Replaces the secret at [start, end) (inside a JSON string) by `${input:<id>}` and declares the input
 * as a password prompt. For `Authorization: Basic <base64>` the scheme stays in the file and the input
 * holds the base64 credentials: VS Code substitutes the input's text as it is, it does not encode.
 * Undefined when the span is not inside a plain string value of a valid file.
 */
export function planMcpInput(text: string, span: { start: number; end: number }, formatting: McpFormatting): McpInputPlan | undefined {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, PARSE_OPTIONS);
  if (!root || root.type !== 'object' || errors.length > 0) return undefined;
  const node = findNodeAtOffset(root, span.start);
  if (!node || node.type !== 'string' || span.start <= node.offset || span.end >= node.offset + node.length) return undefined;
  const raw = text.slice(node.offset + 1, node.offset + node.length - 1);
  // Escapes would make offsets in the text differ from offsets in the value.
  if (raw.includes('\\')) return undefined;
  const path = getNodePath(node);
  const inputs = findNodeAtLocation(root, ['inputs']);
  if (inputs && inputs.type !== 'array') return undefined;

  const scheme = /^(Basic|Bearer)\s+$/i.exec(raw.slice(0, span.start - node.offset - 1))?.[1];
  const names = describePath(path, scheme);
  const inputId = uniqueId(names.id, existingIds(inputs));
  const value = `${raw.slice(0, span.start - node.offset - 1)}\${input:${inputId}}${raw.slice(span.end - node.offset - 1)}`;
  const entry = { type: 'promptString', id: inputId, description: names.description, password: true };
  const formattingOptions: FormattingOptions = { tabSize: formatting.tabSize, insertSpaces: formatting.insertSpaces, eol: formatting.eol };
  // One after the other (on a one-line file their formatting would overlap), then as one minimal edit.
  const withValue = applyEdits(text, modify(text, path, value, { formattingOptions }));
  const result = applyEdits(
    withValue,
    inputs
      ? modify(withValue, ['inputs', -1], entry, { formattingOptions })
      : modify(withValue, ['inputs'], [entry], { formattingOptions }),
  );
  // The result must parse cleanly and no longer hold the secret.
  const after: ParseError[] = [];
  parseTree(result, after, PARSE_OPTIONS);
  if (after.length > 0 || result.includes(text.slice(span.start, span.end))) return undefined;
  const edits = [minimalEdit(text, result)];
  return { edits, inputId, description: names.description };
}

/** The one replacement that turns `before` into `after`: their common start and end stay untouched. */
function minimalEdit(before: string, after: string): Edit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end])
    end++;
  return { offset: start, length: before.length - start - end, content: after.slice(start, after.length - end) };
}

/** An id and a description from where the value sits: `servers.jira.env.JIRA_API_TOKEN`, `headers.Authorization`. */
function describePath(path: Array<string | number>, scheme: string | undefined): { id: string; description: string } {
  const keys = path.filter((p): p is string => typeof p === 'string');
  const serverIndex = keys.findIndex((k) => k === 'servers' || k === 'mcpServers');
  const server = serverIndex >= 0 ? keys[serverIndex + 1] : undefined;
  const key = keys[keys.length - 1] ?? 'secret';
  const where = server ? ` for the “${oneLine(server)}” MCP server` : '';
  if (scheme?.toLowerCase() === 'basic') {
    return {
      id: slug(`${server ?? 'atlassian'}-basic-auth`),
      description: `Atlassian credentials${where}: base64 of your-email:API-token (create a new token: the old one was written in this file)`,
    };
  }
  if (scheme)
    return {
      id: slug(`${server ?? 'atlassian'}-bearer-token`),
      description: `Bearer token${where} (create a new one: the old one was written in this file)`,
    };
  const isEnvName = /^[A-Z][A-Z0-9_]*$/.test(key);
  return {
    id: slug(isEnvName ? key : `${server ?? 'atlassian'}-${key}`),
    description: `${isEnvName ? oneLine(key) : 'Token'}${where} (create a new token: the old one was written in this file)`,
  };
}

function existingIds(inputs: Node | undefined): Set<string> {
  const ids = new Set<string>();
  for (const item of inputs?.children ?? []) {
    const id = findNodeAtLocation(item, ['id']);
    if (typeof id?.value === 'string') ids.add(id.value);
  }
  return ids;
}

function uniqueId(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Lower-case words joined by dashes: what `${input:…}` ids look like. */
function slug(text: string): string {
  return (
    text
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'atlassian-token'
  );
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').slice(0, 64);
}

/** Indentation of the file itself, for edits made without an editor. */
export function detectFormatting(text: string): McpFormatting {
  const indent = /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ';
  return {
    tabSize: indent.startsWith('\t') ? 4 : indent.length,
    insertSpaces: !indent.startsWith('\t'),
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}
