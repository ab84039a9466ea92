// Bitbucket Data Center HTTP access tokens: "BBDC-" and a Data Center PAT (context/dataCenterPats.ts).
import { run } from '../anchors';
import { BITBUCKET_DC_PREFIX, PAT_LENGTH, patsInRun } from '../context/dataCenterPats';
import { bitbucketDcTokenMessage, SECRET_KINDS } from '../findingMessages';
import { defineRule, type RuleScan } from '../rule';

export const bitbucketDcHttpToken = defineRule({
  id: 'bitbucket-dc-http-token',
  title: 'Bitbucket Data Center HTTP access token',
  description:
    'A BBDC-… value whose base64 part decodes to "<numeric id>:<random bytes>": a Bitbucket Data Center HTTP access token (personal, project or repository). It works against the Bitbucket server until it is revoked or expires.',
  defaultConfidence: 'high',
  order: 40,
  // The run after "BBDC-": the finding starts 5 characters before its anchor.
  anchors: [run({ minLength: PAT_LENGTH, maxLength: Infinity })],
  detect: detectBitbucketDcToken,
});

function detectBitbucketDcToken(text: string, start: number, end: number, scan: RuleScan): void {
  // '-' ends a base64 run: only a PAT at the run's start can follow the prefix.
  if (!text.startsWith(BITBUCKET_DC_PREFIX, start - BITBUCKET_DC_PREFIX.length)) return;
  for (const patStart of patsInRun(text, start, end)) {
    if (patStart !== start) continue;
    const tokenStart = start - BITBUCKET_DC_PREFIX.length;
    scan.report({
      start: tokenStart,
      end: start + PAT_LENGTH,
      confidence: 'high',
      secret: text.slice(tokenStart, start + PAT_LENGTH),
      secretKind: SECRET_KINDS.bitbucketDcToken,
      message: bitbucketDcTokenMessage(),
    });
  }
}
