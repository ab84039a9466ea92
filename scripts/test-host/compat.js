// The compatibility matrix (`npm run test:compat`, and part of `npm test`): the packaged .vsix on each VS Code
// version where an API the extension uses changed, plus the oldest the manifest claims and the newest, each a
// VS Code Server from npm's code-server. On each: the smoke suite (test/compat/), then the extension host's
// log, which must hold no error of the extension, and say the MCP provider was skipped exactly where the API
// is not final. Prints one line per version.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { SERVER_HOSTS } = require('./server-install');

const repo = path.resolve(__dirname, '..', '..');

/**
 * The versions, and why each is in the matrix. code-server publishes no 1.101 or 1.102 on npm: 1.103 is the
 * first there with the MCP API final (from 1.101), and a version between behaves like it for this extension.
 */
const MATRIX = [
  { host: SERVER_HOSTS.oldest, why: 'the oldest the manifest claims (engines ^1.90.0)' },
  { host: SERVER_HOSTS['v1.99'], why: 'the last without any MCP API' },
  { host: SERVER_HOSTS['v1.100'], why: 'the MCP API is proposed: calling it throws' },
  { host: SERVER_HOSTS['v1.103'], why: 'the first on npm with the MCP API final (final from 1.101)' },
  { host: SERVER_HOSTS['v1.105'], why: 'SecretStorage gains keys() (not used here); Node 22 runs the server' },
  { host: SERVER_HOSTS.current, why: 'the newest (Node 24)' },
];

/** MCP server definition providers are final from 1.101 (src/core/common/vscodeApis.ts). */
function hasFinalMcp(version) {
  const [major, minor] = version.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 101);
}

/** What the extension host's logs say about the extension: errors, and whether MCP was skipped. */
function readHostLogs(dataDir) {
  const lines = [];
  const walk = (dir) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.log') && (/exthost/i.test(full) || /Jira Token Guard/.test(entry.name)))
        lines.push(
          ...fs
            .readFileSync(full, 'utf8')
            .split('\n')
            .map((line) => ({ file: entry.name, line })),
        );
    }
  };
  walk(path.join(dataDir, 'u', 'logs'));
  walk(path.join(dataDir, 'logs'));
  const errors = lines.filter(
    ({ line }) =>
      /\[error\]/i.test(line) &&
      /jira-token-guard|Jira Token Guard|Activating extension 'jira-token-guard/i.test(line) &&
      !/ENOTFOUND .*microsoft\.com/.test(line),
  );
  const ownErrors = lines.filter(({ file, line }) => /Jira Token Guard/.test(file) && /\[error\]/i.test(line));
  const mcpSkipped = lines.filter(({ line }) => /MCP servers: not available here/.test(line));
  return { errors: [...errors, ...ownErrors].map((e) => e.line), mcpSkipped: mcpSkipped.map((e) => e.line), read: lines.length };
}

/** Runs the matrix (VSCODE_TEST_COMPAT=v1.100,current narrows it); resolves to one { version, passed, failed } per host. */
async function runCompatMatrix(vsix) {
  const wanted = process.env.VSCODE_TEST_COMPAT?.split(',').map((s) => s.trim());
  const rows = wanted ? MATRIX.filter((row) => wanted.includes(row.host.id)) : MATRIX;
  const results = [];
  for (const { host, why } of rows) {
    console.log(`[compat] code-server ${host.codeServer} (${why})`);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-compat-'));
    const resultsFile = path.join(work, 'results.json');
    const logFile = path.join(work, 'suite.log');
    const workspacePath = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-compat-ws-'));
    let logs;
    try {
      await require('./server').runTestsInServer({
        extensionDevelopmentPath: path.join(repo, 'test', 'compat', 'extension'),
        extensionTestsPath: path.join(repo, 'out', 'test', 'compat', 'index.js'),
        workspacePath,
        server: host,
        installExtensions: [vsix],
        env: { JTG_TEST_RESULTS: resultsFile, JTG_TEST_LOG: logFile, JTG_TEST_WORKSPACE: workspacePath, JTG_TEST_HOST: 'server' },
        timeoutMs: 5 * 60_000,
        afterRun: (dataDir) => {
          logs = readHostLogs(dataDir);
        },
      });
      if (fs.existsSync(logFile)) process.stdout.write(fs.readFileSync(logFile, 'utf8'));
      if (!fs.existsSync(resultsFile)) throw new Error('the host exited without running the smoke suite');
      const totals = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
      // The log checks count as tests of their own.
      const checks = [];
      if (!logs?.read) checks.push(['the extension host log was found and read', false]);
      else {
        checks.push([
          `no error of the extension in the extension host log${logs.errors.length ? `:\n    ${logs.errors.join('\n    ')}` : ''}`,
          logs.errors.length === 0,
        ]);
        const skipped = logs.mcpSkipped.length;
        const expectSkip = !hasFinalMcp(totals.version);
        checks.push([
          expectSkip
            ? `the MCP provider skipped with one line in the log (${skipped} found)`
            : `the MCP provider registered, not skipped (${skipped} skip lines)`,
          expectSkip ? skipped === 1 : skipped === 0,
        ]);
      }
      for (const [what, ok] of checks) console.log(`    ${ok ? '✔' : '✘'} ${what}`);
      results.push({
        host: host.id,
        version: totals.version,
        passed: totals.passed + checks.filter(([, ok]) => ok).length,
        failed: totals.failed + checks.filter(([, ok]) => !ok).length,
        failedTitles: [...(totals.failedTitles ?? []), ...checks.filter(([, ok]) => !ok).map(([what]) => what.split('\n')[0])],
      });
    } catch (error) {
      console.log(`[compat] ${host.id} could not run: ${error.message ?? error}`);
      results.push({ host: host.id, version: `(code-server ${host.codeServer})`, passed: 0, failed: 1 });
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
      fs.rmSync(workspacePath, { recursive: true, force: true });
    }
  }
  return results;
}

module.exports = { runCompatMatrix, MATRIX };
