import * as assert from 'assert';
import {
  cleanToken,
  suggestKindForUrl,
  tokenKindMismatch,
  validateConnectionInput,
  validateExpiry,
  validateLabel,
} from '../../../../src/core/connections/connectionInput';
import { makeCloudToken, makeDataCenterPat, makeLegacyCloudToken } from '../../../support/tokens';

const now = new Date('2026-11-27T12:00:00Z');

describe('connection input rules', () => {
  it('accepts a Cloud connection and derives a label', () => {
    const token = makeCloudToken();
    const result = validateConnectionInput(
      { kind: 'cloud', baseUrl: 'acme.atlassian.net/jira/your-work', email: ' me@acme.com ', token: ` ${token}\n` },
      now,
    );
    assert.ok(result.ok);
    assert.strictEqual(result.value.baseUrl, 'https://acme.atlassian.net');
    assert.strictEqual(result.value.email, 'me@acme.com');
    assert.strictEqual(result.value.token, token);
    assert.strictEqual(result.value.label, 'acme (me@acme.com)');
  });

  it('refuses each bad input with a plain message', () => {
    const token = makeCloudToken();
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ kind: 'nope', baseUrl: 'acme.atlassian.net', email: 'a@b.co', token }, /Unknown connection kind/],
      [{ kind: 'cloud', baseUrl: 'http://acme.example.com', email: 'a@b.co', token }, /unencrypted/],
      [{ kind: 'cloud', baseUrl: 'acme.atlassian.net', email: 'not-an-email', token }, /email/],
      [{ kind: 'cloud', baseUrl: 'acme.atlassian.net', email: 'a@b.co', token: '  ' }, /Enter the token/],
      [{ kind: 'cloud', baseUrl: 'acme.atlassian.net', email: 'a@b.co', token: 'me@acme.com' }, /email address, not a token/],
      [{ kind: 'datacenter-basic', baseUrl: 'jira.example.com', token: 'pw' }, /user name/],
      [{ kind: 'cloud', baseUrl: 'acme.atlassian.net', email: 'a@b.co', token, expiresAt: 'soon' }, /not a date/],
      [{ kind: 'cloud', baseUrl: token, email: 'a@b.co', token }, /looks like a token, not a site URL/],
      [{ kind: 'cloud', baseUrl: 'acme.atlassian.net', email: 'a@b.co', token, label: token }, /looks like a token, not a label/],
      [{ kind: 'cloud', baseUrl: 'acme.atlassian.net', email: 'a@b.co', token, label: `Acme ${token}` }, /looks like a token, not a label/],
    ];
    for (const [input, message] of cases) {
      const result = validateConnectionInput(input, now);
      assert.ok(!result.ok, JSON.stringify(input.kind));
      assert.match(result.error, message);
      assert.ok(!result.error.includes(token), 'an error message must not echo the token');
    }
  });

  it('refuses a label that looks like a token, whatever its shape', () => {
    for (const token of [makeCloudToken(), makeCloudToken({ validCrc: false }), makeDataCenterPat(), makeLegacyCloudToken()]) {
      const result = validateLabel(` ${token} `);
      assert.ok(!result.ok);
      assert.ok(!result.error.includes(token.slice(0, 8)), 'the error never quotes the label');
    }
    assert.deepStrictEqual(validateLabel('  Acme (me@acme.com) '), { ok: true, value: 'Acme (me@acme.com)' });
    assert.deepStrictEqual(validateLabel(undefined), { ok: true, value: '' });
  });

  it('cleans pasted tokens', () => {
    assert.strictEqual(cleanToken(' abc\r\ndef \t'), 'abcdef');
  });

  it('suggests the kind from the URL and warns when the token shape contradicts it', () => {
    assert.strictEqual(suggestKindForUrl('acme.atlassian.net'), 'cloud');
    assert.strictEqual(suggestKindForUrl('jira.example.com'), 'datacenter-pat');
    assert.match(tokenKindMismatch(makeCloudToken(), 'datacenter-pat') ?? '', /Cloud API token/);
    assert.match(tokenKindMismatch(makeDataCenterPat(), 'cloud') ?? '', /Personal Access Token/);
    assert.strictEqual(tokenKindMismatch(makeCloudToken(), 'cloud'), undefined);
    assert.strictEqual(tokenKindMismatch(makeDataCenterPat(), 'datacenter-pat'), undefined);
  });

  it('reads expiry dates', () => {
    const ok = validateExpiry('2027-01-31', now);
    assert.ok(ok.ok);
    assert.strictEqual(ok.value, '2027-01-31T00:00:00.000Z');
    assert.deepStrictEqual(validateExpiry('', now), { ok: true, value: undefined });
  });
});
