// Consent, clicked for real: the packaged .vsix and a second extension (test/consent/extension, also
// packaged) installed into VS Code Server, in a workbench that is NOT in Test mode (no test payload, no
// smoke-test driver), so VS Code shows its real modal dialogs. The second extension runs the suite in
// out/test/consent/ (it plays another extension, and a user through the dialogs); before each command that
// should ask, it tells this runner which button to press, and the runner clicks it in Chromium. A dialog
// nobody expected is answered Cancel and reported. Resolves to { version, passed, failed }.
const { spawnSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { startServer, installExtensions, findChromium, CHROMIUM_ARGS } = require('./server');
const { ensureServerInstalled } = require('./server-install');

const repo = path.resolve(__dirname, '..', '..');

/** The driver extension as a .vsix: its manifest and loader; the suite itself stays in out/. */
function packageDriver(dir) {
  const source = path.join(repo, 'test', 'consent', 'extension');
  const work = path.join(dir, 'driver');
  fs.cpSync(source, work, { recursive: true });
  const vsix = path.join(dir, 'consent-driver.vsix');
  const result = spawnSync(
    path.join(repo, 'node_modules', '.bin', 'vsce'),
    ['package', '--allow-missing-repository', '--skip-license', '--out', vsix],
    { cwd: work, encoding: 'utf8' },
  );
  if (result.status !== 0 || !fs.existsSync(vsix))
    throw new Error(`could not package the consent driver:\n${result.stdout}${result.stderr}`);
  return vsix;
}

/** The runner's side of the conversation: expectations in, dialogs seen out. */
function startControl() {
  const expectations = [];
  const dialogs = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && req.url === '/expect') {
        expectations.push(JSON.parse(body));
        return res.end('{}');
      }
      if (req.method === 'GET' && req.url === '/dialogs') return res.end(JSON.stringify(dialogs));
      if (req.method === 'POST' && req.url === '/reset') {
        expectations.length = 0;
        return res.end(JSON.stringify(dialogs.splice(0)));
      }
      res.statusCode = 404;
      res.end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}`, expectations, dialogs })),
  );
}

/** Answers every modal dialog the workbench shows, as the suite asked (Cancel when it did not). */
function clickDialogs(page, control, log) {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const box = await page.$('.monaco-dialog-box').catch(() => null);
      if (box) {
        const message = (await box.$eval('.dialog-message-text', (e) => e.textContent).catch(() => '')) ?? '';
        const detail = (await box.$eval('.dialog-message-detail', (e) => e.textContent).catch(() => '')) ?? '';
        const buttons = await box.$$eval('.dialog-buttons .monaco-button', (all) => all.map((b) => b.textContent?.trim() ?? ''));
        const at = control.expectations.findIndex((e) => new RegExp(e.pattern, e.flags).test(`${message}\n${detail}`));
        const expectation = at >= 0 ? control.expectations.splice(at, 1)[0] : undefined;
        const button = expectation?.button ?? 'Cancel';
        control.dialogs.push({ message, detail, buttons, clicked: button, expected: !!expectation });
        log(`[consent] dialog: ${message.slice(0, 160)} -> ${button}${expectation ? '' : ' (not expected)'}`);
        const target = await box.$(`.dialog-buttons .monaco-button:text-is("${button.replace(/"/g, '\\"')}")`);
        if (target) await target.click().catch(() => undefined);
        else await page.keyboard.press('Escape').catch(() => undefined);
        // Wait until no dialog shows: one that is closing must not be answered twice.
        for (let waited = 0; waited < 10_000 && (await page.$('.monaco-dialog-box').catch(() => null)); waited += 50) {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

/**
 * @param {{ id: string, codeServer: string }} host  which VS Code Server (server-install.js SERVER_HOSTS)
 * @param {string} jtgVsix  the packaged extension
 */
async function runConsentSuite(host, jtgVsix) {
  const chromium = findChromium();
  if (!chromium) throw new Error('Chromium is missing: install it with `apt-get install -y chromium` (Debian).');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-consent-'));
  const resultsFile = path.join(work, 'results.json');
  const logFile = path.join(work, 'suite.log');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-consent-ws-'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-consent-server-'));
  const control = await startControl();
  let server;
  let browser;
  let stopClicking = async () => {};
  let offset = 0;
  const flush = () => {
    if (!fs.existsSync(logFile)) return;
    const text = fs.readFileSync(logFile, 'utf8');
    if (text.length > offset) process.stdout.write(text.slice(offset));
    offset = text.length;
  };
  const follow = setInterval(flush, 300);
  try {
    const { vscodeDir, nodePath } = ensureServerInstalled(host);
    // Outside Test mode the extension host sends telemetry, which fails offline with uncaught errors: off.
    const machineSettings = path.join(dataDir, 'data', 'Machine', 'settings.json');
    fs.mkdirSync(path.dirname(machineSettings), { recursive: true });
    fs.writeFileSync(machineSettings, JSON.stringify({ 'telemetry.telemetryLevel': 'off' }));
    installExtensions(vscodeDir, dataDir, [jtgVsix, packageDriver(work)], nodePath);
    const env = {
      ...process.env,
      JTG_CONSENT_CONTROL: control.url,
      JTG_CONSENT_SUITE: path.join(repo, 'out', 'test', 'consent', 'index.js'),
      JTG_TEST_RESULTS: resultsFile,
      JTG_TEST_LOG: logFile,
      JTG_TEST_WORKSPACE: workspace,
      JTG_TEST_TRUST: 'any',
    };
    delete env.ELECTRON_RUN_AS_NODE;
    // A trusted folder (launch configurations need one); no payload and no smoke-test driver: real dialogs.
    const started = await startServer(vscodeDir, dataDir, env, 0, ['--disable-workspace-trust'], nodePath);
    server = started.server;
    const port = started.port;
    const { chromium: playwright } = require('playwright-core');
    browser = await playwright.launch({ executablePath: chromium, headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const hostLog = fs.createWriteStream(path.join(work, 'workbench.log'));
    page.on('console', (m) => hostLog.write(`[${m.type()}] ${m.text()}\n`));
    stopClicking = clickDialogs(page, control, (line) => fs.appendFileSync(logFile, line + '\n'));
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(`vscode-remote://127.0.0.1:${port}${workspace}`)}`);
    const deadline = Date.now() + Number(process.env.JTG_CONSENT_TIMEOUT_MS ?? 10 * 60_000);
    while (!fs.existsSync(resultsFile)) {
      if (Date.now() > deadline) throw new Error('the consent suite did not finish within 10 minutes');
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 500)); // the reporter's last lines
    flush();
    const totals = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    const unexpected = control.dialogs.filter((d) => !d.expected);
    if (unexpected.length) {
      console.log(`[consent] ${unexpected.length} dialog(s) nobody expected, answered Cancel:`);
      for (const d of unexpected) console.log(`  ${d.message}`);
      totals.failed += unexpected.length;
      totals.failedTitles = [...(totals.failedTitles ?? []), ...unexpected.map((d) => `a dialog nobody expected: ${d.message}`)];
    }
    return totals;
  } finally {
    clearInterval(follow);
    flush();
    await stopClicking();
    await browser?.close().catch(() => {});
    server?.kill();
    control.server.close();
    if (process.env.JTG_KEEP_HOST_DATA) console.log(`[consent] host data kept in ${dataDir} and ${work}`);
    else for (const dir of [work, workspace, dataDir]) fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { runConsentSuite };
