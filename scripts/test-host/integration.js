// Chooses the integration host (VSCODE_TEST_HOST=electron|server; unset: electron, then server) and runs
// the compiled integration suite in it. Resolves to { passed, failed, host }; never reports success
// without the suite having run.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const repo = path.resolve(__dirname, '..', '..');

function prepareWorkspace() {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-workspace-'));
  const fixture = path.join(repo, 'test', 'fixtures', 'workspace');
  if (fs.existsSync(fixture)) fs.cpSync(fixture, ws, { recursive: true });
  return ws;
}

/** Streams the suite's own log (written by test/integration/index.ts) while the host runs. */
function followLog(file) {
  let offset = 0;
  const flush = () => {
    if (!fs.existsSync(file)) return;
    const text = fs.readFileSync(file, 'utf8');
    if (text.length > offset) process.stdout.write(text.slice(offset));
    offset = text.length;
  };
  const timer = setInterval(flush, 300);
  return () => { clearInterval(timer); flush(); };
}

async function runInHost(host, options) {
  if (host === 'electron') return require('./electron').runTestsInElectron(options);
  if (host === 'server') return require('./server').runTestsInServer(options);
  throw new Error(`unknown VSCODE_TEST_HOST "${host}" (use electron or server)`);
}

async function runIntegration() {
  const requested = process.env.VSCODE_TEST_HOST;
  const hosts = requested ? [requested] : ['electron', 'server'];
  const failures = [];
  for (const host of hosts) {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-results-'));
    const resultsFile = path.join(work, 'results.json');
    const logFile = path.join(work, 'suite.log');
    const workspacePath = prepareWorkspace();
    const options = {
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(repo, 'out', 'test', 'integration', 'index.js'),
      workspacePath,
      env: { JTG_TEST_RESULTS: resultsFile, JTG_TEST_LOG: logFile, JTG_TEST_WORKSPACE: workspacePath, JTG_TEST_HOST: host },
    };
    console.log(`[integration] host: ${host}`);
    const stopFollowing = followLog(logFile);
    try {
      const exitCode = await runInHost(host, options);
      stopFollowing();
      if (!fs.existsSync(resultsFile)) throw new Error(`the ${host} host exited (${exitCode}) without running the suite`);
      const totals = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
      return { ...totals, host };
    } catch (error) {
      stopFollowing();
      if (fs.existsSync(resultsFile)) {
        return { ...JSON.parse(fs.readFileSync(resultsFile, 'utf8')), host };
      }
      failures.push(`${host}: ${error.message ?? error}`);
      if (hosts.length > 1) console.log(`[integration] ${host} host unavailable: ${String(error.message ?? error).split('\n')[0]}`);
    } finally {
      fs.rmSync(workspacePath, { recursive: true, force: true });
    }
  }
  throw new Error(`no VS Code host could run the integration suite:\n  ${failures.join('\n  ')}`);
}

/** Builds the .vsix with the repo's package script (npm run package) and copies it to `dir`. */
function packageExtension(dir) {
  const result = spawnSync('npm', ['run', 'package', '--silent'], { cwd: repo, encoding: 'utf8' });
  const built = path.join(repo, 'jira-token-guard.vsix');
  if (result.status !== 0 || !fs.existsSync(built)) throw new Error(`npm run package failed:\n${result.stdout}${result.stderr}`);
  const vsix = path.join(dir, 'jira-token-guard.vsix');
  fs.copyFileSync(built, vsix);
  return vsix;
}

/**
 * The boundary as another extension meets it: the packaged .vsix installed into VS Code Server (Production
 * mode) and test/hostile-extension as the extension under development, whose suite plays the other extension.
 * Always in the server host: there the runner can install a .vsix. A workbench under test refuses to show
 * dialogs, so every question the extension asks is answered No, as by a user who declines.
 */
async function runHostileSuite() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-hostile-'));
  const resultsFile = path.join(work, 'results.json');
  const logFile = path.join(work, 'suite.log');
  const workspacePath = prepareWorkspace();
  const stopFollowing = followLog(logFile);
  try {
    const vsix = packageExtension(work);
    const exitCode = await require('./server').runTestsInServer({
      extensionDevelopmentPath: path.join(repo, 'test', 'hostile-extension'),
      extensionTestsPath: path.join(repo, 'out', 'test', 'hostile-extension', 'index.js'),
      workspacePath,
      installExtensions: [vsix],
      env: { JTG_TEST_RESULTS: resultsFile, JTG_TEST_LOG: logFile, JTG_TEST_WORKSPACE: workspacePath, JTG_TEST_HOST: 'server' },
      timeoutMs: 5 * 60_000,
    });
    stopFollowing();
    if (!fs.existsSync(resultsFile)) throw new Error(`the host exited (${exitCode}) without running the hostile-extension suite`);
    return JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } finally {
    stopFollowing();
    fs.rmSync(workspacePath, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
}

module.exports = { runIntegration, runHostileSuite };
