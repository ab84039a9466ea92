// The workspace folder's .jira-token-guard.json, read by the open-file guard and Scan Workspace as by the
// command line: in a trusted folder its exclusions and rules switched off remove exactly their findings; in
// Restricted Mode it may only make the guard stricter.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { makeCloudToken, makeDataCenterPat } from '../support/tokens';
import { extensionApi, waitFor, type TestApi } from './helpers';

const SOURCE = 'Jira Token Guard';

describe('.jira-token-guard.json in the editor', function () {
  this.timeout(60_000);
  let api: TestApi;
  let root: string;
  const configFile = () => path.join(root, '.jira-token-guard.json');
  const files = {
    excluded: 'jtg-config/excluded/leak.env',
    pat: 'jtg-config/dc.md',
    placeholder: 'jtg-config/placeholder.js',
    kept: 'jtg-config/kept.env',
  };

  before(async () => {
    api = await extensionApi();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
  });

  afterEach(async () => {
    fs.rmSync(configFile(), { force: true });
    fs.rmSync(path.join(root, 'jtg-config'), { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await api.leaks.projectConfigs.reload();
  });

  /** Writes the configuration and the files, opens them, and returns each file's diagnostics once settled. */
  async function openAll(expected: Record<keyof typeof files, number>): Promise<void> {
    fs.writeFileSync(
      configFile(),
      '// the team\'s settings\n{ "exclude": ["jtg-config/excluded/**"], "rules": { "jira-dc-pat": "off" }, "reportUnverified": true, }\n',
    );
    await api.leaks.projectConfigs.reload();
    const contents: Record<keyof typeof files, string> = {
      excluded: `JIRA_API_TOKEN=${makeCloudToken()}\n`,
      pat: `JIRA_PAT=${makeDataCenterPat()}\n`,
      placeholder: `const example = "${makeCloudToken({ validCrc: false })}";\n`,
      kept: `JIRA_API_TOKEN=${makeCloudToken()}\n`,
    };
    for (const key of Object.keys(files) as Array<keyof typeof files>) {
      const file = path.join(root, files[key]);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, contents[key]);
      const doc = await vscode.workspace.openTextDocument(file);
      // The kept file always has one: waiting on it, then on the others, shows the guard has scanned.
      await waitFor(`${expected[key]} diagnostic(s) on ${files[key]}`, () => {
        const ours = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === SOURCE);
        return ours.length === expected[key] ? true : undefined;
      });
    }
    const summary = await api.leaks.workspaceScanner.scan();
    const reported = summary.findings.filter((f) => f.file.startsWith('jtg-config/')).map((f) => f.file);
    const wanted = (Object.keys(files) as Array<keyof typeof files>).filter((k) => expected[k] > 0).map((k) => files[k]);
    assert.deepStrictEqual(reported.sort(), wanted.sort(), 'Scan Workspace reports what the open-file guard shows');
  }

  // Declared only in the Restricted Mode pass (the desktop host trusts its folder), as the other suites do.
  if (process.env.JTG_TEST_TRUST === 'restricted') {
    it('in Restricted Mode it may only make the guard stricter: no exclusion, no rule off, unverified tokens reported', async () => {
      assert.strictEqual(vscode.workspace.isTrusted, false);
      await openAll({ excluded: 1, pat: 1, placeholder: 1, kept: 1 });
      const folder = api.leaks.projectConfigs.forResource(vscode.Uri.file(configFile()));
      assert.match(
        folder.problem ?? '',
        /Restricted Mode: \.jira-token-guard\.json may only make the guard stricter; left out: exclude, rules/,
      );
    });
  }

  it('in a trusted folder, exclude and a rule off remove exactly their findings [trusted]', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, true);
    await openAll({ excluded: 0, pat: 0, placeholder: 1, kept: 1 });
  });
});
