import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fingerprintOf } from '../../../src/core/tokens/tokenShapes';
import { makeAccessToken, makeBitbucketAppPassword, makeCloudToken, makeDataCenterPat, makeLegacyCloudToken } from '../../support/tokens';
import { CLI, type JsonReport, assertNoSecret, ensureCliBuilt, removeTempDirs, runCli, tempDir, writeTree } from './cliTestSupport';

const PREFIX = 'const JIRA_API_TOKEN = "';

describe('CLI scan', function () {
  this.timeout(20_000);

  const t = {
    config: makeCloudToken(),
    inline: makeCloudToken(),
    lineAbove: makeCloudToken(),
    accepted: makeCloudToken(),
    ignoredDir: makeCloudToken(),
    ignoredGlob: makeCloudToken(),
    nestedIgnored: makeCloudToken(),
    nestedKept: makeCloudToken(),
    nodeModules: makeCloudToken(),
    dotGit: makeCloudToken(),
    binary: makeCloudToken(),
    big: makeCloudToken(),
    unverified: makeCloudToken({ validCrc: false }),
    access: makeAccessToken(),
    bitbucket: makeBitbucketAppPassword(),
    pat: makeDataCenterPat(),
    legacy: makeLegacyCloudToken(),
    basicAuth: makeCloudToken(),
  };
  const allSecrets = Object.values(t);
  const basicHeader = `Authorization: Basic ${Buffer.from(`me@acme.com:${t.basicAuth}`).toString('base64')}`;
  let root: string;

  before(() => {
    ensureCliBuilt();
    root = writeTree(tempDir(), {
      '.gitignore': 'ignored/\n*.secret\n',
      'src/config.js': `${PREFIX}${t.config}";\n`,
      'src/app.ts': `export const a = 1;\n\nconst token = '${t.inline}'; // jira-token-guard:ignore (test fixture)\n`,
      'src/above.py': `# jira-token-guard:ignore\nTOKEN = "${t.lineAbove}"\n`,
      'src/accepted.js': `const demo = "${t.accepted}";\n`,
      '.jira-token-guard-ignore': `# reviewed\n${fingerprintOf(t.accepted)} # demo token, revoked\n`,
      'ignored/leak.js': `const x = "${t.ignoredDir}";\n`,
      'notes.secret': `${t.ignoredGlob}\n`,
      'sub/.gitignore': '*.local\n!keep.local\n',
      'sub/drop.local': `${t.nestedIgnored}\n`,
      'sub/keep.local': `${t.nestedKept}\n`,
      'node_modules/pkg/index.js': `module.exports = "${t.nodeModules}";\n`,
      '.git/config.bak': `token = ${t.dotGit}\n`,
      'image.bin': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]), Buffer.from(`\n${t.binary}\n`)]),
      'big.txt': `${'lorem ipsum '.repeat(300)}\n${t.big}\n`,
      'src/placeholder.js': `const example = "${t.unverified}";\n`,
      'docs/access.md': `Token:\n\n    ${t.access}\n`,
      'ci/pipeline.yml': `env:\n  BITBUCKET_APP_PASSWORD: ${t.bitbucket}\n`,
      'docs/setup.md': `Set \`JIRA_PAT=${t.pat}\` in your shell.\n`,
      '.env': `JIRA_URL=https://acme.atlassian.net\nJIRA_API_TOKEN=${t.legacy}\n`,
      'http/request.http': `GET https://acme.atlassian.net/rest/api/3/myself\n${basicHeader}\n`,
    });
  });
  after(removeTempDirs);

  async function scanJson(...args: string[]): Promise<{ code: number | null; report: JsonReport; stderr: string }> {
    const result = await runCli(['scan', root, '--format', 'json', ...args]);
    return { code: result.code, report: JSON.parse(result.stdout) as JsonReport, stderr: result.stderr };
  }

  const filesOf = (report: JsonReport) => [...new Set(report.findings.map((f) => f.file))].sort();

  it('reports each leak with its rule, 1-based positions and paths relative to the root, and exits 1', async () => {
    const { code, report } = await scanJson();
    assert.strictEqual(code, 1);
    assert.deepStrictEqual(filesOf(report), [
      '.env',
      'big.txt',
      'ci/pipeline.yml',
      'docs/access.md',
      'docs/setup.md',
      'http/request.http',
      'src/config.js',
      'sub/keep.local',
    ]);
    const byFile = new Map(report.findings.map((f) => [f.file, f]));
    assert.deepStrictEqual(
      { ...byFile.get('src/config.js') },
      {
        file: 'src/config.js',
        line: 1,
        column: PREFIX.length + 1,
        endLine: 1,
        endColumn: PREFIX.length + 1 + t.config.length,
        ruleId: 'atlassian-api-token',
        confidence: 'high',
        fingerprint: fingerprintOf(t.config),
        message: byFile.get('src/config.js')!.message,
      },
    );
    assert.strictEqual(byFile.get('.env')!.ruleId, 'atlassian-api-token-legacy');
    assert.strictEqual(byFile.get('.env')!.line, 2);
    assert.strictEqual(byFile.get('docs/setup.md')!.ruleId, 'jira-dc-pat');
    assert.strictEqual(byFile.get('docs/access.md')!.ruleId, 'atlassian-access-token');
    assert.deepStrictEqual([byFile.get('docs/access.md')!.line, byFile.get('docs/access.md')!.column], [3, 5]);
    assert.strictEqual(byFile.get('ci/pipeline.yml')!.ruleId, 'bitbucket-app-password');
    assert.strictEqual(byFile.get('http/request.http')!.ruleId, 'jira-basic-auth-header');
    assert.strictEqual(byFile.get('big.txt')!.line, 2);
    assert.strictEqual(report.findings.length, 8, 'one finding per leak');
    assert.strictEqual(report.skippedFiles, 1, 'image.bin');
    assert.ok(report.scannedFiles >= 15, `scanned ${report.scannedFiles}`);
    assert.ok(report.scannedBytes > 3000);
    assert.strictEqual(typeof report.durationMs, 'number');
    assert.deepStrictEqual(Object.keys(report), ['findings', 'scannedFiles', 'skippedFiles', 'scannedBytes', 'durationMs']);
    assert.deepStrictEqual(Object.keys(report.findings[0]), [
      'file',
      'line',
      'column',
      'endLine',
      'endColumn',
      'ruleId',
      'confidence',
      'fingerprint',
      'message',
    ]);
  });

  it('honours .gitignore files, nested ones and negations included, unless --no-gitignore', async () => {
    const honoured = filesOf((await scanJson()).report);
    for (const file of ['ignored/leak.js', 'notes.secret', 'sub/drop.local']) assert.ok(!honoured.includes(file), file);
    assert.ok(honoured.includes('sub/keep.local'), '!keep.local re-includes it');
    const all = filesOf((await scanJson('--no-gitignore')).report);
    for (const file of ['ignored/leak.js', 'notes.secret', 'sub/drop.local']) assert.ok(all.includes(file), file);
  });

  it('skips node_modules and .git unless asked to include them', async () => {
    const plain = filesOf((await scanJson()).report);
    assert.ok(!plain.some((f) => f.startsWith('node_modules/') || f.startsWith('.git/')));
    assert.ok(filesOf((await scanJson('--include-node-modules')).report).includes('node_modules/pkg/index.js'));
    assert.ok(filesOf((await scanJson('--include-git-dir')).report).includes('.git/config.bak'));
  });

  it('skips binary files (counted) unless --include-binary', async () => {
    const { report } = await scanJson('--include-binary');
    assert.ok(filesOf(report).includes('image.bin'));
    assert.strictEqual(report.skippedFiles, 0);
  });

  it('skips and counts files over --max-file-size (default 2048 KB, as in the editor)', async () => {
    const small = await scanJson('--max-file-size', '2k');
    assert.ok(!filesOf(small.report).includes('big.txt'));
    assert.strictEqual(small.report.skippedFiles, 2, 'image.bin and big.txt');
    const bytes = await scanJson('--max-file-size', '100000b');
    assert.ok(filesOf(bytes.report).includes('big.txt'));
  });

  it('honours ignore comments (same line, line above) and the root .jira-token-guard-ignore', async () => {
    const { report } = await scanJson('--no-gitignore', '--include-node-modules');
    const fingerprints = new Set(report.findings.map((f) => f.fingerprint));
    for (const secret of [t.inline, t.lineAbove, t.accepted]) assert.ok(!fingerprints.has(fingerprintOf(secret)));
    assert.ok(fingerprints.has(fingerprintOf(t.ignoredDir)), 'the others are still reported');
  });

  it('reports checksum-invalid ATATT3 strings only with --report-unverified, with low confidence', async () => {
    assert.ok(!filesOf((await scanJson()).report).includes('src/placeholder.js'));
    const { report } = await scanJson('--report-unverified');
    const placeholder = report.findings.find((f) => f.file === 'src/placeholder.js');
    assert.strictEqual(placeholder?.confidence, 'low');
  });

  it('never prints a whole token, in any format; text shows the first and last 4 characters', async () => {
    const outputs: string[] = [];
    for (const format of ['text', 'json', 'sarif']) {
      const result = await runCli([
        'scan',
        root,
        '--format',
        format,
        '--no-gitignore',
        '--include-node-modules',
        '--include-git-dir',
        '--include-binary',
        '--report-unverified',
      ]);
      assert.strictEqual(result.code, 1, format);
      outputs.push(result.stdout, result.stderr);
    }
    assertNoSecret(outputs, allSecrets);
    // Not even the decoded Basic header: it holds the password.
    assertNoSecret(outputs, [basicHeader.split(' ').pop()!]);
    const text = outputs[0];
    assert.ok(text.includes(`(${t.config.slice(0, 4)}…${t.config.slice(-4)})`), text);
  });

  it('text: one "file:line:column ruleId confidence message (redacted) fingerprint F" line per finding on stdout, a summary on stderr', async () => {
    const result = await runCli(['scan', root]);
    assert.strictEqual(result.code, 1);
    const lines = result.stdout.trimEnd().split('\n');
    assert.strictEqual(lines.length, 8);
    for (const line of lines)
      assert.match(line, /^[^:\s]+:\d+:\d+ [a-z-]+ (high|medium|low) .+ \((.{4}….{4}|…)\) fingerprint [0-9a-f]{64}$/);
    assert.ok(result.stdout.includes(`fingerprint ${fingerprintOf(t.config)}\n`), 'the fingerprint is the one the ignore list takes');
    assert.ok(lines.includes(lines.find((l) => l.startsWith(`src/config.js:1:${PREFIX.length + 1} atlassian-api-token high `))!));
    assert.match(result.stderr, /^8 possible Jira token leaks in 8 files/);
  });

  it('exits 0 on a clean tree, with the summary on stderr and nothing on stdout', async () => {
    const clean = writeTree(tempDir(), {
      'README.md': '# nothing here\n',
      'src/index.ts': 'export const jira = process.env.JIRA_API_TOKEN;\n',
    });
    const text = await runCli(['scan', clean]);
    assert.strictEqual(text.code, 0);
    assert.strictEqual(text.stdout, '');
    assert.match(text.stderr, /^No leaked Jira tokens: 2 files scanned/);
    const json = await runCli(['scan', '--format', 'json'], { cwd: clean });
    assert.strictEqual(json.code, 0);
    assert.deepStrictEqual((JSON.parse(json.stdout) as JsonReport).findings, []);
    assert.strictEqual(json.stderr, '');
  });

  it('scans the current folder by default; with several paths or a file, paths are relative to the current folder', async () => {
    const byDefault = await runCli(['scan', '--format', 'json'], { cwd: root });
    assert.deepStrictEqual(filesOf(JSON.parse(byDefault.stdout)), filesOf((await scanJson()).report));
    const several = await runCli(['scan', 'src', 'docs', 'src/config.js', '--format', 'json'], { cwd: root });
    assert.deepStrictEqual(filesOf(JSON.parse(several.stdout)), ['docs/access.md', 'docs/setup.md', 'src/config.js']);
    assert.strictEqual((JSON.parse(several.stdout) as JsonReport).findings.length, 3, 'src/config.js is not reported twice');
    const one = await runCli(['scan', path.join('src', 'config.js'), '--format', 'json'], { cwd: root });
    assert.deepStrictEqual(filesOf(JSON.parse(one.stdout)), ['src/config.js']);
    const sub = await runCli(['scan', 'src', '--format', 'json'], { cwd: root });
    // A single folder is the root: paths are relative to it, and its own ignore list applies (src has none).
    assert.deepStrictEqual(filesOf(JSON.parse(sub.stdout)), ['accepted.js', 'config.js']);
  });

  it('writes the report to --output instead of stdout', async () => {
    const out = path.join(tempDir(), 'report.json');
    const result = await runCli(['scan', root, '--format', 'json', '--output', out]);
    assert.strictEqual(result.code, 1);
    assert.strictEqual(result.stdout, '');
    assert.strictEqual((JSON.parse(fs.readFileSync(out, 'utf8')) as JsonReport).findings.length, 8);
  });

  it('exits 2 with a one-line reason on usage and read errors', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['scan', root, '--frobnicate'], /unknown option --frobnicate \(see --help\)/],
      [['scan', root, '--format', 'xml'], /--format must be one of text, json, sarif/],
      [['scan', root, '--max-file-size', 'lots'], /--max-file-size must be a positive size/],
      [['scan', path.join(root, 'missing.txt')], /cannot read the path given as argument 1: no such file or directory/],
      [['scan', root, '--output', path.join(root, 'no', 'such', 'dir', 'r.json')], /cannot write/],
      [['scan', root, '--format'], /--format needs a value/],
      [['frobnicate'], /unknown command: use scan, check, tokens or ignore/],
    ];
    for (const [args, reason] of cases) {
      const result = await runCli(args);
      assert.strictEqual(result.code, 2, args.join(' '));
      assert.strictEqual(result.stdout, '', args.join(' '));
      assert.match(result.stderr, /^jira-token-guard: .+\n$/, args.join(' '));
      assert.match(result.stderr, reason);
    }
  });

  it('answers --help for each command and --version from package.json', async () => {
    const version = (
      JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { version: string }
    ).version;
    assert.deepStrictEqual(await runCli(['--version']).then((r) => [r.code, r.stdout]), [0, `${version}\n`]);
    for (const args of [['--help'], ['scan', '--help'], ['check', '--help'], ['help', 'scan']]) {
      const result = await runCli(args);
      assert.strictEqual(result.code, 0, args.join(' '));
      assert.match(result.stdout, /^(Usage|jira-token-guard)/, args.join(' '));
    }
    assert.match((await runCli(['scan', '-h'])).stdout, /--max-file-size/);
    assert.match((await runCli(['check', '--help'])).stdout, /--token-stdin/);
    const bare = await runCli([]);
    assert.strictEqual(bare.code, 2);
    assert.match(bare.stderr, /Usage:/);
  });

  it('does not load the HTTP client: a scan in a commit hook pays only for the scanner', async () => {
    assert.ok(!fs.readFileSync(CLI, 'utf8').includes('AxiosError'), 'axios is not in dist/cli.js');
    const probe = path.join(tempDir(), 'modules.js');
    fs.writeFileSync(
      probe,
      "process.on('exit', () => process.stderr.write('\\nmodules: ' + process.moduleLoadList.filter((m) => /^NativeModule (https?|tls|zlib)$/.test(m)).join(',')));",
    );
    const result = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['-r', probe, CLI, 'scan', root], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(stderr));
    });
    assert.match(result, /\nmodules: $/);
  });
});
