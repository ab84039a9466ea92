// "Where is this token used?": finds a token by value in text. Only reads; never returns or prints the token.
// The places outside the workspace where people keep Jira tokens, and reading them, are in src/node/tokenPlaces.ts.
import { basicCredentials } from '../common/bytes';
import type { ConnectionKind } from '../connections/connection';
import { looksLikeToken } from '../tokens/tokenShapes';

export interface TokenUse {
  /** Absolute path of the file. */
  file: string;
  /** 1-based line numbers where the token appears. */
  lines: number[];
}

/**
 * Whether a secret may be looked for by content on a command's request. Where it is found tells whether a
 * guess was right: harmless for a token of a known shape (no one guesses 192 random characters), an oracle
 * for a password or anything short or plain. Those are searched only in the user's own flow, after a question.
 */
export function searchableByContent(kind: ConnectionKind, secret: string): boolean {
  return kind !== 'datacenter-basic' && looksLikeToken(secret);
}

/** Characters that continue a token: an occurrence next to one of them is part of a longer value. */
const TOKEN_CHAR = /[A-Za-z0-9_+/-]/;

/**
 * The forms in which a token is written: as is, URL-encoded, and inside an HTTP Basic header
 * (`base64(user:token)`, as MCP configurations hold it).
 */
export function tokenForms(token: string, user?: string): string[] {
  const forms = new Set([token, encodeURIComponent(token)]);
  if (user) forms.add(basicCredentials(user, token).replace(/=+$/, ''));
  return [...forms].filter((f) => f.length >= 8);
}

/** 1-based lines where one of `forms` appears as a whole value (not inside a longer token-like run). */
export function linesContaining(text: string, forms: readonly string[]): number[] {
  const lines = new Set<number>();
  for (const form of forms) {
    for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) {
      const before = at > 0 ? text[at - 1] : '';
      const after = text[at + form.length] ?? '';
      if ((before && TOKEN_CHAR.test(before)) || (after && TOKEN_CHAR.test(after))) continue;
      lines.add(lineOf(text, at));
    }
  }
  return [...lines].sort((a, b) => a - b);
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
