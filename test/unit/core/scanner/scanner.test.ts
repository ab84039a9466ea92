// The scanner over a corpus generated when the tests run (no checksum-valid token is ever committed):
// tokens of every rule embedded in the languages and file types they leak from, the look-alikes that
// must stay quiet, the ignore comments, stored tokens and range rescans.
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { type Finding, type KnownToken, type RuleId, scan, type ScanOptions } from '../../../../src/core/scanner';
import { looksGenerated } from '../../../../src/core/scanner/context/randomness';
import { rescanRegion } from '../../../../src/core/scanner/scan';
import { fingerprintOf } from '../../../../src/core/tokens/tokenShapes';
import {
  makeAccessToken,
  makeBitbucketAppPassword,
  makeCloudToken,
  makeDataCenterPat,
  makeLegacyCloudToken as makeAnyLegacyToken,
} from '../../../support/tokens';

type Confidence = Finding['confidence'];

interface Planted {
  ruleId: RuleId;
  confidence: Confidence;
  start: number;
  end: number;
  /** What the fingerprint is of: the decoded secret. */
  secret: string;
}

interface Secret {
  raw: string;
  ruleId: RuleId;
  confidence: Confidence;
  secret: string;
}

export interface Doc {
  name: string;
  fileName: string;
  text: string;
  planted: Planted[];
}

/** A secret to plant: `raw` as written, `secret` as decoded (`\=` and `%3D` read as `=`, a Basic value's password). */
function secret(raw: string, ruleId: RuleId, confidence: Confidence, decoded = raw): Secret {
  return { raw, ruleId, confidence, secret: decoded };
}

/** A document written as a template: interpolated secrets are recorded with their exact offsets. */
function doc(name: string, fileName: string) {
  return (strings: TemplateStringsArray, ...values: Array<string | Secret>): Doc => {
    let text = strings[0];
    const planted: Planted[] = [];
    values.forEach((value, i) => {
      if (typeof value === 'string') text += value;
      else {
        planted.push({
          ruleId: value.ruleId,
          confidence: value.confidence,
          start: text.length,
          end: text.length + value.raw.length,
          secret: value.secret,
        });
        text += value.raw;
      }
      text += strings[i + 1];
    });
    return { name, fileName, text, planted };
  };
}

/** Independent of the scanner's own line counting. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  const lines = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: lines.length - 1, column: lines[lines.length - 1].length };
}

function expected(d: Doc) {
  return d.planted
    .map((p) => ({
      ruleId: p.ruleId,
      start: p.start,
      end: p.end,
      ...positionOf(d.text, p.start),
      confidence: p.confidence,
      fingerprint: fingerprintOf(p.secret),
    }))
    .sort((a, b) => a.start - b.start);
}

function essentials(findings: Finding[]) {
  return findings.map(({ ruleId, start, end, line, column, confidence, fingerprint }) => ({
    ruleId,
    start,
    end,
    line,
    column,
    confidence,
    fingerprint,
  }));
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A legacy token over the full [A-Za-z0-9] alphabet (the support generator makes gitleaks' narrow form). */
function makeAnyMixedLegacyToken(): string {
  return Array.from(randomBytes(24), (b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

/**
 * Legacy tokens have no checksum: about 2 in 10,000 random ones look like a pattern and are rejected
 * (measured below). The corpus draws again so that it never depends on luck.
 */
const makeLegacyCloudToken = () => redraw(makeAnyLegacyToken);
const makeMixedLegacyToken = () => redraw(makeAnyMixedLegacyToken);
function redraw(make: () => string): string {
  for (;;) {
    const token = make();
    if (looksGenerated(token)) return token;
  }
}

const escaped = (token: string, equals: string) => `${token.slice(0, -9)}${equals}${token.slice(-8)}`;
const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

export function positives(): Doc[] {
  const cloud = () => secret(makeCloudToken(), 'atlassian-api-token', 'high');
  const legacy = (token = makeLegacyCloudToken()) => secret(token, 'atlassian-api-token-legacy', 'medium');
  const pat = (confidence: Confidence = 'high') => secret(makeDataCenterPat(), 'jira-dc-pat', confidence);
  const basicHeader = (user: string, password: string) => secret(basic(user, password), 'jira-basic-auth-header', 'high', password);
  const urlPassword = (raw: string, decoded = raw) => secret(raw, 'atlassian-url-credentials', 'high', decoded);
  const escapedCloud = (equals: string) => {
    const token = makeCloudToken();
    return secret(escaped(token, equals), 'atlassian-api-token', 'high', token);
  };
  const legacyForBasic = makeLegacyCloudToken();
  const cloudForBasic = makeCloudToken();
  const patForBasic = makeDataCenterPat();
  return [
    doc(
      'dotenv',
      '.env',
    )`# Jira\nJIRA_BASE_URL=https://acme.atlassian.net\nJIRA_API_TOKEN=${cloud()}\nATLASSIAN_TOKEN="${legacy()}"\nJIRA_PAT=${pat()}\nATLASSIAN_ACCESS_TOKEN=${secret(makeAccessToken(), 'atlassian-access-token', 'high')}\nBITBUCKET_APP_PASSWORD=${secret(makeBitbucketAppPassword(), 'bitbucket-app-password', 'high')}\n`,
    doc(
      'shell script',
      'deploy.sh',
    )`#!/bin/sh\nexport JIRA_API_TOKEN='${cloud()}'\ncurl -s -u me@acme.com:${cloud()} https://acme.atlassian.net/rest/api/3/myself\ncurl -H "Authorization: Bearer ${pat()}" https://jira.acme.corp/rest/api/2/myself\n`,
    doc(
      'shell history',
      '.bash_history',
    )`ls -la\ncurl -s -u admin:${legacy()} https://jira.acme.corp/rest/api/2/myself\ncurl -H 'Authorization: Basic ${basicHeader('me@acme.com', cloudForBasic)}' https://acme.atlassian.net/rest/api/3/search\ncurl -H "Authorization: basic ${basicHeader('bot@acme.com', legacyForBasic)}" https://acme.atlassian.net/wiki/rest/api/space\ncurl --header 'Authorization: Basic ${basicHeader('jdoe', patForBasic)}' https://jira.acme.corp/rest/api/2/issue/ABC-1\n`,
    doc(
      'Python',
      'sync.py',
    )`from jira import JIRA\n\nJIRA_TOKEN = "${legacy()}"\njira = JIRA(server="https://acme.atlassian.net", basic_auth=("me@acme.com", "${cloud()}"))\n`,
    doc(
      'TypeScript',
      'client.ts',
    )`import { Version3Client } from 'jira.js';\n\nconst jiraToken = '${legacy(makeMixedLegacyToken())}';\nexport const client = new Version3Client({\n  host: 'https://acme.atlassian.net',\n  authentication: { basic: { email: 'me@acme.com', apiToken: '${cloud()}' } },\n});\nfetch(url, { headers: { Authorization: \`Bearer ${pat()}\` } });\n`,
    doc('JSON', 'settings.json')`{\n  "atlassian": { "apiToken": "${cloud()}" },\n  "jiraToken": "${legacy()}"\n}\n`,
    doc(
      'YAML',
      'config.yml',
    )`jira:\n  url: https://jira.acme.corp\n  token: ${pat()}\nconfluence:\n  token: ${legacy()}\natlassian_token: ${legacy(makeMixedLegacyToken())}\nbitbucket_app_password: "${secret(makeBitbucketAppPassword(), 'bitbucket-app-password', 'high')}"\n`,
    doc('YAML without keywords', 'values.yaml')`replicas: 3\nimage: registry.example.com/app:1.2.3\n\nvalue: ${pat('medium')}\n`,
    doc(
      'Java',
      'JiraConfig.java',
    )`class JiraConfig {\n  private static final String JIRA_TOKEN = "${legacy()}";\n  private static final String JIRA_URL = "https://ci-bot:${urlPassword('S3cure!Pass')}@jira.acme.corp/rest/api/2";\n  private final String apiToken = "${cloud()}";\n}\n`,
    doc(
      'Go',
      'main.go',
    )`package main\n\nfunc main() {\n\tjiraToken := "${legacy(makeMixedLegacyToken())}"\n\treq.SetBasicAuth("me@acme.com", "${cloud()}")\n}\n`,
    doc(
      'C#',
      'JiraClient.cs',
    )`var confluenceToken = "${legacy()}";\nclient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "${pat()}");\n`,
    doc(
      'PowerShell',
      'sync.ps1',
    )`$JiraToken = "${cloud()}"\n$headers = @{ Authorization = "Basic ${basicHeader('me@acme.com', cloudForBasic)}" }\nInvoke-RestMethod -Uri "https://acme.atlassian.net/rest/api/3/myself" -Headers $headers\n`,
    doc(
      'Markdown',
      'README.md',
    )`# Setup\n\nRun:\n\n\`\`\`sh\nexport JIRA_PAT=${pat()}\n\`\`\`\n\nOr open [the board](https://me%40acme.com:${urlPassword('Tr0ub4dor%263', 'Tr0ub4dor&3')}@acme.atlassian.net/jira/software/projects/ABC/boards/1).\n`,
    doc(
      'Dockerfile',
      'Dockerfile',
    )`FROM node:20\nENV JIRA_API_TOKEN=${cloud()}\nARG ATLASSIAN_TOKEN=${legacy()}\nENV CONFLUENCE_TOKEN ${legacy()}\nRUN npm ci\n`,
    doc('INI', 'jira.ini')`[jira]\nurl = https://bot:${urlPassword('Zq9-x!7')}@jira.acme.corp/\ntoken = ${legacy()}\n`,
    doc(
      'properties',
      'jira.properties',
    )`jira.url=https://jira.acme.corp\njira.token=${escapedCloud('\\=')}\nconfluence.password=${legacy()}\n`,
    doc(
      'XML',
      'app.config',
    )`<configuration>\n  <jiraToken>${legacy()}</jiraToken>\n  <add key="JiraPat" value="${pat()}" />\n</configuration>\n`,
    doc(
      'HTML',
      'index.html',
    )`<a href="https://me%40acme.com:${urlPassword('hunter2-but-longer')}@acme.atlassian.net/browse/ABC-1">ABC-1</a>\n`,
    doc(
      'URL query',
      'hooks.txt',
    )`https://hooks.example.com/jira?token=${escapedCloud('%3D')}&project=ABC\nhttps://hooks.example.com/jira?token=${escapedCloud('%3d')}\n`,
    doc(
      'minified JavaScript',
      'bundle.min.js',
    )`!function(){var e="${cloud()}",t={Authorization:"Bearer ${pat()}"};fetch("https://acme.atlassian.net/rest/api/3/myself",{headers:t})}();`,
    doc(
      'token lengths',
      'lengths.env',
    )`JIRA_API_TOKEN_SHORT=${secret(makeCloudToken({ length: 180 }), 'atlassian-api-token', 'high')}\nJIRA_API_TOKEN_LONG=${secret(makeCloudToken({ length: 260 }), 'atlassian-api-token', 'high')}\n`,
    doc('CRLF line endings', 'windows.env')`# one\r\nJIRA_API_TOKEN=${cloud()}\r\nJIRA_PAT=${pat()}\r\n`,
    doc('mixed line endings', 'mixed.env')`# one\rJIRA_API_TOKEN=${cloud()}\r\n\r\rJIRA_PAT=${pat()}\n\n\r\nJIRA_API_TOKEN=${cloud()}`,
    doc('URL with a token as password', 'remote.txt')`git clone https://bot:${cloud()}@jira.acme.corp/scm/abc/repo.git\n`,
  ];
}

export function negatives(): Doc[] {
  const invalidCloud = makeCloudToken({ validCrc: false });
  const randomBase64 = randomBytes(33)
    .toString('base64')
    .replace(/^[MNO]/, 'A');
  const digitsOnly = Buffer.from('1'.repeat(33)).toString('base64');
  const readablePat = Buffer.from('123456789012:this-is-not-a-real-token').toString('base64').slice(0, 44);
  const legacy = makeLegacyCloudToken();
  return [
    doc(
      'placeholders',
      '.env.example',
    )`JIRA_API_TOKEN=<your-token>\nJIRA_API_TOKEN=xxxx\nJIRA_API_TOKEN=\${JIRA_API_TOKEN}\nJIRA_API_TOKEN=yourjiraapitokenhere1234\nJIRA_API_TOKEN=aaaaaaaaaaaaaaaaaaaaaaaa\nJIRA_API_TOKEN=abcdefghijklmnopqrstuvwx\nJIRA_API_TOKEN=${invalidCloud}\nJIRA_PAT=${readablePat}\n`,
    doc('environment references', 'client.ts')`const token = process.env.JIRA_API_TOKEN;\nconst other = process.env['ATLASSIAN_TOKEN'];\n`,
    doc('environment references', 'client.py')`token = os.environ["JIRA_API_TOKEN"]\nurl = f"https://{user}:{token}@acme.atlassian.net"\n`,
    doc(
      'URL placeholders',
      'urls.md',
    )`https://user:\${JIRA_TOKEN}@acme.atlassian.net\nhttps://me:<token>@acme.atlassian.net\nhttps://me:****@jira.acme.corp\nhttps://me:password@jira.acme.corp\nhttps://me:$JIRA_TOKEN@jira.acme.corp\nhttps://me:xxx@acme.atlassian.net\nhttps://me:token@acme.atlassian.net\nhttps://me:API_TOKEN@acme.atlassian.net\nhttps://bob:s3cr3t-pass@example.com/repo.git\n`,
    doc(
      'lock file',
      'package-lock.json',
    )`{\n  "packages": {\n    "node_modules/x": {\n      "resolved": "https://registry.npmjs.org/x/-/x-1.0.0.tgz",\n      "integrity": "sha512-${randomBytes(64).toString('base64')}",\n      "note": "ATATT3 ${makeCloudToken()}"\n    }\n  }\n}\n`,
    doc(
      'integrity hashes',
      'index.html',
    )`<script src="x.js" integrity="sha384-${randomBytes(48).toString('base64')}"></script>\n<link href="y.css" integrity="sha256-${randomBytes(32).toString('base64')}">\n<script integrity="sha512-${randomBytes(64).toString('base64')}"></script>\n`,
    doc(
      'base64 that is not a PAT',
      'data.yml',
    )`jira:\n  blob: ${randomBase64}\n  digits: ${digitsOnly}\nAuthorization: Bearer ${randomBase64}\n`,
    doc(
      'hex identifiers',
      'ids.json',
    )`{ "commit": "0123456789abcdef01234567", "id": "5f8d0d55b54764421b7156c3", "jiraIssueId": "5f8d0d55b54764421b7156c4" }\n`,
    doc('legacy token without a Jira keyword', 'other.env')`SLACK_TOKEN=${legacy}\nvalue = "${legacy}"\n`,
    doc(
      'Basic header without a Jira token',
      'curl.sh',
    )`curl -H "Authorization: Basic ${basic('user', 'password')}" https://acme.atlassian.net\ncurl -H "Authorization: Basic ${basic('me', 'hunter2')}" https://example.com\n`,
    doc('invalid checksums', 'tokens.txt')`bitbucket: ${makeBitbucketAppPassword(false)}\naccess: ${makeAccessToken(false)}\n`,
    doc('minified JavaScript without tokens', 'vendor.min.js')`${minifiedNoise()}`,
  ];
}

/** Long identifiers, base64 data URIs, hashes and escapes on one line, as bundlers write them. */
function minifiedNoise(): string {
  const parts: string[] = [];
  for (let i = 0; i < 200; i++) {
    parts.push(
      `var ${'_'.repeat(i % 3)}webpackChunkModuleFederationContainerReference${i}=function(e,t,n){return e.AT_TOP||t.ATTRIBUTE_NODE||n.ATBB}`,
      `url("data:font/woff2;base64,${randomBytes(300).toString('base64')}")`,
      `"sha1-${randomBytes(20).toString('base64')}"`,
      `"${randomBytes(12).toString('hex')}":"\\u0041\\u0054"`,
    );
  }
  return parts.join(';');
}

describe('scanner: every planted token, at its exact position', () => {
  for (const d of positives()) {
    it(`finds ${d.planted.length} in ${d.name} (${d.fileName})`, () => {
      assert.deepStrictEqual(essentials(scan(d.text, { fileName: d.fileName })), expected(d));
    });
  }

  it('says what was found and why it matters, never the secret', () => {
    for (const d of positives()) {
      for (const f of scan(d.text, { fileName: d.fileName })) {
        const raw = d.text.slice(f.start, f.end);
        assert.ok(!f.message.includes(raw), `${f.ruleId} message holds the secret`);
        assert.ok(f.message.length > 40 && f.secretKind.length > 0);
      }
    }
  });
});

describe('scanner: look-alikes stay quiet', () => {
  for (const d of negatives()) {
    it(`reports nothing in ${d.name} (${d.fileName})`, () => {
      assert.deepStrictEqual(essentials(scan(d.text, { fileName: d.fileName })), []);
    });
  }

  it('reports checksum-invalid tokens as low only when asked', () => {
    const cloud = makeCloudToken({ validCrc: false });
    const app = makeBitbucketAppPassword(false);
    const text = `JIRA_API_TOKEN=${cloud}\nBITBUCKET=${app}\n`;
    assert.deepStrictEqual(scan(text), []);
    const found = scan(text, { reportUnverified: true });
    assert.deepStrictEqual(
      found.map((f) => [f.ruleId, f.confidence, f.start]),
      [
        ['atlassian-api-token', 'low', 15],
        ['bitbucket-app-password', 'low', text.indexOf(app)],
      ],
    );
  });

  it('still finds tokens in a lock file when they are stored ones', () => {
    const token = makeCloudToken();
    const text = `{"resolved": "https://x", "token": "${token}"}`;
    assert.deepStrictEqual(scan(text, { fileName: '/repo/yarn.lock' }), []);
    const known: KnownToken = { fingerprint: fingerprintOf(token), length: token.length, connectionId: 'c1', label: 'Acme' };
    assert.deepStrictEqual(
      scan(text, { fileName: 'C:\\repo\\package-lock.json', knownTokens: [known] }).map((f) => f.ruleId),
      ['known-stored-token'],
    );
  });
});

describe('scanner: ignores', () => {
  const line = (token: string) => `JIRA_API_TOKEN=${token}`;
  const sameLine = [
    '# jira-token-guard:ignore',
    '// gitleaks:allow',
    '# trufflehog:ignore',
    '// secretlint-disable-line',
    '# pragma: allowlist secret',
  ];
  const lineAbove = [
    '# jira-token-guard:ignore',
    '// secretlint-disable-next-line',
    '# pragma: allowlist nextline secret',
    '<!-- jira-token-guard:ignore -->',
  ];
  /** Other tools' same-line comments: on the line above they mean nothing to their own tool, so nothing to us. */
  const sameLineOnly = ['// gitleaks:allow', '# trufflehog:ignore', '# pragma: allowlist secret', '// secretlint-disable-line'];

  for (const directive of sameLine) {
    it(`honours "${directive}" on the same line`, () => {
      assert.deepStrictEqual(scan(`a=1\n${line(makeCloudToken())} ${directive}\nb=2\n`), []);
    });
  }
  for (const directive of lineAbove) {
    it(`honours "${directive}" on the line above`, () => {
      assert.deepStrictEqual(scan(`a=1\n${directive}\n${line(makeCloudToken())}\n`), []);
      assert.deepStrictEqual(scan(`${directive}\r\n${line(makeCloudToken())}\r\n`), []);
    });
  }

  for (const directive of sameLineOnly) {
    it(`keeps "${directive}" to the finding's own line, as its tool does`, () => {
      assert.strictEqual(scan(`a=1\n${directive}\n${line(makeCloudToken())}\n`).length, 1);
    });
  }

  it('"pragma: allowlist nextline secret" covers the next line only, not its own', () => {
    assert.strictEqual(scan(`${line(makeCloudToken())} # pragma: allowlist nextline secret\n`).length, 1);
  });

  it("never hides the user's own stored token, whatever the comment", () => {
    const token = makeCloudToken();
    const known: KnownToken = { fingerprint: fingerprintOf(token), length: token.length, connectionId: 'c1', label: 'Acme' };
    for (const text of [
      `${line(token)} # jira-token-guard:ignore\n`,
      `# jira-token-guard:ignore\n${line(token)}\n`,
      `${line(token)} // gitleaks:allow\n`,
    ]) {
      assert.deepStrictEqual(
        scan(text, { knownTokens: [known] }).map((f) => f.ruleId),
        ['known-stored-token'],
        text,
      );
    }
    assert.deepStrictEqual(scan(`${line(token)} # jira-token-guard:ignore\n`), [], 'the same text hides an ordinary finding');
  });

  it('honours no comment at all with inlineIgnores: false, the ignore list still applies', () => {
    const listed = makeCloudToken();
    const text = [
      ...sameLine.map((d) => `${line(makeCloudToken())} ${d}`),
      ...lineAbove.map((d) => `${d}\n${line(makeCloudToken())}`),
      line(listed),
    ].join('\n');
    const found = scan(text, { inlineIgnores: false, ignoredFingerprints: new Set([fingerprintOf(listed)]) });
    assert.strictEqual(found.length, sameLine.length + lineAbove.length);
    assert.ok(!found.some((f) => f.fingerprint === fingerprintOf(listed)));
    assert.strictEqual(scan(text, { ignoredFingerprints: new Set([fingerprintOf(listed)]) }).length, 0, 'on by default');
  });

  it('does not stretch a directive further', () => {
    assert.strictEqual(scan(`# jira-token-guard:ignore\n\n${line(makeCloudToken())}\n`).length, 1, 'two lines above');
    assert.strictEqual(scan(`// secretlint-disable-line\n${line(makeCloudToken())}\n`).length, 1, 'same-line form on the line above');
    assert.strictEqual(scan(`${line(makeCloudToken())} // secretlint-disable-next-line\n`).length, 1, 'next-line form on the same line');
    assert.strictEqual(scan(`${line(makeCloudToken())}\n# jira-token-guard:ignore\n`).length, 1, 'line below');
  });

  it('drops ignored fingerprints, of the decoded secret', () => {
    const token = makeCloudToken();
    const other = makeCloudToken();
    const text = `A=${escaped(token, '\\=')}\nB=${other}\nC=Basic ${basic('me', token)} https://acme.atlassian.net\n`;
    const found = scan(text, { ignoredFingerprints: new Set([fingerprintOf(token)]) });
    assert.deepStrictEqual(
      found.map((f) => f.fingerprint),
      [fingerprintOf(other)],
    );
  });
});

describe('scanner: stored tokens', () => {
  const known = (token: string, label = 'Acme Cloud'): KnownToken => ({
    fingerprint: fingerprintOf(token),
    length: token.length,
    connectionId: `id-${label}`,
    label,
  });

  it('names the connection and outranks the rule that overlaps it', () => {
    const token = makeCloudToken();
    const text = `JIRA_API_TOKEN=${token}\n`;
    const [finding, ...rest] = scan(text, { knownTokens: [known(token)] });
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(finding.ruleId, 'known-stored-token');
    assert.strictEqual(finding.connectionId, 'id-Acme Cloud');
    assert.strictEqual(finding.confidence, 'high');
    assert.strictEqual(finding.message, 'This is the live token of connection “Acme Cloud”: rotate it.');
    assert.deepStrictEqual([finding.start, finding.end, finding.fingerprint], [15, 15 + token.length, fingerprintOf(token)]);
  });

  it('finds stored tokens that no rule would report', () => {
    const legacy = makeLegacyCloudToken();
    const pat = makeDataCenterPat();
    const text = `value = "${legacy}"\nx=${pat}\nconst t = '${legacy}';`;
    const found = scan(text, { knownTokens: [known(legacy, 'Old'), known(pat, 'DC')] });
    assert.deepStrictEqual(
      found.map((f) => [f.ruleId, f.connectionId, text.slice(f.start, f.end)]),
      [
        ['known-stored-token', 'id-Old', legacy],
        ['known-stored-token', 'id-DC', pat],
        ['known-stored-token', 'id-Old', legacy],
      ],
    );
  });

  it('recognises a stored token written with \\= or inside a Basic header', () => {
    const token = makeCloudToken();
    const text = `a=${escaped(token, '\\=')}\nAuthorization: Basic ${basic('me@acme.com', token)}\n`;
    const found = scan(text, { knownTokens: [known(token)] });
    assert.deepStrictEqual(
      found.map((f) => [f.ruleId, f.fingerprint]),
      [
        ['known-stored-token', fingerprintOf(token)],
        ['known-stored-token', fingerprintOf(token)],
      ],
    );
  });

  it('leaves other tokens to their rules', () => {
    const stored = makeCloudToken();
    const other = makeCloudToken();
    const found = scan(`A=${other}\nB=${stored}`, { knownTokens: [known(stored)] });
    assert.deepStrictEqual(
      found.map((f) => f.ruleId),
      ['atlassian-api-token', 'known-stored-token'],
    );
  });
});

describe('scanner: range rescans', () => {
  const corpus = [...positives(), ...negatives()].map((d) => d.text).join('\n');
  const longLine = `${'x=1;'.repeat(3000)}var a="${makeCloudToken()}";${'y=2;'.repeat(3000)}`;

  const fullScans = new Map<string, Finding[]>();
  function assertRescanMatches(text: string, range: { start: number; end: number }) {
    if (!fullScans.has(text)) fullScans.set(text, scan(text));
    const region = rescanRegion(text, range);
    const full = (fullScans.get(text) as Finding[]).filter((f) => f.end > region.start && f.start < region.end);
    assert.deepStrictEqual(scan(text, { range }), full, `range ${range.start}-${range.end}`);
  }

  it('finds exactly what a full scan finds in the rescanned lines', () => {
    let seed = 7;
    const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let i = 0; i < 300; i++) {
      const start = random(corpus.length);
      assertRescanMatches(corpus, { start, end: Math.min(corpus.length, start + random(400)) });
    }
    for (const f of scan(corpus)) assertRescanMatches(corpus, { start: f.start + 3, end: f.start + 3 });
  });

  it('covers the lines of the range and the line after, bounded on long lines', () => {
    const text = 'one\ntwo JIRA\nthree\nfour\n';
    assert.deepStrictEqual(rescanRegion(text, { start: 5, end: 6 }), { start: 4, end: 19 });
    assert.deepStrictEqual(rescanRegion(text, { start: 6, end: 5 }), { start: 4, end: 19 });
    const region = rescanRegion(longLine, { start: 12000, end: 12001 });
    assert.ok(region.start > 0 && region.end < longLine.length);
    assertRescanMatches(longLine, { start: 12000, end: 12001 });
    assertRescanMatches(longLine, { start: longLine.indexOf('ATATT3') + 10, end: longLine.indexOf('ATATT3') + 10 });
  });

  it('works on the region, not the file', () => {
    const big = `${corpus}\n`.repeat(Math.ceil(4_000_000 / corpus.length));
    const time = (work: () => void) => {
      const started = process.hrtime.bigint();
      work();
      return Number(process.hrtime.bigint() - started);
    };
    scan(big);
    const full = time(() => scan(big));
    const rescans = time(() => {
      for (let i = 0; i < 20; i++) scan(big, { range: { start: 2_000_000 + i * 997, end: 2_000_010 + i * 997 } });
    });
    assert.ok(rescans < full, `20 rescans took ${rescans / 1e6} ms, a full scan ${full / 1e6} ms`);
  });
});

describe('scanner: legacy tokens look generated', () => {
  it('rejects fewer than 1 in 1,000 random tokens of either alphabet', () => {
    for (const make of [makeAnyLegacyToken, makeAnyMixedLegacyToken]) {
      let rejected = 0;
      for (let i = 0; i < 10_000; i++) if (!looksGenerated(make())) rejected++;
      assert.ok(rejected <= 10, `${rejected} of 10,000 rejected`);
    }
  });

  it('rejects words, placeholders and patterns', () => {
    for (const value of [
      'yourjiraapitokenhere1234',
      'thisisnotarealtokenvalue',
      'PleaseReplaceMeWithToken',
      'abcdefghijklmnopqrstuvwx',
      'a1b2c3d4e5f6a1b2c3d4e5f6'.replace(/./g, 'a'),
      'xxxxxxxxxxxxxxxxxxxxxxxx',
      'ABCDEFGHIJKLMNOPQRSTUVWX',
      '012345678901234567890123',
    ]) {
      assert.strictEqual(looksGenerated(value), false, value);
    }
  });
});

describe('scanner: options and edge cases', () => {
  it('handles empty and tiny texts', () => {
    assert.deepStrictEqual(scan(''), []);
    assert.deepStrictEqual(scan('AT'), []);
    assert.deepStrictEqual(scan('@'), []);
    assert.deepStrictEqual(scan('', { range: { start: 0, end: 0 } }), []);
  });

  it('clamps ranges outside the text', () => {
    const text = `JIRA_API_TOKEN=${makeCloudToken()}`;
    assert.strictEqual(scan(text, { range: { start: -50, end: 10_000 } }).length, 1);
  });

  it('counts positions in UTF-16 code units', () => {
    const token = makeCloudToken();
    const text = `# 🔑 “Jira” ключ\nconst t = "${token}"; // ✓`;
    const [f] = scan(text);
    assert.deepStrictEqual([f.line, f.column, text.slice(f.start, f.end)], [1, 11, token]);
  });

  it('sorts findings by start', () => {
    const found = scan(
      positives()
        .map((d) => d.text)
        .join('\n'),
    );
    assert.ok(found.length > 50);
    for (let i = 1; i < found.length; i++) assert.ok(found[i - 1].start < found[i].start);
  });

  it('accepts every option together', () => {
    const options: ScanOptions = {
      reportUnverified: true,
      knownTokens: [],
      ignoredFingerprints: new Set(),
      fileName: 'a.ts',
      range: { start: 0, end: 5 },
    };
    assert.deepStrictEqual(scan('nothing to see', options), []);
  });
});
