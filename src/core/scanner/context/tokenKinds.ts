// What a standalone value (a decoded password) is, by its structure alone.
import { classifyToken } from '../../tokens/tokenShapes';
import { allIn, ALPHANUMERIC } from '../charClasses';
import { isDataCenterPat } from './dataCenterPats';
import { looksGenerated } from './randomness';
import { SECRET_KINDS, type SecretKind } from '../findingMessages';

/** A legacy Cloud API token's length: 24 alphanumerics, no checksum. */
export const LEGACY_LENGTH = 24;

export function isLegacyTokenShape(value: string): boolean {
  return value.length === LEGACY_LENGTH && allIn(value, 0, LEGACY_LENGTH, ALPHANUMERIC) && looksGenerated(value);
}

export interface TokenKind {
  kind: SecretKind;
  /** CRC-32 valid (prefixed tokens) or structurally sound (PATs). */
  verified: boolean;
}

export function tokenKindOf(value: string): TokenKind | undefined {
  switch (classifyToken(value)) {
    case 'cloud-api-token':
      return { kind: SECRET_KINDS.cloudToken, verified: true };
    case 'atlassian-access-token':
      return { kind: SECRET_KINDS.accessToken, verified: true };
    case 'bitbucket-app-password':
      return { kind: SECRET_KINDS.appPassword, verified: true };
    case 'cloud-api-token-unverified':
      return { kind: value.startsWith('ATCTT3') ? SECRET_KINDS.accessToken : SECRET_KINDS.cloudToken, verified: false };
    case 'bitbucket-dc-http-token':
      return isDataCenterPat(value.slice(5)) ? { kind: SECRET_KINDS.bitbucketDcToken, verified: true } : undefined;
    case 'datacenter-pat':
      return isDataCenterPat(value) ? { kind: SECRET_KINDS.dataCenterPat, verified: true } : undefined;
    default:
      return undefined;
  }
}
