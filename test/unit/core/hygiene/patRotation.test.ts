import * as assert from 'assert';
import { type CheckResult } from '../../../../src/core/connections/connection';
import { type PatAuth, type PatError } from '../../../../src/core/jira/pat';
import {
  type RotationDeps,
  type RotationInput,
  rotateDataCenterPat,
  rotatedTokenName,
  rotationExpiryDays,
} from '../../../../src/core/hygiene/patRotation';
import { decodePatId } from '../../../../src/core/tokens/tokenShapes';
import { makeDataCenterPat } from '../../../support/tokens';
import { startFakeJira } from '../../../support/fakeJira';
import { PatApi, checkCredential } from '../../../../src/node/jira';

type Api = Pick<PatApi, 'list' | 'create' | 'revoke'>;

/** A scripted PAT API recording each call (what, with which credential). */
function scriptedApi(
  overrides: Partial<{
    create: (auth: PatAuth, days?: number) => PatError | undefined;
    revoke: (auth: PatAuth, id: string) => PatError | undefined;
  }> = {},
) {
  const calls: string[] = [];
  const fresh = makeDataCenterPat();
  const who = (auth: PatAuth): string => ('pat' in auth ? (auth.pat === fresh ? 'new' : 'old') : `password:${auth.username}`);
  const api: Api = {
    async list(auth) {
      calls.push(`list ${who(auth)}`);
      return {
        ok: true,
        tokens: [{ id: decodePatId(old)!, name: 'CI', createdAt: '2026-01-01T00:00:00.000Z', expiringAt: '2026-03-02T00:00:00.000Z' }],
        username: 'alice',
      };
    },
    async create(auth, name, days) {
      calls.push(`create ${who(auth)} ${days}`);
      const problem = overrides.create?.(auth, days);
      if (problem) return problem;
      return { ok: true, token: { id: decodePatId(fresh)!, name, expiringAt: '2026-05-01T00:00:00.000Z', rawToken: fresh } };
    },
    async revoke(auth, id) {
      calls.push(`revoke ${id === decodePatId(fresh) ? 'new' : 'old'} with ${who(auth)}`);
      return overrides.revoke?.(auth, id) ?? { ok: true };
    },
  };
  return { api, calls, fresh };
}

const old = makeDataCenterPat();
const valid: CheckResult = { status: 'valid', message: 'ok', durationMs: 1, identity: { name: 'alice' } };

function deps(api: Api, extra: Partial<RotationDeps> = {}): RotationDeps & { stored: string[]; logged: string[] } {
  const stored: string[] = [];
  const logged: string[] = [];
  return {
    api,
    verify: async () => valid,
    store: async (token) => void stored.push(token),
    askPassword: async () => undefined,
    now: () => new Date('2026-12-01T12:00:00Z'),
    log: (l) => logged.push(l),
    stored,
    logged,
    ...extra,
  };
}

const input: RotationInput = { label: 'CI', oldToken: old, maxExpiryDays: 90 };

describe('rotation of a Data Center PAT (state machine)', () => {
  it('keeps the old lifetime under the cap, and names the token after the label and date', () => {
    assert.strictEqual(rotationExpiryDays({ createdAt: '2026-01-01T00:00:00Z', expiringAt: '2026-01-31T00:00:00Z' }, 90), 30);
    assert.strictEqual(rotationExpiryDays({ createdAt: '2026-01-01T00:00:00Z', expiringAt: '2027-01-01T00:00:00Z' }, 90), 90);
    assert.strictEqual(rotationExpiryDays({}, 90), 90, 'no expiry: the cap');
    assert.strictEqual(rotationExpiryDays(undefined, 45), 45);
    assert.strictEqual(rotatedTokenName('CI', new Date('2026-12-01T12:00:00Z')), 'CI (rotated 2026-12-01)');
  });

  it('creates, verifies, stores, then revokes the old token: in that order', async () => {
    const { api, calls, fresh } = scriptedApi();
    const d = deps(api);
    const outcome = await rotateDataCenterPat(input, d);
    assert.deepStrictEqual(outcome, {
      ok: true,
      newTokenId: decodePatId(fresh),
      oldTokenId: decodePatId(old),
      expiresAt: '2026-05-01T00:00:00.000Z',
      revokedOldToken: true,
      usedPassword: false,
    });
    assert.deepStrictEqual(calls, ['list old', 'create old 60', 'revoke old with new']);
    assert.deepStrictEqual(d.stored, [fresh]);
    assert.ok(d.logged.every((l) => !l.includes(fresh) && !l.includes(old)));
  });

  it('asks for the password once when the PAT may not create, and uses it for that request only', async () => {
    const password = 'correct horse battery staple';
    const { api, calls } = scriptedApi({
      create: (auth) => ('pat' in auth ? { ok: false, reason: 'pat-auth-refused', message: 'no' } : undefined),
    });
    let asked = 0;
    const outcome = await rotateDataCenterPat(input, deps(api, { askPassword: async () => (asked++, password) }));
    assert.ok(outcome.ok && outcome.usedPassword);
    assert.strictEqual(asked, 1);
    assert.deepStrictEqual(calls, ['list old', 'create old 60', 'create password:alice 60', 'revoke old with new']);
    assert.ok(!JSON.stringify(outcome).includes(password));
  });

  it('stops before anything changes when the password is not given', async () => {
    const { api, calls } = scriptedApi({
      create: (auth) => ('pat' in auth ? { ok: false, reason: 'pat-auth-refused', message: 'no' } : undefined),
    });
    const d = deps(api);
    const outcome = await rotateDataCenterPat(input, d);
    assert.ok(!outcome.ok && outcome.step === 'create' && outcome.newTokenRevoked === undefined);
    assert.deepStrictEqual(calls, ['list old', 'create old 60']);
    assert.deepStrictEqual(d.stored, []);
  });

  it('retries once with the shorter maximum the server names', async () => {
    const { api, calls } = scriptedApi({
      create: (_auth, days) => (days! > 30 ? { ok: false, reason: 'lifetime-refused', message: 'max 30', maxDays: 30 } : undefined),
    });
    const outcome = await rotateDataCenterPat(input, deps(api));
    assert.ok(outcome.ok);
    assert.deepStrictEqual(calls.slice(1, 3), ['create old 60', 'create old 30']);
  });

  it('revokes the new token again when its check fails, and keeps the old one', async () => {
    const { api, calls } = scriptedApi();
    const d = deps(api, { verify: async () => ({ status: 'invalid', message: 'Jira refused the token.', durationMs: 1 }) });
    const outcome = await rotateDataCenterPat(input, d);
    assert.ok(!outcome.ok);
    assert.strictEqual(outcome.step, 'verify');
    assert.strictEqual(outcome.newTokenRevoked, true);
    assert.match(outcome.message, /revoked again; the current token is still in use/);
    assert.deepStrictEqual(calls, ['list old', 'create old 60', 'revoke new with old']);
    assert.deepStrictEqual(d.stored, []);
  });

  it('refuses a new token that signs in as another user', async () => {
    const { api } = scriptedApi();
    const outcome = await rotateDataCenterPat(input, deps(api, { verify: async () => ({ ...valid, identity: { name: 'mallory' } }) }));
    assert.ok(!outcome.ok && outcome.step === 'verify' && /another user/.test(outcome.message));
  });

  it('revokes the new token again when the store fails, and says so when that fails too', async () => {
    const { api } = scriptedApi();
    const failing = deps(api, {
      store: async () => {
        throw new Error('The new token could not be saved (disk full). The previous token is still in use.');
      },
    });
    const outcome = await rotateDataCenterPat(input, failing);
    assert.ok(!outcome.ok && outcome.step === 'store' && outcome.newTokenRevoked === true);

    const stuck = scriptedApi({ revoke: () => ({ ok: false, reason: 'unreachable', message: 'down' }) });
    const second = await rotateDataCenterPat(input, deps(stuck.api, { store: failing.store }));
    assert.ok(!second.ok && second.newTokenRevoked === false);
    assert.match(second.message, /could not be revoked again: revoke it on the PAT page/);
    assert.ok(!second.message.includes(stuck.fresh));
  });

  it('reports a failed revoke of the old token instead of dropping it; the new token stays stored', async () => {
    const { api, calls } = scriptedApi({
      revoke: (auth) =>
        'pat' in auth
          ? { ok: false, reason: 'pat-auth-refused', message: 'This Jira does not let a personal access token revoke tokens.' }
          : undefined,
    });
    const d = deps(api);
    const outcome = await rotateDataCenterPat(input, d);
    assert.ok(outcome.ok);
    assert.strictEqual(outcome.revokedOldToken, false);
    assert.match(outcome.revokeProblem ?? '', /does not let a personal access token revoke/);
    assert.deepStrictEqual(calls.slice(-2), ['revoke old with new', 'revoke old with old']);
    assert.strictEqual(d.stored.length, 1);
  });

  it('counts an old token Jira no longer knows as revoked', async () => {
    const { api } = scriptedApi({ revoke: () => ({ ok: false, reason: 'not-found', message: 'Jira does not know that token any more.' }) });
    const outcome = await rotateDataCenterPat(input, deps(api));
    assert.ok(outcome.ok && outcome.revokedOldToken && !outcome.revokeProblem);
  });

  it('fails at the first step, changing nothing, when Jira refuses the current token', async () => {
    const { api, calls } = scriptedApi();
    api.list = async () => ({ ok: false, reason: 'refused', message: 'Jira refused the current token.' });
    const outcome = await rotateDataCenterPat(input, deps(api));
    assert.ok(!outcome.ok && outcome.step === 'read' && /Replace Token/.test(outcome.message));
    assert.deepStrictEqual(calls, []);
  });

  it('takes an explicit lifetime, and refuses a nonsensical one', async () => {
    const { api, calls } = scriptedApi();
    assert.ok((await rotateDataCenterPat({ ...input, expiryDays: 7 }, deps(api))).ok);
    assert.strictEqual(calls[1], 'create old 7');
    const bad = await rotateDataCenterPat({ ...input, expiryDays: 0 }, deps(api));
    assert.ok(!bad.ok && bad.step === 'read');
    // Above the user's maximum (rotationMaxExpiryDays): refused before anything is created.
    const before = calls.length;
    const long = await rotateDataCenterPat({ ...input, expiryDays: 3650 }, deps(api));
    assert.ok(!long.ok && long.step === 'read' && /from 1 to 90/.test(long.message));
    assert.ok(!calls.slice(before).some((c) => c.startsWith('create')), 'no token made');
  });
});

describe('rotation of a Data Center PAT against the fake Jira', function () {
  this.timeout(20_000);

  it('keeps to the server maximum lifetime it names, and ends with only the new token valid', async () => {
    const fake = await startFakeJira({ patMaxDays: 30 });
    try {
      const pat = makeDataCenterPat();
      fake.addDataCenterUser({
        contextPath: '/jira',
        username: 'ci',
        pat,
        createdAt: '2026-01-01T00:00:00.000Z',
        expiringAt: '2099-01-01T00:00:00.000Z',
      });
      const base = `${fake.url}/jira`;
      let stored: string | undefined;
      const outcome = await rotateDataCenterPat(
        { label: 'CI', oldToken: pat, maxExpiryDays: 90 },
        {
          api: new PatApi(base),
          verify: (token) => checkCredential({ kind: 'datacenter-pat', baseUrl: base }, token),
          store: async (token) => void (stored = token),
          askPassword: async () => undefined,
          now: () => new Date(),
        },
      );
      assert.ok(outcome.ok && outcome.revokedOldToken, JSON.stringify(outcome));
      const pats = fake.patsOf('ci');
      assert.deepStrictEqual(
        pats.map((p) => p.revoked),
        [true, false],
      );
      assert.strictEqual(stored, pats[1].pat);
      assert.ok(Math.abs(Date.parse(pats[1].expiringAt!) - Date.now() - 30 * 86_400_000) < 60_000, 'the server maximum (30 days) was used');
      const creates = fake.requests.filter((r) => r.method === 'POST').length;
      assert.strictEqual(creates, 2, 'one refused at 90 days, one made at 30');
    } finally {
      await fake.close();
    }
  });
});
