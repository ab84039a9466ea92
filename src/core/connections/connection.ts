// The non-secret description of a Jira connection, and the verdict of a credential check.
// The token itself never appears in these types: it lives only in SecretStorage.

export type ConnectionKind = 'cloud' | 'cloud-scoped' | 'datacenter-pat' | 'datacenter-basic';

export const CONNECTION_KINDS: readonly ConnectionKind[] = ['cloud', 'cloud-scoped', 'datacenter-pat', 'datacenter-basic'];

export type CheckStatus =
  | 'valid'
  | 'invalid'
  | 'expired'
  | 'forbidden'
  | 'captcha'
  | 'rate-limited'
  | 'wrong-host'
  | 'not-jira'
  | 'not-found'
  | 'unreachable'
  | 'tls-error'
  | 'timeout'
  | 'unexpected';

export interface JiraIdentity {
  accountId?: string;
  name?: string;
  key?: string;
  displayName?: string;
  emailAddress?: string | null;
}

export interface CheckResult {
  status: CheckStatus;
  httpStatus?: number;
  identity?: JiraIdentity;
  /** ISO date; Data Center PAT expiry read from the PAT API. */
  expiresAt?: string;
  retryAfterSeconds?: number;
  requestId?: string;
  /** One plain sentence, never containing a secret. */
  message: string;
  /** The next step for the user. */
  hint?: string;
  durationMs: number;
  /** Set when the check found the connection needs another kind (an unscoped check that only the gateway accepts). */
  suggestedKind?: ConnectionKind;
  /** Cloud id found through /_edge/tenant_info, for scoped tokens. */
  cloudId?: string;
  /** Login page for CAPTCHA or SSO. */
  loginUrl?: string;
}

export interface Connection {
  id: string;
  label: string;
  kind: ConnectionKind;
  /** Normalised: scheme + host (+ Data Center context path), no trailing slash. */
  baseUrl: string;
  email?: string;
  username?: string;
  cloudId?: string;
  createdAt: string;
  rotatedAt?: string;
  expiresAt?: string;
  lastCheck?: CheckResult & { checkedAt: string };
  /** Set for a connection added without its secret (imported from a file) until Replace Token gives one. */
  tokenMissing?: boolean;
  /**
   * SHA-256 and length of the stored token, so the leak guard knows it without reading SecretStorage. Only for
   * values with a token's shape: never for a password (an unsalted hash of a password can be guessed).
   */
  tokenFingerprint?: TokenFingerprint;
}

export interface TokenFingerprint {
  sha256: string;
  length: number;
}

export function isCloudKind(kind: ConnectionKind): boolean {
  return kind === 'cloud' || kind === 'cloud-scoped';
}

/** The user name the connection authenticates as: email for Cloud, username for Data Center basic auth. */
export function connectionUser(connection: Pick<Connection, 'email' | 'username'>): string | undefined {
  return connection.email ?? connection.username;
}

/** What a credential check reads: where to send the secret, as whom, and the expiry on record. */
export type Credential = Pick<Connection, 'kind' | 'baseUrl' | 'email' | 'username' | 'cloudId' | 'expiresAt'>;

/** What a verdict teaches about a connection: its last check, and from a valid one its real kind, cloud id, PAT expiry and user. */
export function learnedFromCheck(
  connection: Pick<Credential, 'kind' | 'email' | 'username'>,
  result: CheckResult,
  now: Date,
): Partial<Connection> {
  const learned: Partial<Connection> = { lastCheck: { ...result, checkedAt: now.toISOString() } };
  if (result.cloudId) learned.cloudId = result.cloudId;
  if (result.expiresAt) learned.expiresAt = result.expiresAt;
  if (result.status !== 'valid') return learned;
  if (result.suggestedKind && result.suggestedKind !== connection.kind) learned.kind = result.suggestedKind;
  // A PAT names no user when it is added: remember whose token it turned out to be.
  if (!connection.email && !connection.username && result.identity?.name) learned.username = result.identity.name;
  return learned;
}

/** Verdicts where the site could not be asked at all: saving or retrying anyway is reasonable. */
export const SITE_UNAVAILABLE: ReadonlySet<CheckStatus> = new Set<CheckStatus>(['unreachable', 'timeout', 'not-found', 'tls-error']);
