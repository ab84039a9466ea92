import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { linesContaining, tokenForms } from '../../../../src/core/hygiene/tokenUses';
import { expandHome, findTokenInFiles, wellKnownTokenPlaces } from '../../../../src/node/tokenPlaces';
import { makeCloudToken, makeDataCenterPat } from '../../../support/tokens';

describe('where a token is used (matcher)', () => {
  const token = makeCloudToken();

  it('finds the token as a whole value, URL-encoded or in a Basic header, by line', () => {
    const pat = makeDataCenterPat();
    const basic = Buffer.from(`me@acme.io:${token}`).toString('base64');
    const text = [
      `a=${token}`,
      `half=${token.slice(0, 96)}`,
      `longer=${token}X`,
      `other=${makeCloudToken()}`,
      `"Authorization": "Basic ${basic}"`,
      `pat ${pat}`,
    ].join('\n');
    assert.deepStrictEqual(linesContaining(text, tokenForms(token, 'me@acme.io')), [1, 5]);
    assert.deepStrictEqual(linesContaining(text, tokenForms(pat)), [6]);
    assert.deepStrictEqual(linesContaining(`x=${pat.slice(0, 22)}`, tokenForms(pat)), []);
  });

  it('lists the usual places under the given home, not the real one', () => {
    const home = path.join(os.tmpdir(), 'some-home');
    const places = wellKnownTokenPlaces(home, 'linux');
    for (const expected of [
      '.netrc',
      '.bashrc',
      '.zshrc',
      '.profile',
      '.config/fish/config.fish',
      '.config/.jira/.config.yml',
      '.config/Code/User/mcp.json',
      '.cursor/mcp.json',
    ]) {
      assert.ok(places.includes(path.join(home, expected)), expected);
    }
    assert.ok(places.every((p) => p.startsWith(home)));
    assert.ok(wellKnownTokenPlaces(home, 'darwin').includes(path.join(home, 'Library', 'Application Support', 'Code', 'User', 'mcp.json')));
    assert.strictEqual(expandHome('~/x/y', home), path.join(home, 'x', 'y'));
    assert.strictEqual(expandHome('$HOME/z', home), path.join(home, 'z'));
    assert.strictEqual(expandHome('/etc/abs', home), '/etc/abs');
  });

  it('reads files without changing them, skipping missing and binary ones', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-uses-'));
    try {
      const a = path.join(dir, 'a.txt');
      const bin = path.join(dir, 'b.bin');
      fs.writeFileSync(a, `one\ntoken ${token}\n`);
      fs.writeFileSync(bin, Buffer.concat([Buffer.from(token), Buffer.from([0, 1, 2])]));
      const before = fs.statSync(a).mtimeMs;
      const uses = await findTokenInFiles([a, a, bin, path.join(dir, 'missing')], tokenForms(token));
      assert.deepStrictEqual(uses, [{ file: a, lines: [2] }]);
      assert.strictEqual(fs.statSync(a).mtimeMs, before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
