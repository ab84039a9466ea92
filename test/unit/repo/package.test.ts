// Two artifacts from one package.json, each with its own allow-list: the .vsix holds what the extension
// needs at run time and nothing else (no sources, tests, fixtures, node_modules, CLI); the npm tarball holds
// the command line alone, minified, and installs and runs as npm users install tools.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makeCloudToken } from '../../support/tokens';

const repo = path.resolve(__dirname, '..', '..', '..', '..');

// What the .vsix holds, and its README's links: test/unit/repo/vsix.test.ts.
describe('packaged extension (.vsix): manifest', function () {
  it('lets no workspace weaken the guard in Restricted Mode: every setting a workspace can set is restricted, or only strengthens it', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
    const trust = manifest.capabilities.untrustedWorkspaces;
    // VS Code reads restrictedConfigurations only with supported: 'limited'.
    assert.strictEqual(trust.supported, 'limited');
    const restricted: string[] = trust.restrictedConfigurations;
    const settings: Record<string, { scope?: string }> = manifest.contributes.configuration.properties;
    for (const key of ['jiraTokenGuard.leakDetection', 'jiraTokenGuard.leakSeverity'])
      assert.ok(restricted.includes(key), `${key} is restricted`);
    // Turning it on adds findings: a workspace may.
    const onlyStrengthens = new Set(['jiraTokenGuard.reportUnverifiedTokens']);
    const workspaceSettable = Object.entries(settings)
      .filter(([, s]) => s.scope !== 'application' && s.scope !== 'machine')
      .map(([key]) => key);
    assert.deepStrictEqual(
      workspaceSettable.filter((key) => !restricted.includes(key) && !onlyStrengthens.has(key)),
      [],
      'restrict it, or say why a workspace value cannot weaken the guard',
    );
    for (const key of restricted) assert.ok(settings[key], `${key} is a declared setting`);
  });
});

describe('npm package (npm pack)', function () {
  this.timeout(180_000);
  const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-npm-')));
  let tarball: string;
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('holds the committed bin/cli.js and bin/cli-check.js (minified, no source map) byte for byte, README, LICENSE and package.json only, under 400 KB, and packing builds nothing', () => {
    // No prepack: the package is the file the hooks and the action run from a checkout, not a second build of it.
    const scripts = (JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const hook of ['prepack', 'prepare', 'prepublishOnly', 'postpack'])
      assert.strictEqual(scripts[hook], undefined, `no ${hook} script`);
    const stdout = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: repo, encoding: 'utf8', env: npmEnv(work) });
    const [packed] = JSON.parse(stdout) as Array<{ filename: string; size: number; files: Array<{ path: string }> }>;
    tarball = path.join(work, packed.filename);
    assert.deepStrictEqual(packed.files.map((f) => f.path).sort(), [
      'LICENSE',
      'README.md',
      'bin/cli-check.js',
      'bin/cli.js',
      'package.json',
    ]);
    const size = fs.statSync(tarball).size;
    assert.ok(size < 400 * 1024, `the tarball is ${Math.round(size / 1024)} KB`);
    const unpacked = path.join(work, 'unpacked');
    fs.mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
    for (const file of ['cli.js', 'cli-check.js']) {
      const code = fs.readFileSync(path.join(unpacked, 'package', 'bin', file));
      assert.ok(code.equals(fs.readFileSync(path.join(repo, 'bin', file))), `bin/${file} in the package is the committed file`);
    }
    assert.ok(fs.readFileSync(path.join(repo, 'bin', 'cli.js'), 'utf8').startsWith('#!/usr/bin/env node\n'));
    for (const file of ['cli.js', 'cli-check.js']) {
      const code = fs.readFileSync(path.join(repo, 'bin', file), 'utf8');
      assert.ok(!code.includes('sourceMappingURL'), `${file}: no source map reference`);
      assert.ok(
        Math.max(...code.split('\n').map((line) => line.length)) > 10_000,
        `${file}: minified (the code is on a few very long lines)`,
      );
      assert.ok(!/\n {4}\S/.test(code.replace(/`[^`]*`/g, '')), `${file}: minified (no indented code outside template strings)`);
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { dependencies?: object };
    assert.strictEqual(manifest.dependencies, undefined, 'everything is bundled: installing fetches nothing');
  });

  it('installs globally into a prefix, and runs with npx, as the jira-token-guard command', () => {
    assert.ok(tarball, 'packed by the previous test');
    const prefix = path.join(work, 'prefix');
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', tarball], {
      cwd: work,
      stdio: 'pipe',
      env: npmEnv(work),
    });
    const bin = path.join(prefix, 'bin', 'jira-token-guard');
    const tree = path.join(work, 'tree');
    fs.mkdirSync(tree);
    fs.writeFileSync(path.join(tree, 'clean.js'), 'export const a = 1;\n');
    assert.match(execFileSync(bin, ['scan', tree], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), /^$/);
    const token = makeCloudToken();
    fs.writeFileSync(path.join(tree, 'leak.env'), `JIRA_API_TOKEN=${token}\n`);
    const leak = spawnSync(bin, ['scan', tree, '--format', 'json'], { encoding: 'utf8' });
    assert.strictEqual(leak.status, 1, leak.stderr);
    assert.deepStrictEqual(
      (JSON.parse(leak.stdout) as { findings: Array<{ file: string }> }).findings.map((f) => f.file),
      ['leak.env'],
    );
    assert.ok(!leak.stdout.includes(token));
    // `check` lives in the second file (bin/cli-check.js): it must be installed and found beside the first.
    const check = spawnSync(
      bin,
      ['check', '--url', 'https://acme.atlassian.net', '--email', 'a@acme.com', '--token-env', 'JTG_UNSET_VAR'],
      {
        encoding: 'utf8',
        env: { ...process.env, JTG_UNSET_VAR: '' },
      },
    );
    assert.strictEqual(check.status, 2, check.stderr);
    assert.match(check.stderr, /--token-env is not set or empty/);
    const installed = fs.readdirSync(path.join(prefix, 'lib', 'node_modules', 'jira-token-guard')).sort();
    assert.deepStrictEqual(installed, ['LICENSE', 'README.md', 'bin', 'package.json'], 'no dependencies installed');

    const npx = spawnSync('npm', ['exec', '--yes', `--package=${tarball}`, '--', 'jira-token-guard', 'scan', tree], {
      cwd: work,
      encoding: 'utf8',
      env: npmEnv(work),
    });
    assert.strictEqual(npx.status, 1, npx.stderr);
    assert.match(npx.stdout, /^leak\.env:1:16 atlassian-api-token high /);
  });
});

/** npm with a private cache and no user config, so the test neither reads nor fills the developer's. */
function npmEnv(work: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    npm_config_cache: path.join(work, 'npm-cache'),
    npm_config_userconfig: path.join(work, 'no-npmrc'),
    npm_config_update_notifier: 'false',
  };
}
