// The rules, for SARIF and the docs, and the words findings use. No message ever holds the secret.
import { Confidence, RuleId } from './types';

export interface RuleInfo {
  title: string;
  description: string;
  defaultConfidence: Confidence;
}

export const RULES: Record<RuleId, RuleInfo> = {
  'atlassian-api-token': {
    title: 'Atlassian API token',
    description:
      'An Atlassian Cloud API token (ATATT3…) whose CRC-32 checksum is valid, so almost certainly real. It signs in to Jira, Confluence and the other Atlassian Cloud products as its owner.',
    defaultConfidence: 'high',
  },
  'atlassian-access-token': {
    title: 'Atlassian access token',
    description:
      'An ATCTT3… token whose CRC-32 checksum is valid. Atlassian issues this prefix for Bitbucket Cloud workspace, project and repository access tokens; other tools also read it as an organisation admin API key. Either way it is a live credential.',
    defaultConfidence: 'high',
  },
  'bitbucket-app-password': {
    title: 'Bitbucket app password',
    description:
      'A Bitbucket Cloud app password (ATBB…) whose CRC-32 checksum is valid. App passwords stopped authenticating on 9 June 2026, but the same string may be reused elsewhere: remove it; there is nothing to check.',
    defaultConfidence: 'high',
  },
  'bitbucket-dc-http-token': {
    title: 'Bitbucket Data Center HTTP access token',
    description:
      'A BBDC-… value whose base64 part decodes to "<numeric id>:<random bytes>": a Bitbucket Data Center HTTP access token (personal, project or repository). It works against the Bitbucket server until it is revoked or expires.',
    defaultConfidence: 'high',
  },
  'atlassian-api-token-legacy': {
    title: 'Atlassian API token (legacy format)',
    description:
      'A random-looking 24-character value assigned to a Jira, Atlassian or Confluence setting (or to a credential in a Jira section: `[jira]`, `jira:`, `<jira>`, `provider "jira" {`, a .netrc entry for a Jira host): the format of Atlassian Cloud API tokens before 2023. It has no checksum, so it is reported with medium confidence.',
    defaultConfidence: 'medium',
  },
  'jira-dc-pat': {
    title: 'Jira Data Center personal access token',
    description:
      'A 44-character base64 value that decodes to "<numeric id>:<random bytes>", the structure of Jira and Confluence Data Center personal access tokens. High confidence next to a Jira keyword or a Bearer header, medium otherwise.',
    defaultConfidence: 'high',
  },
  'jira-basic-auth-header': {
    title: 'Jira credentials in a Basic authorization header',
    description:
      'A `Basic` authorization value whose decoded password is a Jira token: a checksum-valid Cloud token, a Data Center PAT, or a legacy token next to a Jira host or keyword.',
    defaultConfidence: 'high',
  },
  'atlassian-url-credentials': {
    title: 'Password in a Jira or Atlassian URL',
    description: 'A URL to an Atlassian Cloud or Jira host with a password in it (https://user:password@site.atlassian.net/…).',
    defaultConfidence: 'high',
  },
  'mcp-config-credential': {
    title: 'Credential in an AI-assistant MCP configuration',
    description:
      'A literal Jira, Confluence or Atlassian credential in an MCP configuration (.vscode/mcp.json, .cursor/mcp.json, claude_desktop_config.json, .mcp.json, …): a Basic or Bearer Authorization header of an Atlassian server, a JIRA_API_TOKEN-style entry of its env block, or a token argument. In .vscode/mcp.json, a quick fix replaces it by an ${input:…} that VS Code asks for once and keeps in its secret storage.',
    defaultConfidence: 'high',
  },
  'known-stored-token': {
    title: 'Live token of a stored connection',
    description: 'The text holds a token that is stored for one of your Jira connections: it is live and now exposed.',
    defaultConfidence: 'high',
  },
};

export const SECRET_KINDS = {
  cloudToken: 'Jira Cloud API token',
  accessToken: 'Atlassian access token',
  appPassword: 'Bitbucket app password',
  legacyToken: 'Jira Cloud API token (legacy format)',
  dataCenterPat: 'Jira Data Center PAT',
  bitbucketDcToken: 'Bitbucket Data Center HTTP access token',
  password: 'Jira password',
  storedToken: 'Stored Jira token',
  mcpCredential: 'Atlassian credential',
} as const;

export type SecretKind = (typeof SECRET_KINDS)[keyof typeof SECRET_KINDS];

/** A verified or probable token: what it is and why it matters first (the Problems panel cuts long lines), then the evidence. */
export function tokenMessage(kind: SecretKind, evidence: string): string {
  return `${kind} in plain text: anyone who can read this can use it. Move it to a secret store (${evidence}).`;
}

/** ATCTT3 has two readings in the wild: both are named, the shorter first. */
export function accessTokenMessage(evidence: string): string {
  return `Atlassian access token in plain text (ATCTT3…: a Bitbucket Cloud workspace, project or repository access token, which some tools read as an organisation admin API key): anyone who can read this can use it. Move it to a secret store (${evidence}).`;
}

/** App passwords no longer sign in anywhere, so checking one is pointless; the string itself may still be reused. */
export function appPasswordMessage(): string {
  return 'Bitbucket app password in plain text: app passwords no longer authenticate since June 2026, but the same string may be in use elsewhere. Remove it from the file (and its history); do not check it.';
}

export function bitbucketDcTokenMessage(): string {
  return 'Bitbucket Data Center HTTP access token in plain text: anyone who can read this can use it on your Bitbucket server. Revoke it (Manage account › HTTP access tokens) and keep its successor in a secret store.';
}

/** The message for a verified token of any kind, with the evidence it was found by. */
export function verifiedTokenMessage(kind: SecretKind, evidence: string): string {
  if (kind === SECRET_KINDS.appPassword) return appPasswordMessage();
  if (kind === SECRET_KINDS.accessToken) return accessTokenMessage(evidence);
  if (kind === SECRET_KINDS.bitbucketDcToken) return bitbucketDcTokenMessage();
  return tokenMessage(kind, evidence);
}

export function mcpCredentialMessage(kind: SecretKind, evidence: string): string {
  return `${kind} in an AI-assistant configuration: anyone who can read this file can use it. Let the client ask for it (an input or an environment variable) instead (${evidence}).`;
}

export function unverifiedMessage(kind: SecretKind): string {
  return `Looks like a ${kind}, but its checksum does not match: probably a placeholder or a truncated copy. If it is real, revoke it.`;
}

export function knownTokenMessage(label: string): string {
  return `This is the live token of connection “${label}”: rotate it.`;
}
