import * as assert from 'assert';
import { PatApi } from '../../../../src/node/jira';
import { decodePatId } from '../../../../src/core/tokens/tokenShapes';
import { type FakeJira, startFakeJira } from '../../../support/fakeJira';
import { makeDataCenterPat } from '../../../support/tokens';

const CONTEXT = '/jira';

describe('PAT API client against the fake Jira', () => {
  let fake: FakeJira;
  let strict: FakeJira;
  const pat = makeDataCenterPat();
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const lines: string[] = [];
  const api = (f: FakeJira): PatApi => new PatApi(f.url + CONTEXT, { ca: f.ca, log: (l) => lines.push(l) });

  before(async () => {
    fake = await startFakeJira({ https: true, patLimit: 3, patMaxDays: 120 });
    fake.addDataCenterUser({
      contextPath: CONTEXT,
      username: 'alice',
      pat,
      password,
      expiringAt: '2027-01-01T00:00:00.000Z',
      createdAt: '2026-10-03T00:00:00.000Z',
    });
    strict = await startFakeJira({ patCreation: 'password-only' });
    strict.addDataCenterUser({ contextPath: CONTEXT, username: 'bob', pat, password });
  });
  after(async () => {
    await fake.close();
    await strict.close();
  });
  beforeEach(() => {
    lines.length = 0;
  });

  it("lists the caller's tokens with dates, and the user name Jira answered for", async () => {
    const listed = await api(fake).list({ pat });
    assert.ok(listed.ok, !listed.ok ? listed.message : '');
    assert.strictEqual(listed.username, 'alice');
    assert.deepStrictEqual(
      listed.tokens.map((t) => [t.id, t.createdAt, t.expiringAt]),
      [[decodePatId(pat), '2026-10-03T00:00:00.000Z', '2027-01-01T00:00:00.000Z']],
    );
  });

  it('creates a token shown once, lists it without the raw token, and revokes it', async () => {
    const created = await api(fake).create({ pat }, 'CI (rotated 2026-12-01)', 30);
    assert.ok(created.ok, !created.ok ? created.message : '');
    assert.strictEqual(decodePatId(created.token.rawToken), created.token.id, 'a real-looking PAT carrying its id');
    assert.strictEqual(created.token.name, 'CI (rotated 2026-12-01)');
    assert.ok(Math.abs(Date.parse(created.token.expiringAt!) - Date.now() - 30 * 86_400_000) < 60_000);
    const listRequest = fake.requests.at(-1)!;
    assert.strictEqual(listRequest.method, 'POST');
    const listed = await api(fake).list({ pat: created.token.rawToken });
    assert.ok(listed.ok);
    assert.ok(!JSON.stringify(listed).includes(created.token.rawToken), 'the list never holds a raw token');
    const revoked = await api(fake).revoke({ pat }, created.token.id);
    assert.ok(revoked.ok);
    const again = await api(fake).revoke({ pat }, created.token.id);
    assert.ok(!again.ok && again.reason === 'not-found');
    const refused = await api(fake).list({ pat: created.token.rawToken });
    assert.ok(!refused.ok && refused.reason === 'refused', 'a revoked token is refused');
    assert.ok(
      lines.every((l) => !l.includes(pat) && !l.includes(created.token.rawToken)),
      'no token in the log',
    );
  });

  it('names the server maximum when the lifetime is too long', async () => {
    const created = await api(fake).create({ pat }, 'too long', 365);
    assert.ok(!created.ok);
    assert.strictEqual(created.reason, 'lifetime-refused');
    assert.strictEqual(created.maxDays, 120);
  });

  it('gives a clear verdict when the per-user limit is reached', async () => {
    const made: string[] = [];
    for (;;) {
      const created = await api(fake).create({ pat }, 'filler', 10);
      if (!created.ok) {
        assert.strictEqual(created.reason, 'limit-reached');
        assert.match(created.message, /as many personal access tokens as Jira allows/);
        break;
      }
      made.push(created.token.id);
      assert.ok(made.length < 5, 'the limit of 3 applies');
    }
    assert.strictEqual(made.length, 2, 'the existing token counts');
    for (const id of made) assert.ok((await api(fake).revoke({ pat }, id)).ok);
  });

  it('tells apart a server that refuses PAT-authenticated creation, and creates with the password', async () => {
    const byPat = await api(strict).create({ pat }, 'x', 10);
    assert.ok(!byPat.ok && byPat.reason === 'pat-auth-refused', 'refused for the PAT, not for the account');
    const byPassword = await api(strict).create({ username: 'bob', password }, 'x', 10);
    assert.ok(byPassword.ok);
    const wrong = await api(strict).create({ username: 'bob', password: 'nope-nope' }, 'x', 10);
    assert.ok(!wrong.ok && wrong.reason === 'refused');
    assert.ok(
      lines.every((l) => !l.includes(password)),
      'the password is not logged',
    );
    assert.ok(
      strict.requests.every((r) => r.path.startsWith(CONTEXT)),
      "only the connection's site received credentials",
    );
  });

  it('treats the server as hostile: no redirect followed with credentials, no echoed secret repeated', async () => {
    fake.setBehaviour(
      { kind: 'redirect', location: `${fake.otherOriginUrl}/steal`, status: 307 },
      { path: `${CONTEXT}/rest/pat/`, method: 'POST' },
    );
    const redirected = await api(fake).create({ pat }, 'x', 10);
    assert.ok(!redirected.ok);
    assert.strictEqual(fake.requestsTo('other').length, 0, 'the redirect was not followed');
    fake.reset();
    fake.setBehaviour(
      {
        kind: 'answer',
        status: 400,
        body: JSON.stringify({ errorMessages: [`Bad token ${pat} for ${password}`] }),
        headers: { 'Content-Type': 'application/json' },
      },
      { path: `${CONTEXT}/rest/pat/`, method: 'POST' },
    );
    const echoed = await api(fake).create({ username: 'alice', password }, 'x', 10);
    assert.ok(!echoed.ok);
    assert.ok(!echoed.message.includes(pat) && !echoed.message.includes(password), echoed.message);
    fake.reset();
  });

  it('reports a missing PAT API and an unreachable site in plain words, without throwing', async () => {
    const none = await new PatApi(fake.url + '/nothing-here', { ca: fake.ca }).list({ pat });
    assert.ok(!none.ok && none.reason === 'not-found');
    const down = await new PatApi('http://127.0.0.1:9/jira', { timeoutMs: 2000 }).list({ pat });
    assert.ok(!down.ok && down.reason === 'unreachable');
    fake.setBehaviour({ kind: 'unavailable' }, { path: `${CONTEXT}/rest/pat/`, method: 'POST' });
    const busy = await api(fake).create({ pat }, 'x', 10);
    assert.ok(!busy.ok && busy.reason === 'unexpected' && /HTTP 503/.test(busy.message), 'a server error is not "no PAT API"');
    fake.reset();
    const plain = await new PatApi('http://jira.example.com').list({ pat });
    assert.ok(!plain.ok && /https/.test(plain.message), 'no token over plain http to another host');
  });
});
