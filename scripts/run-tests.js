// `npm test`: type check, lint, unit tests in Node, integration tests in a real VS Code host, the web suite in the
// browser's extension host, then one closing line "N passed, N failed" with the totals of all suites. Exits
// non-zero on any failure. --unit, --integration, --hostile, --consent, --compat and --web run one part.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const repo = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const onlyUnit = args.includes('--unit');
const onlyHostile = args.includes('--hostile');
const onlyConsent = args.includes('--consent');
const onlyCompat = args.includes('--compat');
const onlyWeb = args.includes('--web');
const onlyIntegration = args.includes('--integration') || onlyHostile || onlyConsent || onlyCompat;
const npx = (bin) => path.join(repo, 'node_modules', '.bin', bin);

function step(name, cmd, cmdArgs) {
  console.log(`\n== ${name}`);
  const result = spawnSync(cmd, cmdArgs, { cwd: repo, stdio: 'inherit' });
  if (result.status !== 0) {
    console.log(`\n${name} failed.`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

function listTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return listTests(full);
      return e.name.endsWith('.test.js') ? [full] : [];
    })
    .sort();
}

// Every failed test's title, printed last: CI shows only the tail of a long log.
const failedTitles = [];
function count(totals, where, result) {
  totals.passed += result.passed;
  totals.failed += result.failed;
  const titles = result.failedTitles ?? [];
  for (const title of titles) failedTitles.push(`${where}: ${title}`);
  if (result.failed > titles.length) failedTitles.push(`${where}: ${result.failed - titles.length} failure(s) without a title (see above)`);
}

function runUnit() {
  const Mocha = require('mocha');
  const mocha = new Mocha({ ui: 'bdd', timeout: 10_000, reporter: process.env.CI ? 'dot' : 'spec' });
  if (process.env.JTG_UNIT_GREP) mocha.grep(process.env.JTG_UNIT_GREP);
  for (const file of listTests(path.join(repo, 'out', 'test', 'unit'))) mocha.addFile(file);
  return new Promise((resolve) => {
    const titles = [];
    const runner = mocha.run((failed) => resolve({ passed: runner.stats.passes, failed, failedTitles: titles }));
    runner.on('fail', (test, error) =>
      titles.push(
        `${test.fullTitle()}: ${String(error?.message ?? error)
          .split('\n')[0]
          .slice(0, 300)}`,
      ),
    );
  });
}

async function main() {
  if (!onlyUnit && !onlyIntegration && !onlyWeb) {
    step('type check', npx('tsc'), ['-p', '.', '--noEmit']);
    step('lint', npx('eslint'), ['src', 'test', 'scripts', 'esbuild.js', 'eslint.config.mjs']);
  }
  step('build', process.execPath, ['esbuild.js', '--tests']);
  const totals = { passed: 0, failed: 0 };
  if (!onlyIntegration && !onlyWeb) {
    console.log('\n== unit tests (Node)');
    const unit = await runUnit();
    console.log(`[unit] ${unit.passed} passed, ${unit.failed} failed`);
    count(totals, 'unit', unit);
  }
  if (!onlyUnit && !onlyWeb) {
    console.log('\n== integration tests (VS Code extension host)');
    const { runIntegration, runHostileSuite, runConsentSuites, runCompat } = require('./test-host/integration');
    if (!onlyHostile && !onlyConsent && !onlyCompat) {
      try {
        const hosts = await runIntegration();
        console.log('');
        for (const host of hosts) {
          console.log(`[integration] ${host.host}:`);
          console.log(`[integration] VS Code ${host.version ?? '(unknown)'}: ${host.passed} passed, ${host.failed} failed`);
          count(totals, `integration ${host.host}`, host);
        }
      } catch (error) {
        console.log(`\nIntegration suite could not run: ${error.message ?? error}`);
        count(totals, 'integration', { passed: 0, failed: 1, failedTitles: [`could not run: ${error.message ?? error}`] });
      }
    }
    if (!onlyConsent && !onlyCompat) {
      console.log('\n== another extension against the packaged .vsix (VS Code Server host)');
      try {
        const hostile = await runHostileSuite();
        console.log(`[hostile extension] ${hostile.passed} passed, ${hostile.failed} failed`);
        count(totals, 'hostile extension', hostile);
      } catch (error) {
        console.log(`\nThe hostile-extension suite could not run: ${error.message ?? error}`);
        count(totals, 'hostile extension', { passed: 0, failed: 1, failedTitles: [`could not run: ${error.message ?? error}`] });
      }
    }
    if (!onlyHostile && !onlyCompat) {
      console.log("\n== consent clicked in VS Code's own dialogs (the packaged .vsix, not in Test mode)");
      try {
        for (const result of await runConsentSuites()) {
          console.log(`[consent] VS Code ${result.version ?? '(unknown)'}: ${result.passed} passed, ${result.failed} failed`);
          count(totals, `consent ${result.host}`, result);
        }
      } catch (error) {
        console.log(`\nThe consent suite could not run: ${error.message ?? error}`);
        count(totals, 'consent', { passed: 0, failed: 1, failedTitles: [`could not run: ${error.message ?? error}`] });
      }
    }
    if (!onlyHostile && !onlyConsent) {
      console.log('\n== compatibility matrix: the packaged .vsix on each VS Code version where an API it uses changed');
      try {
        const rows = await runCompat();
        console.log('');
        for (const row of rows) {
          console.log(`[compat] VS Code ${row.version}: ${row.passed} passed, ${row.failed} failed`);
          count(totals, `compat ${row.version}`, row);
        }
      } catch (error) {
        console.log(`\nThe compatibility matrix could not run: ${error.message ?? error}`);
        count(totals, 'compat', { passed: 0, failed: 1, failedTitles: [`could not run: ${error.message ?? error}`] });
      }
    }
  }
  if (!onlyUnit && !onlyIntegration) {
    console.log('\n== the web extension host (browser)');
    try {
      for (const result of await require('./test-host/web').runWebSuites()) {
        console.log(`[web] VS Code ${result.version ?? '(unknown)'}: ${result.passed} passed, ${result.failed} failed`);
        count(totals, `web ${result.host}`, result);
      }
    } catch (error) {
      console.log(`\nThe web suite could not run: ${error.message ?? error}`);
      count(totals, 'web', { passed: 0, failed: 1, failedTitles: [`could not run: ${error.message ?? error}`] });
    }
  }
  if (failedTitles.length) {
    console.log('\nFailed:');
    for (const title of failedTitles) console.log(`  ✘ ${title.slice(0, 400)}`);
  }
  console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
  process.exit(totals.failed > 0 ? 1 : 0);
}

main();
