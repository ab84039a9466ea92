// Runs the integration suite inside a real VS Code: the VS Code Server (from npm code-server) with its
// workbench in headless Debian Chromium, driven by playwright-core. The same scheme VS Code's own repo uses
// for its browser integration tests. Resolves to the exit code the workbench reports.
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const util = require('util');
const { ensureServerInstalled, which, SERVER_HOSTS } = require('./server-install');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function findChromium() {
  return process.env.CHROMIUM_PATH || which('chromium') || which('chromium-browser') || which('google-chrome');
}

/** Starts the server and resolves to { server, port } once it prints its URL. */
function startServer(vscodeDir, dataDir, env, port = 0, extraArgs = [], nodePath = process.execPath) {
  return new Promise((resolve, reject) => {
    const server = spawn(
      nodePath,
      [
        path.join(vscodeDir, 'out', 'server-main.js'),
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        // A caller that gives a token file (npm start) gets a server that asks for it; the tests' servers
        // live for one run in a private folder.
        ...(extraArgs.includes('--connection-token-file') ? [] : ['--without-connection-token']),
        '--accept-server-license-terms',
        '--disable-telemetry',
        ...dataDirArgs(dataDir),
        ...extraArgs,
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const timer = setTimeout(() => reject(new Error(`VS Code Server did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk) => {
      output += chunk;
      const match = /Web UI available at https?:\/\/[^:]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ server, port: Number(match[1]) });
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', (chunk) => {
      output += chunk;
    });
    server.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`VS Code Server exited (${code}):\n${output}`));
    });
  });
}

/** Where the server keeps its data, user settings and extensions: the same for running it and for installing into it. */
function dataDirArgs(dataDir) {
  return ['--server-data-dir', dataDir, '--user-data-dir', path.join(dataDir, 'u'), '--extensions-dir', path.join(dataDir, 'e')];
}

/** Installs packaged extensions (.vsix) into the server's extensions folder, as a user would. */
function installExtensions(vscodeDir, dataDir, vsixFiles, nodePath = process.execPath) {
  for (const vsix of vsixFiles) {
    const result = spawnSync(
      nodePath,
      [
        path.join(vscodeDir, 'out', 'server-main.js'),
        '--install-extension',
        vsix,
        '--force',
        ...dataDirArgs(dataDir),
        '--accept-server-license-terms',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (result.status !== 0 || !/successfully installed/i.test(result.stdout)) {
      throw new Error(`could not install ${path.basename(vsix)}: ${result.stdout}${result.stderr}`);
    }
  }
}

/**
 * @param {{ extensionDevelopmentPath: string, extensionTestsPath: string, workspacePath: string,
 *           openFile?: string, env?: Record<string,string>, timeoutMs?: number, screenshotPath?: string, installExtensions?: string[],
 *           serverArgs?: string[], onPage?: (page: import('playwright-core').Page) => void | Promise<void>,
 *           afterRun?: (dataDir: string) => void,
 *           server?: { id: string, codeServer: string, node?: string } }} options
 * `server`: which VS Code Server (server-install.js SERVER_HOSTS; default: the current one).
 * `openFile`: a file the workbench opens as it starts (the URL payload's `openFile`, as `code <folder> <file>`).
 * `installExtensions`: .vsix files installed before the server starts.
 * `serverArgs`: extra VS Code Server arguments (e.g. `--disable-workspace-trust`). `onPage`: called with the
 * Playwright page before the workbench loads (scripts/screenshots.js drives the UI with it); it must not
 * wait for the suite, which only starts after it returns.
 */
async function runTestsInServer(options) {
  const chromium = findChromium();
  if (!chromium) throw new Error('Chromium is missing: install it with `apt-get install -y chromium` (Debian).');
  const { vscodeDir, nodePath, serverArgs } = ensureServerInstalled(options.server ?? SERVER_HOSTS.current);
  const { chromium: playwright } = require('playwright-core');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-vscode-server-'));
  const env = { ...process.env, ...options.env };
  delete env.ELECTRON_RUN_AS_NODE;
  if (options.installExtensions?.length) installExtensions(vscodeDir, dataDir, options.installExtensions, nodePath);
  const { server, port } = await startServer(vscodeDir, dataDir, env, 0, [...serverArgs, ...(options.serverArgs ?? [])], nodePath);
  const browser = await playwright.launch({ executablePath: chromium, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const exitCode = new Promise((resolve) => {
      page.exposeFunction('codeAutomationExit', (code) => resolve(code));
    });
    // The workbench's own log is noisy (offline marketplace, refused trust dialog): keep it in a file
    // unless JTG_VERBOSE is set; the suite's report is streamed from its own log file.
    const hostLog = fs.createWriteStream(path.join(dataDir, '..', `jtg-host-${port}.log`));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = util.format(...(args ?? []));
      hostLog.write(`[${type}] ${line}\n`);
      if (process.env.JTG_VERBOSE) process.stdout.write(line + '\n');
    });
    if (options.onPage) await options.onPage(page);
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
    const payload = [
      ['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)],
      ['extensionTestsPath', remote(options.extensionTestsPath)],
      ...(options.openFile ? [['openFile', remote(options.openFile)]] : []),
      ['skipWelcome', 'true'],
    ];
    const url =
      `http://127.0.0.1:${port}/?folder=${encodeURIComponent(remote(options.workspacePath))}` +
      `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    // A loaded machine can take longer than Playwright's 30 s to serve the workbench.
    await page.goto(url, { timeout: 180_000 });
    const timeoutMs = options.timeoutMs ?? 15 * 60_000;
    let timer;
    const code = await Promise.race([
      exitCode,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`integration suite did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    // The server's logs, for a runner that reads them (the compatibility matrix checks the extension host's).
    if (options.afterRun) options.afterRun(dataDir);
    return code;
  } finally {
    await browser.close().catch(() => {});
    server.kill();
    if (process.env.JTG_KEEP_HOST_DATA) console.log(`[test-host] host data kept in ${dataDir}`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

module.exports = { runTestsInServer, startServer, installExtensions, dataDirArgs, findChromium, CHROMIUM_ARGS };
