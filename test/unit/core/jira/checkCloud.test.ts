import * as assert from 'assert';
import { checkCredential } from '../../../../src/node/jira';
import { type FakeJira, fakeConnection, startFakeJira } from '../../../support/fakeJira';
import { makeCloudToken } from '../../../support/tokens';

const EMAIL = 'me@example.com';
const SCOPED_EMAIL = 'bot@example.com';

function basic(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

for (const secure of [false, true]) {
  describe(`jira check: Cloud over ${secure ? 'https' : 'http'}`, () => {
    let fake: FakeJira;
    const token = makeCloudToken();
    const scopedToken = makeCloudToken();
    const wrongToken = makeCloudToken();

    before(async () => {
      fake = await startFakeJira({ https: secure });
      fake.addCloudAccount({ email: EMAIL, token, accountId: '712020:aaaa', displayName: 'Me Myself' });
      fake.addCloudAccount({ email: SCOPED_EMAIL, token: scopedToken, scoped: true, displayName: 'Automation Bot' });
    });
    after(() => fake.close());
    beforeEach(() => fake.reset());

    const cloud = (fields = {}) => fakeConnection(fake, 'cloud', { email: EMAIL, ...fields });

    it('accepts a valid token and reads the identity, request id and timing', async () => {
      const result = await checkCredential(cloud(), token, fake.checkOptions);
      assert.strictEqual(result.status, 'valid', result.message);
      assert.deepStrictEqual(result.identity, { accountId: '712020:aaaa', displayName: 'Me Myself', emailAddress: EMAIL });
      assert.strictEqual(result.httpStatus, 200);
      assert.ok(result.requestId);
      assert.ok(result.durationMs >= 0);
      assert.match(result.message, /Me Myself/);
      const [request] = fake.requests;
      assert.strictEqual(request.path, '/rest/api/3/myself');
      assert.strictEqual(request.authorization, basic(EMAIL, token));
      assert.match(String(request.headers['user-agent']), /jira-token-guard/);
      assert.strictEqual(fake.requests.length, 1);
    });

    it('refuses a wrong token after trying the gateway once, in plain words', async () => {
      const result = await checkCredential(cloud(), wrongToken, fake.checkOptions);
      assert.strictEqual(result.status, 'invalid');
      assert.strictEqual(result.httpStatus, 401);
      assert.strictEqual(result.message, `Jira refused the API token for ${EMAIL}.`);
      assert.strictEqual(
        result.hint,
        'Create a new token at https://id.atlassian.com/manage-profile/security/api-tokens and use Replace Token.',
      );
      const tenantInfo = fake.requests.find((r) => r.path === '/_edge/tenant_info');
      assert.ok(tenantInfo, 'the cloud id is looked up');
      assert.strictEqual(tenantInfo.authorization, undefined, 'tenant_info gets no credentials');
      assert.strictEqual(fake.requestsTo('gateway').length, 1);
    });

    it('recognises a scoped token on an unscoped connection: valid, with the suggested kind and cloud id', async () => {
      const result = await checkCredential(cloud({ email: SCOPED_EMAIL }), scopedToken, fake.checkOptions);
      assert.strictEqual(result.status, 'valid', result.message);
      assert.strictEqual(result.suggestedKind, 'cloud-scoped');
      assert.strictEqual(result.cloudId, fake.cloudId);
      assert.strictEqual(result.identity?.displayName, 'Automation Bot');
      assert.match(result.message, /scoped API token/);
      assert.match(result.hint ?? '', /scoped/);
      assert.strictEqual(fake.requestsTo('gateway')[0].path, `/ex/jira/${fake.cloudId}/rest/api/3/myself`);
    });

    it('calls a refused token expired when its recorded expiry has passed', async () => {
      const now = () => new Date('2026-06-01T00:00:00Z');
      const result = await checkCredential(cloud({ expiresAt: '2026-05-01T00:00:00Z' }), wrongToken, { ...fake.checkOptions, now });
      assert.strictEqual(result.status, 'expired');
      assert.strictEqual(result.message, `The API token for ${EMAIL} has expired.`);
    });

    it('calls a token expired when the 401 body says so', async () => {
      fake.setBehaviour({
        kind: 'answer',
        status: 401,
        body: '{"errorMessages":["The API token has expired."]}',
        headers: { 'Content-Type': 'application/json' },
      });
      const result = await checkCredential(cloud(), token, fake.checkOptions);
      assert.strictEqual(result.status, 'expired');
    });

    it('keeps a valid verdict but flags a recorded expiry that has passed', async () => {
      const result = await checkCredential(cloud({ expiresAt: '2020-01-01T00:00:00Z' }), token, fake.checkOptions);
      assert.strictEqual(result.status, 'valid');
      assert.match(result.hint ?? '', /expiry date/);
    });

    it('does not fall for a 200 served to the anonymous user (X-Seraph-LoginReason)', async () => {
      fake.setBehaviour({ kind: 'anonymous-200' });
      const result = await checkCredential(cloud(), wrongToken, fake.checkOptions);
      assert.strictEqual(result.status, 'invalid');
      assert.strictEqual(result.httpStatus, 200);
      assert.match(result.message, /anonymous/);
    });

    it('calls a 200 without a myself body not Jira', async () => {
      fake.setBehaviour({ kind: 'answer', status: 200, body: '{"status":"ok"}', headers: { 'Content-Type': 'application/json' } });
      const result = await checkCredential(cloud(), token, fake.checkOptions);
      assert.strictEqual(result.status, 'not-jira');
    });

    it('calls an HTML page not Jira', async () => {
      fake.setBehaviour({ kind: 'html' });
      const result = await checkCredential(cloud(), token, fake.checkOptions);
      assert.strictEqual(result.status, 'not-jira');
      assert.strictEqual(result.message, "This URL does not answer like Jira's REST API.");
    });

    it('calls an HTML 404 (wrong path) not Jira', async () => {
      const result = await checkCredential(cloud({ path: '/wrong' }), token, fake.checkOptions);
      assert.strictEqual(result.status, 'not-jira');
      assert.strictEqual(result.httpStatus, 404);
    });

    it('reports a 403 as forbidden', async () => {
      fake.setBehaviour({
        kind: 'answer',
        status: 403,
        body: '{"errorMessages":["Forbidden"]}',
        headers: { 'Content-Type': 'application/json' },
      });
      const result = await checkCredential(cloud(), token, fake.checkOptions);
      assert.strictEqual(result.status, 'forbidden');
      assert.match(result.hint ?? '', /administrator/);
    });

    it('reports a 429 with Retry-After seconds', async () => {
      fake.setBehaviour({ kind: 'rate-limited', retryAfter: '42' });
      const result = await checkCredential(cloud(), token, fake.checkOptions);
      assert.strictEqual(result.status, 'rate-limited');
      assert.strictEqual(result.retryAfterSeconds, 42);
      assert.strictEqual(result.hint, 'Try again in 42 seconds.');
    });

    it('reads Retry-After as an HTTP date against the injected clock', async () => {
      const now = new Date('2026-03-01T12:00:00Z');
      fake.setBehaviour({ kind: 'rate-limited', retryAfter: new Date(now.getTime() + 90_000).toUTCString() });
      const result = await checkCredential(cloud(), token, { ...fake.checkOptions, now: () => now });
      assert.strictEqual(result.retryAfterSeconds, 90);
    });

    it('falls back to X-RateLimit-Reset without Retry-After', async () => {
      const now = new Date('2026-03-01T12:00:00Z');
      fake.setBehaviour({ kind: 'rate-limited', retryAfter: null, reset: new Date(now.getTime() + 120_000).toISOString() });
      const result = await checkCredential(cloud(), token, { ...fake.checkOptions, now: () => now });
      assert.strictEqual(result.status, 'rate-limited');
      assert.strictEqual(result.retryAfterSeconds, 120);
    });

    it('treats a 503 with Retry-After as rate limiting and without as unavailable', async () => {
      fake.setBehaviour({ kind: 'unavailable', retryAfter: '5' });
      const limited = await checkCredential(cloud(), token, fake.checkOptions);
      assert.strictEqual(limited.status, 'rate-limited');
      assert.strictEqual(limited.retryAfterSeconds, 5);
      fake.reset();
      fake.setBehaviour({ kind: 'unavailable' });
      const down = await checkCredential(cloud(), token, fake.checkOptions);
      assert.strictEqual(down.status, 'unreachable');
      assert.strictEqual(down.httpStatus, 503);
    });

    it('reports a 500 from Jira as unexpected, with the request id in the hint', async () => {
      fake.setBehaviour({
        kind: 'answer',
        status: 500,
        body: '{"errorMessages":["Internal server error"]}',
        headers: { 'Content-Type': 'application/json' },
      });
      const result = await checkCredential(cloud(), token, fake.checkOptions);
      assert.strictEqual(result.status, 'unexpected');
      assert.ok(result.requestId);
      assert.ok(result.hint?.includes(result.requestId));
    });

    it('reports a proxy demanding authentication (407) as unreachable with a proxy hint', async () => {
      fake.setBehaviour({ kind: 'proxy-auth' });
      const result = await checkCredential(cloud(), token, fake.checkOptions);
      assert.strictEqual(result.status, 'unreachable');
      assert.match(result.hint ?? '', /proxy/);
    });
  });

  describe(`jira check: scoped Cloud over ${secure ? 'https' : 'http'}`, () => {
    let fake: FakeJira;
    const token = makeCloudToken();
    const scopedToken = makeCloudToken();
    const narrowToken = makeCloudToken();

    before(async () => {
      fake = await startFakeJira({ https: secure });
      fake.addCloudAccount({ email: EMAIL, token, displayName: 'Me Myself' });
      fake.addCloudAccount({
        email: SCOPED_EMAIL,
        token: scopedToken,
        scoped: true,
        scopes: ['read:jira-user', 'read:jira-work'],
        displayName: 'Automation Bot',
      });
      fake.addCloudAccount({ email: 'narrow@example.com', token: narrowToken, scoped: true, scopes: ['read:jira-work'] });
    });
    after(() => fake.close());
    beforeEach(() => fake.reset());

    const scoped = (fields = {}) => fakeConnection(fake, 'cloud-scoped', { email: SCOPED_EMAIL, ...fields });

    it('checks through the gateway with the cloud id looked up without credentials', async () => {
      const result = await checkCredential(scoped(), scopedToken, fake.checkOptions);
      assert.strictEqual(result.status, 'valid', result.message);
      assert.strictEqual(result.cloudId, fake.cloudId);
      assert.strictEqual(result.suggestedKind, undefined);
      assert.strictEqual(result.identity?.displayName, 'Automation Bot');
      assert.ok(result.requestId, 'the gateway trace id is the request id');
      assert.deepStrictEqual(
        fake.requestsTo('site').map((r) => [r.path, r.authorization]),
        [['/_edge/tenant_info', undefined]],
      );
      assert.strictEqual(fake.requestsTo('gateway')[0].authorization, basic(SCOPED_EMAIL, scopedToken));
    });

    it('uses the stored cloud id without asking the site', async () => {
      const result = await checkCredential(scoped({ cloudId: fake.cloudId }), scopedToken, fake.checkOptions);
      assert.strictEqual(result.status, 'valid');
      assert.strictEqual(fake.requestsTo('site').length, 0);
    });

    it('recognises an unscoped token on a scoped connection: valid, suggesting the Cloud kind', async () => {
      const result = await checkCredential(scoped({ email: EMAIL }), token, fake.checkOptions);
      assert.strictEqual(result.status, 'valid', result.message);
      assert.strictEqual(result.suggestedKind, 'cloud');
      assert.strictEqual(result.identity?.displayName, 'Me Myself');
    });

    it('refuses a wrong token on the gateway and the site', async () => {
      const result = await checkCredential(scoped(), makeCloudToken(), fake.checkOptions);
      assert.strictEqual(result.status, 'invalid');
      assert.strictEqual(result.message, `Jira refused the scoped API token for ${SCOPED_EMAIL}.`);
      assert.strictEqual(fake.requestsTo('site').filter((r) => r.authorization).length, 1, 'the site is tried once');
    });

    it('names a missing scope', async () => {
      const result = await checkCredential(scoped({ email: 'narrow@example.com' }), narrowToken, fake.checkOptions);
      assert.strictEqual(result.status, 'forbidden');
      assert.match(result.hint ?? '', /read:jira-user/);
    });

    it('calls an unknown stored cloud id a wrong host', async () => {
      const result = await checkCredential(scoped({ cloudId: '00000000-0000-0000-0000-000000000000' }), scopedToken, fake.checkOptions);
      assert.strictEqual(result.status, 'wrong-host');
      assert.strictEqual(result.httpStatus, 404);
    });

    it('says so when the site gives no cloud id', async () => {
      fake.setBehaviour({ kind: 'not-found' }, { path: '/_edge/' });
      const result = await checkCredential(scoped(), scopedToken, fake.checkOptions);
      assert.strictEqual(result.status, 'not-jira');
      assert.match(result.message, /Cloud id/);
    });

    it('calls the gateway used as a site address a wrong host, unless it carries a cloud id', async () => {
      const bare = await checkCredential(scoped({ baseUrl: fake.gatewayUrl }), scopedToken, fake.checkOptions);
      assert.strictEqual(bare.status, 'wrong-host');
      const unscopedKind = await checkCredential(
        fakeConnection(fake, 'cloud', { email: EMAIL, baseUrl: fake.gatewayUrl }),
        token,
        fake.checkOptions,
      );
      assert.strictEqual(unscopedKind.status, 'wrong-host');
      assert.strictEqual(fake.requests.length, 0, 'nothing is sent');
      const withId = await checkCredential(
        scoped({ baseUrl: `${fake.gatewayUrl}/ex/jira/${fake.cloudId}` }),
        scopedToken,
        fake.checkOptions,
      );
      assert.strictEqual(withId.status, 'valid', withId.message);
    });

    it('reports gateway rate limiting', async () => {
      fake.setBehaviour({ kind: 'rate-limited', retryAfter: '7' }, { server: 'gateway' });
      const result = await checkCredential(scoped(), scopedToken, fake.checkOptions);
      assert.strictEqual(result.status, 'rate-limited');
      assert.strictEqual(result.retryAfterSeconds, 7);
    });
  });
}

describe('jira check: gateway that also accepts unscoped tokens', () => {
  let fake: FakeJira;
  const token = makeCloudToken();
  before(async () => {
    fake = await startFakeJira({ gatewayAcceptsUnscoped: true });
    fake.addCloudAccount({ email: EMAIL, token });
  });
  after(() => fake.close());

  it('accepts an unscoped token on a scoped connection without suggesting a change', async () => {
    const result = await checkCredential(fakeConnection(fake, 'cloud-scoped', { email: EMAIL }), token, fake.checkOptions);
    assert.strictEqual(result.status, 'valid');
    assert.strictEqual(result.suggestedKind, undefined);
    assert.strictEqual(fake.requestsTo('site').filter((r) => r.authorization).length, 0);
  });
});
