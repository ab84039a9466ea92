// Bitbucket app passwords: "ATBB", 24 alphanumerics and the CRC-32 of those 28 characters in upper-case hex.
import { hasValidCrcTail } from '../../tokens/tokenShapes';
import { prefix } from '../anchors';
import { allIn, ALPHANUMERIC, isIn, UPPER_HEX } from '../charClasses';
import { CRC_LENGTH } from '../context/cloudTokens';
import { appPasswordMessage, SECRET_KINDS, unverifiedMessage } from '../findingMessages';
import { defineRule, type RuleScan } from '../rule';

const APP_PASSWORD_LENGTH = 36;

export const bitbucketAppPassword = defineRule({
  id: 'bitbucket-app-password',
  title: 'Bitbucket app password',
  description:
    'A Bitbucket Cloud app password (ATBB…) whose CRC-32 checksum is valid. App passwords stopped authenticating on 9 June 2026, but the same string may be reused elsewhere: remove it; there is nothing to check.',
  defaultConfidence: 'high',
  order: 30,
  anchors: [prefix('ATBB')],
  detect: detectAppPassword,
});

function detectAppPassword(text: string, at: number, _end: number, scan: RuleScan): void {
  const end = at + APP_PASSWORD_LENGTH;
  const crcStart = end - CRC_LENGTH;
  if (!allIn(text, at + 4, crcStart, ALPHANUMERIC) || !allIn(text, crcStart, end, UPPER_HEX) || isIn(text.charCodeAt(end), ALPHANUMERIC))
    return;
  const value = text.slice(at, end);
  const verified = hasValidCrcTail(value);
  if (!verified && !scan.reportUnverified) return;
  const kind = SECRET_KINDS.appPassword;
  scan.report({
    start: at,
    end,
    confidence: verified ? 'high' : 'low',
    secret: value,
    secretKind: kind,
    message: verified ? appPasswordMessage() : unverifiedMessage(kind),
  });
}
