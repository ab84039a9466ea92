// `Authorization: Basic <base64(user:password)>` whose password is a Jira token. The finding covers the
// base64 value; the fingerprint is of the decoded password, so a token has one fingerprint everywhere.
import { BLANK, skipBackward } from '../charClasses';
import { SECRET_KINDS, tokenMessage, unverifiedMessage, verifiedTokenMessage } from '../messages';
import { isLegacyTokenShape } from './atlassianApiTokenLegacy';
import { endsBefore, JIRA_KEYWORDS, keywordNear } from '../context/textContext';
import { tokenKindOf } from '../context/tokenKinds';
import { Candidate } from '../types';

const BASIC_SCHEME = /(?:^|[^A-Za-z])basic[ \t]+$/i;
const MAX_VALUE_LENGTH = 1024;

/** `start`/`end`: a maximal run of base64 characters (padding not included). */
export function detectBasicAuth(text: string, start: number, end: number, reportUnverified: boolean, out: Candidate[]): void {
  const schemeEnd = skipBackward(text, start, Math.max(0, start - 4), BLANK);
  if (schemeEnd === start || (text.charCodeAt(schemeEnd - 1) | 0x20) !== 0x63 /* c */ || !endsBefore(text, start, BASIC_SCHEME)) return;
  let valueEnd = end;
  while (valueEnd < end + 2 && text.charCodeAt(valueEnd) === 0x3d /* = */) valueEnd++;
  if (valueEnd - start > MAX_VALUE_LENGTH) return;
  const credentials = Buffer.from(text.slice(start, valueEnd), 'base64').toString('utf8');
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
  else if (token && reportUnverified) candidate = { confidence: 'low', secretKind: token.kind, message: unverifiedMessage(token.kind) };
  else if (!token && isLegacyTokenShape(password) && keywordNear(text, start, valueEnd, JIRA_KEYWORDS)) {
    candidate = {
      confidence: 'high',
      secretKind: SECRET_KINDS.legacyToken,
      message: tokenMessage(SECRET_KINDS.legacyToken, 'in a Basic authorization header for Jira'),
    };
  }
  if (candidate) out.push({ ruleId: 'jira-basic-auth-header', start, end: valueEnd, secret: password, ...candidate });
}
