import * as assert from 'assert';
import { TransportError } from '../../../../src/core/jira/http';
import { isAtlassianCloudHost, isLoopbackHost, normalizeBaseUrl } from '../../../../src/core/connections/url';
import { type MessageContext } from '../../../../src/core/jira/messages';
import { parseServiceUrl } from '../../../../src/core/jira/urls';
import { identityOf, readTransportError, retryAfterOf } from '../../../../src/core/jira/verdicts';

const context: MessageContext = {
  kind: 'cloud',
  user: 'me@example.com',
  host: 'example.atlassian.net',
  baseUrl: 'https://example.atlassian.net',
  timeoutMs: 15000,
};
const target = new URL('https://example.atlassian.net/rest/api/3/myself');

describe('jira verdicts: transport failures', () => {
  const read = (code: string, message = code, remote?: { port?: number }) =>
    readTransportError(new TransportError('network', code, message, remote), target, context);

  it('names DNS failures', () => {
    for (const code of ['ENOTFOUND', 'EAI_AGAIN']) {
      const result = read(code);
      assert.strictEqual(result.status, 'not-found');
      assert.strictEqual(result.message, 'The host example.atlassian.net could not be found.');
    }
  });

  it('calls refused, reset and broken connections unreachable', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'EPIPE']) assert.strictEqual(read(code, code, { port: 443 }).status, 'unreachable');
    assert.strictEqual(read('', 'socket hang up').status, 'unreachable');
  });

  it('blames the proxy when the refused connection went to another port', () => {
    const result = read('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:3128', { port: 3128 });
    assert.strictEqual(result.status, 'unreachable');
    assert.match(result.message, /proxy/);
    assert.match(result.hint ?? '', /http\.proxy/);
  });

  it('names certificate problems in plain words', () => {
    for (const code of ['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']) {
      assert.match(read(code).message, /not signed by an authority this computer trusts/);
    }
    assert.match(read('CERT_HAS_EXPIRED').message, /has expired/);
    assert.match(read('ERR_TLS_CERT_ALTNAME_INVALID').message, /different host name/);
    assert.strictEqual(read('ERR_SSL_WRONG_VERSION_NUMBER').status, 'tls-error');
  });

  it('turns deadlines and cancellation into their own verdicts', () => {
    assert.strictEqual(readTransportError(new TransportError('timeout', 'ECONNABORTED', 'x'), target, context).status, 'timeout');
    assert.strictEqual(
      readTransportError(new TransportError('cancelled', 'ERR_CANCELED', 'x'), target, context).message,
      'The check was cancelled.',
    );
  });
});

describe('jira verdicts: answers', () => {
  const now = new Date('2026-03-01T12:00:00Z');

  it('reads Retry-After and X-RateLimit-Reset in every form', () => {
    assert.strictEqual(retryAfterOf({ 'retry-after': '12' }, now), 12);
    assert.strictEqual(retryAfterOf({ 'retry-after': 'Sun, 01 Mar 2026 12:01:00 GMT' }, now), 60);
    assert.strictEqual(retryAfterOf({ 'retry-after': 'Sun, 01 Mar 2026 11:00:00 GMT' }, now), 0);
    assert.strictEqual(retryAfterOf({ 'x-ratelimit-reset': '2026-03-01T12:00:30Z' }, now), 30);
    assert.strictEqual(retryAfterOf({ 'x-ratelimit-reset': String(now.getTime() / 1000 + 45) }, now), 45);
    assert.strictEqual(retryAfterOf({ 'x-ratelimit-reset': '20' }, now), 20);
    assert.strictEqual(retryAfterOf({ 'retry-after': 'soon' }, now), undefined);
    assert.strictEqual(retryAfterOf({}, now), undefined);
  });

  it('reads Cloud and Data Center identities, and nothing else', () => {
    assert.deepStrictEqual(identityOf({ accountId: 'a1', displayName: 'A', emailAddress: null, accountType: 'atlassian' }, 'cloud'), {
      accountId: 'a1',
      displayName: 'A',
      emailAddress: null,
    });
    assert.deepStrictEqual(identityOf({ name: 'bob', key: 'JIRAUSER1', displayName: 'Bob' }, 'datacenter-pat'), {
      name: 'bob',
      key: 'JIRAUSER1',
      displayName: 'Bob',
    });
    assert.strictEqual(identityOf({ name: 'bob' }, 'cloud'), undefined);
    assert.strictEqual(identityOf({ baseUrl: 'x', version: '9.12.0' }, 'datacenter-basic'), undefined);
    assert.strictEqual(identityOf([{ name: 'x' }], 'datacenter-basic'), undefined);
    assert.strictEqual(identityOf(undefined, 'cloud'), undefined);
  });
});

describe('jira verdicts: address rules', () => {
  it('knows the loopback hosts', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1', 'LOCALHOST.']) assert.ok(isLoopbackHost(host), host);
    for (const host of [
      'example.com',
      '128.0.0.1',
      '127.0.0.1.example.com',
      '10.0.0.1',
      'localhost.example.com',
      'notlocalhost',
      'jira.localhost',
    ])
      assert.ok(!isLoopbackHost(host), host);
  });

  it('knows the Jira Cloud hosts: one rule for the form, the leak guard and the check', () => {
    for (const host of ['acme.atlassian.net', 'ACME.Atlassian.Net', 'atlassian.net', 'acme.atlassian.net.', 'acme.jira.com'])
      assert.ok(isAtlassianCloudHost(host), host);
    for (const host of ['jira.example.com', 'atlassian.net.example.com', 'notatlassian.net', 'api.atlassian.com', 'myjira.com'])
      assert.ok(!isAtlassianCloudHost(host), host);
  });

  it('refuses plain http to *.localhost, as the site form does (such names may go to DNS)', () => {
    assert.strictEqual(parseServiceUrl('http://jira.localhost:2990/jira'), 'plainHttp');
    assert.strictEqual(normalizeBaseUrl('http://jira.localhost:2990/jira').ok, false);
  });

  it('allows https anywhere and http only to loopback', () => {
    assert.ok(parseServiceUrl('https://jira.example.com/jira/') instanceof URL);
    assert.strictEqual((parseServiceUrl('https://jira.example.com/jira/') as URL).href, 'https://jira.example.com/jira');
    assert.ok(parseServiceUrl('http://127.0.0.1:8080') instanceof URL);
    assert.ok(parseServiceUrl('http://localhost:2990/jira') instanceof URL);
    assert.strictEqual(parseServiceUrl('http://jira.example.com'), 'plainHttp');
    assert.strictEqual(parseServiceUrl('ftp://jira.example.com'), 'badUrl');
    assert.strictEqual(parseServiceUrl('jira.example.com'), 'badUrl');
    assert.strictEqual(parseServiceUrl('https://user:secret@jira.example.com'), 'credentialsInUrl');
  });
});
