// `npm start`: builds, then opens the extension in a VS Code. Desktop `code` when it is on PATH;
// otherwise the local VS Code Server (the same host as the tests) with the extension loaded and a
// sample workspace, printing the URL to open in a browser. Ctrl+C stops it. The server asks for a
// connection token (in the printed URL, never on a command line other users can read), and the sample
// folder is private to the user: on a shared machine no other local user can open that workbench.
const { execFileSync, spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const repo = path.resolve(__dirname, '..');

function sampleWorkspace() {
  // mkdtemp makes the folder 0700 under a name no one else can guess beforehand.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-token-guard-sample-'));
  // Demo tokens are generated now (random, checksum-valid) so the leak guard has something to flag;
  // none is ever committed.
  const { makeCloudToken, makeDataCenterPat } = require(path.join(repo, 'out', 'test', 'support', 'tokens.js'));
  fs.writeFileSync(
    path.join(dir, '.env'),
    [
      '# A leaked Jira Cloud token: the leak guard flags it and offers to move it to secret storage.',
      'JIRA_BASE_URL=https://your-team.atlassian.net',
      'JIRA_EMAIL=you@example.com',
      `JIRA_API_TOKEN=${makeCloudToken()}`,
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(dir, 'sync_issues.py'),
    [
      'import requests',
      '',
      'BASE = "https://jira.example.com/jira"',
      `TOKEN = "${makeDataCenterPat()}"  # a Data Center PAT, hardcoded`,
      '',
      'resp = requests.get(f"{BASE}/rest/api/2/myself", headers={"Authorization": f"Bearer {TOKEN}"})',
      'print(resp.json())',
      '',
    ].join('\n'),
  );
  return dir;
}

/**
 * What the server needs to ask for a connection token: a fresh random token in a file only this user can read
 * (0600, in a 0700 folder), and the arguments that point the server at it. The token never goes on a command
 * line, where `ps` would show it to every local user.
 */
function connectionToken(dataDir) {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
  const token = crypto.randomBytes(24).toString('hex');
  const tokenFile = path.join(dataDir, 'connection-token');
  fs.rmSync(tokenFile, { force: true });
  fs.writeFileSync(tokenFile, token, { mode: 0o600 });
  return { token, tokenFile, serverArgs: ['--connection-token-file', tokenFile] };
}

/** The address to open: the token (`tkn`, which the server turns into a cookie), the folder, the extension. */
function workbenchUrl(port, token, workspace) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(repo)],
    ['skipWelcome', 'true'],
  ];
  return `http://127.0.0.1:${port}/?tkn=${token}&folder=${encodeURIComponent(remote(workspace))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

async function main() {
  execFileSync(process.execPath, ['esbuild.js', '--tests'], { cwd: repo, stdio: 'inherit' });
  const workspace = sampleWorkspace();
  if (process.env.JTG_START_HOST !== 'server' && hasCommand('code')) {
    console.log(`Opening desktop VS Code with the extension loaded (workspace: ${workspace}).`);
    spawn('code', ['--extensionDevelopmentPath', repo, workspace], { stdio: 'inherit', detached: true }).unref();
    return;
  }
  const { ensureServerInstalled } = require('./test-host/server-install');
  const { startServer } = require('./test-host/server');
  const { vscodeDir, nodePath, serverArgs } = ensureServerInstalled();
  const dataDir = path.join(repo, '.vscode-test', 'start-data');
  const { token, serverArgs: tokenArgs } = connectionToken(dataDir);
  const port = Number(process.env.PORT || 0);
  const { server, port: actualPort } = await startServer(vscodeDir, dataDir, process.env, port, [...serverArgs, ...tokenArgs], nodePath);
  console.log('\nJira Token Guard is running in VS Code Server (127.0.0.1 only, behind a connection token). Open this URL in a browser:\n');
  console.log(`  ${workbenchUrl(actualPort, token, workspace)}\n`);
  console.log('Ctrl+C stops the server.');
  const stop = () => {
    server.kill();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function hasCommand(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

module.exports = { sampleWorkspace, connectionToken, workbenchUrl };

if (require.main === module) {
  main().catch((error) => {
    console.error(error.message ?? error);
    process.exit(1);
  });
}
