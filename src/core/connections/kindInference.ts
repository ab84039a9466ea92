// Which kind of connection a site address and a token make, when nobody said: the token's shape wins
// where it is unambiguous (a PAT, an ATATT3… token), then the host (*.atlassian.net is Cloud), then the
// user given (a user name without a PAT means basic auth).
import { type ConnectionKind } from './connection';
import { suggestKindForUrl } from './connectionInput';
import { classifyToken } from '../tokens/tokenShapes';

export function inferConnectionKind(baseUrl: string, token: string, user: { email?: string; username?: string } = {}): ConnectionKind {
  const shape = classifyToken(token);
  if (shape === 'datacenter-pat') return 'datacenter-pat';
  if (shape === 'cloud-api-token' || shape === 'atlassian-access-token' || shape === 'cloud-api-token-unverified') return 'cloud';
  if (suggestKindForUrl(baseUrl) === 'cloud') return 'cloud';
  if (user.username) return 'datacenter-basic';
  // An email with a 24-character token on a custom domain: a legacy Cloud token behind a proxy.
  if (user.email && shape === 'legacy-cloud-token') return 'cloud';
  return 'datacenter-pat';
}
