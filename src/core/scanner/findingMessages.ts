// The words findings use. No message ever holds the secret.
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
