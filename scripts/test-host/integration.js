// Chooses the integration host (VSCODE_TEST_HOST=electron|server; unset: electron, then server) and runs
// the compiled integration suite in it. Resolves to { passed, failed, host }; never reports success
// without the suite having run.
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

module.exports = { runIntegration };
