// The first minute of a user who reopens a project: the workbench starts with the workspace's .env (a generated
// token) open. Nothing here opens a file or activates the extension; the activation events alone must get the
// file flagged, and the first code-action request on the squiggle (Ctrl+.) must offer the quick fixes. The
// request is made once: a retry would hide a first empty answer, which is what a user saw.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';

const SOURCE = 'Jira Token Guard';
/** When the host loaded this suite: after the extension host was ready and its eager activations were done. */
const suiteLoadedAt = Date.now();

/** Resolves with the guard's first diagnostic on `uri`, on the event that publishes it. */
function firstLeakDiagnostic(uri: vscode.Uri, timeoutMs: number): Promise<vscode.Diagnostic> {
  return new Promise((resolve, reject) => {
    const find = () => vscode.languages.getDiagnostics(uri).find((d) => d.source === SOURCE);
    const done = () => {
      listener.dispose();
      clearTimeout(timer);
    };
    const check = () => {
      const diagnostic = find();
      if (!diagnostic) return;
      done();
      resolve(diagnostic);
    };
    const listener = vscode.languages.onDidChangeDiagnostics((e) => e.uris.some((u) => u.toString() === uri.toString()) && check());
    const timer = setTimeout(() => {
      done();
      reject(new Error(`the .env open at start was not flagged within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    check();
  });
}

describe('a .env open when the workbench starts', () => {
  it('is flagged without being opened by the test, and the first code-action request returns the quick fixes', async function () {
    // Start-up on a loaded machine takes its time: the figure itself is measured by `npm run measure:first-flag`.
    this.timeout(120_000);
    const file = process.env.JTG_TEST_OPEN_AT_START;
    assert.ok(file, 'the runner opened a file at start (JTG_TEST_OPEN_AT_START)');
    const uri = vscode.Uri.file(file);
    const diagnostic = await firstLeakDiagnostic(uri, 110_000);
    // Open in an editor by the workbench itself, as the user left it: the test opened nothing.
    assert.ok(
      vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === uri.toString()),
      'the .env is in an editor',
    );
    // For the log, not asserted (a loaded 2-core machine would make a time limit flaky): when it was flagged.
    if (process.env.JTG_TEST_LOG) {
      fs.appendFileSync(
        process.env.JTG_TEST_LOG,
        `    (flagged ${Date.now() - suiteLoadedAt} ms after the suite was loaded, ` +
          `${Math.round(process.uptime() * 1000)} ms after the extension host process started)\n`,
      );
    }
    assert.strictEqual(diagnostic.code, 'atlassian-api-token');
    // The squiggle can appear while activate() is still running (seen 11 ms after the suite loaded, on 1.139.1,
    // with an empty first answer); a person's Ctrl+. comes later. The request waits for activation to end, and
    // is still made only once.
    const extension = vscode.extensions.getExtension('jira-token-guard.jira-token-guard');
    assert.ok(extension, 'the extension is installed');
    const activatedBy = Date.now() + 30_000;
    while (!extension.isActive && Date.now() < activatedBy) await new Promise((r) => setTimeout(r, 25));
    assert.ok(extension.isActive, 'the extension finished activating');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    // The command's results carry no diagnostics: the guard's fixes are the ones that run its commands.
    const fixes = actions.filter((a) => a.command?.command.startsWith('jiraTokenGuard.')).map((a) => a.title);
    assert.deepStrictEqual(fixes, [
      'Move token to Jira Token Guard and use an environment variable',
      'Ignore this token here',
      'Ignore this token in this workspace',
      'Revoke this token…',
      'Check whether this token is live…',
    ]);
    assert.strictEqual(actions.find((a) => a.isPreferred)?.title, fixes[0]);
  });
});
