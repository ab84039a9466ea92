// `npm run screenshots`: takes the README pictures of the real extension in the real VS Code test host
// (VS Code Server + headless Chromium, see test-host/server.js). test/screenshots/scenario.ts runs inside the
// extension host and sets each scene; this script holds the browser page and takes the picture. Handshake
// through a temporary folder: the scenario writes `ready-<name>` (JSON hints), this script answers
// `shot-<name>` ("ok" or what went wrong). Writes media/screenshots/*.png (kept out of the .vsix by
// .vscodeignore). Needs `node esbuild.js --tests` first (the npm script does it).
/* global document, NodeFilter -- the functions given to page.evaluate run in the workbench page */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { runTestsInServer } = require('./test-host/server');

const repo = path.resolve(__dirname, '..');
const outDir = path.join(repo, 'media', 'screenshots');
const MAX_BYTES = 200 * 1024;
const TIMEOUT = 60_000;

/** Drags a sash from `from` to `to` (page coordinates). */
async function drag(page, from, to) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
}

/** Moves the pointer where it shows no hover. */
async function parkMouse(page) {
  await page.mouse.move(1390, 450);
}

const TITLE_BAR = 35;

const SHOTS = {
  /** The Connections view, one connection expanded to its detail rows. */
  async tree(page, hints, file) {
    const sidebar = page.locator('.part.sidebar');
    const rows = sidebar.locator('.monaco-list-row');
    for (const label of hints.labels) await rows.filter({ hasText: label }).first().waitFor({ timeout: TIMEOUT });
    // At the default width, with the pointer on the view (title actions show on hover), the title must not be cut.
    await sidebar.hover();
    const title = sidebar.locator('.composite.title .title-label h2').first();
    await sidebar.locator('.composite.title .actions-container .action-item').first().waitFor({ timeout: TIMEOUT });
    const cut = await title.evaluate((h2) =>
      h2.scrollWidth > h2.clientWidth ? `"${h2.textContent}" needs ${h2.scrollWidth} px, has ${h2.clientWidth}` : undefined,
    );
    if (cut) throw new Error(`the view title is cut at the default sidebar width: ${cut}`);
    const box = await sidebar.boundingBox();
    await drag(page, { x: box.x + box.width, y: 400 }, { x: box.x + 600, y: 400 });
    await rows.filter({ hasText: hints.expand }).first().click();
    await sidebar.locator('.monaco-list-row[aria-level="2"]').filter({ hasText: hints.detail }).waitFor({ timeout: TIMEOUT });
    await parkMouse(page);
    const side = await sidebar.boundingBox();
    const last = await rows.last().boundingBox();
    // Down to the last row, and at least to the view's own icon in the activity bar.
    const icon = await page.locator('.part.activitybar .action-label[aria-label^="Jira Token Guard"]').boundingBox();
    const bottom = Math.min(side.y + side.height, Math.max(last.y + last.height + 16, icon.y + icon.height + 8));
    await page.screenshot({ path: file, clip: { x: 0, y: TITLE_BAR, width: side.x + side.width, height: bottom - TITLE_BAR } });
  },

  /** The .env file with its squiggle, the quick fix menu open, and the leak in the Problems panel. */
  async 'leak-quick-fix'(page, hints, file) {
    await page.locator('.squiggly-warning').first().waitFor({ timeout: TIMEOUT });
    const panel = page.locator('.part.panel');
    const problem = panel.locator('.monaco-list-row').filter({ hasText: hints.problem }).first();
    await problem.waitFor({ timeout: TIMEOUT });
    // A taller panel and a shorter editor: the picture holds the file, the menu and the problem, little else.
    const top = (await panel.boundingBox()).y;
    await drag(page, { x: 700, y: top }, { x: 700, y: 370 });
    // The drag leaves the focus on the sash (VS Code 1.139): back to the editor, its cursor where the scenario put it.
    await page.keyboard.press('Control+1');
    await page.locator('.monaco-editor.focused').waitFor({ timeout: TIMEOUT });
    await page.keyboard.press('Control+Period');
    await page.locator('.action-widget').filter({ hasText: hints.firstFix }).waitFor({ timeout: TIMEOUT });
    // The generated token is checksum-valid (never a real one): the picture shows its first characters, and the
    // rest of the line is covered for the picture only.
    const cover = await page.evaluate(
      ({ key, keep }) => {
        const line = [...document.querySelectorAll('.view-line')].find((l) => l.textContent.startsWith(key));
        if (!line) return 'no token line';
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        let offset = key.length + keep;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (offset > node.length) {
            offset -= node.length;
            continue;
          }
          const range = document.createRange();
          range.setStart(node, offset);
          range.setEnd(node, offset);
          const from = range.getBoundingClientRect().left;
          const box = line.getBoundingClientRect();
          const div = document.createElement('div');
          div.id = 'jtg-token-cover';
          // To the editor's edge: the minimap shows the line's end too.
          const to = line.closest('.monaco-editor').getBoundingClientRect().right;
          div.style.cssText = `position:fixed;left:${from}px;top:${box.top}px;width:${to - from}px;height:${box.height}px;background:#3c3c3c;z-index:1`;
          document.body.appendChild(div);
          return undefined;
        }
        return 'the token line is shorter than expected';
      },
      { key: hints.tokenLine, keep: hints.tokenCharsShown },
    );
    if (cover) throw new Error(`cannot cover the token: ${cover}`);
    const row = await problem.boundingBox();
    await page.screenshot({ path: file, clip: { x: 0, y: TITLE_BAR, width: 1400, height: row.y + row.height + 12 - TITLE_BAR } });
    await page.evaluate(() => document.getElementById('jtg-token-cover')?.remove());
  },

  /** The organisation node opened: its users, each with their tokens and flags. */
  async organisation(page, hints, file) {
    const sidebar = page.locator('.part.sidebar');
    const rows = sidebar.locator('.monaco-list-row');
    const org = rows.filter({ hasText: hints.org }).first();
    await org.waitFor({ timeout: TIMEOUT });
    // A click on a row that is being rendered again can be lost: click until it is open.
    const expand = async (row) => {
      for (let i = 0; i < 5 && (await row.getAttribute('aria-expanded')) !== 'true'; i++) {
        await row.click();
        await page.waitForTimeout(1000);
      }
    };
    await expand(org);
    for (const user of hints.users) {
      const row = rows.filter({ hasText: user }).first();
      await row.waitFor({ timeout: TIMEOUT });
      await expand(row);
    }
    await rows.filter({ hasText: hints.flag }).first().waitFor({ timeout: TIMEOUT });
    // Wide enough for a token's whole description.
    const box = await sidebar.boundingBox();
    await drag(page, { x: box.x + box.width, y: 400 }, { x: box.x + 840, y: 400 });
    await parkMouse(page);
    const side = await sidebar.boundingBox();
    const top = (await org.boundingBox()).y;
    const last = await rows.last().boundingBox();
    const bottom = Math.min(side.y + side.height, last.y + last.height + 16);
    await page.screenshot({ path: file, clip: { x: side.x, y: top, width: side.width, height: bottom - top } });
  },

  /** The audit report's rendered Markdown preview. */
  async audit(page, hints, file) {
    const preview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await preview.locator('h1').filter({ hasText: hints.heading }).waitFor({ timeout: TIMEOUT });
    await parkMouse(page);
    const editor = await page.locator('.part.editor').boundingBox();
    await page.screenshot({ path: file, clip: editor });
  },
};

/** Answers the scenario's `ready-<name>` files until stopped; resolves to the names taken. */
function serveShots(page, dir) {
  let stopped = false;
  const taken = [];
  const loop = (async () => {
    while (!stopped) {
      for (const entry of fs.readdirSync(dir)) {
        const name = /^ready-(.+)$/.exec(entry)?.[1];
        if (!name || fs.existsSync(path.join(dir, `shot-${name}`))) continue;
        let answer = 'ok';
        try {
          if (!SHOTS[name]) throw new Error(`no screenshot called "${name}" in scripts/screenshots.js`);
          const file = path.join(outDir, `${name}.png`);
          await SHOTS[name](page, JSON.parse(fs.readFileSync(path.join(dir, entry), 'utf8')), file);
          taken.push(file);
          console.log(`[screenshots] ${path.relative(repo, file)} (${Math.round(fs.statSync(file).size / 1024)} KB)`);
        } catch (error) {
          answer = String(error.message ?? error);
          // What the page looked like when it went wrong, for the one debugging it.
          await page.screenshot({ path: path.join(dir, `failed-${name}.png`) }).catch(() => {});
        }
        fs.writeFileSync(path.join(dir, `shot-${name}`), answer);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    taken,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-screenshots-'));
  // The folder's name shows in the window title.
  const workspaceParent = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-screenshots-workspace-'));
  const workspacePath = path.join(workspaceParent, 'acme-jira-scripts');
  fs.mkdirSync(workspacePath);
  fs.mkdirSync(outDir, { recursive: true });
  let server;
  try {
    const code = await runTestsInServer({
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(repo, 'out', 'test', 'screenshots', 'scenario.js'),
      workspacePath,
      env: { JTG_SCREENSHOTS_DIR: dir },
      // A trusted folder, as a user has it: no Restricted Mode banner in the pictures.
      serverArgs: ['--disable-workspace-trust'],
      timeoutMs: 5 * 60_000,
      onPage: (page) => {
        server = serveShots(page, dir);
      },
    });
    await server?.stop();
    const error = path.join(dir, 'error');
    if (code !== 0 || fs.existsSync(error)) {
      throw new Error(
        `the scenario failed (exit ${code}): ${fs.existsSync(error) ? fs.readFileSync(error, 'utf8') : 'see the host log'}\n(handshake folder: ${dir})`,
      );
    }
    const tooBig = server.taken.filter((f) => fs.statSync(f).size > MAX_BYTES);
    if (tooBig.length) throw new Error(`over ${MAX_BYTES / 1024} KB: ${tooBig.map((f) => path.relative(repo, f)).join(', ')}`);
    console.log(`[screenshots] ${server.taken.length} pictures in ${path.relative(repo, outDir)}`);
    fs.rmSync(dir, { recursive: true, force: true });
  } finally {
    await server?.stop();
    fs.rmSync(workspaceParent, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
