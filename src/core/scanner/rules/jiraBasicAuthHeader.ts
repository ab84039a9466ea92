// `Authorization: Basic <base64(user:password)>` whose password is a Jira token. The finding covers the
// base64 value; the fingerprint is of the decoded password, so a token has one fingerprint everywhere.
import { base64Bytes, utf8Text } from '../../common/bytes';
import { run } from '../anchors';
import { BLANK, skipBackward } from '../charClasses';
import { SECRET_KINDS, tokenMessage, unverifiedMessage, verifiedTokenMessage } from '../findingMessages';
import { endsBefore, JIRA_KEYWORDS, keywordNear } from '../context/textContext';
import { isLegacyTokenShape, LEGACY_LENGTH, tokenKindOf } from '../context/tokenKinds';
import { defineRule, type RuleScan } from '../rule';
import { type Candidate } from '../candidate';

const BASIC_SCHEME = /(?:^|[^A-Za-z])basic[ \t]+$/i;
const MAX_VALUE_LENGTH = 1024;

export const jiraBasicAuthHeader = defineRule({
  id: 'jira-basic-auth-header',
  title: 'Jira credentials in a Basic authorization header',
  description:
    'A `Basic` authorization value whose decoded password is a Jira token: a checksum-valid Cloud token, a Data Center PAT, or a legacy token next to a Jira host or keyword.',
  defaultConfidence: 'high',
  order: 60,
  // A Basic value of a token is longer than the shortest run searched: a legacy token's length.
  anchors: [run({ minLength: LEGACY_LENGTH, maxLength: Infinity, afterWord: 'basic' })],
  detect: detectBasicAuth,
});

/** `start`/`end`: a maximal run of base64 characters (padding not included). */
function detectBasicAuth(text: string, start: number, end: number, scan: RuleScan): void {
  const schemeEnd = skipBackward(text, start, Math.max(0, start - 4), BLANK);
  if (schemeEnd === start || (text.charCodeAt(schemeEnd - 1) | 0x20) !== 0x63 /* c */ || !endsBefore(text, start, BASIC_SCHEME)) return;
  let valueEnd = end;
  while (valueEnd < end + 2 && text.charCodeAt(valueEnd) === 0x3d /* = */) valueEnd++;
  if (valueEnd - start > MAX_VALUE_LENGTH) return;
  const credentials = utf8Text(base64Bytes(text.slice(start, valueEnd)));
  const password = credentials.slice(credentials.indexOf(':') + 1);
  if (!credentials.includes(':') || password.trim() !== password) return;

  const token = tokenKindOf(password);
  let candidate: Pick<Candidate, 'confidence' | 'secretKind' | 'message'> | undefined;
  if (token?.verified)
    candidate = {
      confidence: 'high',
      secretKind: token.kind,
      message: verifiedTokenMessage(token.kind, 'in a Basic authorization header'),
    };
  else if (token && scan.reportUnverified)
    candidate = { confidence: 'low', secretKind: token.kind, message: unverifiedMessage(token.kind) };
  else if (!token && isLegacyTokenShape(password) && keywordNear(text, start, valueEnd, JIRA_KEYWORDS)) {
    candidate = {
      confidence: 'high',
      secretKind: SECRET_KINDS.legacyToken,
      message: tokenMessage(SECRET_KINDS.legacyToken, 'in a Basic authorization header for Jira'),
    };
  }
  if (candidate) scan.report({ start, end: valueEnd, secret: password, ...candidate });
}
