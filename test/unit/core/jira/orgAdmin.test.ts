import * as assert from 'assert';
import { OrgAdminApi, type OrgAdminOptions, type OrgAdminProgress, rateLimitWaitMs } from '../../../../src/node/jira';
import { type FakeAdminApi, type FakeOrgToken, makeAdminKey, startFakeAdminApi } from '../../../support/fakeAdminApi';

const ORG = 'a1b2c3d4-0000-4000-8000-000000000001';

function orgTokens(count: number): FakeOrgToken[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `tok-${i + 1}`,
    label: `token ${i + 1}`,
    createdAt: '2025-03-01T00:00:00.000Z',
    expiresAt: '2026-03-01T00:00:00.000Z',
    lastActiveAt: i % 2 ? null : '2026-11-01T00:00:00.000Z',
    user: { id: `557058:acc-${(i % 3) + 1}`, name: `User ${(i % 3) + 1}`, email: `user${(i % 3) + 1}@example.com` },
  }));
}

describe('organisation admin API client against the fake admin API', () => {
  let admin: FakeAdminApi;
  const key = makeAdminKey();
  const unscoped = makeAdminKey();
  const lines: string[] = [];
  const progress: OrgAdminProgress[] = [];
  const sleeps: number[] = [];
  const api = (options: Partial<OrgAdminOptions> = {}): OrgAdminApi =>
    new OrgAdminApi({
      baseUrl: admin.url,
      log: (l) => lines.push(l),
      onProgress: (p) => progress.push(p),
      // Sleeps are recorded and shortened: the waits are asserted, not waited.
      sleep: (ms) => {
        sleeps.push(ms);
        return new Promise((r) => setTimeout(r, 5));
      },
      ...options,
    });

  before(async () => {
    admin = await startFakeAdminApi();
    admin.addKey(key, ['read:tokens:admin']);
    admin.addKey(unscoped, ['read:users:admin']);
  });
  after(async () => {
    await admin.close();
  });
  beforeEach(() => {
    admin.reset();
    admin.addOrg(ORG, orgTokens(7));
    lines.length = 0;
    progress.length = 0;
    sleeps.length = 0;
  });

  it('reads every page through links.next, with users and dates', async () => {
    admin.pageSize = 3;
    const listed = await api().listTokens(key, ORG);
    assert.ok(listed.ok, !listed.ok ? listed.message : '');
    assert.strictEqual(listed.pages, 3);
    assert.deepStrictEqual(
      listed.tokens.map((t) => t.id),
      ['tok-1', 'tok-2', 'tok-3', 'tok-4', 'tok-5', 'tok-6', 'tok-7'],
    );
    assert.deepStrictEqual(listed.tokens[0], {
      id: 'tok-1',
      label: 'token 1',
      status: 'ACTIVE',
      createdAt: '2025-03-01T00:00:00.000Z',
      expiresAt: '2026-03-01T00:00:00.000Z',
      lastActiveAt: '2026-11-01T00:00:00.000Z',
      user: { id: '557058:acc-1', name: 'User 1', email: 'user1@example.com' },
    });
    assert.strictEqual(listed.tokens[1].lastActiveAt, undefined, 'never used');
    assert.ok(admin.requests.every((r) => r.authorized && r.method === 'GET'));
    assert.deepStrictEqual(
      progress.map((p) => p.kind === 'page' && p.tokens),
      [3, 6, 7],
    );
  });

  it('reads the first page only when asked to (a check before the key is saved)', async () => {
    admin.pageSize = 3;
    const listed = await api().listTokens(key, ORG, { firstPageOnly: true });
    assert.ok(listed.ok, !listed.ok ? listed.message : '');
    assert.strictEqual(listed.pages, 1);
    assert.deepStrictEqual(
      listed.tokens.map((t) => t.id),
      ['tok-1', 'tok-2', 'tok-3'],
    );
    assert.strictEqual(admin.requests.length, 1);
  });

  it('waits for X-RateLimit-Reset on a 429 and says so, then reads on', async () => {
    admin.pageSize = 3;
    admin.rateLimit({ page: 2, resetInSeconds: 30 });
    admin.rateLimit({ page: 3, resetInSeconds: 20, format: 'epoch-seconds' });
    const listed = await api().listTokens(key, ORG);
    assert.ok(listed.ok, !listed.ok ? listed.message : '');
    assert.strictEqual(listed.tokens.length, 7);
    assert.strictEqual(sleeps.length, 2);
    assert.ok(sleeps[0] > 28_000 && sleeps[0] <= 30_000, `waited ${sleeps[0]} ms`);
    assert.ok(sleeps[1] > 18_000 && sleeps[1] <= 21_000, `waited ${sleeps[1]} ms`);
    const waits = progress.filter((p) => p.kind === 'waiting');
    assert.strictEqual(waits.length, 2);
    assert.ok(lines.some((l) => /rate-limited, waiting \d+ s for the reset/.test(l)));
  });

  it('gives up with a rate-limited verdict when the reset is further away than it waits', async () => {
    admin.rateLimit({ page: 1, resetInSeconds: 3600 });
    const listed = await api({ maxWaitMs: 60_000 }).listTokens(key, ORG);
    assert.ok(!listed.ok);
    assert.strictEqual(listed.reason, 'rate-limited');
    assert.match(listed.message, /rate-limiting this key until \d{4}-/);
    assert.strictEqual(sleeps.length, 0);
  });

  it('names the missing scope read:tokens:admin for a key without it', async () => {
    const listed = await api().listTokens(unscoped, ORG);
    assert.ok(!listed.ok);
    assert.strictEqual(listed.reason, 'missing-scope');
    assert.strictEqual(listed.missingScope, 'read:tokens:admin');
    assert.match(listed.message, /lacks the scope read:tokens:admin/);
  });

  it('says a refused key is refused, and an unknown organisation unknown', async () => {
    const refused = await api().listTokens(makeAdminKey(), ORG);
    assert.ok(!refused.ok);
    assert.strictEqual(refused.reason, 'refused');
    const unknown = await api().listTokens(key, 'no-such-org');
    assert.ok(!unknown.ok);
    assert.strictEqual(unknown.reason, 'not-found');
  });

  it('does not follow a next link to another origin with the key', async () => {
    admin.pageSize = 3;
    admin.nextLinkOrigin = 'http://127.0.0.2:9';
    const listed = await api().listTokens(key, ORG);
    assert.ok(!listed.ok);
    assert.match(listed.message, /another address; it was not followed/);
    assert.strictEqual(admin.requests.length, 1);
  });

  it('revokes one token of one user, never the organisation-wide DELETE', async () => {
    const revoked = await api().revokeToken(key, '557058:acc-2', 'tok-2');
    assert.ok(revoked.ok, !revoked.ok ? revoked.message : '');
    assert.deepStrictEqual(admin.revokedTokens, ['tok-2']);
    assert.strictEqual(admin.requests[0].path, '/users/557058%3Aacc-2/manage/api-tokens/tok-2');
    const again = await api().revokeToken(key, '557058:acc-2', 'tok-2');
    assert.ok(!again.ok);
    assert.strictEqual(again.reason, 'not-found');
    const listed = await api().listTokens(key, ORG);
    assert.ok(listed.ok);
    assert.ok(!listed.tokens.some((t) => t.id === 'tok-2'));
    assert.strictEqual(admin.orgWideDeletes, 0);
  });

  it('refuses ids that could change the path, and a plain-http admin URL off this computer', async () => {
    const bad = await api().revokeToken(key, '../orgs/x', 'tok-1');
    assert.ok(!bad.ok);
    assert.strictEqual(admin.requests.length, 0);
    const plain = await new OrgAdminApi({ baseUrl: 'http://admin.example.com' }).listTokens(key, ORG);
    assert.ok(!plain.ok);
    assert.match(plain.message, /cannot receive a key/);
  });

  it('never puts the key into a result or a log line', async () => {
    admin.pageSize = 2;
    admin.rateLimit({ page: 2, resetInSeconds: 1 });
    const results = [await api().listTokens(key, ORG), await api().listTokens(unscoped, ORG), await api().revokeToken(key, 'x', 'y')];
    const text = JSON.stringify(results) + lines.join('\n');
    assert.ok(!text.includes(key) && !text.includes(unscoped));
    assert.ok(lines.length >= 5);
  });

  it('reads X-RateLimit-Reset as an ISO date, epoch seconds or milliseconds, else Retry-After', () => {
    const now = Date.parse('2026-12-07T12:00:00.000Z');
    assert.strictEqual(rateLimitWaitMs({ 'x-ratelimit-reset': '2026-12-07T12:00:30.000Z' }, now), 30_000);
    assert.strictEqual(rateLimitWaitMs({ 'x-ratelimit-reset': String(now / 1000 + 12) }, now), 12_000);
    assert.strictEqual(rateLimitWaitMs({ 'x-ratelimit-reset': String(now + 5000) }, now), 5000);
    assert.strictEqual(rateLimitWaitMs({ 'x-ratelimit-reset': '2026-12-07T11:00:00.000Z' }, now), 0);
    assert.strictEqual(rateLimitWaitMs({ 'retry-after': '7' }, now), 7000);
    assert.strictEqual(rateLimitWaitMs({}, now), 10_000);
  });
});
