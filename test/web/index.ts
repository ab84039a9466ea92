// Entry point the browser's web-worker extension host calls (extensionTestsPath): the bundle scripts/test-host/web.js
// builds from this file and test/web/*.test.ts. A worker has no files and no `process`: the report and the totals go
// by `fetch` to the runner's loopback server (JTG_WEB_CONTROL, written into the bundle by the runner).
import 'mocha/mocha.js';
import * as vscode from 'vscode';

declare const JTG_WEB_CONTROL: string;
declare const JTG_WEB_GREP: string;

/** Posts to the runner in order; a lost line must not pass for a quiet test. */
let queue: Promise<unknown> = Promise.resolve();
function post(route: 'log' | 'results', body: string): Promise<unknown> {
  queue = queue.then(() => fetch(`${JTG_WEB_CONTROL}/${route}`, { method: 'POST', body }));
  return queue;
}
const log = (line: string) => void post('log', line);

// Before the test files (imported after this one) call describe(): mocha's bdd globals.
mocha.setup({ ui: 'bdd', timeout: 30_000, color: false, reporter: webReporter as unknown as string });
if (JTG_WEB_GREP) mocha.grep(JTG_WEB_GREP);

/** Mocha's own reporters write to a terminal: this one writes the spec lines to the runner. */
function webReporter(runner: Mocha.Runner): void {
  let depth = 0;
  runner.on('suite', (suite) => {
    if (suite.title) log(`${'  '.repeat(++depth)}${suite.title}`);
  });
  runner.on('suite end', (suite) => {
    if (suite.title) depth--;
  });
  runner.on('pass', (test) => log(`${'  '.repeat(depth + 1)}✔ ${test.title} (${test.duration ?? 0} ms)`));
  runner.on('fail', (test, error: unknown) =>
    log(`${'  '.repeat(depth + 1)}✘ ${test.title}\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  );
}

export function run(): Promise<void> {
  return new Promise((resolve, reject) => {
    const failedTitles: string[] = [];
    const runner = mocha.run((failures) => {
      const totals = {
        passed: runner.stats?.passes ?? 0,
        failed: failures,
        pending: runner.stats?.pending ?? 0,
        version: vscode.version,
        failedTitles,
      };
      void post('results', JSON.stringify(totals)).then(
        () => (failures > 0 ? reject(new Error(`${failures} web test(s) failed`)) : resolve()),
        reject,
      );
    });
    runner.on('fail', (test, error: unknown) =>
      failedTitles.push(`${test.fullTitle()}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 300)}`),
    );
  });
}
