// The quick fix for a credential in .vscode/mcp.json: the literal becomes `${input:<id>}` and a
// password input is declared, so VS Code asks once and keeps the value in its secret storage.
import * as vscode from 'vscode';
import { type Finding } from '../core/scanner';
import { detectFormatting, type McpFormatting, type McpInputPlan, planMcpInput } from '../core/hygiene/mcpConfig';
import { isVsCodeMcpConfig } from '../core/files/mcpFiles';
import { UserFacingError } from '../common/commandErrors';
import { type Ui } from '../common/ui';
import { type LeakDiagnostics } from './leakDiagnostics';
import type { LeakLocation } from './leakFixes';

export const MCP_INPUT_TITLE = 'Replace with an input VS Code asks for once (${input:…})';

/** The rewrite for a finding, when the file is VS Code's MCP configuration and it can be made safely. */
export function mcpInputPlan(document: vscode.TextDocument, finding: Pick<Finding, 'start' | 'end'>): McpInputPlan | undefined {
  if (!isVsCodeMcpConfig(document.fileName)) return undefined;
  return planMcpInput(document.getText(), { start: finding.start, end: finding.end }, formattingOf(document));
}

/** The editor's indentation when the file is shown, else the file's own. */
function formattingOf(document: vscode.TextDocument): McpFormatting {
  const detected = detectFormatting(document.getText());
  const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  const options = vscode.window.visibleTextEditors.find((e) => e.document === document)?.options;
  if (typeof options?.tabSize === 'number' && typeof options.insertSpaces === 'boolean')
    return { tabSize: options.tabSize, insertSpaces: options.insertSpaces, eol };
  return { ...detected, eol };
}

export class McpInputFix {
  constructor(
    private readonly diagnostics: LeakDiagnostics,
    private readonly ui: Ui,
  ) {}

  async run(location: LeakLocation): Promise<{ inputId: string }> {
    if (!location?.uri) throw new UserFacingError('Run this from a quick fix on a leaked token.');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(location.uri));
    if (!isVsCodeMcpConfig(document.fileName))
      throw new UserFacingError('Only .vscode/mcp.json understands ${input:…}: move the token by hand here.');
    this.diagnostics.scanNow(document);
    const finding = (this.diagnostics.allFindings().get(document.uri.toString()) ?? []).find(
      (f) => f.start === location.start && f.end === location.end,
    );
    if (!finding) throw new UserFacingError('The token is no longer at that place in the document; the diagnostics are up to date now.');
    const plan = mcpInputPlan(document, finding);
    if (!plan)
      throw new UserFacingError(
        'This value cannot be replaced safely (the file has errors, or the value is written with escapes): edit it by hand.',
      );
    const wasDirty = document.isDirty;
    const edit = new vscode.WorkspaceEdit();
    for (const e of plan.edits)
      edit.replace(document.uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
    if (!(await vscode.workspace.applyEdit(edit))) throw new UserFacingError('The file could not be edited; the token is still in it.');
    // The secret must not stay on disk: save at once when the file had no other unsaved changes.
    if (!wasDirty && !(await saveDocument(document)))
      throw new UserFacingError(
        'The token was replaced in the editor, but the file could not be saved: save it now, the token is still on disk.',
      );
    void this.ui.showInformationMessage(
      `VS Code will ask for “${plan.inputId}” when the server starts and keep it in its secret storage. The old value was written in the file: revoke it and enter a new one.`,
      {},
    );
    return { inputId: plan.inputId };
  }
}

/** Saves; a save the workbench turned down (a file event still on its way on a loaded machine) is tried once more. */
async function saveDocument(document: vscode.TextDocument): Promise<boolean> {
  if (await document.save()) return true;
  await new Promise((resolve) => setTimeout(resolve, 500));
  return !document.isDirty || document.save();
}
