// The check every suite makes of what leaves the extension: no secret, no 16 characters of one, and no
// Basic-encoded form of one. The assertion never prints the secret it found.
import * as assert from 'assert';

export function assertNoSecret(texts: string | string[], secrets: string[], where: string): void {
  const text = Array.isArray(texts) ? texts.join('\n') : texts;
  for (const secret of secrets) {
    assert.ok(!text.includes(secret), `${where} holds a secret`);
    for (let i = 0; i + 16 <= secret.length; i += 4) assert.ok(!text.includes(secret.slice(i, i + 16)), `${where} holds part of a secret`);
    if (secret.length >= 20) {
      const basic = Buffer.from(`x:${secret}`).toString('base64').slice(4, 20);
      assert.ok(!text.includes(basic), `${where} holds an encoded secret`);
    }
  }
}
