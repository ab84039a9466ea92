// "Audit Tokens": builds the Markdown report from the store and the last workspace scan and opens it as an
// untitled Markdown document beside its rendered preview (Save works like for any untitled file).
// Automation: `{ save: uri }` writes the report there instead, `{ open: false }` only returns it; the
// command always resolves to the report's text and recommendations.
import * as vscode from 'vscode';
import { type AuditInventory, type AuditReport, buildAuditReport, type Recommendation } from '../core/hygiene/audit';
import { type WorkspaceScanSummary } from '../core/findings/scanSummary';
import { type ConnectionStore } from '../connections/connectionStore';
import { isArgumentObject } from '../common/commandArgs';
import { type Log } from '../common/log';
import { currentPolicy } from '../common/healthPolicy';
import { UserFacingError } from '../common/commandErrors';
import { describeUri, toUri, writeTextFile } from '../common/workspaceFiles';

export interface AuditArgs {
  /** Where to write the report (a URI or an absolute path); nothing is opened then. */
  save?: vscode.Uri | string;
  /** false: build and return the report without showing it. */
  open?: boolean;
  /** false: leave out the token inventory (no request to any site). */
  inventory?: boolean;
}

export interface AuditResult {
  markdown: string;
  recommendations: Recommendation[];
  /** The untitled document shown, or the file written. */
  uri?: string;
}

export class AuditCommand {
  constructor(
    private readonly store: ConnectionStore,
    private readonly log: Log,
    private readonly now: () => Date = () => new Date(),
    private readonly lastWorkspaceScan: () => WorkspaceScanSummary | undefined = () => undefined,
    /** The accounts' and organisations' tokens (read now from each site, with the stored credential) and the alerts. */
    private readonly inventory: () => Promise<AuditInventory | undefined> = () => Promise.resolve(undefined),
  ) {}

  /** An untitled document named after the date, so its tab and Save As read "jira-token-audit-<date>.md". */
  private async untitledReport(markdown: string): Promise<vscode.TextDocument> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `jira-token-audit-${this.now().toISOString().slice(0, 10)}.md`;
    const uri = folder ? vscode.Uri.joinPath(folder, name).with({ scheme: 'untitled' }) : vscode.Uri.parse(`untitled:${name}`);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const document = open ?? (await vscode.workspace.openTextDocument(uri));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), markdown);
    await vscode.workspace.applyEdit(edit);
    if (document.languageId !== 'markdown') return vscode.languages.setTextDocumentLanguage(document, 'markdown');
    return document;
  }

  async build(withInventory = true): Promise<AuditReport> {
    // Passwords have no fingerprint in the metadata: the audit is a moment where they are read (see docs/security.md, "Where things are kept").
    await this.store.readUnfingerprinted();
    const fingerprints = new Map(this.store.knownTokens().map((t) => [t.connectionId, t.fingerprint]));
    const inventory = withInventory ? await this.inventory() : undefined;
    return buildAuditReport({
      policy: currentPolicy(this.now()),
      connections: this.store.list(),
      fingerprints,
      scan: this.lastWorkspaceScan(),
      ...(inventory ? { inventory } : {}),
    });
  }

  async run(arg?: unknown): Promise<AuditResult> {
    const args: AuditArgs = isArgumentObject(arg) ? arg : {};
    const report = await this.build(args.inventory !== false);
    const result: AuditResult = { markdown: report.markdown, recommendations: report.recommendations };
    if (args.save !== undefined) {
      const uri = toUri(args.save);
      if (!uri) throw new UserFacingError('Say where to save the report: { save: <file URI or absolute path> }.');
      await writeTextFile(uri, report.markdown);
      this.log.info(`Wrote the token audit to ${describeUri(uri)}.`);
      return { ...result, uri: uri.toString() };
    }
    if (args.open === false) return result;
    const document = await this.untitledReport(report.markdown);
    await vscode.window.showTextDocument(document, { preview: false });
    try {
      await vscode.commands.executeCommand('markdown.showPreviewToSide', document.uri);
    } catch (error) {
      // The built-in Markdown extension can be disabled; the document itself is the report.
      this.log.warn(`Could not open the Markdown preview of the audit: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { ...result, uri: document.uri.toString() };
  }
}
