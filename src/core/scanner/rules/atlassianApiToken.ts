// Atlassian Cloud API tokens: "ATATT3", a base64url body, `=` and a CRC-32 tail (docs/token-formats.md).
import { prefix } from '../anchors';
import { detectCloudToken } from '../context/cloudTokens';
import { SECRET_KINDS, tokenMessage } from '../findingMessages';
import { defineRule } from '../rule';

const KIND = SECRET_KINDS.cloudToken;
const VERIFIED = tokenMessage(KIND, 'its checksum is valid');

export const atlassianApiToken = defineRule({
  id: 'atlassian-api-token',
  title: 'Atlassian API token',
  description:
    'An Atlassian Cloud API token (ATATT3…) whose CRC-32 checksum is valid, so almost certainly real. It signs in to Jira, Confluence and the other Atlassian Cloud products as its owner.',
  defaultConfidence: 'high',
  order: 10,
  anchors: [prefix('ATATT3')],
  detect: (text, at, _end, scan) => detectCloudToken(text, at, KIND, VERIFIED, scan),
});
