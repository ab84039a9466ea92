// Data Center PATs at every delimiter, Bitbucket Data Center HTTP access tokens, and the messages of
// today's token families (ATCTT3 read two ways, ATBB no longer authenticating). Tokens are generated.
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { RULES, scan } from '../../../../../src/core/scanner';
import { classifyToken, fingerprintOf } from '../../../../../src/core/tokens/tokenShapes';
import { makeAccessToken, makeBitbucketAppPassword, makeBitbucketDcToken, makeDataCenterPat } from '../../../../support/tokens';

function found(text: string): Array<[string, string]> {
  return scan(text).map((f) => [f.ruleId, text.slice(f.start, f.end)]);
}

describe('scanner: Data Center PATs wherever they sit', () => {
  const places: Array<[name: string, make: (pat: string) => string]> = [
    ['the last segment of a URL path', (p) => `GET https://jira.example.org/rest/token/${p}\n`],
    ['a path segment followed by another', (p) => `url: https://jira.example.org/plugins/servlet/${p}/confirm\n`],
    ['before a slash at the start of a run', (p) => `${p}/rest/api/2/myself\n`],
    ['a query string', (p) => `https://jira.example.org/rest/api/2/myself?token=${p}&expand=groups\n`],
    ['a fragment', (p) => `https://jira.example.org/login#${p}\n`],
    ['after a colon', (p) => `auth=bot:${p}\n`],
    ['before an at sign', (p) => `https://bot:${p}@jira.example.org/\n`],
    ['single quotes', (p) => `token = '${p}'\n`],
    ['a JSON string', (p) => `{"headers":{"Authorization":"Bearer ${p}"}}`],
    ['a JSON array', (p) => `["${p}","${'x'.repeat(3)}"]`],
    ['a path in a JSON string', (p) => `{"url":"https://jira.example.org/a/${p}/b"}`],
  ];
  for (const [name, make] of places) {
    it(`finds one in ${name}`, () => {
      let pat = makeDataCenterPat();
      // Half of the tokens carry '/' or '+' themselves: the window must not be confused by them.
      while (!/[/+]/.test(pat) && Math.random() < 0.5) pat = makeDataCenterPat();
      const text = make(pat);
      assert.deepStrictEqual(found(text), [['jira-dc-pat', pat]], text);
    });
  }

  it('finds a PAT that has slashes of its own, in a URL path', () => {
    let pat = makeDataCenterPat();
    while (!pat.slice(2).includes('/')) pat = makeDataCenterPat();
    const text = `https://jira.example.org/rest/x/${pat}/y\n`;
    assert.deepStrictEqual(found(text), [['jira-dc-pat', pat]]);
  });

  it('stays silent on a PAT buried in a longer base64 blob', () => {
    for (let i = 0; i < 50; i++) {
      const pat = makeDataCenterPat();
      const before = randomBytes(300).toString('base64').replace(/=+$/, '');
      const after = randomBytes(300).toString('base64').replace(/=+$/, '');
      for (const text of [
        `data:image/png;base64,${before}${pat}${after}`,
        `${pat}${after}`,
        `${before}${pat}`,
        `-----BEGIN CERTIFICATE-----\n${before}/${pat}${after}\n`,
        `x=${before}${pat}/${after}`,
      ]) {
        assert.deepStrictEqual(found(text), [], text);
      }
    }
  });

  it('stays silent on slash-delimited base64 that lacks the structure', () => {
    const random = randomBytes(33)
      .toString('base64')
      .replace(/^[MNO]/, 'A');
    const readable = Buffer.from('123456789012:this-is-not-a-real-token').toString('base64').slice(0, 44);
    assert.deepStrictEqual(found(`https://cdn.example.org/assets/${random}/logo.png\nhttps://jira.example.org/x/${readable}/y\n`), []);
  });
});

describe('scanner: Bitbucket Data Center HTTP access tokens', () => {
  it('have a rule of their own, with the whole token as the secret', () => {
    const token = makeBitbucketDcToken();
    const text = `BITBUCKET_TOKEN=${token}\ncurl -H "Authorization: Bearer ${token}" https://bitbucket.example.com/rest/api/1.0/projects\n`;
    const findings = scan(text);
    assert.deepStrictEqual(
      findings.map((f) => [f.ruleId, text.slice(f.start, f.end), f.fingerprint]),
      [
        ['bitbucket-dc-http-token', token, fingerprintOf(token)],
        ['bitbucket-dc-http-token', token, fingerprintOf(token)],
      ],
    );
    assert.match(findings[0].message, /^Bitbucket Data Center HTTP access token in plain text/);
    assert.match(findings[0].message, /HTTP access tokens/);
    assert.ok(!findings[0].message.includes(token.slice(5, -4)));
    assert.strictEqual(findings[0].secretKind, 'Bitbucket Data Center HTTP access token');
    assert.strictEqual(classifyToken(token), 'bitbucket-dc-http-token');
    assert.ok(RULES['bitbucket-dc-http-token'].description.includes('Bitbucket Data Center'));
  });

  it('are not a Jira PAT with the prefix cut off, and a fake body stays quiet', () => {
    const fake = `BBDC-${Buffer.from('123456789012:this-is-not-a-real-token').toString('base64').slice(0, 44)}`;
    assert.deepStrictEqual(scan(`token: ${fake}\n`), []);
    assert.deepStrictEqual(scan('BBDC-<your-token-here>\n'), []);
  });
});

describe('scanner: messages of the Bitbucket and access-token families', () => {
  it('ATCTT3: names both readings', () => {
    const [f] = scan(`ATLASSIAN_TOKEN=${makeAccessToken()}\n`);
    assert.strictEqual(f.ruleId, 'atlassian-access-token');
    assert.match(f.message, /Bitbucket Cloud workspace, project or repository access token/);
    assert.match(f.message, /organisation admin API key/);
  });

  it('ATBB: still reported, says app passwords no longer authenticate, to remove it and not check it', () => {
    const password = makeBitbucketAppPassword();
    for (const text of [`BITBUCKET_APP_PASSWORD=${password}\n`, `git clone https://me:${password}@jira.example.org/scm/x.git\n`]) {
      const [f] = scan(text);
      assert.ok(f, text);
      assert.match(f.message, /no longer authenticate since June 2026/);
      assert.match(f.message, /Remove it/);
      assert.match(f.message, /do not check it/);
    }
    assert.match(RULES['bitbucket-app-password'].description, /stopped authenticating/);
  });
});
