// The command line against hostile input: values that may be secrets typed in the wrong place, a server
// that echoes what it was sent, a scanned tree whose file names, comments and ignore file are crafted.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fingerprintOf } from '../../../src/core/tokens/tokenShapes';
import { type FakeJira, startFakeJira } from '../../support/fakeJira';
import { makeCloudToken, makeDataCenterPat, makeLegacyCloudToken } from '../../support/tokens';
import { type JsonReport, assertNoSecret, ensureCliBuilt, git, removeTempDirs, runCli, tempDir, writeTree } from './cliTestSupport';

/** ESC [2J clears the screen; CSI (U+009B) is its one-character form; U+202E reverses what follows. */
const TERMINAL_TRICKS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/; // eslint-disable-line no-control-regex

describe('CLI against hostile input', function () {
  this.timeout(30_000);
  const token = makeCloudToken();
  const pat = makeDataCenterPat();
  const password = 'Winter2024!xyz';

  before(ensureCliBuilt);
  after(removeTempDirs);

  describe('usage errors name the option, never the value', () => {
    let fake: FakeJira;
    before(async () => {
      fake = await startFakeJira();
    });
    after(() => fake.close());

    it('check: no option value is repeated, a token or a password', async function () {
      // 32 runs of the command line, one after another: a loaded machine needs more than the suite's 30 s.
      this.timeout(120_000);
      for (const secret of [token, pat, password, makeLegacyCloudToken()]) {
        const site = ['check', '--url', fake.url];
        const cases: Array<[string[], RegExp, Record<string, string>?]> = [
          [[...site, '--token-env', secret], /the environment variable named by --token-env is not set or empty/],
          [[...site, '--kind', secret, '--token-env', 'X'], /--kind must be one of/, { X: token }],
          [[...site, '--timeout', secret, '--token-env', 'X'], /--timeout must be a number of seconds/, { X: token }],
          [[...site, '--gateway-url', secret, '--token-env', 'X'], /--gateway-url must be an https:\/\/ URL/, { X: token }],
          [[...site, `--${secret}`], /unknown option/],
          [[...site, `--${secret}=x`], /unknown option/],
          [[...site, secret], /takes no arguments/],
          [[secret, '--url', fake.url], /unknown command: use scan, check, tokens or ignore/],
        ];
        for (const [args, reason, env] of cases) {
          const result = await runCli(args, { env });
          assert.strictEqual(result.code, 2, `${reason}: ${result.stderr}`);
          assert.match(result.stderr, reason);
          assert.match(result.stderr, /^jira-token-guard: [^\n]+\n$/);
          assertNoSecret([result.stdout, result.stderr], [secret]);
        }
      }
      assert.strictEqual(fake.requests.length, 0);
    });

    it('check: a token given as --username (or --email) is refused without being repeated or sent', async () => {
      for (const [option, value, kind] of [
        ['--username', pat, 'datacenter-pat'],
        ['--username', token, 'datacenter-basic'],
        ['--email', pat, 'datacenter-pat'],
      ]) {
        const result = await runCli(['check', '--url', fake.url, option, value, '--kind', kind, '--token-env', 'X'], {
          env: { X: makeDataCenterPat() },
        });
        assert.strictEqual(result.code, 2, result.stderr);
        assert.match(result.stderr, new RegExp(`${option} has the shape of a token`));
        assertNoSecret([result.stdout, result.stderr], [value, value.slice(0, 12), value.slice(-12)]);
      }
      assert.strictEqual(fake.requests.length, 0);
    });

    it('scan: no option value, path or output file is repeated', async () => {
      const root = writeTree(tempDir(), { 'a.txt': 'nothing\n' });
      for (const secret of [token, password]) {
        const cases: Array<[string[], RegExp]> = [
          [['scan', root, '--format', secret], /--format must be one of text, json, sarif$/m],
          [['scan', root, '--max-file-size', secret], /--max-file-size must be a positive size such as 2048 \(KB\), 512k or 4m$/m],
          [['scan', path.join(root, secret)], /cannot read the path given as argument 1: no such file or directory$/m],
          [['scan', root, path.join(root, secret)], /cannot read the path given as argument 2: no such file or directory$/m],
          [
            ['scan', root, '-o', path.join(root, secret, 'report.txt')],
            /cannot write the report to the --output file: no such file or directory$/m,
          ],
          [
            ['scan', root, '--output', path.join(root, 'a.txt', secret)],
            /cannot write the report to the --output file: a part of the path is not a folder$/m,
          ],
          [['scan', root, `--${secret}`], /unknown option/],
        ];
        for (const [args, reason] of cases) {
          const result = await runCli(args);
          assert.strictEqual(result.code, 2, `${reason}: ${result.stderr}`);
          assert.match(result.stderr, reason);
          assertNoSecret([result.stdout, result.stderr], [secret]);
        }
      }
    });
  });

  describe('check output', () => {
    let fake: FakeJira;
    before(async () => {
      fake = await startFakeJira();
      fake.addCloudAccount({ email: 'dev@example.com', token, displayName: 'Dev\x1b[2J\x1b]0;owned\x07\u202eevil\u009b' });
    });
    beforeEach(() => fake.reset());
    after(() => fake.close());

    it('--json holds no secret form when the server echoes the Authorization header into the identity', async () => {
      fake.setBehaviour({ kind: 'echo-authorization' });
      const cases: Array<[string[], string, string]> = [
        [['--email', 'dev@example.com', '--gateway-url', fake.gatewayUrl], token, 'dev@example.com'],
        [['--kind', 'datacenter-pat'], pat, ''],
        [['--username', 'alice', '--kind', 'datacenter-basic'], password, 'alice'],
      ];
      for (const [args, secret, user] of cases) {
        const result = await runCli(['check', '--url', fake.url, ...args, '--token-env', 'X', '--json'], { env: { X: secret } });
        assert.strictEqual(result.code, 0, result.stderr);
        const parsed = JSON.parse(result.stdout) as { identity: { displayName: string }; requestId?: string };
        assert.match(parsed.identity.displayName, /^Authorization: (Basic|Bearer) /, 'the echo reached the result');
        const forms = [
          secret,
          encodeURIComponent(secret),
          Buffer.from(secret).toString('base64'),
          Buffer.from(`${user}:${secret}`).toString('base64'),
        ];
        assertNoSecret([result.stdout, result.stderr], forms);
        assert.doesNotMatch(result.stdout, /(Basic|Bearer) [A-Za-z0-9+/=]{8,}/);
        assert.doesNotMatch(result.stdout, /Wint|!xyz/, 'nothing of a password');
      }
    });

    it('escapes control and bidi characters from the server in text and in JSON', async () => {
      const base = ['check', '--url', fake.url, '--email', 'dev@example.com', '--gateway-url', fake.gatewayUrl, '--token-env', 'X'];
      const text = await runCli(base, { env: { X: token } });
      assert.strictEqual(text.code, 0, text.stderr);
      assert.doesNotMatch(text.stdout, TERMINAL_TRICKS);
      assert.strictEqual(text.stdout, 'Jira accepted the API token, signed in as Dev\\x1b[2J\\x1b]0;owned\\x07\\u202eevil\\x9b.\n');
      const json = await runCli([...base, '--json'], { env: { X: token } });
      assert.doesNotMatch(json.stdout, TERMINAL_TRICKS);
      assert.strictEqual(
        (JSON.parse(json.stdout) as { identity: { displayName: string } }).identity.displayName,
        'Dev\\x1b[2J\\x1b]0;owned\\x07\\u202eevil\\x9b',
      );
    });
  });

  describe('scan output', () => {
    it('shows nothing of a password or a short token, in text and SARIF', async () => {
      const legacy = makeLegacyCloudToken();
      const root = writeTree(tempDir(), {
        'deploy.sh': `curl https://deploy:${password}@acme.atlassian.net/rest/api/3/myself\n`,
        '.env': `JIRA_URL=https://acme.atlassian.net\nJIRA_API_TOKEN=${legacy}\n`,
      });
      for (const format of ['text', 'sarif', 'json']) {
        const result = await runCli(['scan', root, '--format', format]);
        assert.strictEqual(result.code, 1, result.stderr);
        assert.match(result.stdout, /atlassian-url-credentials/);
        for (const secret of [password, legacy]) assertNoSecret([result.stdout, result.stderr], [secret.slice(0, 4), secret.slice(-4)]);
      }
    });

    it('escapes control and bidi characters of file names in every format', async () => {
      const name = 'evil\x1b[2J\x1b[1;1H\u009b\u202eexe.js';
      const root = writeTree(tempDir(), { [name]: `const t = "${makeCloudToken()}";\n` });
      const text = await runCli(['scan', root]);
      assert.strictEqual(text.code, 1);
      assert.ok(text.stdout.startsWith('evil\\x1b[2J\\x1b[1;1H\\x9b\\u202eexe.js:1:12 '), text.stdout);
      for (const format of ['json', 'sarif']) {
        const result = await runCli(['scan', root, '--format', format]);
        assert.doesNotMatch(result.stdout, TERMINAL_TRICKS, format);
        assert.ok(
          result.stdout.includes(
            format === 'json' ? 'evil\\u001b[2J\\u001b[1;1H\\u009b\\u202eexe.js' : 'evil%1B%5B2J%1B%5B1%3B1H%C2%9B%E2%80%AEexe.js',
          ),
          result.stdout,
        );
      }
      assert.doesNotMatch(text.stderr, TERMINAL_TRICKS);
    });
  });

  describe('ignore comments', () => {
    const line = (secret: string) => `JIRA_API_TOKEN=${secret}`;
    const t = {
      ours: makeCloudToken(),
      oursAbove: makeCloudToken(),
      gitleaksAbove: makeCloudToken(),
      trufflehogAbove: makeCloudToken(),
      pragmaAbove: makeCloudToken(),
      gitleaks: makeCloudToken(),
      nextline: makeCloudToken(),
      listed: makeCloudToken(),
    };
    let root: string;
    before(() => {
      root = writeTree(tempDir(), {
        'config.env': [
          `${line(t.ours)} # jira-token-guard:ignore`,
          '# jira-token-guard:ignore',
          line(t.oursAbove),
          '# gitleaks:allow',
          line(t.gitleaksAbove),
          '# trufflehog:ignore',
          line(t.trufflehogAbove),
          '# pragma: allowlist secret',
          line(t.pragmaAbove),
          `${line(t.gitleaks)} # gitleaks:allow`,
          '# pragma: allowlist nextline secret',
          line(t.nextline),
          line(t.listed),
          '',
        ].join('\n'),
        '.jira-token-guard-ignore': `${fingerprintOf(t.listed)}\n`,
      });
    });
    const reported = async (...args: string[]): Promise<string[]> => {
      const result = await runCli(['scan', root, '--format', 'json', ...args]);
      const byFingerprint = new Map(Object.entries(t).map(([name, secret]) => [fingerprintOf(secret), name]));
      return (JSON.parse(result.stdout) as JsonReport).findings.map((f) => byFingerprint.get(f.fingerprint)!).sort();
    };

    it("keep each tool's own reach: only ours also covers the line below it", async () => {
      assert.deepStrictEqual(await reported(), ['gitleaksAbove', 'pragmaAbove', 'trufflehogAbove']);
    });

    it('count for nothing with --no-inline-ignores; the ignore list still does', async () => {
      assert.deepStrictEqual(
        await reported('--no-inline-ignores'),
        Object.keys(t)
          .filter((name) => name !== 'listed')
          .sort(),
      );
      const text = await runCli(['scan', root, '--no-inline-ignores']);
      assert.match(text.stderr, /ignore comments are off \(--no-inline-ignores\)/);
    });
  });

  describe('--ignore-file and --no-ignore-file: the ignore list from elsewhere, or none (a pull request writes the root one)', () => {
    const listedAtRoot = makeCloudToken();
    const listedElsewhere = makeCloudToken();
    let repo: string;
    let elsewhere: string;
    before(() => {
      repo = writeTree(tempDir(), {
        'a.env': `JIRA_API_TOKEN=${listedAtRoot}\nJIRA_API_TOKEN=${listedElsewhere}\n`,
        '.jira-token-guard-ignore': `${fingerprintOf(listedAtRoot)}\n`,
      });
      git(repo, 'init', '-q');
      git(repo, 'add', '-A');
      git(repo, 'commit', '-q', '-m', 'leak');
      elsewhere = path.join(tempDir(), 'base-ignore-list');
      fs.writeFileSync(elsewhere, `${fingerprintOf(listedElsewhere)}\n`);
    });
    const names = (report: string) =>
      (JSON.parse(report) as JsonReport).findings.map((f) => (f.fingerprint === fingerprintOf(listedAtRoot) ? 'root' : 'elsewhere')).sort();

    for (const mode of [[], ['--staged'], ['--history']]) {
      it(`replace the root's list, or read none${mode.length ? ` (${mode[0]})` : ''}`, async () => {
        if (mode[0] === '--staged') {
          fs.appendFileSync(path.join(repo, 'a.env'), '# staged\n');
          git(repo, 'add', 'a.env');
        }
        const scan = (...args: string[]) => runCli(['scan', ...mode, '--format', 'json', ...args], { cwd: repo });
        assert.deepStrictEqual(names((await scan()).stdout), ['elsewhere']);
        assert.deepStrictEqual(names((await scan('--ignore-file', elsewhere)).stdout), ['root']);
        assert.deepStrictEqual(names((await scan('--no-ignore-file')).stdout), ['elsewhere', 'root']);
      });
    }

    it('a missing --ignore-file is an error; a link or FIFO is not read, with a warning; never both options', async () => {
      const missing = await runCli(['scan', '--ignore-file', `${listedElsewhere}.txt`], { cwd: repo });
      assert.strictEqual(missing.code, 2);
      assert.strictEqual(missing.stderr, 'jira-token-guard: cannot read the --ignore-file file: no such file or directory\n');
      const link = path.join(tempDir(), 'link');
      fs.symlinkSync(elsewhere, link);
      const fifo = path.join(tempDir(), 'fifo');
      execFileSync('mkfifo', [fifo]);
      for (const file of [link, fifo, '/dev/zero']) {
        const result = await runCli(['scan', '--format', 'json', '--ignore-file', file], { cwd: repo, killAfterMs: 10_000 });
        assert.strictEqual(result.code, 1, `killed or failed after ${result.ms} ms: ${result.stderr}`);
        assert.deepStrictEqual(names(result.stdout), ['elsewhere', 'root']);
        assert.match(result.stderr, /warning: the --ignore-file file is not a regular file/);
      }
      const both = await runCli(['scan', '--ignore-file', elsewhere, '--no-ignore-file'], { cwd: repo });
      assert.strictEqual(both.code, 2);
      assert.match(both.stderr, /give --ignore-file or --no-ignore-file, not both/);
    });
  });

  it('a .gitignore of 250 wildcard-heavy 4 KB patterns over 2,000 long names: the scan ends, finds the token, and warns with the path escaped', async () => {
    const root = tempDir();
    const folder = 'evil\u001b[2J';
    const files: Record<string, string> = { [`${folder}/.gitignore`]: `${'*a'.repeat(2047)}b\n`.repeat(250) };
    for (let i = 0; i < 2000; i++) files[`${folder}/${String(i).padStart(5, '0')}${'a'.repeat(190)}`] = 'x\n';
    files[`${folder}/00007${'a'.repeat(190)}`] = `const t = "${token}";\n`;
    writeTree(root, files);
    // Unbudgeted, this took over a minute; the kill is a hang guard, not a timing.
    const result = await runCli(['scan', root, '--format', 'json'], { killAfterMs: 20_000 });
    assert.strictEqual(result.code, 1, `killed or failed after ${result.ms} ms: ${result.stderr}`);
    assert.strictEqual((JSON.parse(result.stdout) as JsonReport).scannedFiles, 2001);
    assert.match(
      result.stderr,
      /^jira-token-guard: warning: evil\\x1b\[2J\/\.gitignore: 250 patterns too costly to match were dropped \(lines 1, 2, 3, 4, 5, …\); the files they would have excluded are scanned$/m,
    );
    assert.ok(!TERMINAL_TRICKS.test(result.stderr), 'no control character reaches the terminal');
  });

  describe('the ignore file is read only when it is a regular file under 1 MB', () => {
    const leaked = makeCloudToken();
    const treeWith = (): string => writeTree(tempDir(), { 'src/config.js': `const t = "${leaked}";\n` });
    const expectNotRead = async (root: string, why: RegExp): Promise<void> => {
      const result = await runCli(['scan', root, '--format', 'json'], { killAfterMs: 10_000 });
      assert.strictEqual(result.code, 1, `killed or failed after ${result.ms} ms: ${result.stderr}`);
      assert.strictEqual((JSON.parse(result.stdout) as JsonReport).findings.length, 1, 'the finding is reported, not hidden');
      assert.match(result.stderr, why);
      assert.ok(result.ms < 10_000, `took ${result.ms} ms`);
    };

    it('a symbolic link (to /dev/zero, or to a real list) is not followed', async () => {
      const zero = treeWith();
      fs.symlinkSync('/dev/zero', path.join(zero, '.jira-token-guard-ignore'));
      await expectNotRead(zero, /warning: \.jira-token-guard-ignore is not a regular file/);
      const elsewhere = treeWith();
      const list = path.join(tempDir(), 'list');
      fs.writeFileSync(list, `${fingerprintOf(leaked)}\n`);
      fs.symlinkSync(list, path.join(elsewhere, '.jira-token-guard-ignore'));
      await expectNotRead(elsewhere, /not a regular file/);
    });

    it('a FIFO does not hang the scan', async () => {
      const root = treeWith();
      execFileSync('mkfifo', [path.join(root, '.jira-token-guard-ignore')]);
      await expectNotRead(root, /not a regular file/);
    });

    it('a huge file is not read', async () => {
      const root = treeWith();
      const entry = `${fingerprintOf(leaked)}\n`;
      fs.writeFileSync(path.join(root, '.jira-token-guard-ignore'), entry + `${'0'.repeat(64)}\n`.repeat(20_000));
      await expectNotRead(root, /larger than 1 MB/);
      fs.writeFileSync(path.join(root, '.jira-token-guard-ignore'), entry);
      const small = await runCli(['scan', root]);
      assert.strictEqual(small.code, 0, 'the same list under the cap is read');
    });

    it('--staged: a link committed as the ignore file is not read either', async () => {
      const repo = treeWith();
      git(repo, 'init', '-q');
      const list = path.join(tempDir(), 'list');
      fs.writeFileSync(list, `${fingerprintOf(leaked)}\n`);
      fs.symlinkSync(list, path.join(repo, '.jira-token-guard-ignore'));
      git(repo, 'add', '-A');
      const result = await runCli(['scan', '--staged', '--format', 'json'], { cwd: repo });
      assert.strictEqual(result.code, 1, result.stderr);
      assert.strictEqual((JSON.parse(result.stdout) as JsonReport).findings.length, 1);
      assert.match(result.stderr, /not a regular file/);
    });
  });
});
