import * as assert from 'assert';
import { checkCredential } from '../../../../src/node/jira';
import { tokenPageUrl } from '../../../../src/core/connections/tokenPages';
import { decodePatId } from '../../../../src/core/tokens/tokenShapes';
import { type FakeJira, fakeConnection, startFakeJira } from '../../../support/fakeJira';
import { againstALongerTimeout } from '../../../support/timeouts';
import { makeDataCenterPat } from '../../../support/tokens';

const CONTEXT = '/jira';

for (const secure of [false, true]) {
  describe(`jira check: Data Center over ${secure ? 'https' : 'http'}`, () => {
    let fake: FakeJira;
    const pat = makeDataCenterPat();
    const foreverPat = makeDataCenterPat();
    const expiredPat = makeDataCenterPat();
    const password = `pw-${Math.random().toString(36).slice(2)}`;
    const expiringAt = '2027-02-03T04:05:06.000+0000';

    before(async () => {
      fake = await startFakeJira({ https: secure, captchaAfterFailures: 3 });
      fake.addDataCenterUser({
        contextPath: CONTEXT,
        username: 'alice',
        key: 'JIRAUSER10100',
        displayName: 'Alice Admin',
        emailAddress: 'alice@example.com',
        pat,
        expiringAt,
        password,
      });
      fake.addDataCenterUser({
        contextPath: CONTEXT,
        username: 'alice',
        pat: makeDataCenterPat(),
        expiringAt: '2030-01-01T00:00:00.000+0000',
      });
      fake.addDataCenterUser({ contextPath: CONTEXT, username: 'bob', pat: foreverPat, password: 'bob-password' });
      fake.addDataCenterUser({
        contextPath: CONTEXT,
        username: 'carol',
        pat: expiredPat,
        expiringAt: '2024-01-01T00:00:00.000+0000',
        password: 'carol-password',
      });
    });
    after(() => fake.close());
    beforeEach(() => fake.reset());

    const patConnection = (fields = {}) => fakeConnection(fake, 'datacenter-pat', { path: CONTEXT, ...fields });
    const basicConnection = (username: string, fields = {}) =>
      fakeConnection(fake, 'datacenter-basic', { path: CONTEXT, username, ...fields });

    it('accepts a PAT, reads the identity and finds its expiry in the PAT API', async () => {
      const result = await checkCredential(patConnection(), pat, fake.checkOptions);
      assert.strictEqual(result.status, 'valid', result.message);
      assert.deepStrictEqual(result.identity, {
        name: 'alice',
        key: 'JIRAUSER10100',
        displayName: 'Alice Admin',
        emailAddress: 'alice@example.com',
      });
      assert.strictEqual(result.expiresAt, new Date('2027-02-03T04:05:06Z').toISOString());
      assert.strictEqual(result.httpStatus, 200);
      assert.match(result.requestId ?? '', /^\d+x\d+x\d+$/);
      assert.strictEqual(result.message, 'Jira accepted the personal access token, signed in as Alice Admin.');
      assert.deepStrictEqual(
        fake.requests.map((r) => [r.path, r.authorization]),
        [
          [`${CONTEXT}/rest/api/2/myself`, `Bearer ${pat}`],
          [`${CONTEXT}/rest/pat/latest/tokens`, `Bearer ${pat}`],
        ],
      );
      assert.ok(decodePatId(pat));
    });

    it('leaves expiresAt unset for a PAT without expiry', async () => {
      const result = await checkCredential(patConnection(), foreverPat, fake.checkOptions);
      assert.strictEqual(result.status, 'valid');
      assert.strictEqual(result.expiresAt, undefined);
    });

    it('is still valid when the PAT API is missing (HTML 404)', async () => {
      fake.setBehaviour({ kind: 'not-found' }, { path: `${CONTEXT}/rest/pat/` });
      const result = await checkCredential(patConnection(), pat, fake.checkOptions);
      assert.strictEqual(result.status, 'valid');
      assert.strictEqual(result.expiresAt, undefined);
    });

    it('is still valid when the PAT API answers HTML with 200', async () => {
      fake.setBehaviour({ kind: 'html' }, { path: `${CONTEXT}/rest/pat/` });
      const result = await checkCredential(patConnection(), pat, fake.checkOptions);
      assert.strictEqual(result.status, 'valid');
      assert.strictEqual(result.expiresAt, undefined);
    });

    it('is still valid, within the timeout, when the PAT API hangs', async () => {
      fake.setBehaviour({ kind: 'jira', held: true }, { path: `${CONTEXT}/rest/pat/` });
      const { result, longerStillWaiting } = await againstALongerTimeout((options) =>
        checkCredential(patConnection(), pat, { ...fake.checkOptions, ...options }),
      );
      assert.strictEqual(result.status, 'valid');
      assert.strictEqual(result.expiresAt, undefined);
      assert.ok(longerStillWaiting, 'the PAT API cost no more than the 500 ms timeout');
    });

    it('refuses a wrong PAT', async () => {
      const result = await checkCredential(patConnection(), makeDataCenterPat(), fake.checkOptions);
      assert.strictEqual(result.status, 'invalid');
      assert.strictEqual(result.message, 'Jira refused the personal access token.');
      assert.match(result.hint ?? '', new RegExp(`${fake.url}${CONTEXT}/secure/ViewProfile\\.jspa`));
      assert.ok((result.hint ?? '').includes(tokenPageUrl(patConnection())), 'the hint links the Personal Access Tokens tab');
      assert.strictEqual(fake.requests.length, 1, 'no PAT lookup after a refusal');
    });

    it('calls a refused PAT expired when its recorded expiry has passed', async () => {
      const result = await checkCredential(patConnection({ expiresAt: '2024-01-01T00:00:00Z' }), expiredPat, fake.checkOptions);
      assert.strictEqual(result.status, 'expired');
      assert.match(result.hint ?? '', /cannot be renewed/);
    });

    it('accepts a username and password', async () => {
      const result = await checkCredential(basicConnection('alice'), password, fake.checkOptions);
      assert.strictEqual(result.status, 'valid', result.message);
      assert.strictEqual(result.identity?.name, 'alice');
      assert.strictEqual(fake.requests.length, 1, 'no PAT lookup for basic auth');
    });

    it('refuses a wrong password, then reports the CAPTCHA with its login page', async () => {
      for (let i = 0; i < 3; i++) {
        const refused = await checkCredential(basicConnection('bob'), 'not-the-password', fake.checkOptions);
        assert.strictEqual(refused.status, 'invalid');
        assert.strictEqual(refused.message, 'Jira refused the password for bob.');
      }
      const result = await checkCredential(basicConnection('bob'), 'bob-password', fake.checkOptions);
      assert.strictEqual(result.status, 'captcha');
      assert.strictEqual(result.httpStatus, 403);
      assert.strictEqual(result.loginUrl, `${fake.url}${CONTEXT}/login.jsp`);
      assert.match(result.hint ?? '', /browser/);
    });

    it('reports a forced CAPTCHA challenge', async () => {
      fake.setBehaviour({ kind: 'captcha' });
      const result = await checkCredential(basicConnection('alice'), password, fake.checkOptions);
      assert.strictEqual(result.status, 'captcha');
    });

    it('says so when the site no longer accepts passwords', async () => {
      fake.setBehaviour({
        kind: 'answer',
        status: 401,
        body: 'Basic authentication with passwords is deprecated.',
        headers: { 'Content-Type': 'text/plain', 'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED' },
      });
      const result = await checkCredential(basicConnection('alice'), password, fake.checkOptions);
      assert.strictEqual(result.status, 'invalid');
      assert.match(result.hint ?? '', /personal access token/);
    });

    it('calls a wrong context path not Jira, hinting at the context path', async () => {
      const result = await checkCredential(patConnection({ path: '/wiki' }), pat, fake.checkOptions);
      assert.strictEqual(result.status, 'not-jira');
      assert.strictEqual(result.httpStatus, 404);
      assert.match(result.hint ?? '', /context path/);
    });

    it('does not fall for a 200 served to the anonymous user', async () => {
      fake.setBehaviour({ kind: 'anonymous-200' });
      const result = await checkCredential(patConnection(), makeDataCenterPat(), fake.checkOptions);
      assert.strictEqual(result.status, 'invalid');
    });

    it('follows a same-origin redirect with the credentials', async () => {
      fake.setBehaviour({ kind: 'redirect', location: `${CONTEXT}/rest/api/2/myself`, status: 301 }, { path: '/old/' });
      const result = await checkCredential(patConnection({ path: '/old' }), foreverPat, fake.checkOptions);
      assert.strictEqual(result.status, 'valid', result.message);
      assert.deepStrictEqual(
        fake.requests.slice(0, 2).map((r) => [r.path, r.authorization]),
        [
          ['/old/rest/api/2/myself', `Bearer ${foreverPat}`],
          [`${CONTEXT}/rest/api/2/myself`, `Bearer ${foreverPat}`],
        ],
      );
    });

    it('stops after three same-origin redirects', async () => {
      fake.setBehaviour({ kind: 'redirect', location: `${CONTEXT}/rest/api/2/myself` });
      const result = await checkCredential(patConnection(), pat, fake.checkOptions);
      assert.strictEqual(result.status, 'not-jira');
      assert.match(result.message, /too many times/);
      assert.strictEqual(fake.requests.length, 4);
    });

    it('reports a redirect to the login page as not Jira, with the login page', async () => {
      fake.setBehaviour({ kind: 'redirect', location: `${fake.url}${CONTEXT}/login.jsp?os_destination=%2Frest%2Fapi%2F2%2Fmyself` });
      const result = await checkCredential(patConnection(), pat, fake.checkOptions);
      assert.strictEqual(result.status, 'not-jira');
      assert.strictEqual(result.loginUrl, `${fake.url}${CONTEXT}/login.jsp`);
      assert.match(result.message, /login page/);
      assert.strictEqual(fake.requests.length, 1, 'the login page is not fetched');
    });
  });
}

describe('jira check: Data Center address rules', () => {
  it('calls a Data Center connection to an atlassian.net site a wrong host, sending nothing', async () => {
    const lines: string[] = [];
    const result = await checkCredential({ kind: 'datacenter-pat', baseUrl: 'https://example.atlassian.net' }, makeDataCenterPat(), {
      log: (line) => lines.push(line),
    });
    assert.strictEqual(result.status, 'wrong-host');
    assert.ok(
      lines.every((line) => !line.startsWith('GET')),
      'no request',
    );
  });
});
