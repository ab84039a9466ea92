// Jira / Confluence Data Center personal access tokens: 44 base64 characters that decode to
// "<numeric id>:<20 random bytes>". Candidates are base64 runs of exactly that length.
import { decodePatId } from '../tokenShapes';
import { SECRET_KINDS, tokenMessage } from './rules';
import { looksLikeRandomBytes } from './randomness';
import { endsBefore, keywordNear, PAT_KEYWORDS } from './textContext';
import { Candidate } from './types';

export const PAT_LENGTH = 44;
const BEARER = /bearer[ \t]+$/i;

/** A digit id encodes to M, N or O then D, T, j or z: a cheap test before decoding. */
function hasPatLead(text: string, start: number): boolean {
  return 'MNO'.includes(text[start]) && 'DTjz'.includes(text[start + 1]);
}

export function isDataCenterPat(value: string): boolean {
  if (value.length !== PAT_LENGTH || !hasPatLead(value, 0) || decodePatId(value) === undefined) return false;
  const bytes = Buffer.from(value, 'base64');
  return looksLikeRandomBytes(bytes.subarray(bytes.indexOf(0x3a) + 1));
}

/** `start`/`end`: a maximal run of base64 characters. */
export function detectDataCenterPat(text: string, start: number, end: number, out: Candidate[]): void {
  // Padding after 44 characters means a longer value, not a PAT.
  if (end - start !== PAT_LENGTH || !hasPatLead(text, start) || text.charCodeAt(end) === 0x3d) return;
  const value = text.slice(start, end);
  if (!isDataCenterPat(value)) return;
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
