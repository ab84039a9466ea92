import * as assert from 'assert';
import * as net from 'net';
import { type CheckResult, type Credential } from '../../../../src/core/connections/connection';
import { checkCredential, fetchCloudId } from '../../../../src/node/jira';
import { type FakeJira, fakeConnection, startFakeJira } from '../../../support/fakeJira';
import { againstALongerTimeout } from '../../../support/timeouts';
import { makeCloudToken, makeDataCenterPat } from '../../../support/tokens';

const EMAIL = 'me@example.com';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function connectionTo(baseUrl: string, fields: Partial<Credential> = {}): Credential {
  return { kind: 'cloud', baseUrl, email: EMAIL, ...fields };
}

for (const secure of [false, true]) {
  describe(`jira check: network and redirects over ${secure ? 'https' : 'http'}`, () => {
    let fake: FakeJira;
    const token = makeCloudToken();

    before(async () => {
      fake = await startFakeJira({ https: secure });
      fake.addCloudAccount({ email: EMAIL, token });
    });
    after(() => fake.close());
    beforeEach(() => fake.reset());

    const cloud = () => fakeConnection(fake, 'cloud', { email: EMAIL });

    it('gives a timeout verdict at its own timeout when the server never answers', async () => {
      fake.setBehaviour({ kind: 'jira', held: true });
      const { result, longerStillWaiting } = await againstALongerTimeout((options) =>
        checkCredential(cloud(), token, { ...fake.checkOptions, ...options }),
      );
      assert.strictEqual(result.status, 'timeout');
      assert.ok(longerStillWaiting, 'the verdict came from the 500 ms timeout, not from the server');
      assert.strictEqual(result.message, 'Jira did not answer within 1 second.');
    });

    it('waits for a slow answer inside the timeout', async () => {
      fake.setBehaviour({ kind: 'jira', delayMs: 100 });
      const result = await checkCredential(cloud(), token, { ...fake.checkOptions, timeoutMs: 2000 });
      assert.strictEqual(result.status, 'valid');
      assert.ok(result.durationMs >= 90);
    });

    it('reports a reset connection as unreachable', async () => {
      fake.setBehaviour({ kind: 'reset' });
      const result = await checkCredential(cloud(), token, fake.checkOptions);
      assert.strictEqual(result.status, 'unreachable');
      assert.match(result.message, /^Could not connect to 127\.0\.0\.1:\d+\.$/);
    });

    it('never sends credentials across origins: a redirect to an SSO page ends the check', async () => {
      fake.setBehaviour({ kind: 'redirect', location: `${fake.otherOriginUrl}/app/jira/sso/saml?SAMLRequest=abc123` });
      const result = await checkCredential(cloud(), token, fake.checkOptions);
      assert.strictEqual(result.status, 'not-jira');
      assert.strictEqual(result.httpStatus, 302);
      assert.strictEqual(result.loginUrl, `${fake.otherOriginUrl}/app/jira/sso/saml`);
      assert.match(result.message, /single sign-on/);
      assert.strictEqual(fake.requestsTo('other').filter((r) => r.authorization !== undefined).length, 0);
      assert.strictEqual(fake.requestsTo('other').length, 0);
    });

    it('never follows a redirect to another origin, login page or not', async () => {
      fake.setBehaviour({ kind: 'redirect', location: `${fake.otherOriginUrl}/rest/api/3/myself`, status: 307 });
      const result = await checkCredential(cloud(), token, fake.checkOptions);
      assert.strictEqual(result.status, 'not-jira');
      assert.strictEqual(
        result.message,
        `The server redirects this request to another address (${fake.otherOriginUrl}), so the token was not sent.`,
      );
      assert.strictEqual(result.loginUrl, undefined, 'an address elsewhere that is not a login page is named, never offered as a link');
      assert.strictEqual(fake.requestsTo('other').length, 0);
    });

    it('refuses a redirect whose address carries a user and password, same origin or not', async () => {
      const sameOrigin = new URL(fake.url);
      for (const location of [
        `${sameOrigin.protocol}//attacker:pw@${sameOrigin.host}/rest/api/3/myself`,
        `${sameOrigin.protocol}//attacker@${sameOrigin.host}/login.jsp`,
        `${new URL(fake.otherOriginUrl).protocol}//attacker:pw@${new URL(fake.otherOriginUrl).host}/sso/login`,
      ]) {
        fake.reset();
        fake.setBehaviour({ kind: 'redirect', location, status: 307 });
        const result = await checkCredential(cloud(), token, fake.checkOptions);
        assert.strictEqual(result.status, 'not-jira', location);
        assert.match(result.message, /carries its own user name and password/);
        assert.strictEqual(result.loginUrl, undefined);
        assert.strictEqual(
          fake.requests.length,
          1,
          'the redirect is not followed: axios would send attacker:pw instead of our credentials',
        );
        assert.ok(!JSON.stringify(result).includes('attacker'));
      }
    });

    it('honours cancellation while waiting', async () => {
      fake.setBehaviour({ kind: 'hang' });
      const controller = new AbortController();
      const pending = checkCredential(cloud(), token, { ...fake.checkOptions, signal: controller.signal });
      await fake.waitForRequests(1);
      controller.abort();
      const result = await pending;
      assert.strictEqual(result.status, 'unexpected');
      assert.strictEqual(result.message, 'The check was cancelled.');
    });

    it('fetches the cloud id without credentials', async () => {
      assert.strictEqual(await fetchCloudId(fake.url, fake.checkOptions), fake.cloudId);
      assert.strictEqual(fake.requests[0].authorization, undefined);
      fake.setBehaviour({ kind: 'not-found' });
      assert.strictEqual(await fetchCloudId(fake.url, fake.checkOptions), undefined);
    });
  });
}

describe('jira check: certificates', () => {
  let fake: FakeJira;
  const token = makeCloudToken();

  before(async () => {
    fake = await startFakeJira({ https: true });
    fake.addCloudAccount({ email: EMAIL, token });
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.reset();
    fake.setCertificate('trusted');
  });

  const cases = [
    { certificate: 'self-signed', pattern: /not signed by an authority this computer trusts/ },
    { certificate: 'expired', pattern: /has expired/ },
    { certificate: 'wrong-host', pattern: /belongs to a different host name/ },
  ] as const;
  for (const { certificate, pattern } of cases) {
    it(`refuses a ${certificate} certificate before sending anything`, async () => {
      fake.setCertificate(certificate);
      const result = await checkCredential(fakeConnection(fake, 'cloud', { email: EMAIL }), token, fake.checkOptions);
      assert.strictEqual(result.status, 'tls-error');
      assert.match(result.message, pattern);
      assert.strictEqual(fake.requestsTo('site').length, 0);
    });
  }

  it('does not trust the test CA unless told to: `ca` only adds trust', async () => {
    const result = await checkCredential(fakeConnection(fake, 'cloud', { email: EMAIL }), token, { gatewayUrl: fake.gatewayUrl });
    assert.strictEqual(result.status, 'tls-error');
    assert.match(result.message, /not signed by an authority/);
  });
});

describe('jira check: address rules and robustness', () => {
  const token = makeCloudToken();

  it('refuses plain http to a non-local host before any request', async () => {
    const lines: string[] = [];
    const result = await checkCredential(connectionTo('http://jira.example.com'), token, { log: (line) => lines.push(line) });
    assert.strictEqual(result.status, 'unexpected');
    assert.strictEqual(result.message, 'Refusing to send a token over plain http to a non-local host.');
    assert.ok(lines.every((line) => !line.startsWith('GET')));
  });

  it('refuses a plain http gateway too', async () => {
    const result = await checkCredential(connectionTo('https://example.atlassian.net'), token, { gatewayUrl: 'http://api.example.com' });
    assert.strictEqual(result.status, 'unexpected');
    assert.match(result.message, /plain http/);
  });

  it('refuses an address carrying a user name or password', async () => {
    const result = await checkCredential(connectionTo(`https://${EMAIL.replace('@', '%40')}:${token}@example.atlassian.net`), token);
    assert.strictEqual(result.status, 'unexpected');
    assert.match(result.message, /user name or password/);
    assert.ok(!JSON.stringify(result).includes(token));
  });

  it('reports a refused connection as unreachable', async () => {
    const result = await checkCredential(connectionTo(`http://127.0.0.1:${await closedPort()}`), token);
    assert.strictEqual(result.status, 'unreachable');
    assert.strictEqual(result.httpStatus, undefined);
  });

  it('gives a timeout verdict when a server accepts the connection but never starts TLS', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const silentUrl = `https://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
      const { result, longerStillWaiting } = await againstALongerTimeout((options) =>
        checkCredential(connectionTo(silentUrl), token, options),
      );
      assert.strictEqual(result.status, 'timeout');
      assert.ok(longerStillWaiting, 'the verdict came from the 500 ms timeout');
    } finally {
      sockets.forEach((socket) => socket.destroy());
      silent.close();
    }
  });

  it('asks for the missing email or token instead of sending a request', async () => {
    assert.match(
      (await checkCredential(connectionTo('https://example.atlassian.net', { email: undefined }), token)).message,
      /no email address/,
    );
    assert.match((await checkCredential(connectionTo('https://example.atlassian.net'), '')).message, /No API token/);
  });

  it('returns at once when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await checkCredential(connectionTo('https://example.atlassian.net'), token, { signal: controller.signal });
    assert.strictEqual(result.message, 'The check was cancelled.');
  });

  it('never throws: a broken connection or log sink still gives a verdict', async () => {
    const noAddress = { ...connectionTo('https://example.atlassian.net'), baseUrl: undefined } as unknown as Credential;
    assert.strictEqual((await checkCredential(noAddress, token)).message, 'The Jira address is not a valid https URL.');
    const unknownKind = { ...connectionTo('https://example.atlassian.net'), kind: 'bogus' } as unknown as Credential;
    const result: CheckResult = await checkCredential(unknownKind, token, {
      log: () => {
        throw new Error('sink down');
      },
    });
    assert.strictEqual(result.status, 'unexpected');
    assert.strictEqual(result.message, 'The check failed unexpectedly.');
    assert.ok(result.durationMs >= 0);
  });
});

describe('jira check: what a hostile server sends back', () => {
  let fake: FakeJira;
  const token = makeCloudToken();
  const pat = makeDataCenterPat();
  const password = 'Winter2024!xyz';

  before(async () => {
    fake = await startFakeJira();
    fake.addCloudAccount({ email: EMAIL, token, displayName: 'Dev\x1b[2J\x1b[1;1H\u202eevil\u009b' });
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  const everySecretForm = (user: string, secret: string): string[] => [
    secret,
    encodeURIComponent(secret),
    Buffer.from(secret).toString('base64'),
    Buffer.from(`${user}:${secret}`).toString('base64'),
  ];

  it('redacts the Authorization header echoed into every field of the identity and the request id', async () => {
    fake.setBehaviour({ kind: 'echo-authorization' });
    const cases: Array<[Credential, string]> = [
      [fakeConnection(fake, 'cloud', { email: EMAIL }), token],
      [fakeConnection(fake, 'datacenter-pat'), pat],
      [fakeConnection(fake, 'datacenter-basic', { username: 'alice' }), password],
    ];
    for (const [connection, secret] of cases) {
      const result = await checkCredential(connection, secret, fake.checkOptions);
      const json = JSON.stringify(result);
      assert.strictEqual(result.status, 'valid', connection.kind);
      assert.ok(result.identity?.displayName?.startsWith('Authorization: '), json);
      for (const form of everySecretForm(connection.username ?? connection.email ?? '', secret)) {
        assert.ok(!json.includes(form), `${connection.kind}: a secret form (${form.slice(0, 4)}…) is in ${json}`);
      }
      assert.ok(!/(Basic|Bearer) [A-Za-z0-9+/=]{8,}/.test(json), json);
      assert.ok(!json.includes('Wint') && !json.includes('!xyz'), `nothing of a password shows: ${json}`);
    }
  });

  it('never repeats a token given as the user name', async () => {
    fake.addDataCenterUser({ username: 'bob', pat });
    const typedAsUser = makeDataCenterPat();
    const result = await checkCredential(
      fakeConnection(fake, 'datacenter-pat', { username: typedAsUser }),
      makeDataCenterPat(),
      fake.checkOptions,
    );
    assert.strictEqual(result.status, 'invalid');
    const json = JSON.stringify(result);
    for (const form of everySecretForm('', typedAsUser)) assert.ok(!json.includes(form), json);
  });

  it('escapes control and bidi characters in names the server sends', async () => {
    const result = await checkCredential(fakeConnection(fake, 'cloud', { email: EMAIL }), token, fake.checkOptions);
    assert.strictEqual(result.status, 'valid');
    assert.strictEqual(result.identity?.displayName, 'Dev\\x1b[2J\\x1b[1;1H\\u202eevil\\x9b');
    assert.strictEqual(result.message, 'Jira accepted the API token, signed in as Dev\\x1b[2J\\x1b[1;1H\\u202eevil\\x9b.');
  });

  it('offers a CAPTCHA login page as a link only on the site itself', async () => {
    const connection = fakeConnection(fake, 'datacenter-basic', { username: 'alice' });
    for (const [loginUrl, offered] of [
      [`${fake.url}/login.jsp`, true],
      [`${fake.otherOriginUrl}/login.jsp`, false],
      ['https://evil.example/login.jsp', false],
    ] as const) {
      fake.setBehaviour({
        kind: 'answer',
        status: 403,
        headers: { 'X-Authentication-Denied-Reason': `CAPTCHA_CHALLENGE; login-url=${loginUrl}` },
      });
      const result = await checkCredential(connection, password, fake.checkOptions);
      assert.strictEqual(result.status, 'captcha');
      assert.strictEqual(result.loginUrl, offered ? loginUrl : undefined, loginUrl);
    }
  });
});

describe('jira check: secrets stay out of every message, hint and log line', () => {
  let fake: FakeJira;
  const token = makeCloudToken();
  const basicHeader = Buffer.from(`${EMAIL}:${token}`).toString('base64');

  before(async () => {
    fake = await startFakeJira();
    fake.addCloudAccount({ email: EMAIL, token });
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  const scenarios: Array<{ name: string; setUp(fake: FakeJira): void; token?: string }> = [
    { name: 'valid', setUp: () => undefined },
    { name: 'invalid', setUp: () => undefined, token: `${token.slice(0, -1)}x` },
    {
      name: 'token echoed in a redirect path',
      setUp: (f) => f.setBehaviour({ kind: 'redirect', location: `${f.otherOriginUrl}/login/${token}?t=${token}` }),
    },
    {
      name: 'token echoed in an error body',
      setUp: (f) => f.setBehaviour({ kind: 'answer', status: 401, body: JSON.stringify({ errorMessages: [`bad token ${token}`] }) }),
    },
    { name: 'rate limited', setUp: (f) => f.setBehaviour({ kind: 'rate-limited' }) },
    { name: 'timeout', setUp: (f) => f.setBehaviour({ kind: 'hang' }) },
  ];

  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      scenario.setUp(fake);
      const secret = scenario.token ?? token;
      const lines: string[] = [];
      const result = await checkCredential(fakeConnection(fake, 'cloud', { email: EMAIL }), secret, {
        ...fake.checkOptions,
        timeoutMs: 300,
        log: (line) => lines.push(line),
      });
      assert.ok(lines.length > 0);
      const encoded = Buffer.from(`${EMAIL}:${secret}`).toString('base64');
      for (const text of [result.message, result.hint ?? '', result.loginUrl ?? '', ...lines]) {
        assert.ok(!text.includes(secret), `token leaked: ${text}`);
        assert.ok(!text.includes(encoded) && !text.includes(basicHeader), `Basic credentials leaked: ${text}`);
        assert.ok(!/authorization/i.test(text), `header leaked: ${text}`);
      }
    });
  }
});
