// Runs every *.test.js in a folder with mocha inside the VS Code host (the extensionTestsPath's run()).
// The report goes to JTG_TEST_LOG and the totals to JTG_TEST_RESULTS, both files the runner reads:
// the host's own console is shared with the noisy workbench.
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export interface SuiteOptions {
  /**
   * Errors of the host itself, not of the suite: a workbench outside Test mode sends telemetry, which fails
   * offline with an uncaught error that mocha would pin on whichever test is running.
   */
  ignoreUncaught?: (error: unknown) => boolean;
}

export function runMochaSuite(dir: string, options: SuiteOptions = {}): Promise<void> {
  const logFile = process.env.JTG_TEST_LOG;
  if (logFile) {
    // Mocha's reporters print through Base.consoleLog; mirror that into the suite's log file.
    const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
    const original = base.consoleLog;
    base.consoleLog = (...args: unknown[]) => {
      fs.appendFileSync(logFile, util.format(...args) + '\n');
      original(...args);
    };
  }
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20_000, reporter: 'spec' });
  mocha.grep(
    selection(process.env.JTG_TEST_TRUST ?? 'any', process.env.JTG_TEST_TRUSTED_TAG ?? '[trusted]', process.env.JTG_INTEGRATION_GREP),
  );
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(path.join(dir, file));
  }
  return new Promise((resolve, reject) => {
    const ignore = options.ignoreUncaught;
    // The host's own errors are dropped where Node reports them, before any listener (mocha's or VS Code's) sees them.
    const emit = process.emit;
    if (ignore) {
      process.emit = function (this: NodeJS.Process, event: string | symbol, ...args: unknown[]): boolean {
        if (event === 'uncaughtException' && ignore(args[0])) {
          if (logFile) fs.appendFileSync(logFile, `(the host's own error, not the suite's: ${String(args[0])})\n`);
          return true;
        }
        return (emit as (this: NodeJS.Process, event: string | symbol, ...a: unknown[]) => boolean).call(this, event, ...args);
      } as typeof process.emit;
    }
    const failedTitles: string[] = [];
    const runner = mocha.run((failures) => {
      if (ignore) process.emit = emit;
      const totals = {
        passed: runner.stats?.passes ?? 0,
        failed: failures,
        pending: runner.stats?.pending ?? 0,
        version: vscode.version,
        failedTitles,
      };
      if (process.env.JTG_TEST_RESULTS) fs.writeFileSync(process.env.JTG_TEST_RESULTS, JSON.stringify(totals));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    // The titles go to the runner's closing lines: CI shows only the tail of a long log.
    runner.on('fail', (test, error: unknown) => failedTitles.push(`${test.fullTitle()}: ${firstLine(error)}`));
  });
}

/**
 * The runner's passes: Restricted Mode runs all but the tests tagged for a trusted folder, the trusted pass
 * only those; JTG_INTEGRATION_GREP narrows either. One pattern, because mocha keeps only one grep.
 */
function selection(trust: string, tag: string, grep: string | undefined): RegExp {
  const escaped = tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const trustPart = trust === 'trusted' ? `(?=.*${escaped})` : trust === 'restricted' ? `(?!.*${escaped})` : '';
  return new RegExp(`^${trustPart}(?=.*(?:${grep || ''}))`);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].slice(0, 300);
}
