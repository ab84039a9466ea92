// What a token looks like: the shapes and structural checks shared by the scanner, the input rules
// of the connection form and the credential check. Facts: docs/token-formats.md.
import { base64Bytes, latin1Text } from '../common/bytes';
import { crc32Hex } from './crc32';
import { sha256Hex } from './sha256';

export type TokenShape =
  | 'cloud-api-token' // ATATT3… with a valid CRC-32 tail
  | 'atlassian-access-token' // ATCTT3… with a valid CRC-32 tail
  | 'bitbucket-app-password' // ATBB… with a valid CRC-32 tail
  | 'cloud-api-token-unverified' // ATATT3/ATCTT3 shape with a wrong CRC: placeholder, truncated or typo
  | 'datacenter-pat' // 44 chars base64 → "<digits>:<random bytes>"
  | 'bitbucket-dc-http-token' // BBDC- + a PAT-structured body
  | 'legacy-cloud-token' // 24 alphanumerics
  | 'email'
  | 'unknown';

const ATLASSIAN_PREFIXED = /^(ATATT3|ATCTT3)[A-Za-z0-9_\-=]+=[A-F0-9]{8}$/;
const BITBUCKET = /^ATBB[A-Za-z0-9]{24}[A-F0-9]{8}$/;
const PAT = /^[A-Za-z0-9+/]{43}=?$|^[A-Za-z0-9+/]{44}$/;

/** True when the last 8 characters are the CRC-32 of everything before them. */
export function hasValidCrcTail(token: string): boolean {
  if (token.length < 9) return false;
  return crc32Hex(token, 0, token.length - 8) === token.slice(-8);
}

/** Decodes a Data Center PAT to its numeric id, or undefined when it lacks the `<digits>:<random>` structure. */
export function decodePatId(token: string): string | undefined {
  if (token.length !== 44 || !PAT.test(token)) return undefined;
  const bytes = base64Bytes(token);
  const colon = bytes.indexOf(0x3a);
  if (colon < 1 || colon > 20 || bytes.length - colon - 1 < 12) return undefined;
  for (let i = 0; i < colon; i++) if (bytes[i] < 0x30 || bytes[i] > 0x39) return undefined;
  return latin1Text(bytes, 0, colon);
}

export function classifyToken(raw: string): TokenShape {
  const token = raw.trim();
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(token)) return 'email';
  if (ATLASSIAN_PREFIXED.test(token)) {
    if (!hasValidCrcTail(token)) return 'cloud-api-token-unverified';
    return token.startsWith('ATATT3') ? 'cloud-api-token' : 'atlassian-access-token';
  }
  if (BITBUCKET.test(token)) return hasValidCrcTail(token) ? 'bitbucket-app-password' : 'unknown';
  if (decodePatId(token) !== undefined) return 'datacenter-pat';
  if (token.startsWith('BBDC-') && decodePatId(token.slice(5)) !== undefined) return 'bitbucket-dc-http-token';
  if (/^[A-Za-z0-9]{24}$/.test(token)) return 'legacy-cloud-token';
  return 'unknown';
}

/** True when the value has the shape of a token (any shape but an email address or unknown). */
export function looksLikeToken(value: string): boolean {
  const shape = classifyToken(value);
  return shape !== 'unknown' && shape !== 'email';
}

/** SHA-256 hex of the secret alone: one token has one fingerprint wherever it appears. */
export function fingerprintOf(secret: string): string {
  return sha256Hex(secret);
}

/** Shapes whose first and last 4 characters are a known prefix and part of a checksum or an id, not the secret's strength. */
const SHOWS_ITS_ENDS: ReadonlySet<TokenShape> = new Set<TokenShape>([
  'cloud-api-token',
  'atlassian-access-token',
  'bitbucket-app-password',
  'cloud-api-token-unverified',
  'datacenter-pat',
]);

/**
 * A long token of a recognised shape shows its first and last 4 characters, so people can tell tokens
 * apart; anything else (a password, a legacy 24-character token, a Basic value) shows nothing of itself.
 */
export function redactSecret(secret: string): string {
  if (secret.length < 32 || !SHOWS_ITS_ENDS.has(classifyToken(secret))) return '…';
  return `${secret.slice(0, 4)}…${secret.slice(-4)}`;
}
