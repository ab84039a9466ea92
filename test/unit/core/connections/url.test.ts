import * as assert from 'assert';
import { isLoopbackHost, normalizeBaseUrl } from '../../../../src/core/connections/url';
import {
  makeAccessToken,
  makeBitbucketAppPassword,
  makeCloudToken,
  makeDataCenterPat,
  makeLegacyCloudToken,
} from '../../../support/tokens';

function url(input: string): string {
  const result = normalizeBaseUrl(input);
  assert.ok(result.ok, `expected ${input} to be accepted: ${!result.ok ? result.error : ''}`);
  return result.url;
}

function refused(input: string): string {
  const result = normalizeBaseUrl(input);
  assert.ok(!result.ok, `expected ${input} to be refused`);
  return result.error;
}

describe('normalizeBaseUrl', () => {
  it('assumes https and strips trailing slashes', () => {
    assert.strictEqual(url('acme.atlassian.net'), 'https://acme.atlassian.net');
    assert.strictEqual(url('  https://ACME.atlassian.net///\n'), 'https://acme.atlassian.net');
  });

  it('strips Jira page paths but keeps a Data Center context path', () => {
    assert.strictEqual(url('https://acme.atlassian.net/jira/your-work'), 'https://acme.atlassian.net');
    assert.strictEqual(url('https://acme.atlassian.net/browse/KEY-1?focusedCommentId=2#x'), 'https://acme.atlassian.net');
    assert.strictEqual(url('https://jira.example.com/secure/Dashboard.jspa'), 'https://jira.example.com');
    assert.strictEqual(url('https://example.com/jira/secure/Dashboard.jspa'), 'https://example.com/jira');
    assert.strictEqual(url('https://example.com/jira/browse/KEY-1'), 'https://example.com/jira');
    assert.strictEqual(url('https://example.com/tools/jira/'), 'https://example.com/tools/jira');
    assert.strictEqual(url('https://jira.example.com:8443/jira/'), 'https://jira.example.com:8443/jira');
  });

  it('refuses plain http except on loopback', () => {
    assert.match(refused('http://jira.example.com'), /unencrypted/);
    assert.strictEqual(url('http://127.0.0.1:8080/jira'), 'http://127.0.0.1:8080/jira');
    assert.strictEqual(url('http://localhost:2990/jira'), 'http://localhost:2990/jira');
  });

  it('refuses what is not a site URL', () => {
    assert.match(refused(''), /Enter the Jira site URL/);
    assert.match(refused('ftp://jira.example.com'), /https/);
    assert.match(refused('https://'), /not a URL|no host/);
    assert.match(refused('https://me:secret@jira.example.com'), /Remove the user name and password/);
  });

  it('refuses a token pasted in the URL box, and never quotes the input', () => {
    const tokens = [
      makeCloudToken(),
      makeCloudToken({ validCrc: false }),
      makeAccessToken(),
      makeBitbucketAppPassword(),
      makeDataCenterPat(),
      makeLegacyCloudToken(),
    ];
    // A PAT is base64: make sure one with a '/' (split across path segments) is among them.
    let patWithSlash = makeDataCenterPat();
    while (!patWithSlash.includes('/')) patWithSlash = makeDataCenterPat();
    tokens.push(patWithSlash);
    for (const token of tokens) {
      for (const input of [
        token,
        ` ${token}\n`,
        `https://${token}`,
        `https://${token}/`,
        `https://jira.example.com/${token}`,
        `https://jira.example.com/jira/${token}/secure/Dashboard.jspa`,
        `http://${token}`,
      ]) {
        const error = refused(input);
        assert.strictEqual(error, 'That looks like a token, not a site URL: paste the token in the token box.', input.slice(0, 30));
        assert.ok(!error.includes(token.slice(0, 8)) && !error.includes(token.slice(-8)), 'the error never quotes the token');
      }
    }
  });

  it('never quotes the input in an error', () => {
    for (const input of [
      'https://exa mple.com/secretish',
      'ftp://secretish.example.com',
      'http://secretish.example.com/jira',
      'https://secretish:x@jira.example.com',
    ]) {
      assert.ok(!refused(input).includes('secretish'), input);
    }
  });

  it('knows loopback hosts', () => {
    for (const host of ['localhost', '127.0.0.1', '127.3.2.1', '[::1]']) assert.ok(isLoopbackHost(host), host);
    assert.ok(!isLoopbackHost('app.localhost'), '*.localhost may be resolved through DNS');
    for (const host of ['10.0.0.1', 'jira.example.com', '128.0.0.1']) assert.ok(!isLoopbackHost(host), host);
  });
});
