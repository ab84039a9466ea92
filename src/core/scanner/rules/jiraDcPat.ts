// Jira and Confluence Data Center personal access tokens (context/dataCenterPats.ts): high confidence
// next to a Jira keyword or after "Bearer", medium otherwise.
import { run } from '../anchors';
import { BITBUCKET_DC_PREFIX, PAT_LENGTH, patsInRun } from '../context/dataCenterPats';
import { endsBefore, keywordNear, PAT_KEYWORDS } from '../context/textContext';
import { SECRET_KINDS, tokenMessage } from '../findingMessages';
import { defineRule, type RuleScan } from '../rule';

const BEARER = /bearer[ \t]+$/i;

export const jiraDcPat = defineRule({
  id: 'jira-dc-pat',
  title: 'Jira Data Center personal access token',
  description:
    'A 44-character base64 value that decodes to "<numeric id>:<random bytes>", the structure of Jira and Confluence Data Center personal access tokens. High confidence next to a Jira keyword or a Bearer header, medium otherwise.',
  defaultConfidence: 'high',
  order: 50,
  anchors: [run({ minLength: PAT_LENGTH, maxLength: Infinity })],
  detect: detectDataCenterPats,
});

function detectDataCenterPats(text: string, start: number, end: number, scan: RuleScan): void {
  for (const patStart of patsInRun(text, start, end)) {
    // "BBDC-" and a PAT: the Bitbucket Data Center rule's.
    if (text.startsWith(BITBUCKET_DC_PREFIX, patStart - BITBUCKET_DC_PREFIX.length)) continue;
    const patEnd = patStart + PAT_LENGTH;
    const bearer = endsBefore(text, patStart, BEARER);
    const keyword = bearer || keywordNear(text, patStart, patEnd, PAT_KEYWORDS);
    const kind = SECRET_KINDS.dataCenterPat;
    scan.report({
      start: patStart,
      end: patEnd,
      confidence: keyword ? 'high' : 'medium',
      secret: text.slice(patStart, patEnd),
      secretKind: kind,
      message: tokenMessage(kind, bearer ? 'sent as a Bearer token' : keyword ? 'next to a Jira keyword' : 'decodes to the PAT structure'),
    });
  }
}
