// `.jira-token-guard.json` on the command line: each key, an unknown one, exclusions and rules switched off
// removing exactly their findings, --config and --no-config, and a file that is not a regular file.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { fingerprintOf } from '../../../src/core/tokens/tokenShapes';
import { makeCloudToken, makeDataCenterPat } from '../../support/tokens';
import { type JsonReport, assertNoSecret, ensureCliBuilt, git, removeTempDirs, runCli, tempDir, writeTree } from './cliTestSupport';

describe('CLI scan with .jira-token-guard.json', function () {
  this.timeout(30_000);
  before(ensureCliBuilt);
  after(removeTempDirs);

  const t = {
    app: makeCloudToken(),
    fixture: makeCloudToken(),
    pat: makeDataCenterPat(),
    ignored: makeCloudToken(),
    bad: makeCloudToken({ validCrc: false }),
  };
  const tree = (config: string) =>
    writeTree(tempDir(), {
      '.jira-token-guard.json': config,
      'src/app.js': `const t = "${t.app}";\n`,
      'test/fixtures/leak.js': `const t = "${t.fixture}";\n`,
      'docs/dc.md': `JIRA_PAT=${t.pat}\n`,
      'src/commented.js': `const t = "${t.ignored}"; // jira-token-guard:ignore\n`,
      'src/placeholder.js': `const x = "${t.bad}";\n`,
      'big.txt': `${'x'.repeat(3000)}\n${makeCloudToken()}\n`,
    });
  const scan = async (root: string, ...args: string[]) => {
    const result = await runCli(['scan', root, '--format', 'json', ...args]);
    assertNoSecret([result.stdout, result.stderr], Object.values(t));
    return { ...result, files: result.code === 2 ? [] : (JSON.parse(result.stdout) as JsonReport).findings.map((f) => f.file).sort() };
  };
  const everything = ['big.txt', 'docs/dc.md', 'src/app.js', 'test/fixtures/leak.js'];

  it('an empty object (with comments) changes nothing', async () => {
    const result = await scan(tree('// nothing yet\n{ }\n'));
    assert.strictEqual(result.code, 1, result.stderr);
    assert.deepStrictEqual(result.files, everything);
  });

  it('"exclude" and a rule "off" remove exactly their findings', async () => {
    const excluded = await scan(tree('{ "exclude": ["test/fixtures/**"], }'));
    assert.deepStrictEqual(
      excluded.files,
      everything.filter((f) => f !== 'test/fixtures/leak.js'),
    );
    const ruleOff = await scan(tree('{ "rules": { "jira-dc-pat": "off", "atlassian-api-token": "on" } }'));
    assert.deepStrictEqual(
      ruleOff.files,
      everything.filter((f) => f !== 'docs/dc.md'),
    );
    const clean = await scan(tree('{ "exclude": ["**"] }'));
    assert.strictEqual(clean.code, 0);
  });

  it('"inlineIgnores", "reportUnverified" and "maxFileSize" act as their options, and the options win', async () => {
    const strict = await scan(tree('{ "inlineIgnores": false, "reportUnverified": true, "maxFileSize": "2KB" }'));
    assert.deepStrictEqual(strict.files, ['docs/dc.md', 'src/app.js', 'src/commented.js', 'src/placeholder.js', 'test/fixtures/leak.js']);
    const option = await scan(tree('{ "maxFileSize": "2KB" }'), '--max-file-size', '8k');
    assert.deepStrictEqual(option.files, everything);
    const number = await scan(tree('{ "maxFileSize": 2 }'));
    assert.ok(!number.files.includes('big.txt'), 'a number is KB, as --max-file-size');
  });

  it('an unknown key, an unknown rule or a wrong value is an error naming the key, never a value', async () => {
    for (const [config, message] of [
      ['{ "exclude": [], "excludes": ["x"] }', /unknown key "excludes" in \.jira-token-guard\.json \(known keys: exclude, rules,/],
      ['{ "rules": { "no-such-rule": "off" } }', /unknown rule "no-such-rule"/],
      ['{ "rules": { "jira-dc-pat": false } }', /rule "jira-dc-pat" in \.jira-token-guard\.json must be "off" or "on"/],
      ['{ "maxFileSize": "huge" }', /"maxFileSize" in \.jira-token-guard\.json must be a size/],
      ['{ "verifyHosts": ["ftp://x"] }', /"verifyHosts" .* must list http\(s\) URLs/],
      ['{ "inlineIgnores": "no" }', /"inlineIgnores" .* must be true or false/],
      ['[1]', /must hold an object/],
      ['{ "exclude": [', /is not valid JSON/],
      [`{ "${t.app}": 1 }`, /unknown key \(a key shaped like a token, not repeated\)/],
    ] as const) {
      const result = await scan(tree(config));
      assert.strictEqual(result.code, 2, config);
      assert.match(result.stderr, message);
      assert.strictEqual(result.stderr.split('\n').length, 2, 'one line');
    }
  });

  it('--config FILE instead of the root file, --no-config for none; a link in its place is refused', async () => {
    const root = tree('{ "exclude": ["**"] }');
    assert.strictEqual((await scan(root)).code, 0);
    assert.deepStrictEqual((await scan(root, '--no-config')).files, everything);
    const other = path.join(tempDir(), 'ci.json');
    fs.writeFileSync(other, '{ "rules": { "jira-dc-pat": "off" } }');
    assert.deepStrictEqual(
      (await scan(root, '--config', other)).files,
      everything.filter((f) => f !== 'docs/dc.md'),
    );
    assert.strictEqual((await scan(root, '--config', path.join(root, 'missing.json'))).code, 2);
    fs.rmSync(path.join(root, '.jira-token-guard.json'));
    fs.symlinkSync(other, path.join(root, '.jira-token-guard.json'));
    const linked = await scan(root);
    assert.strictEqual(linked.code, 2);
    assert.match(linked.stderr, /\.jira-token-guard\.json in the scanned folder is not a regular file/);
  });

  it('applies to --history (the top folder file; an excluded path is dropped, another place of the same secret kept) and to standard input', async () => {
    const repo = tempDir();
    git(repo, 'init', '-q');
    writeTree(repo, { '.jira-token-guard.json': '{ "exclude": ["fixtures/**"] }', 'fixtures/a.js': `"${t.app}"\n` });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'fixture');
    const first = await runCli(['scan', '--history', '--format', 'json'], { cwd: repo });
    assert.strictEqual(first.code, 0, first.stdout + first.stderr);
    writeTree(repo, { 'src/b.js': `"${t.app}"\n` });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'copied');
    const second = await runCli(['scan', '--history', '--format', 'json'], { cwd: repo });
    assert.strictEqual(second.code, 1);
    const findings = (JSON.parse(second.stdout) as JsonReport).findings;
    assert.deepStrictEqual(
      findings.map((f) => [f.file, f.fingerprint]),
      [['src/b.js', fingerprintOf(t.app)]],
    );
    const stdin = await runCli(['scan', '-', '--stdin-name', 'fixtures/x.env'], { cwd: repo, input: `${t.pat}\n` });
    assert.strictEqual(stdin.code, 0, stdin.stdout);
  });
});
