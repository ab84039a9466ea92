// Masks secrets in text meant for people (logs, messages): the exact secrets we know of, then any
// token-shaped run (Atlassian prefixed tokens, Basic/Bearer credentials, passwords in URLs).
import { redactSecret } from './tokenShapes';

const TOKEN_SHAPES: RegExp[] = [/\b(?:ATATT3|ATCTT3)[A-Za-z0-9_\-=]{20,}/g, /\bATBB[A-Za-z0-9]{32}\b/g];
const AUTH_HEADER = /\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~-]{8,}/gi;
const URL_PASSWORD = /(\/\/[^/\s:@]+:)[^@\s/]+@/g;

export function redactText(text: string, knownSecrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(redactSecret(secret));
  }
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, (m) => redactSecret(m));
  return out.replace(AUTH_HEADER, '$1 …').replace(URL_PASSWORD, '$1…@');
}
