// Chooses the integration hosts and runs the compiled integration suite in each. VSCODE_TEST_HOST=electron|server
// picks the kind (unset: desktop VS Code if it can start, else the servers); VSCODE_TEST_SERVER=oldest|current
// picks server versions (unset: both). Each host runs a list of passes over the same test files (the main one in
// Restricted Mode, then the tests tagged [trusted] in a trusted folder); more passes per host go in passesFor().
// Resolves to one { host, version, passed, failed } per host; never reports success without the suite having run.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { requestedServerHosts } = require('./server-install');

const repo = path.resolve(__dirname, '..', '..');
/** Tests whose title holds this tag need a trusted workspace: they run only in the trusted pass. */
const TRUSTED_TAG = '[trusted]';

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
  return () => {
    clearInterval(timer);
    flush();
  };
}

/**
 * A `.env` holding a generated token (never a committed one), for the pass whose workbench starts with it open:
 * the first minute of a user who reopens a project. Returns the file to open.
 */
function leakyEnvFile(workspacePath) {
  const { makeCloudToken } = require(path.join(repo, 'out', 'test', 'support', 'tokens.js'));
  const file = path.join(workspacePath, '.env');
  fs.writeFileSync(file, `JIRA_BASE_URL=https://acme.atlassian.net\nJIRA_API_TOKEN=${makeCloudToken()}\n`);
  return file;
}

/**
 * The passes of the suite one host runs. `suite`: the folder of out/test whose index.js the host runs;
 * `openAtStart`: writes a file into the workspace and returns it, for the workbench to have open when it starts.
 */
function passesFor(kind) {
  const main = { name: 'main', env: { JTG_TEST_TRUST: 'restricted' }, serverArgs: [] };
  // Its own host: the first code-action request of a window must be the test's (test/integration/atStart).
  const atStart = {
    name: 'at start',
    env: { JTG_TEST_TRUST: kind === 'electron' ? 'any' : 'restricted' },
    serverArgs: [],
    suite: path.join('integration', 'atStart'),
    openAtStart: leakyEnvFile,
  };
  // Desktop runs trust the folder (--disable-workspace-trust): one pass runs everything else.
  if (kind === 'electron') return [{ ...main, env: { JTG_TEST_TRUST: 'any' } }, atStart];
  return [main, { name: 'trusted', env: { JTG_TEST_TRUST: 'trusted' }, serverArgs: ['--disable-workspace-trust'] }, atStart];
}

/** Runs one pass; resolves to the suite's totals { passed, failed, version }. */
async function runPass(kind, server, pass) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-results-'));
  const resultsFile = path.join(work, 'results.json');
  const logFile = path.join(work, 'suite.log');
  const workspacePath = prepareWorkspace();
  const openFile = pass.openAtStart?.(workspacePath);
  const options = {
    extensionDevelopmentPath: repo,
    extensionTestsPath: path.join(repo, 'out', 'test', pass.suite ?? 'integration', 'index.js'),
    workspacePath,
    openFile,
    server,
    serverArgs: pass.serverArgs,
    env: {
      JTG_TEST_RESULTS: resultsFile,
      JTG_TEST_LOG: logFile,
      JTG_TEST_WORKSPACE: workspacePath,
      JTG_TEST_HOST: kind,
      JTG_TEST_TRUSTED_TAG: TRUSTED_TAG,
      ...(openFile ? { JTG_TEST_OPEN_AT_START: openFile } : {}),
      ...pass.env,
    },
  };
  const stopFollowing = followLog(logFile);
  try {
    const exitCode =
      kind === 'electron' ? await require('./electron').runTestsInElectron(options) : await require('./server').runTestsInServer(options);
    stopFollowing();
    if (!fs.existsSync(resultsFile)) throw new Error(`the ${kind} host exited (${exitCode}) without running the suite`);
    return JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } catch (error) {
    stopFollowing();
    if (fs.existsSync(resultsFile)) return JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    throw error;
  } finally {
    fs.rmSync(workspacePath, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Runs every pass on one host and adds them up. */
async function runHost(kind, server) {
  const label = server ? `server ${server.id} (code-server ${server.codeServer})` : kind;
  const total = { host: label, version: undefined, passed: 0, failed: 0, failedTitles: [] };
  for (const pass of passesFor(kind)) {
    console.log(`[integration] host: ${label}, pass: ${pass.name}`);
    const result = await runPass(kind, server, pass);
    total.version = result.version ?? total.version;
    total.passed += result.passed;
    total.failed += result.failed;
    total.failedTitles.push(...(result.failedTitles ?? []).map((title) => `pass ${pass.name}: ${title}`));
    // A pass that selected nothing ran nothing: a broken harness, not a success (unless a grep narrowed it).
    if (result.passed + result.failed === 0 && !process.env.JTG_INTEGRATION_GREP) total.failed += 1;
  }
  return total;
}

async function runIntegration() {
  const requested = process.env.VSCODE_TEST_HOST;
  if (requested && requested !== 'electron' && requested !== 'server') {
    throw new Error(`unknown VSCODE_TEST_HOST "${requested}" (use electron or server)`);
  }
  if (requested !== 'server') {
    try {
      return [await runHost('electron')];
    } catch (error) {
      if (requested === 'electron') throw error;
      console.log(`[integration] electron host unavailable: ${String(error.message ?? error).split('\n')[0]}`);
    }
  }
  const results = [];
  for (const server of requestedServerHosts()) {
    try {
      results.push(await runHost('server', server));
    } catch (error) {
      console.log(`[integration] server ${server.id} could not run the suite: ${error.message ?? error}`);
      results.push({ host: `server ${server.id}`, version: `server ${server.id}`, passed: 0, failed: 1 });
    }
  }
  return results;
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

/**
 * Consent clicked for real (scripts/test-host/consent.js) on each requested server: the oldest and the
 * current VS Code the manifest claims. Resolves to one { host, version, passed, failed } per server.
 */
async function runConsentSuites() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-consent-package-'));
  const { runConsentSuite } = require('./consent');
  try {
    const vsix = packageExtension(work);
    const results = [];
    for (const server of requestedServerHosts()) {
      try {
        const totals = await runConsentSuite(server, vsix);
        results.push({ host: `server ${server.id}`, ...totals });
      } catch (error) {
        console.log(`[consent] server ${server.id} could not run the suite: ${error.message ?? error}`);
        results.push({ host: `server ${server.id}`, version: `server ${server.id}`, passed: 0, failed: 1 });
      }
    }
    return results;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The compatibility matrix (scripts/test-host/compat.js) against the packaged .vsix. */
async function runCompat() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-compat-package-'));
  try {
    return await require('./compat').runCompatMatrix(packageExtension(work));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

module.exports = { runIntegration, runHostileSuite, runConsentSuites, runCompat, TRUSTED_TAG };
