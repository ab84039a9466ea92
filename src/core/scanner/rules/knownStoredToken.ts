// The live tokens of the store, known by fingerprint and length only. Runs of token characters of a
// stored length are hashed and compared; any other finding whose fingerprint is a stored one becomes a
// known-stored-token finding too (the scan does that: a token written with `\=` or inside a Basic header).
import { fingerprintOf } from '../../tokens/tokenShapes';
import { storedToken } from '../anchors';
import { TOKEN_CHARS } from '../charClasses';
import { findRuns } from '../kernels/runFinder';
import { knownTokenMessage, SECRET_KINDS } from '../findingMessages';
import { defineRule, type RuleScan } from '../rule';

export const knownStoredToken = defineRule({
  id: 'known-stored-token',
  title: 'Live token of a stored connection',
  description: 'The text holds a token that is stored for one of your Jira connections: it is live and now exposed.',
  defaultConfidence: 'high',
  // Outranks every rule: the user's own live token is named as such, whatever else the text looks like.
  order: 0,
  anchors: [storedToken()],
  detect: detectKnownTokens,
});

/** Candidates: a whole run (`"token"`), or the end of a run after '=' (`JIRA_TOKEN=token`). */
function detectKnownTokens(text: string, from: number, to: number, scan: RuleScan): void {
  const known = scan.knownTokens;
  if (known.lengths.length === 0) return;
  const runs = findRuns(text, from, to, TOKEN_CHARS, known.lengths[0]);
  for (let r = 0; r < runs.length; r += 2) {
    const start = runs[r];
    const end = runs[r + 1];
    for (const length of known.lengths) {
      if (length > end - start) break;
      if (length === end - start) check(text, start, end, scan);
      else if (text.charCodeAt(end - length - 1) === 0x3d /* = */) check(text, end - length, end, scan);
    }
  }
}

function check(text: string, start: number, end: number, scan: RuleScan): void {
  const secret = text.slice(start, end);
  const token = scan.knownTokens.get(fingerprintOf(secret));
  if (!token) return;
  scan.report({
    start,
    end,
    confidence: 'high',
    secret,
    secretKind: SECRET_KINDS.storedToken,
    message: knownTokenMessage(token.label),
  });
}
