// Jira / Confluence Data Center personal access tokens: 44 base64 characters that decode to
// "<numeric id>:<20 random bytes>"; Bitbucket Data Center HTTP access tokens are "BBDC-" and the same.
// Candidates are base64 runs of that length, and 44-character windows of longer runs that '/' delimits
// on both sides (`…/token/<PAT>`, `<PAT>/…`): '/' is a base64 character, so a run alone cannot tell.
// A window must be delimited on both sides and the run short enough to be a path, so a PAT-like
// stretch inside a longer blob stays silent.
import { base64Bytes } from '../../common/bytes';
import { decodePatId } from '../../tokens/tokenShapes';
import { looksLikeRandomBytes } from './randomness';

export const PAT_LENGTH = 44;
export const BITBUCKET_DC_PREFIX = 'BBDC-';
const SLASH = 0x2f;
/** The longest run of base64 characters read as a path around a PAT (`org/rest/api/2/token/<PAT>/x`). */
export const MAX_PATH_RUN = PAT_LENGTH + 160;
const NONE: readonly number[] = [];

/** A digit id encodes to M, N or O then D, T, j or z: a cheap test before decoding. */
function hasPatLead(text: string, start: number): boolean {
  return 'MNO'.includes(text[start]) && 'DTjz'.includes(text[start + 1]);
}

export function isDataCenterPat(value: string): boolean {
  if (value.length !== PAT_LENGTH || !hasPatLead(value, 0) || decodePatId(value) === undefined) return false;
  const bytes = base64Bytes(value);
  return looksLikeRandomBytes(bytes.subarray(bytes.indexOf(0x3a) + 1));
}

/** Where PATs start in `start`/`end`, a maximal run of base64 characters at least PAT_LENGTH long; in order. */
export function patsInRun(text: string, start: number, end: number): readonly number[] {
  let found: number[] | undefined;
  const at = (patStart: number) => {
    if (hasPatLead(text, patStart) && isDataCenterPat(text.slice(patStart, patStart + PAT_LENGTH))) (found ??= []).push(patStart);
  };
  // Padding after the window means a longer value, not a PAT.
  if (end - start === PAT_LENGTH) {
    if (text.charCodeAt(end) !== 0x3d) at(start);
    return found ?? NONE;
  }
  // A path is short; a longer run is a blob (an image, a certificate), where a slash is just a character.
  if (end - start > MAX_PATH_RUN) return NONE;
  if (text.charCodeAt(start + PAT_LENGTH) === SLASH) at(start);
  for (let i = start; i < end - PAT_LENGTH; i++) {
    if (text.charCodeAt(i) !== SLASH) continue;
    const windowEnd = i + 1 + PAT_LENGTH;
    if (windowEnd === end ? text.charCodeAt(end) !== 0x3d : text.charCodeAt(windowEnd) === SLASH) at(i + 1);
  }
  return found ?? NONE;
}
