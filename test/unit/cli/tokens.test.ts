import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { type FakeJira, startFakeJira } from '../../support/fakeJira';
import { type FakeAdminApi, type FakeOrgToken, makeAdminKey, startFakeAdminApi } from '../../support/fakeAdminApi';
import { dataCenterPatId, makeDataCenterPat } from '../../support/tokens';
import { assertNoSecret, ensureCliBuilt, removeTempDirs, runCli, tempDir } from './cliTestSupport';

interface TokensJson {
  tokens: Array<{
    id: string;
    label: string;
    user?: { id: string; name?: string; email?: string };
    createdAt?: string;
    expiresAt?: string;
    lastActiveAt?: string;
    current?: boolean;
    flags: string[];
  }>;
}

const DAY = 86_400_000;
const inDays = (n: number): string => new Date(Date.now() + n * DAY).toISOString();

describe('CLI tokens', function () {
  this.timeout(30_000);
  let fake: FakeJira;
  let admin: FakeAdminApi;
  let caEnv: Record<string, string>;
  const key = makeAdminKey();
  const unscopedKey = makeAdminKey();
  const ORG = 'a1b2c3d4-0000-4000-8000-0000000000aa';
  // alice: three PATs (one never expires); bob: one PAT, far from expiry.
  const alicePat = makeDataCenterPat();
  const aliceOld = makeDataCenterPat();
  const aliceCi = makeDataCenterPat();
  const bobPat = makeDataCenterPat();

  const orgTokens = (): FakeOrgToken[] => {
    const user = (n: number) => ({ id: `557058:acc-${n}`, name: `User ${n}`, email: `user${n}@example.com` });
    return [
      { id: 't-fresh', label: 'fresh', createdAt: inDays(-30), expiresAt: inDays(300), lastActiveAt: inDays(-1), user: user(1) },
      { id: 't-stale', label: 'stale', createdAt: inDays(-300), expiresAt: inDays(60), lastActiveAt: inDays(-120), user: user(1) },
      { id: 't-unused', label: 'unused', createdAt: inDays(-20), expiresAt: inDays(300), lastActiveAt: null, user: user(2) },
      { id: 't-soon', label: 'soon', createdAt: inDays(-355), expiresAt: inDays(5), lastActiveAt: inDays(-2), user: user(2) },
      { id: 't-ok-2', label: 'ok two', createdAt: inDays(-10), expiresAt: inDays(200), lastActiveAt: inDays(-3), user: user(3) },
      { id: 't-ok-3', label: 'ok three', createdAt: inDays(-10), expiresAt: inDays(200), lastActiveAt: inDays(-3), user: user(3) },
    ];
  };

  before(async () => {
    ensureCliBuilt();
    fake = await startFakeJira({ https: true });
    fake.addDataCenterUser({ contextPath: '/jira', username: 'alice', pat: alicePat, patName: 'laptop', expiringAt: inDays(100) });
    fake.addDataCenterUser({ contextPath: '/jira', username: 'alice', pat: aliceOld, patName: 'old script' });
    fake.addDataCenterUser({ contextPath: '/jira', username: 'alice', pat: aliceCi, patName: 'CI', expiringAt: inDays(7) });
    fake.addDataCenterUser({ contextPath: '/jira', username: 'bob', pat: bobPat, patName: 'bob laptop', expiringAt: inDays(100) });
    const caFile = path.join(tempDir(), 'ca.pem');
    fs.writeFileSync(caFile, fake.ca!);
    caEnv = { NODE_EXTRA_CA_CERTS: caFile };
    admin = await startFakeAdminApi();
    admin.addKey(key, ['read:tokens:admin']);
    admin.addKey(unscopedKey, ['read:users:admin']);
  });
  beforeEach(() => {
    fake.reset();
    admin.reset();
    admin.addOrg(ORG, orgTokens());
  });
  after(async () => {
    await fake.close();
    await admin.close();
    removeTempDirs();
  });

  const dcArgs = (): string[] => ['tokens', '--url', `${fake.url}/jira`, '--kind', 'datacenter-pat', '--token-env', 'JTG_PAT'];
  const orgArgs = (): string[] => ['tokens', '--org', ORG, '--admin-key-env', 'JTG_ADMIN_KEY', '--admin-api-url', admin.url];

  describe('a Data Center account', () => {
    it('lists every PAT of the account with its flags as JSON, marks the one used, and exits 1 when one is flagged', async () => {
      const result = await runCli([...dcArgs(), '--format', 'json'], { env: { ...caEnv, JTG_PAT: alicePat } });
      assert.strictEqual(result.code, 1, result.stderr);
      const parsed = JSON.parse(result.stdout) as TokensJson;
      assert.deepStrictEqual(
        parsed.tokens.map((t) => [t.id, t.label, t.current === true, t.flags]),
        [
          [dataCenterPatId(alicePat), 'laptop', true, []],
          [dataCenterPatId(aliceOld), 'old script', false, ['no-expiry']],
          [dataCenterPatId(aliceCi), 'CI', false, ['expiring']],
        ],
      );
      assert.ok(parsed.tokens.every((t) => typeof t.createdAt === 'string' && t.lastActiveAt === undefined));
      assertNoSecret([result.stdout, result.stderr], [alicePat, aliceOld, aliceCi]);
    });

    it('exits 0 when no PAT is flagged, and prints one line per token in text', async () => {
      const result = await runCli(dcArgs(), { env: { ...caEnv, JTG_PAT: bobPat } });
      assert.strictEqual(result.code, 0, result.stderr);
      const lines = result.stdout.trim().split('\n');
      assert.strictEqual(lines.length, 3, result.stdout);
      assert.match(lines[0], /^Personal access tokens of bob on https:\/\/127\.0\.0\.1:\d+\/jira: 1 token$/);
      assert.match(
        lines[1],
        /"bob laptop" id \d+ \(the token used for this listing\): created 2025-01-15, expires \d{4}-\d\d-\d\d, last use not reported$/,
      );
      assert.strictEqual(lines[2], 'No token flagged.');
      assertNoSecret([result.stdout, result.stderr], [bobPat]);
    });

    it('flags by --expires-within, and prints flagged tokens in text', async () => {
      const result = await runCli([...dcArgs(), '--expires-within', '4w'], { env: { ...caEnv, JTG_PAT: alicePat } });
      assert.strictEqual(result.code, 1);
      assert.match(result.stdout, /"CI" id \d+: .* \[expiring\]\n/);
      assert.match(result.stdout, /"old script" id \d+: .*never expires, last use not reported \[no-expiry\]\n/);
      assert.match(result.stdout, /2 tokens flagged \(stale: unused for 90 days; expiring: within 28 days\)\.\n$/);
      const wide = await runCli([...dcArgs(), '--expires-within', '200', '--format', 'json'], { env: { ...caEnv, JTG_PAT: bobPat } });
      assert.deepStrictEqual((JSON.parse(wide.stdout) as TokensJson).tokens[0].flags, ['expiring']);
    });

    it('exits 2 with one line on stderr when Jira refuses the token', async () => {
      const revoked = makeDataCenterPat();
      const result = await runCli(dcArgs(), { env: { ...caEnv, JTG_PAT: revoked } });
      assert.strictEqual(result.code, 2);
      assert.strictEqual(result.stdout, '');
      assert.match(result.stderr, /^jira-token-guard: Jira refused the current token\.\n$/);
      assertNoSecret([result.stdout, result.stderr], [revoked]);
    });
  });

  describe('a Cloud organisation', () => {
    it('reads three pages through a 429, flags stale, never-used and expiring tokens, and exits 1', async () => {
      admin.pageSize = 2;
      admin.rateLimit({ page: 2, resetInSeconds: 1 });
      const result = await runCli([...orgArgs(), '--format', 'json'], { env: { JTG_ADMIN_KEY: key } });
      assert.strictEqual(result.code, 1, result.stderr);
      const parsed = JSON.parse(result.stdout) as TokensJson;
      assert.deepStrictEqual(
        parsed.tokens.map((t) => [t.id, t.flags]),
        [
          ['t-fresh', []],
          ['t-stale', ['stale']],
          ['t-unused', ['never-used']],
          ['t-soon', ['expiring']],
          ['t-ok-2', []],
          ['t-ok-3', []],
        ],
      );
      assert.deepStrictEqual(parsed.tokens[0].user, { id: '557058:acc-1', name: 'User 1', email: 'user1@example.com' });
      assert.ok(parsed.tokens[2].lastActiveAt === undefined && typeof parsed.tokens[0].lastActiveAt === 'string');
      const gets = admin.requests.filter((r) => r.method === 'GET').map((r) => r.path.replace(/^.*\?/, ''));
      assert.deepStrictEqual(gets, [gets[0], 'cursor=2', 'cursor=2', 'cursor=4'], 'page 2 asked again after the reset');
      assert.match(result.stderr, /^jira-token-guard: the admin API is rate-limiting; waiting [12] seconds? for its reset\n$/);
      assertNoSecret([result.stdout, result.stderr], [key]);
    });

    it('takes --stale-days, groups by user in text, and exits 0 when nothing is flagged', async () => {
      admin.addOrg(
        ORG,
        orgTokens().filter((t) => ['t-fresh', 't-ok-2', 't-ok-3'].includes(t.id)),
      );
      const clean = await runCli(orgArgs(), { env: { JTG_ADMIN_KEY: key } });
      assert.strictEqual(clean.code, 0, clean.stderr);
      assert.match(
        clean.stdout,
        /^API tokens of the organisation [\w-]+: 3 tokens\nUser 1 <user1@example\.com>:\n {2}"fresh" id t-fresh: created/,
      );
      assert.match(clean.stdout, /\nUser 3 <user3@example\.com>:\n {2}"ok two" id t-ok-2: .*last used \d{4}-\d\d-\d\d\n {2}"ok three"/);
      assert.match(clean.stdout, /\nNo token flagged\.\n$/);
      const strict = await runCli([...orgArgs(), '--stale-days', '2', '--format', 'json'], { env: { JTG_ADMIN_KEY: key } });
      assert.strictEqual(strict.code, 1);
      assert.deepStrictEqual(
        (JSON.parse(strict.stdout) as TokensJson).tokens.map((t) => t.flags),
        [[], ['stale'], ['stale']],
      );
      assertNoSecret([clean.stdout, clean.stderr, strict.stdout, strict.stderr], [key]);
    });

    it('exits 2 naming the missing scope read:tokens:admin for a key without it, and for a refused key', async () => {
      const unscoped = await runCli(orgArgs(), { env: { JTG_ADMIN_KEY: unscopedKey } });
      assert.strictEqual(unscoped.code, 2);
      assert.strictEqual(unscoped.stdout, '');
      assert.match(unscoped.stderr, /^jira-token-guard: The admin API key lacks the scope read:tokens:admin: [^\n]+\n$/);
      const wrong = makeAdminKey();
      const refused = await runCli(orgArgs(), { env: { JTG_ADMIN_KEY: wrong } });
      assert.strictEqual(refused.code, 2);
      assert.match(refused.stderr, /^jira-token-guard: The admin API refused the key/);
      assertNoSecret([unscoped.stdout, unscoped.stderr, refused.stdout, refused.stderr], [unscopedKey, wrong]);
    });
  });

  it('exits 2 on usage errors, never taking or echoing a token or key given as an argument', async function () {
    this.timeout(90_000); // fourteen processes on a shared machine
    const cases: Array<[string[], RegExp, Record<string, string>?]> = [
      [[...dcArgs(), alicePat], /takes no arguments/, { JTG_PAT: alicePat }],
      [['tokens', '--url', `${fake.url}/jira`], /give the token with --token-env NAME/],
      [[...dcArgs()], /the environment variable named by --token-env is not set or empty/],
      [['tokens'], /give --url URL --token-env VAR .* or --org ORG_ID --admin-key-env VAR/],
      [['tokens', '--url', fake.url, '--org', ORG, '--token-env', 'X'], /not both/, { X: alicePat }],
      [['tokens', '--url', fake.url, '--kind', 'cloud', '--token-env', 'X'], /--kind must be datacenter-pat/, { X: alicePat }],
      [['tokens', '--url', 'http://jira.example.com', '--token-env', 'X'], /Plain http:\/\//, { X: alicePat }],
      [[...orgArgs(), '--format', 'sarif'], /--format must be text or json/, { JTG_ADMIN_KEY: key }],
      [[...orgArgs(), '--stale-days', 'soon'], /--stale-days must be a number of days/, { JTG_ADMIN_KEY: key }],
      [
        ['tokens', '--org', ORG, '--admin-key-env', 'K', '--admin-api-url', 'http://admin.example.com'],
        /--admin-api-url must be an https/,
        { K: key },
      ],
      [['tokens', '--org', '../../x', '--admin-key-env', 'K'], /--org must be the organisation id/, { K: key }],
      [['tokens', '--org', ORG], /give the admin API key with --admin-key-env NAME/],
      [['tokens', '--org', ORG, '--admin-key-env', 'K', '--token-env', 'X'], /--token-env goes with --url/, { K: key, X: alicePat }],
      [[...orgArgs(), `--key=${key}`], /unknown option --key/],
    ];
    for (const [args, reason, env] of cases) {
      const result = await runCli(args, { env: { ...caEnv, ...env } });
      assert.strictEqual(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /^jira-token-guard: [^\n]+\n$/, args.join(' '));
      assert.match(result.stderr, reason, args.join(' '));
      assertNoSecret([result.stdout, result.stderr], [alicePat, key]);
    }
    assert.strictEqual(fake.requests.length, 0, 'no usage error reaches Jira');
    assert.strictEqual(admin.requests.length, 0, 'no usage error reaches the admin API');
  });

  it('shows its help, and is listed in the main help', async () => {
    const help = await runCli(['tokens', '--help']);
    assert.strictEqual(help.code, 0);
    assert.match(help.stdout, /^Usage: jira-token-guard tokens --url URL/);
    const main = await runCli(['--help']);
    assert.match(main.stdout, /jira-token-guard tokens --org ORG_ID --admin-key-env NAME/);
  });
});
