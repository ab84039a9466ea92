// ATCTT3… tokens: the Cloud token format under another prefix, read two ways in the wild (messages.ts).
import { prefix } from '../anchors';
import { detectCloudToken } from '../context/cloudTokens';
import { accessTokenMessage, SECRET_KINDS } from '../findingMessages';
import { defineRule } from '../rule';

const VERIFIED = accessTokenMessage('its checksum is valid');

export const atlassianAccessToken = defineRule({
  id: 'atlassian-access-token',
  title: 'Atlassian access token',
  description:
    'An ATCTT3… token whose CRC-32 checksum is valid. Atlassian issues this prefix for Bitbucket Cloud workspace, project and repository access tokens; other tools also read it as an organisation admin API key. Either way it is a live credential.',
  defaultConfidence: 'high',
  order: 20,
  anchors: [prefix('ATCTT3')],
  detect: (text, at, _end, scan) => detectCloudToken(text, at, SECRET_KINDS.accessToken, VERIFIED, scan),
});
