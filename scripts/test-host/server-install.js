// Installs the VS Code Server build shipped in the npm package code-server (no download from Microsoft):
// see ../shared/notes/vscode-test-host.md. Cached under .vscode-test/server; about 20 s the first time.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const CODE_SERVER_VERSION = '4.100.3';
const root = path.resolve(__dirname, '..', '..', '.vscode-test', 'server');
const vscodeDir = path.join(root, 'node_modules', 'code-server', 'lib', 'vscode');
const readyMarker = path.join(root, `.ready-${CODE_SERVER_VERSION}`);

function run(cmd, args, cwd) {
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } });
}

function which(cmd) {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Returns the path of the VS Code Server folder (lib/vscode), installing it on first use. */
function ensureServerInstalled() {
  if (fs.existsSync(readyMarker)) return vscodeDir;
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ private: true, name: 'vscode-test-server' }));
  console.log(`[test-host] installing VS Code Server from npm code-server@${CODE_SERVER_VERSION} (cached in .vscode-test/server)`);
  run('npm', ['install', '--ignore-scripts', '--no-save', `code-server@${CODE_SERVER_VERSION}`], root);
  run('npm', ['install', '--omit=dev', '--ignore-scripts'], vscodeDir);
  run('npm', ['rebuild', '@vscode/spdlog', 'native-watchdog'], vscodeDir);
  fs.rmSync(path.join(vscodeDir, 'node_modules.asar'), { force: true });
  fs.symlinkSync('node_modules', path.join(vscodeDir, 'node_modules.asar'));
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep (rg) is missing: install it with `apt-get install -y ripgrep`.');
  const rgTarget = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
  fs.mkdirSync(path.dirname(rgTarget), { recursive: true });
  fs.rmSync(rgTarget, { force: true });
  fs.symlinkSync(rg, rgTarget);
  fs.writeFileSync(readyMarker, new Date().toISOString());
  return vscodeDir;
}

module.exports = { ensureServerInstalled, which, CODE_SERVER_VERSION };

if (require.main === module) {
  console.log(ensureServerInstalled());
}
