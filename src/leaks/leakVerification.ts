// "Verify Leaked Tokens (Live or Dead)…": the findings the guard shows (open files and Scan Workspace's
// results) tested with the engine of `check`, as `scan --verify` does, and each diagnostic told the answer.
//
// The workspace is hostile: it chose the tokens, the sites written next to them and its own
// .jira-token-guard.json. So a Cloud token goes only to an https://<site>.atlassian.net named next to it (with an
// email named there), and a Data Center PAT only to the sites of the user's own Data Center connections, never to
// the workspace's "verifyHosts". Any extension can run the command: it takes no argument, asks in a modal that
// names every host, and returns nothing but counts.
import * as vscode from 'vscode';
import { decodeText, type Finding } from '../core/scanner';
import { secretOfFinding } from '../core/findings/leakContext';
import { type Verification } from '../core/findings/reportedFinding';
import { linesAround, planVerification } from '../core/findings/verifyPlan';
import type { VerifyInput } from '../core/findings/verifyFindings';
import { type ConnectionStore } from '../connections/connectionStore';
import { type CredentialChecker } from '../checks/credentialChecker';
import { type LeakDiagnostics } from './leakDiagnostics';
import { type Ui } from '../common/ui';
import { type Log } from '../common/log';
import { WorkbenchCommands } from '../common/constants';

export interface VerificationCounts {
  live: number;
  dead: number;
  unknown: number;
}

interface Located {
  uri: vscode.Uri;
  finding: Finding;
}

const MAX_FILE_BYTES = 4 * 1024 * 1024;

export class LeakVerifier {
  private running: Promise<VerificationCounts | undefined> | undefined;

  constructor(
    private readonly diagnostics: LeakDiagnostics,
    private readonly store: ConnectionStore,
    private readonly checker: CredentialChecker,
    private readonly ui: Ui,
    private readonly log: Log,
  ) {}

  /** One run at a time: a second request while one runs gets the running one. */
  run(): Promise<VerificationCounts | undefined> {
    this.running ??= this.verify().finally(() => (this.running = undefined));
    return this.running;
  }

  private async verify(): Promise<VerificationCounts | undefined> {
    const located: Located[] = [];
    for (const [key, findings] of this.diagnostics.allFindings())
      for (const finding of findings) located.push({ uri: vscode.Uri.parse(key), finding });
    if (!located.length) {
      void this.ui.showInformationMessage(
        'No leaked Jira tokens are shown to verify. Run Scan Workspace for Leaked Tokens, or open a file.',
        {},
      );
      return undefined;
    }
    // Where Data Center PATs may go: the user's own sites, chosen in Add Connection.
    const verifyHosts = [
      ...new Set(
        this.store
          .list()
          .filter((c) => c.kind === 'datacenter-pat' || c.kind === 'datacenter-basic')
          .map((c) => c.baseUrl),
      ),
    ];
    const inputs = await this.readAgain(located);
    const destinations = new Set<string>();
    for (const { finding, secret, context } of inputs) {
      const plan = planVerification(finding.ruleId, context, verifyHosts);
      if (secret !== undefined && 'send' in plan) for (const t of plan.send) destinations.add(hostOf(t.credential.baseUrl));
    }
    const count = inputs.length;
    if (destinations.size) {
      const hosts = [...destinations].sort();
      const answer = await this.ui.showWarningMessage(
        `Verify ${count} leaked token finding(s) against Jira? Each token is sent only to ${hosts.join(', ')}.`,
        {
          modal: true,
          detail:
            'A Jira Cloud token goes only to an atlassian.net site named next to it, with the email named there; a Data Center token only to the sites of your own connections. Tokens with no such site are not sent and are marked unknown.',
        },
        'Verify',
      );
      if (answer !== 'Verify') return undefined;
    }
    const { verifyFindings } = await import('../core/findings/verifyFindings');
    const verified = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Verifying leaked Jira tokens' },
      () => verifyFindings(inputs, { verifyHosts, check: (credential, secret) => this.checker.check(credential, secret) }),
    );
    const verdicts = new Map<string, Verification>();
    for (const { fingerprint, verification } of verified) {
      // The same secret found twice: a live answer wins over the others.
      const known = verdicts.get(fingerprint);
      if (!known || verification.status === 'live') verdicts.set(fingerprint, verification);
    }
    this.diagnostics.setVerdicts(verdicts);
    const counts: VerificationCounts = { live: 0, dead: 0, unknown: 0 };
    for (const v of verified) counts[v.verification.status]++;
    this.log.info(`Verified ${count} finding(s): ${counts.live} live, ${counts.dead} dead, ${counts.unknown} unknown.`);
    const summary = `Verified ${count} leaked token finding(s): ${counts.live} live, ${counts.dead} dead, ${counts.unknown} unknown.`;
    const show = counts.live
      ? this.ui.showWarningMessage(`${summary} Revoke the live ones now: the Problems panel says which.`, {}, 'Show Problems')
      : this.ui.showInformationMessage(summary, {}, 'Show Problems');
    void show.then((choice) => choice && vscode.commands.executeCommand(WorkbenchCommands.showProblems));
    return counts;
  }

  /** Each finding's secret and the lines around it, read again (open files from the editor, others from disk). */
  private async readAgain(located: readonly Located[]): Promise<Array<VerifyInput<Finding>>> {
    const texts = new Map<string, string | undefined>();
    for (const { uri } of located) {
      const key = uri.toString();
      if (texts.has(key)) continue;
      texts.set(key, await this.textOf(uri));
    }
    return located.map(({ uri, finding }) => {
      const text = texts.get(uri.toString());
      const line = text?.split(/\r\n|\r|\n/)[finding.line];
      // Only the text the finding names (a file read from disk has no offsets: its line and column), and only
      // if it still is that secret (escaped or encoded forms read as the guard reads them).
      const span = { start: finding.column, end: finding.column + (finding.end - finding.start), fingerprint: finding.fingerprint };
      const secret = line === undefined ? undefined : secretOfFinding(line, span)?.secret;
      return { finding, secret, context: text === undefined ? '' : linesAround(text, finding.line + 1) };
    });
  }

  private async textOf(uri: vscode.Uri): Promise<string | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === uri.toString());
    if (open) return open.getText();
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      // A regular file only: a link the workspace planted could point anywhere.
      if (stat.type !== vscode.FileType.File || stat.size > MAX_FILE_BYTES) return undefined;
      return decodeText(await vscode.workspace.fs.readFile(uri));
    } catch {
      return undefined;
    }
  }
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
