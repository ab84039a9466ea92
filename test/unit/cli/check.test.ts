import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { type FakeJira, startFakeJira } from '../../support/fakeJira';
import { makeCloudToken, makeDataCenterPat } from '../../support/tokens';
import { assertNoSecret, ensureCliBuilt, removeTempDirs, runCli, tempDir } from './cliTestSupport';

describe('CLI check', function () {
  this.timeout(20_000);
  let fake: FakeJira;
  /** The fake's test CA, trusted the way a user trusts a company CA: NODE_EXTRA_CA_CERTS. */
  let caEnv: Record<string, string>;
  const email = 'dev@example.com';
  const token = makeCloudToken();
  const pat = makeDataCenterPat();

  before(async () => {
    ensureCliBuilt();
    fake = await startFakeJira({ https: true });
    fake.addCloudAccount({ email, token, displayName: 'Dev Example' });
    fake.addDataCenterUser({ contextPath: '/jira', username: 'alice', pat, displayName: 'Alice' });
    const caFile = path.join(tempDir(), 'ca.pem');
    fs.writeFileSync(caFile, fake.ca!);
    caEnv = { NODE_EXTRA_CA_CERTS: caFile };
  });
  beforeEach(() => fake.reset());
  after(async () => {
    await fake.close();
    removeTempDirs();
  });

  const cloudArgs = (): string[] => ['check', '--url', fake.url, '--email', email, '--gateway-url', fake.gatewayUrl];

  it('says a valid Cloud token is valid in one sentence and exits 0 (kind inferred from the token)', async () => {
    const result = await runCli([...cloudArgs(), '--token-env', 'JTG_TEST_TOKEN'], { env: { ...caEnv, JTG_TEST_TOKEN: token } });
    assert.strictEqual(result.code, 0, result.stderr);
    assert.strictEqual(result.stdout.trim().split('\n').length, 1);
    assert.match(result.stdout, /^Jira accepted the API token, signed in as Dev Example\.\n$/);
    assertNoSecret([result.stdout, result.stderr], [token]);
    assert.ok(
      fake.requests.every((r) => r.authorization !== undefined),
      'the token reached the fake over TLS',
    );
  });

  it('reports a refused token with exit 1, and never echoes it', async () => {
    const wrong = makeCloudToken();
    const result = await runCli([...cloudArgs(), '--token-env', 'JTG_TEST_TOKEN'], { env: { ...caEnv, JTG_TEST_TOKEN: wrong } });
    assert.strictEqual(result.code, 1);
    assert.match(result.stdout, /\.\n$/);
    assertNoSecret([result.stdout, result.stderr], [wrong]);
    // The verdict, then the hint its JSON carries, on a line of its own.
    const json = await runCli([...cloudArgs(), '--token-env', 'JTG_TEST_TOKEN', '--json'], { env: { ...caEnv, JTG_TEST_TOKEN: wrong } });
    const { message, hint } = JSON.parse(json.stdout) as { message: string; hint?: string };
    assert.ok(hint, 'a refused token comes with a hint');
    assert.strictEqual(result.stdout, `${message.trim()}\n${hint.trim()}\n`);
  });

  it('prints the whole result with --json', async () => {
    const result = await runCli([...cloudArgs(), '--token-stdin', '--json'], { env: caEnv, input: `${token}\n` });
    assert.strictEqual(result.code, 0, result.stderr);
    const parsed = JSON.parse(result.stdout) as { kind: string; status: string; identity: { displayName: string }; durationMs: number };
    assert.deepStrictEqual([parsed.kind, parsed.status, parsed.identity.displayName], ['cloud', 'valid', 'Dev Example']);
    assert.strictEqual(typeof parsed.durationMs, 'number');
    assertNoSecret([result.stdout, result.stderr], [token]);
  });

  it('checks a Data Center PAT, inferring the kind from its shape', async () => {
    const result = await runCli(['check', '--url', `${fake.url}/jira`, '--token-stdin', '--json'], { env: caEnv, input: pat });
    assert.strictEqual(result.code, 0, result.stderr);
    const parsed = JSON.parse(result.stdout) as { kind: string; status: string };
    assert.deepStrictEqual([parsed.kind, parsed.status], ['datacenter-pat', 'valid']);
  });

  it('gives up on a hung server after --timeout and says so within a second of it', async () => {
    // Measured against the same check answered at once, so process start-up on a busy machine cancels out.
    const answered = await runCli([...cloudArgs(), '--token-env', 'JTG_TEST_TOKEN', '--timeout', '1', '--json'], {
      env: { ...caEnv, JTG_TEST_TOKEN: token },
    });
    assert.strictEqual(answered.code, 0);
    fake.setBehaviour({ kind: 'hang' });
    fake.setBehaviour({ kind: 'hang' }, { server: 'gateway' });
    const result = await runCli([...cloudArgs(), '--token-env', 'JTG_TEST_TOKEN', '--timeout', '1', '--json'], {
      env: { ...caEnv, JTG_TEST_TOKEN: token },
    });
    assert.strictEqual(result.code, 1);
    assert.strictEqual((JSON.parse(result.stdout) as { status: string }).status, 'timeout');
    assert.ok(result.ms - answered.ms < 2000, `took ${result.ms} ms against ${answered.ms} ms for an answered check`);
    assert.ok(fake.requests.length >= 1, 'the request reached the hung server');
  });

  it('fails the TLS check without the CA: certificate checks stay on', async () => {
    const result = await runCli([...cloudArgs(), '--token-env', 'JTG_TEST_TOKEN', '--json'], { env: { JTG_TEST_TOKEN: token } });
    assert.strictEqual(result.code, 1);
    assert.strictEqual((JSON.parse(result.stdout) as { status: string }).status, 'tls-error');
  });

  describe('--expires-within', () => {
    const soonPat = makeDataCenterPat();
    const laterPat = makeDataCenterPat();
    const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();
    const dateIn = (days: number): string => inDays(days).slice(0, 10);

    before(() => {
      fake.addDataCenterUser({ contextPath: '/jira', username: 'ci-bot', pat: soonPat, expiringAt: inDays(10) });
      fake.addDataCenterUser({ contextPath: '/jira', username: 'ci-bot', pat: laterPat, expiringAt: inDays(100) });
    });

    const dcArgs = (): string[] => ['check', '--url', `${fake.url}/jira`, '--token-env', 'JTG_TEST_TOKEN'];

    it('exits 1 with a sentence naming the date when a Data Center PAT expires inside the window (date from the PAT API)', async () => {
      const result = await runCli([...dcArgs(), '--expires-within', '30d'], { env: { ...caEnv, JTG_TEST_TOKEN: soonPat } });
      assert.strictEqual(result.code, 1, result.stderr);
      assert.strictEqual(result.stdout.trim().split('\n').length, 1);
      assert.match(
        result.stdout,
        new RegExp(
          `^Jira accepted the personal access token, signed in as ci-bot\\. But it expires on ${dateIn(10)}, in (9|10) days, within the 30 days asked: create its successor and rotate it now\\.\\n$`,
        ),
      );
      assertNoSecret([result.stdout, result.stderr], [soonPat]);
    });

    it('exits 0 and prints the expiry when it is outside the window', async () => {
      const result = await runCli([...dcArgs(), '--expires-within', '4w'], { env: { ...caEnv, JTG_TEST_TOKEN: laterPat } });
      assert.strictEqual(result.code, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`It expires on ${dateIn(100)} \\(in (99|100) days\\)\\.\\n$`));
      const plain = await runCli(dcArgs(), { env: { ...caEnv, JTG_TEST_TOKEN: laterPat } });
      assert.strictEqual(plain.code, 0);
      assert.match(plain.stdout, new RegExp(`It expires on ${dateIn(100)}`), 'check prints the expiry it found');
    });

    it("takes a Cloud token's expiry from --expires-at", async () => {
      const soon = await runCli([...cloudArgs(), '--token-env', 'JTG_TEST_TOKEN', '--expires-at', dateIn(5), '--expires-within', '30'], {
        env: { ...caEnv, JTG_TEST_TOKEN: token },
      });
      assert.strictEqual(soon.code, 1, soon.stderr);
      assert.match(soon.stdout, new RegExp(`expires on ${dateIn(5)}`));
      const json = await runCli(
        [...cloudArgs(), '--token-env', 'JTG_TEST_TOKEN', '--expires-at', dateIn(200), '--expires-within', '30d', '--json'],
        { env: { ...caEnv, JTG_TEST_TOKEN: token } },
      );
      assert.strictEqual(json.code, 0, json.stderr);
      const parsed = JSON.parse(json.stdout) as { expiresAt: string; expiresWithinWindow: boolean };
      assert.deepStrictEqual([parsed.expiresAt.slice(0, 10), parsed.expiresWithinWindow], [dateIn(200), false]);
      const unknown = await runCli([...cloudArgs(), '--token-env', 'JTG_TEST_TOKEN', '--expires-within', '30d'], {
        env: { ...caEnv, JTG_TEST_TOKEN: token },
      });
      assert.strictEqual(unknown.code, 0);
      assert.match(unknown.stdout, /expiry date is unknown \(for a Cloud token, pass --expires-at/);
    });

    it('refuses a window or date it cannot read', async () => {
      for (const [args, reason] of [
        [['--expires-within', 'soon'], /--expires-within must be/],
        [['--expires-at', 'next year'], /--expires-at must be a date/],
      ] as const) {
        const result = await runCli([...cloudArgs(), '--token-env', 'X', ...args], { env: { ...caEnv, X: token } });
        assert.strictEqual(result.code, 2);
        assert.match(result.stderr, reason);
      }
    });
  });

  it('exits 2 on usage errors, never taking or echoing a token given as an argument', async () => {
    const cases: Array<[string[], RegExp, Record<string, string>?]> = [
      [[...cloudArgs(), token], /takes no arguments/],
      [[...cloudArgs()], /give the token with --token-env NAME or --token-stdin/],
      [[...cloudArgs(), '--token-env', 'JTG_UNSET_VARIABLE'], /the environment variable named by --token-env is not set or empty/],
      [[...cloudArgs(), '--token-env', 'X', '--token-stdin'], /not both/, { X: token }],
      [['check', '--email', email, '--token-env', 'X'], /--url is required/, { X: token }],
      [['check', '--url', 'http://jira.example.com', '--token-env', 'X'], /Plain http:\/\/ would send the token unencrypted/, { X: token }],
      [
        [...cloudArgs(), '--kind', 'server', '--token-env', 'X'],
        /--kind must be one of cloud, cloud-scoped, datacenter-pat, datacenter-basic/,
        { X: token },
      ],
      [[...cloudArgs(), '--timeout', 'soon', '--token-env', 'X'], /--timeout must be a number of seconds/, { X: token }],
      [['check', '--url', fake.url, '--username', 'u', '--email', email, '--token-env', 'X'], /not both/, { X: token }],
      [['check', '--url', 'https://acme.atlassian.net', '--token-env', 'X'], /enter that email/, { X: token }],
      [[...cloudArgs(), '--token=abc'], /unknown option --token/],
    ];
    for (const [args, reason, env] of cases) {
      const result = await runCli(args, { env: { ...caEnv, ...env } });
      assert.strictEqual(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /^jira-token-guard: [^\n]+\n$/, args.join(' '));
      assert.match(result.stderr, reason, args.join(' '));
      assertNoSecret([result.stdout, result.stderr], [token]);
    }
    assert.strictEqual(fake.requests.length, 0, 'no usage error reaches Jira');
  });
});
