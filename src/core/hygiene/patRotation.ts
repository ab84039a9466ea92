// Rotation of a Data Center PAT as one job: read the old token, create its successor, verify it, store
// it, and only then revoke the old one. Every failure leaves a working state and names the step:
// - before the new token is stored, the old one stays stored and untouched;
// - a new token that was created but is not kept (refused by the check, or the store failed) is revoked again;
// - a failed revoke of the old token is reported, never dropped.
// The account password (when the server refuses PAT-authenticated creation) is used for the create
// request only: it is never kept, returned or logged.
import { type CheckResult } from '../connections/connection';
// Types only: the PAT API client (and axios) is passed in, so loading this module does not load it.
import type { PatApi, PatAuth, PatError, PatInfo } from '../jira';
import { decodePatId, redactSecret } from '../tokens/tokenShapes';
import { formatDate } from '../common/text';

export type RotationStep = 'read' | 'create' | 'verify' | 'store' | 'revoke';

export const ROTATION_STEP_NAMES: Record<RotationStep, string> = {
  read: 'reading the current token',
  create: 'creating the new token',
  verify: 'checking the new token',
  store: 'saving the new token',
  revoke: 'revoking the old token',
};

export interface RotationInput {
  /** The connection's name: the new token is called "<label> (rotated <date>)". */
  label: string;
  /** The Jira user name, when the PAT API's answer does not name it. */
  username?: string;
  oldToken: string;
  /** The longest lifetime to give the new token (a setting). */
  maxExpiryDays: number;
  /** An explicit lifetime in days, instead of the old token's. */
  expiryDays?: number;
  /** The account password, for servers that refuse PAT-authenticated creation. */
  password?: string;
}

export interface RotationDeps {
  api: Pick<PatApi, 'list' | 'create' | 'revoke'>;
  /** The usual credential check, against the connection's own site. */
  verify(token: string): Promise<CheckResult>;
  /** The store's atomic replace; throws when nothing was saved. */
  store(token: string, expiresAt: string | undefined): Promise<void>;
  /** Asks for the account password once; undefined when the user declines. */
  askPassword(): Promise<string | undefined>;
  now(): Date;
  log?(line: string): void;
}

export type RotationOutcome =
  | {
      ok: true;
      newTokenId: string;
      /** The replaced PAT's id, when it carries one: it should be dead from now on (token activity alerts if it is still listed). */
      oldTokenId?: string;
      expiresAt?: string;
      revokedOldToken: boolean;
      revokeProblem?: string;
      usedPassword: boolean;
    }
  | { ok: false; step: RotationStep; message: string; newTokenRevoked?: boolean };

const DAY_MS = 24 * 60 * 60 * 1000;
export const MAX_EXPIRY_DAYS = 3650;

/** The new token's lifetime: the old token's (creation to expiry), at most `maxDays`; `maxDays` when unknown. */
export function rotationExpiryDays(old: Pick<PatInfo, 'createdAt' | 'expiringAt'> | undefined, maxDays: number): number {
  const cap = Math.max(1, Math.floor(maxDays));
  if (!old?.createdAt || !old.expiringAt) return cap;
  const lifetime = Math.ceil((Date.parse(old.expiringAt) - Date.parse(old.createdAt)) / DAY_MS);
  return Number.isFinite(lifetime) && lifetime >= 1 ? Math.min(lifetime, cap) : cap;
}

export function rotatedTokenName(label: string, now: Date): string {
  return `${label.slice(0, 80)} (rotated ${formatDate(now.toISOString())})`;
}

export async function rotateDataCenterPat(input: RotationInput, deps: RotationDeps): Promise<RotationOutcome> {
  const secrets = [input.oldToken];
  const passwords = input.password ? [input.password] : [];
  // Tokens show as their first and last 4 characters at most; a password not at all.
  const scrub = (text: string): string =>
    passwords.reduce(
      (out, p) => out.split(p).join('…'),
      secrets.reduce((out, s) => out.split(s).join(redactSecret(s)), text),
    );
  const log = (line: string): void => deps.log?.(scrub(line));
  const fail = (step: RotationStep, message: string, newTokenRevoked?: boolean): RotationOutcome => {
    log(`rotation failed while ${ROTATION_STEP_NAMES[step]}`);
    return { ok: false, step, message: scrub(message), ...(newTokenRevoked !== undefined ? { newTokenRevoked } : {}) };
  };
  const oldAuth: PatAuth = { pat: input.oldToken };

  // 1. Read: the old token's id, lifetime and owner.
  const oldId = decodePatId(input.oldToken);
  const listed = await deps.api.list(oldAuth);
  if (!listed.ok) return fail('read', readFailure(listed));
  const oldInfo = oldId ? listed.tokens.find((t) => t.id === oldId) : undefined;
  // Jira's answer says whose token it is; a user name typed into the connection may be stale.
  const username = listed.username ?? input.username;
  const days = input.expiryDays ?? rotationExpiryDays(oldInfo, input.maxExpiryDays);
  const maxDays = Math.min(MAX_EXPIRY_DAYS, input.maxExpiryDays);
  if (!Number.isInteger(days) || days < 1 || days > maxDays)
    return fail('read', `The expiry must be a whole number of days from 1 to ${maxDays}.`);

  // 2. Create, with the PAT; with the password once if the server refuses that.
  const name = rotatedTokenName(input.label, deps.now());
  let usedPassword = false;
  let created = await createWithLifetime(deps, oldAuth, name, days);
  if (!created.ok && created.reason === 'pat-auth-refused') {
    if (!username)
      return fail(
        'create',
        'This Jira does not let a personal access token create tokens, and the user name is unknown: set it with Edit Connection.',
      );
    const password = input.password ?? (await deps.askPassword());
    if (password === undefined)
      return fail(
        'create',
        'This Jira does not let a personal access token create tokens, and no password was given. Nothing was changed.',
      );
    passwords.push(password);
    usedPassword = true;
    created = await createWithLifetime(deps, { username, password }, name, days);
  }
  if (!created.ok) return fail('create', `${created.message} Nothing was changed: the current token is still in use.`);
  const fresh = created.token;
  secrets.push(fresh.rawToken);
  log(`created PAT ${fresh.id}${fresh.expiringAt ? `, expiring ${fresh.expiringAt}` : ''}`);

  // Undoes the creation: the new token must not stay valid when it is not kept.
  const revokeNew = async (): Promise<boolean> => {
    for (const auth of [oldAuth, { pat: fresh.rawToken }]) {
      const result = await deps.api.revoke(auth, fresh.id);
      if (result.ok || result.reason === 'not-found') return true;
    }
    return false;
  };
  const undone = (revoked: boolean): string =>
    revoked
      ? 'The new token was revoked again; the current token is still in use.'
      : `The new token (“${name}”) could not be revoked again: revoke it on the PAT page. The current token is still in use.`;

  // 3. Verify: the usual check, and the same account.
  const verdict = await deps.verify(fresh.rawToken);
  const sameUser = !username || !verdict.identity?.name || verdict.identity.name.toLowerCase() === username.toLowerCase();
  if (verdict.status !== 'valid' || !sameUser) {
    const revoked = await revokeNew();
    const why = verdict.status !== 'valid' ? verdict.message : 'The new token signs in as another user.';
    return fail('verify', `${why} ${undone(revoked)}`, revoked);
  }

  // 4. Store (atomic replace).
  const expiresAt = fresh.expiringAt ?? verdict.expiresAt;
  try {
    await deps.store(fresh.rawToken, expiresAt);
  } catch (error) {
    const revoked = await revokeNew();
    return fail(
      'store',
      `${error instanceof Error ? error.message.split('\n')[0] : 'The new token could not be saved.'} ${undone(revoked)}`,
      revoked,
    );
  }

  // 5. Revoke the old token, now that its successor is verified and stored.
  if (!oldId)
    return {
      ok: true,
      newTokenId: fresh.id,
      expiresAt,
      revokedOldToken: false,
      revokeProblem: 'The old token does not carry its id, so it could not be revoked here.',
      usedPassword,
    };
  let revokeError: PatError | undefined;
  for (const auth of [{ pat: fresh.rawToken }, oldAuth]) {
    const result = await deps.api.revoke(auth, oldId);
    // Not found: revoked already (on the PAT page, or by another window's rotation).
    if (result.ok || result.reason === 'not-found')
      return { ok: true, newTokenId: fresh.id, oldTokenId: oldId, expiresAt, revokedOldToken: true, usedPassword };
    revokeError ??= result;
    if (result.reason !== 'pat-auth-refused') break;
  }
  log(`revoking the old token failed: ${revokeError?.reason}`);
  return {
    ok: true,
    newTokenId: fresh.id,
    oldTokenId: oldId,
    expiresAt,
    revokedOldToken: false,
    revokeProblem: scrub(revokeError?.message ?? 'The old token could not be revoked.'),
    usedPassword,
  };
}

/** Creates; when the server names a shorter maximum lifetime, tries once more with it. */
async function createWithLifetime(deps: RotationDeps, auth: PatAuth, name: string, days: number): ReturnType<PatApi['create']> {
  const first = await deps.api.create(auth, name, days);
  if (first.ok || first.reason !== 'lifetime-refused' || !first.maxDays || first.maxDays >= days || first.maxDays < 1) return first;
  return deps.api.create(auth, name, first.maxDays);
}

function readFailure(error: PatError): string {
  switch (error.reason) {
    case 'refused':
      return 'Jira refuses the current token, so it cannot create its successor. Create a token on the PAT page and use Replace Token. Nothing was changed.';
    case 'not-found':
      return `${error.message} Create the new token on the PAT page and use Replace Token. Nothing was changed.`;
    default:
      return `${error.message} Nothing was changed.`;
  }
}
