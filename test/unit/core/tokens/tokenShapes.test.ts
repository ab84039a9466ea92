import * as assert from 'assert';
import { crc32Ascii } from '../../../../src/core/tokens/crc32';
import { classifyToken, decodePatId, fingerprintOf, redactSecret } from '../../../../src/core/tokens/tokenShapes';
import {
  makeAccessToken,
  makeBitbucketAppPassword,
  makeCloudToken,
  makeDataCenterPat,
  makeLegacyCloudToken,
} from '../../../support/tokens';

describe('crc32', () => {
  it('matches the zlib check value', () => {
    assert.strictEqual(crc32Ascii('123456789'), 0xcbf43926);
    assert.strictEqual(crc32Ascii(''), 0);
  });
});

describe('classifyToken', () => {
  it('recognises generated tokens of each kind', () => {
    assert.strictEqual(classifyToken(makeCloudToken()), 'cloud-api-token');
    assert.strictEqual(classifyToken(makeCloudToken({ length: 180 })), 'cloud-api-token');
    assert.strictEqual(classifyToken(makeCloudToken({ validCrc: false })), 'cloud-api-token-unverified');
    assert.strictEqual(classifyToken(makeAccessToken()), 'atlassian-access-token');
    assert.strictEqual(classifyToken(makeBitbucketAppPassword()), 'bitbucket-app-password');
    assert.strictEqual(classifyToken(makeDataCenterPat()), 'datacenter-pat');
    assert.strictEqual(classifyToken(makeLegacyCloudToken()), 'legacy-cloud-token');
    assert.strictEqual(classifyToken('me@example.com'), 'email');
    assert.strictEqual(classifyToken('hunter2'), 'unknown');
  });

  it('trims pasted whitespace', () => {
    assert.strictEqual(classifyToken(`  ${makeCloudToken()}\n`), 'cloud-api-token');
  });

  it('rejects random base64 that lacks the PAT structure', () => {
    const random = Buffer.from(Array.from({ length: 33 }, (_, i) => (i * 37 + 11) % 256)).toString('base64');
    assert.strictEqual(random.length, 44);
    assert.strictEqual(decodePatId(random), undefined);
  });

  it('reads the id of a PAT', () => {
    assert.strictEqual(decodePatId(makeDataCenterPat('123456789012')), '123456789012');
  });
});

describe('fingerprint and redaction', () => {
  it('fingerprints by SHA-256 of the secret alone', () => {
    assert.strictEqual(fingerprintOf('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('shows at most the first and last 4 characters', () => {
    const token = makeCloudToken();
    const shown = redactSecret(token);
    assert.strictEqual(shown, `${token.slice(0, 4)}…${token.slice(-4)}`);
    assert.strictEqual(redactSecret('short'), '…');
  });
  it('shows nothing of a password or other short or shapeless secret', () => {
    for (const secret of [
      'Winter2024!xyz',
      'correct horse battery staple and more words',
      makeLegacyCloudToken(),
      Buffer.from(`me@acme.com:${makeCloudToken()}`).toString('base64'),
    ]) {
      assert.strictEqual(redactSecret(secret), '…', secret.slice(0, 6));
    }
    for (const token of [makeDataCenterPat(), makeBitbucketAppPassword(), makeAccessToken(), makeCloudToken({ validCrc: false })]) {
      assert.strictEqual(redactSecret(token), `${token.slice(0, 4)}…${token.slice(-4)}`);
    }
  });
});
