// The command line must report exactly what the core scanner finds file by file under the same walk
// rules (.gitignore, skipped folders, size limit, binaries, the root's ignore list): no second engine.
// The extension's Scan Workspace is compared with `collectFindings` inside the VS Code host.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ALWAYS_SKIPPED_DIRS, GitignoreMatcher } from '../../../src/core/files/gitignore';
import { isProbablyBinary, parseIgnoreFile, scan } from '../../../src/core/scanner';
import { fingerprintOf } from '../../../src/core/tokens/tokenShapes';
import { type CollectedFinding, collectFindings, compareCollected } from '../../../src/scanEngine/treeScan';
import { makeAccessToken, makeBitbucketAppPassword, makeCloudToken, makeDataCenterPat, makeLegacyCloudToken } from '../../support/tokens';
import { type JsonReport, ensureCliBuilt, removeTempDirs, runCli, tempDir, writeTree } from '../cli/cliTestSupport';

const MAX_BYTES = 2048 * 1024;

/** The reference: list every file, then apply the rules one by one, the straightforward way. */
function expectedFindings(root: string): CollectedFinding[] {
  const all: string[] = [];
  const list = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) list(relative);
      else if (entry.isFile()) all.push(relative);
    }
  };
  list('');
  const matcher = new GitignoreMatcher();
  for (const file of all.filter((f) => f === '.gitignore' || f.endsWith('/.gitignore'))) {
    matcher.add(path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file), fs.readFileSync(path.join(root, file), 'utf8'));
  }
  const ignoredFingerprints = parseIgnoreFile(fs.readFileSync(path.join(root, '.jira-token-guard-ignore'), 'utf8'));
  const findings: CollectedFinding[] = [];
  for (const file of all) {
    if (file.split('/').some((part) => ALWAYS_SKIPPED_DIRS.has(part)) || matcher.ignores(file)) continue;
    const bytes = fs.readFileSync(path.join(root, file));
    if (bytes.length > MAX_BYTES || isProbablyBinary(bytes)) continue;
    for (const f of scan(bytes.toString('utf8'), { ignoredFingerprints, fileName: path.join(root, file) })) {
      findings.push({ file, line: f.line + 1, ruleId: f.ruleId, fingerprint: f.fingerprint });
    }
  }
  return findings.sort(compareCollected);
}

describe('CLI findings equal the core scanner file by file', function () {
  this.timeout(30_000);
  let root: string;

  before(() => {
    ensureCliBuilt();
    const accepted = makeCloudToken();
    const repeated = makeCloudToken();
    const files: Record<string, string | Uint8Array> = {
      '.gitignore': 'build/\n*.log\n',
      '.jira-token-guard-ignore': `${fingerprintOf(accepted)}\n`,
      'src/a.ts': `const JIRA_API_TOKEN = "${makeCloudToken()}";\nconst again = "${repeated}";\nconst accepted = "${accepted}";\n`,
      'src/b.ts': `const same = "${repeated}"; // the same token twice in the tree: two findings, one fingerprint\n`,
      'src/c.ts': `const skipped = "${makeCloudToken()}"; // gitleaks:allow\n`,
      'config/.env': `JIRA_API_TOKEN=${makeLegacyCloudToken()}\nJIRA_PAT=${makeDataCenterPat()}\n`,
      'config/app.yml': `bitbucket:\n  app_password: ${makeBitbucketAppPassword()}\n  access: ${makeAccessToken()}\n`,
      'config/urls.txt': `https://me%40acme.com:${makeCloudToken()}@acme.atlassian.net/rest/api/3/myself\n`,
      'package-lock.json': `{ "integrity": "sha512-${'a'.repeat(86)}==", "token": "${makeCloudToken()}" }\n`,
      'build/out.js': `"${makeCloudToken()}"\n`,
      'debug.log': `${makeCloudToken()}\n`,
      'packages/p/.gitignore': 'generated/\n',
      'packages/p/generated/x.ts': `"${makeCloudToken()}"\n`,
      'packages/p/src/y.ts': `"${makeCloudToken()}"\n`,
      'node_modules/dep/z.js': `"${makeCloudToken()}"\n`,
      'assets/logo.png': Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
        Buffer.from(makeCloudToken()),
      ]),
      'docs/huge.md': `${'x'.repeat(MAX_BYTES)}\n${makeCloudToken()}\n`,
      'minified.js': `${'var a=1;'.repeat(5000)}var t="${makeCloudToken()}";${'var b=2;'.repeat(5000)}`,
      'crlf.txt': `line one\r\nline two\r\nATLASSIAN_TOKEN=${makeCloudToken()}\r\n`,
    };
    for (let i = 0; i < 40; i++)
      files[`many/file${i}.ts`] = i % 7 === 0 ? `export const t${i} = "${makeCloudToken()}";\n` : `export const n${i} = ${i};\n`;
    root = writeTree(tempDir(), files);
  });
  after(removeTempDirs);

  it('collectFindings and `scan --format json` give what the core finds file by file', async () => {
    const expected = expectedFindings(root);
    assert.ok(expected.length >= 12, `the tree has ${expected.length} findings`);
    assert.deepStrictEqual(await collectFindings(root), expected);
    const result = await runCli(['scan', root, '--format', 'json']);
    assert.strictEqual(result.code, 1);
    const fromCli = (JSON.parse(result.stdout) as JsonReport).findings.map(({ file, line, ruleId, fingerprint }) => ({
      file,
      line,
      ruleId,
      fingerprint,
    }));
    assert.deepStrictEqual(fromCli.sort(compareCollected), expected);
  });

  it('the walk rules matter in the comparison: the lock file, ignored and skipped files have tokens', async () => {
    const expected = expectedFindings(root);
    const files = new Set(expected.map((f) => f.file));
    // Left out by .gitignore, skipped folders, the binary test and the size limit; scanned when those are off.
    const skippedByRules = [
      'build/out.js',
      'debug.log',
      'packages/p/generated/x.ts',
      'node_modules/dep/z.js',
      'assets/logo.png',
      'docs/huge.md',
    ];
    for (const file of ['package-lock.json', ...skippedByRules, 'src/c.ts']) assert.ok(!files.has(file), file);
    for (const file of [
      'src/a.ts',
      'src/b.ts',
      'config/.env',
      'config/app.yml',
      'config/urls.txt',
      'packages/p/src/y.ts',
      'minified.js',
      'crlf.txt',
    ])
      assert.ok(files.has(file), file);
    const everything = await collectFindings(root, { gitignore: false, includeNodeModules: true, includeBinary: true, maxFileKB: 4096 });
    const more = new Set(everything.map((f) => f.file));
    for (const file of skippedByRules) assert.ok(more.has(file), file);
  });
});
