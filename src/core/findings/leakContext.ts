// What the text around a leaked token says about where it is used: the site URL and the user, so the
// "move to the store" fix can propose a connection instead of asking for everything.
import { base64Bytes, utf8Text } from '../common/bytes';
import { type ConnectionKind } from '../connections/connection';
import { classifyToken, fingerprintOf } from '../tokens/tokenShapes';
import { normalizeBaseUrl, isAtlassianCloudHost } from '../connections/url';

export interface ConnectionHints {
  baseUrl?: string;
  email?: string;
  kind?: ConnectionKind;
}

const WINDOW = 3000;
const URL_PATTERN = /https?:\/\/[A-Za-z0-9.-]+(?::\d+)?(?:\/[^\s'"`<>)\]}]*)?/g;
const EMAIL_PATTERN = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const PLACEHOLDER_EMAIL = /@(example\.(com|org|net)|acme\.com|company\.com|domain\.com)$/i;

/** Decodes the escaped forms of '=' that tokens carry in some files (`\=`, `%3D`). */
export function decodeTokenLiteral(literal: string): string {
  return literal.replace(/\\=/g, '=').replace(/%3[dD]/g, '=');
}

/**
 * The secret behind a finding, checked against its fingerprint. A finding's span is the token itself,
 * the base64 value of a Basic header (the secret is its password part) or a percent-encoded URL password.
 */
export function secretOfFinding(
  text: string,
  finding: { start: number; end: number; fingerprint: string },
): { secret: string; isLiteral: boolean } | undefined {
  const span = text.slice(finding.start, finding.end);
  const literal = decodeTokenLiteral(span);
  if (fingerprintOf(literal) === finding.fingerprint) return { secret: literal, isLiteral: true };
  const candidates: string[] = [];
  const basic = utf8Text(base64Bytes(span));
  if (basic.includes(':')) candidates.push(basic.slice(basic.indexOf(':') + 1));
  try {
    candidates.push(decodeURIComponent(span));
  } catch {
    // not percent-encoded
  }
  const secret = candidates.find((c) => fingerprintOf(c) === finding.fingerprint);
  return secret === undefined ? undefined : { secret, isLiteral: false };
}

export function connectionHints(text: string, offset: number, secret: string): ConnectionHints {
  const from = Math.max(0, offset - WINDOW);
  const around = text.slice(from, Math.min(text.length, offset + WINDOW));
  const center = offset - from;
  const nearest = <T extends { index: number }>(items: T[]) =>
    items.sort((a, b) => Math.abs(a.index - center) - Math.abs(b.index - center))[0];

  const urls = [...around.matchAll(URL_PATTERN)]
    .map((m) => ({ index: m.index ?? 0, result: normalizeBaseUrl(m[0]) }))
    .filter((u): u is { index: number; result: { ok: true; url: string; host: string } } => u.result.ok)
    .filter((u) => !/(^|\.)(id|api)\.atlassian\.com$/.test(u.result.host));
  const jiraLike = urls.filter((u) => isAtlassianCloudHost(u.result.host) || /jira/i.test(u.result.url));
  const url = nearest(jiraLike.length ? jiraLike : urls);

  const emails = [...around.matchAll(EMAIL_PATTERN)].map((m) => ({ index: m.index ?? 0, value: m[0] }));
  const realEmails = emails.filter((e) => !PLACEHOLDER_EMAIL.test(e.value));
  const email = nearest(realEmails.length ? realEmails : emails);

  const shape = classifyToken(secret);
  const kind: ConnectionKind | undefined =
    shape === 'cloud-api-token' || shape === 'atlassian-access-token' || shape === 'legacy-cloud-token'
      ? 'cloud'
      : shape === 'datacenter-pat'
        ? 'datacenter-pat'
        : url && isAtlassianCloudHost(url.result.host)
          ? 'cloud'
          : undefined;
  return { baseUrl: url?.result.url, email: email?.value, kind };
}

/**
 * The line where `import os` can go in a Python file: after a shebang, encoding line, module docstring
 * and `from __future__` imports (which must stay first).
 */
export function pythonImportLine(text: string): number {
  const lines = text.split('\n');
  let line = 0;
  while (line < lines.length && /^#(!|.*coding[:=])/.test(lines[line])) line++;
  const docstring = /^\s*[rRuU]?("""|''')/.exec(lines[line] ?? '');
  if (docstring) {
    const quote = docstring[1];
    const rest = lines[line].slice(lines[line].indexOf(quote) + 3);
    if (!rest.includes(quote)) {
      line++;
      while (line < lines.length && !lines[line].includes(quote)) line++;
    }
    line++;
  }
  for (let i = line; i < lines.length; i++) {
    if (/^from __future__ import/.test(lines[i])) line = i + 1;
    else if (lines[i].trim() && !lines[i].startsWith('#')) break;
  }
  return Math.min(line, lines.length);
}
