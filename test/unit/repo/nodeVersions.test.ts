// Which Node runs what (CONTRIBUTING.md, "Node versions"). Development: package.json's devEngines, which npm ci
// enforces, and which every package of package-lock.json accepts (so npm ci prints no engine warning on it).
// The command line: engines.node, the lowest Node on which the committed bin/cli.js is run here.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeCloudToken } from '../../support/tokens';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const semver = require('semver') as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
};

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devEngines: { runtime: { name: string; version: string; onFail: string } };
  dependencies?: object;
};
const lock = JSON.parse(fs.readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

/** The lowest version of each `||` branch of a range: "^20.19.0 || >=22.13.0" gives 20.19.0 and 22.13.0. */
function floors(range: string): string[] {
  return range.split('||').map((branch) => {
    const floor = semver.minVersion(branch.trim());
    assert.ok(floor, `"${branch}" has a lowest version`);
    return floor.version;
  });
}

describe('Node versions', function () {
  this.timeout(300_000);

  it('npm ci on the development minimum (devEngines) meets every engines.node of package-lock.json, and npm enforces it', () => {
    const runtime = manifest.devEngines.runtime;
    assert.strictEqual(runtime.name, 'node');
    assert.strictEqual(runtime.onFail, 'error', 'npm ci stops on an older Node instead of failing later');
    assert.ok(semver.satisfies(process.version, runtime.version), `this Node (${process.version}) is one development supports`);
    const problems: string[] = [];
    for (const [where, entry] of Object.entries(lock.packages)) {
      const range = where && !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      if (!range) continue;
      for (const floor of floors(runtime.version))
        if (!semver.satisfies(floor, range))
          problems.push(`${where.replace(/^.*node_modules\//, '')}@${entry.version} wants node ${range}, not ${floor}`);
    }
    assert.deepStrictEqual(
      problems,
      [],
      'raise devEngines.runtime.version (and CONTRIBUTING.md), or pick a version of the package that accepts it',
    );
  });

  it("the command line installs no dependency, and the development minimum is at least the command line's", () => {
    assert.strictEqual(manifest.dependencies, undefined);
    const cliFloor = floors(manifest.engines.node)[0];
    for (const floor of floors(manifest.devEngines.runtime.version))
      assert.ok(semver.satisfies(floor, manifest.engines.node), `development on Node ${floor} also runs the command line (>= ${cliFloor})`);
  });

  it('bin/cli.js runs on the lowest Node of engines.node (from npm, cached in .vscode-test/): --version, a scan that finds a token, check', () => {
    const version = floors(manifest.engines.node)[0];
    const node = nodeFromNpm(version);
    assert.strictEqual(execFileSync(node, ['--version'], { encoding: 'utf8' }).trim(), `v${version}`);
    const cli = path.join(REPO, 'bin', 'cli.js');
    const pkgVersion = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
    assert.strictEqual(execFileSync(node, [cli, '--version'], { encoding: 'utf8' }).trim(), pkgVersion);

    const token = makeCloudToken();
    const scan = spawnSync(node, [cli, 'scan', '-', '--stdin-name', '.env', '--format', 'json'], {
      input: `JIRA_API_TOKEN=${token}\n`,
      encoding: 'utf8',
    });
    assert.strictEqual(scan.status, 1, scan.stderr);
    assert.deepStrictEqual(
      (JSON.parse(scan.stdout) as { findings: Array<{ ruleId: string }> }).findings.map((f) => f.ruleId),
      ['atlassian-api-token'],
    );
    assert.ok(!scan.stdout.includes(token));

    // check lives in bin/cli-check.js, loaded on use; a usage error stops it before any request.
    const check = spawnSync(
      node,
      [cli, 'check', '--url', 'https://acme.atlassian.net', '--email', 'a@acme.com', '--token-env', 'JTG_UNSET'],
      {
        encoding: 'utf8',
        env: { ...process.env, JTG_UNSET: '' },
      },
    );
    assert.strictEqual(check.status, 2, check.stderr);
    assert.match(check.stderr, /--token-env is not set or empty/);
  });
});

/** Node `version` for this platform from npm's node-<platform>-<arch> package (as the test hosts get theirs), installed once. */
function nodeFromNpm(version: string): string {
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  const pkg = `node-${platform}-${process.arch}`;
  const dir = path.join(REPO, '.vscode-test', `node-${version}`);
  const binary = path.join(dir, 'node_modules', pkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (!fs.existsSync(binary)) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync(
      'npm',
      ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--prefix', dir, `${pkg}@${version}`],
      {
        cwd: dir,
        stdio: 'pipe',
      },
    );
  }
  assert.ok(fs.existsSync(binary), `${pkg}@${version} installed in ${path.relative(REPO, dir)}`);
  return binary;
}
