// What a tool started for the user gets from a connection: the Atlassian remote MCP server's Authorization
// header, and the environment of a local Jira MCP server (the variable names those servers read).
// Pure: no vscode, no I/O; the token comes in as an argument and is never kept.
import { basicCredentials } from '../common/bytes';
import { type Connection, isCloudKind } from '../connections/connection';

/** Atlassian's remote (Rovo) MCP server, streamable HTTP; API tokens go in a Basic Authorization header. */
export const ATLASSIAN_REMOTE_MCP_URL = 'https://mcp.atlassian.com/v1/mcp';

/** Only Cloud connections with an email can use the remote server (it serves Atlassian Cloud only). */
export function canUseAtlassianRemoteMcp(connection: Pick<Connection, 'kind' | 'email'>): boolean {
  return isCloudKind(connection.kind) && !!connection.email;
}

/** `Basic base64(email:token)`, as Atlassian documents for personal API tokens. */
export function remoteMcpAuthorization(connection: Pick<Connection, 'email'>, token: string): string {
  return `Basic ${basicCredentials(connection.email ?? '', token)}`;
}

/**
 * Environment of a local stdio Jira MCP server: JIRA_URL, then JIRA_USERNAME and JIRA_API_TOKEN (Cloud and
 * Data Center basic auth), or JIRA_PERSONAL_TOKEN for a Data Center PAT.
 */
export function localMcpEnvironment(
  connection: Pick<Connection, 'kind' | 'baseUrl' | 'email' | 'username'>,
  token: string,
): Record<string, string> {
  const env: Record<string, string> = { JIRA_URL: connection.baseUrl };
  if (connection.kind === 'datacenter-pat') {
    env.JIRA_PERSONAL_TOKEN = token;
    return env;
  }
  const user = isCloudKind(connection.kind) ? connection.email : connection.username;
  if (user) env.JIRA_USERNAME = user;
  env.JIRA_API_TOKEN = token;
  return env;
}

/** The variable names only (for messages and the manifest's documentation), in the same order. */
export function localMcpVariables(connection: Pick<Connection, 'kind' | 'baseUrl' | 'email' | 'username'>): string[] {
  return Object.keys(localMcpEnvironment(connection, ''));
}
