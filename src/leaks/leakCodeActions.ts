// Quick fixes on leak diagnostics: move the token into the store and use an environment variable,
// ignore it here or in the workspace (by fingerprint, never the secret), revoke it (a Data Center PAT exactly,
// by the id it carries), check it.
import * as vscode from 'vscode';
import { type Finding, type RuleId } from '../core/scanner';
import { secretOfFinding } from '../core/findings/leakContext';
import { DIAGNOSTIC_SOURCE, type LeakDiagnostics } from './leakDiagnostics';
import { CHECKABLE_RULES, type LeakLocation } from './leakFixes';
import { inlineIgnoresEnabled } from '../common/config';
import { MCP_INPUT_TITLE, mcpInputPlan } from './mcpInputFix';
import { Commands } from '../common/constants';

/** Rules whose finding spans the token itself (so it can be replaced by an environment reference). */
export const MOVABLE_RULES: ReadonlySet<RuleId> = new Set<RuleId>([
  'atlassian-api-token',
  'atlassian-access-token',
  'atlassian-api-token-legacy',
  'jira-dc-pat',
  'known-stored-token',
]);

export class LeakCodeActionProvider implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly diagnostics: LeakDiagnostics,
    /** Whether a Data Center PAT connection exists (then a leaked PAT can be revoked exactly). */
    private readonly hasDataCenterConnection: () => boolean = () => false,
  ) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    let ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    // Our diagnostics reach the workbench apart from the request: a window's first Ctrl+., right after
    // activation, can come with none of them yet. Our own collection has them already.
    if (!ours.length)
      ours = vscode.languages
        .getDiagnostics(document.uri)
        .filter((d) => d.source === DIAGNOSTIC_SOURCE && d.range.intersection(range) !== undefined);
    for (const diagnostic of ours) {
      // Findings can lag a just-reopened document: rescan once rather than offer nothing.
      let finding = this.diagnostics.findingFor(document, diagnostic);
      if (!finding) {
        this.diagnostics.scanNow(document);
        finding = this.diagnostics.findingFor(document, diagnostic);
      }
      if (!finding) continue;
      actions.push(...actionsFor(document, diagnostic, finding, this.hasDataCenterConnection()));
    }
    return actions;
  }
}

function actionsFor(
  document: vscode.TextDocument,
  diagnostic: vscode.Diagnostic,
  finding: Finding,
  hasDataCenterConnection: boolean,
): vscode.CodeAction[] {
  const location: LeakLocation = { uri: document.uri.toString(), start: finding.start, end: finding.end };
  const make = (title: string, command: string, args: unknown, preferred = false) => {
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.command = { title, command, arguments: [args] };
    action.isPreferred = preferred;
    return action;
  };
  const actions: vscode.CodeAction[] = [];
  // In .vscode/mcp.json an input replaces the literal; an environment lookup would not be expanded there.
  const mcpInput = mcpInputPlan(document, finding) !== undefined;
  if (mcpInput) actions.push(make(MCP_INPUT_TITLE, Commands.useMcpInput, location, true));
  // Only a bare token can be replaced by an environment lookup (not one inside a Basic header or a URL).
  const movable = !mcpInput && MOVABLE_RULES.has(finding.ruleId) && isBareToken(document, finding);
  if (movable) {
    actions.push(make('Move token to Jira Token Guard and use an environment variable', Commands.moveLeakedTokenToStore, location, true));
  }
  // A comment would not hide it: the user's own stored token, or ignore comments turned off.
  if (finding.ruleId !== 'known-stored-token' && inlineIgnoresEnabled(document.uri)) {
    actions.push(make('Ignore this token here', Commands.ignoreLeakHere, location, !movable && !mcpInput));
  }
  actions.push(make('Ignore this token in this workspace', Commands.ignoreLeakInWorkspace, location));
  actions.push(make('Revoke this token…', Commands.revokeLeakedToken, location));
  // A leaked PAT carries its id: with a Data Center connection, that one token can be revoked and no other.
  if (finding.ruleId === 'jira-dc-pat' && hasDataCenterConnection)
    actions.push(make('Revoke exactly this token (by the id it carries)…', Commands.revokeLeakedPatExactly, location));
  if (CHECKABLE_RULES.has(finding.ruleId)) actions.push(make('Check whether this token is live…', Commands.checkLeakedToken, location));
  return actions;
}

/** Reads only the finding's own span, not the whole document, on every lightbulb request. */
function isBareToken(document: vscode.TextDocument, finding: Finding): boolean {
  const span = document.getText(new vscode.Range(document.positionAt(finding.start), document.positionAt(finding.end)));
  return secretOfFinding(span, { start: 0, end: span.length, fingerprint: finding.fingerprint })?.isLiteral === true;
}
