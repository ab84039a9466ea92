// `npm run measure:first-flag`: how long after the workbench starts a file that is open at start is flagged,
// measured in the real host (VS Code Server + headless Chromium, as the tests run it) for each activation
// event to compare. Per run: a fresh server data folder, a workspace whose `.env` holds a generated token and
// is open at start (the workbench URL's `openFile`), and a copy of the built extension whose manifest names
// the activation events under test. Prints, per variant, the median over the runs of the time from the
// workbench's start (`code/didStartWorkbench`) and from the extension host's ready (`code/didHandleExtensionPoints`,
// VS Code's mark for "extensions registered") to the first squiggle in the editor. Not a test: a measurement
// that CONTRIBUTING's "Activation" paragraph quotes. JTG_FIRST_FLAG_RUNS (default 5), VSCODE_TEST_SERVER,
// JTG_FIRST_FLAG_VARIANTS ("a|b;c", each a `|`-separated list of activation events) and JTG_FIRST_FLAG_LOAD
// (busy processes beside the workbench, to play a loaded machine) change what is measured. The extension host's
// own log gives when the extension was activated, and when the host had activated its eager extensions.
/* global window, document, MutationObserver, performance -- the functions given to page.evaluate run in the workbench page */
const { fork } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ensureServerInstalled, requestedServerHosts } = require('./test-host/server-install');
const { startServer, findChromium, CHROMIUM_ARGS } = require('./test-host/server');

const repo = path.resolve(__dirname, '..');
const TIMEOUT_MS = 120_000;
const DEFAULT_VARIANTS = [
  ['onStartupFinished'],
  ['*'],
  ['workspaceContains:**/.env', 'onStartupFinished'],
  ['onLanguage', 'onStartupFinished'],
];

function variants() {
  const listed = process.env.JTG_FIRST_FLAG_VARIANTS;
  return listed ? listed.split(';').map((v) => v.split('|')) : DEFAULT_VARIANTS;
}

/** The built extension under another manifest: package.json rewritten, the rest linked. */
function extensionWith(events, dir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  manifest.activationEvents = events;
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
  for (const entry of ['dist', 'media', 'README.md', 'LICENSE']) fs.symlinkSync(path.join(repo, entry), path.join(dir, entry));
  return dir;
}

function workspace(dir) {
  const { makeCloudToken } = require(path.join(repo, 'out', 'test', 'support', 'tokens.js'));
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, '.env'), `JIRA_BASE_URL=https://example.atlassian.net\nJIRA_API_TOKEN=${makeCloudToken()}\n`);
  fs.writeFileSync(path.join(dir, 'README.md'), '# sample\n');
  return path.join(dir, '.env');
}

/** Records, in the page, when the first squiggle appears (performance.now(), the marks' clock). */
function watchForSquiggle() {
  window.__jtgFirstSquiggle = undefined;
  const seen = () => document.querySelector('.squiggly-warning, .squiggly-error, .squiggly-info');
  new MutationObserver((_, observer) => {
    if (window.__jtgFirstSquiggle === undefined && seen()) {
      window.__jtgFirstSquiggle = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] });
}

async function measureOnce(browser, host, events) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-first-flag-'));
  const { vscodeDir, nodePath, serverArgs } = ensureServerInstalled(host);
  const extension = extensionWith(events, path.join(work, 'extension'));
  const envFile = workspace(path.join(work, 'workspace'));
  const dataDir = path.join(work, 'data');
  fs.mkdirSync(dataDir);
  const { server, port } = await startServer(vscodeDir, dataDir, process.env, 0, serverArgs, nodePath);
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(watchForSquiggle);
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extension)],
      ['openFile', remote(envFile)],
      ['skipWelcome', 'true'],
    ];
    await page.goto(
      `http://127.0.0.1:${port}/?folder=${encodeURIComponent(remote(path.join(work, 'workspace')))}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
      { timeout: TIMEOUT_MS },
    );
    await page.waitForFunction(() => window.__jtgFirstSquiggle !== undefined, undefined, { timeout: TIMEOUT_MS, polling: 100 });
    const fromPage = await page.evaluate(() => {
      const mark = (name) => performance.getEntriesByName(name, 'mark')[0]?.startTime;
      const squiggle = window.__jtgFirstSquiggle;
      return {
        fromWorkbench: squiggle - mark('code/didStartWorkbench'),
        fromExtensionHost: squiggle - mark('code/didHandleExtensionPoints'),
        fromNavigation: squiggle,
      };
    });
    return { ...fromPage, ...extensionHostTimes(dataDir) };
  } finally {
    await context.close().catch(() => {});
    await stopServer(server);
    fs.rmSync(work, { recursive: true, force: true, maxRetries: 5 });
  }
}

/** Stops the server and waits for it: it writes into its data folder until it exits. */
function stopServer(server) {
  if (server.exitCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill();
  return exited;
}

/**
 * From the extension host's own log (its first line is written as it starts): when this extension was
 * activated, and when the host had finished activating the `*` and `workspaceContains:` extensions (after which
 * it activates the `onStartupFinished` ones).
 */
function extensionHostTimes(dataDir) {
  const find = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return find(full);
      return /^(remote)?exthost\.log$/.test(e.name) ? [full] : [];
    });
  const [log] = find(dataDir);
  if (!log) return { activated: NaN, eagerDone: NaN };
  const lines = fs.readFileSync(log, 'utf8').split('\n');
  const time = (line) => (line ? Date.parse(line.slice(0, 23).replace(' ', 'T')) : NaN);
  const started = time(lines[0]);
  return {
    activated: time(lines.find((l) => /_doActivateExtension jira-token-guard\.jira-token-guard/.test(l))) - started,
    activationEvent: /activationEvent: '([^']+)'/.exec(lines.find((l) => /_doActivateExtension jira-token-guard/.test(l)) ?? '')?.[1],
    eagerDone: time(lines.find((l) => /Eager extensions activated/.test(l))) - started,
  };
}

/** Busy processes that compete for the CPU with the server and the browser. */
function startLoad(count) {
  return Array.from({ length: count }, () => fork('-e', ['for(;;){}'], { execArgv: [], stdio: 'ignore' }));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');

async function main() {
  const runs = Number(process.env.JTG_FIRST_FLAG_RUNS || 5);
  const load = startLoad(Number(process.env.JTG_FIRST_FLAG_LOAD || 0));
  const chromium = findChromium();
  if (!chromium) throw new Error('Chromium is missing: install it with `apt-get install -y chromium` (Debian).');
  const browser = await require('playwright-core').chromium.launch({ executablePath: chromium, headless: true, args: CHROMIUM_ARGS });
  try {
    for (const host of requestedServerHosts()) {
      // Round robin over the variants: a machine whose load changes meanwhile weighs on each alike.
      const results = variants().map((events) => ({ events, runs: [] }));
      for (let i = 0; i < runs; i++) for (const variant of results) variant.runs.push(await measureOnce(browser, host, variant.events));
      for (const { events, runs: measured } of results) {
        const column = (key) => measured.map((r) => r[key]);
        console.log(
          `[first-flag] VS Code ${ensureServerInstalled(host).version}, load ${load.length}, ` +
            `${JSON.stringify(events)}: ` +
            `from workbench started ${ms(median(column('fromWorkbench')))} (max ${ms(Math.max(...column('fromWorkbench')))}), ` +
            `from extensions registered ${ms(median(column('fromExtensionHost')))} (max ${ms(Math.max(...column('fromExtensionHost')))}), ` +
            `from navigation ${ms(median(column('fromNavigation')))}; ` +
            `in the extension host, activated ${ms(median(column('activated')))} after it started ` +
            `(on ${[...new Set(column('activationEvent'))].join(', ')}), eager extensions done after ${ms(median(column('eagerDone')))}; ` +
            `median of ${measured.length}`,
        );
      }
    }
  } finally {
    await browser.close().catch(() => {});
    for (const child of load) child.kill();
  }
}

main().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
