// Jira / Confluence Data Center personal access tokens: 44 base64 characters that decode to
// "<numeric id>:<20 random bytes>", and Bitbucket Data Center HTTP access tokens ("BBDC-" + the same).
// Candidates are base64 runs of that length, and 44-character windows of longer runs that '/' delimits
// on both sides (`…/token/<PAT>`, `<PAT>/…`): '/' is a base64 character, so a run alone cannot tell.
// A window must be delimited on both sides and the run short enough to be a path, so a PAT-like
// stretch inside a longer blob stays silent.
import { decodePatId } from '../../tokens/tokenShapes';
import { bitbucketDcTokenMessage, SECRET_KINDS, tokenMessage } from '../messages';
import { looksLikeRandomBytes } from './randomness';
import { endsBefore, keywordNear, PAT_KEYWORDS } from './textContext';
import { Candidate } from '../types';

export const PAT_LENGTH = 44;
export const BITBUCKET_DC_PREFIX = 'BBDC-';
const BEARER = /bearer[ \t]+$/i;
const SLASH = 0x2f;
/** The longest run of base64 characters read as a path around a PAT (`org/rest/api/2/token/<PAT>/x`). */
const MAX_PATH_RUN = PAT_LENGTH + 160;

/** A digit id encodes to M, N or O then D, T, j or z: a cheap test before decoding. */
function hasPatLead(text: string, start: number): boolean {
  return 'MNO'.includes(text[start]) && 'DTjz'.includes(text[start + 1]);
}

export function isDataCenterPat(value: string): boolean {
  if (value.length !== PAT_LENGTH || !hasPatLead(value, 0) || decodePatId(value) === undefined) return false;
  const bytes = Buffer.from(value, 'base64');
  return looksLikeRandomBytes(bytes.subarray(bytes.indexOf(0x3a) + 1));
}

/** `start`/`end`: a maximal run of base64 characters, at least PAT_LENGTH long. */
export function detectDataCenterPat(text: string, start: number, end: number, out: Candidate[]): void {
  // Padding after the window means a longer value, not a PAT.
  if (end - start === PAT_LENGTH) {
    if (text.charCodeAt(end) !== 0x3d) detectAt(text, start, out);
    return;
  }
  // A path is short; a longer run is a blob (an image, a certificate), where a slash is just a character.
  if (end - start > MAX_PATH_RUN) return;
  if (text.charCodeAt(start + PAT_LENGTH) === SLASH) detectAt(text, start, out);
  for (let i = start; i < end - PAT_LENGTH; i++) {
    if (text.charCodeAt(i) !== SLASH) continue;
    const windowEnd = i + 1 + PAT_LENGTH;
    if (windowEnd === end ? text.charCodeAt(end) !== 0x3d : text.charCodeAt(windowEnd) === SLASH) detectAt(text, i + 1, out);
  }
}

function detectAt(text: string, start: number, out: Candidate[]): void {
  if (!hasPatLead(text, start)) return;
  const end = start + PAT_LENGTH;
  const value = text.slice(start, end);
  if (!isDataCenterPat(value)) return;
  if (text.startsWith(BITBUCKET_DC_PREFIX, start - BITBUCKET_DC_PREFIX.length)) {
    const tokenStart = start - BITBUCKET_DC_PREFIX.length;
    out.push({
      ruleId: 'bitbucket-dc-http-token',
      start: tokenStart,
      end,
      confidence: 'high',
      secret: text.slice(tokenStart, end),
      secretKind: SECRET_KINDS.bitbucketDcToken,
      message: bitbucketDcTokenMessage(),
    });
    return;
  }
  const bearer = endsBefore(text, start, BEARER);
  const keyword = bearer || keywordNear(text, start, end, PAT_KEYWORDS);
  const kind = SECRET_KINDS.dataCenterPat;
  out.push({
    ruleId: 'jira-dc-pat',
    start,
    end,
    confidence: keyword ? 'high' : 'medium',
    secret: value,
    secretKind: kind,
    message: tokenMessage(kind, bearer ? 'sent as a Bearer token' : keyword ? 'next to a Jira keyword' : 'decodes to the PAT structure'),
  });
}
