// Export Connections (a JSON file without any secret, for a team to share) and Import Connections (the
// whole file is validated before anything is stored; each token is asked for, or the connection waits as
// "token missing"; all connections are added in one step or none).
// Automation: exportConnections({ uri }) and importConnections({ uri, tokens?: { [label or baseUrl]: token } })
// do not prompt.
import * as path from 'path';
import * as vscode from 'vscode';
import { validateToken, tokenKindMismatch } from '../core/connections/connectionInput';
import { buildExport, type ImportedConnection, importToken, parseConnectionsFile, serializeExport } from '../core/connections/exportFormat';
import { type ConnectionStore } from '../connections/connectionStore';
import { isArgumentObject } from '../common/commandArgs';
import { plural } from '../core/common/text';
import { type Log } from '../common/log';
import { type Ui } from '../common/ui';
import { UserFacingError } from '../common/commandErrors';
import { describeUri, readTextFile, toUri, writeTextFile } from '../common/workspaceFiles';

export interface ExportArgs {
  uri: vscode.Uri | string;
}

export interface ImportArgs {
  uri: vscode.Uri | string;
  /** Tokens by connection label or base URL; connections without one are added as "token missing". */
  tokens?: Record<string, string>;
  /** Accept a token whose shape looks like another kind's. */
  allowShapeMismatch?: boolean;
}

export interface ExportResult {
  uri: string;
  count: number;
}

export interface ImportResult {
  imported: Array<{ id: string; label: string; tokenMissing: boolean }>;
  /** Labels of the entries skipped because the same site and user is already a connection. */
  skipped: string[];
}

const FILE_FILTERS = { 'Jira Token Guard connections': ['json'] };

export class ConnectionTransfer {
  constructor(
    private readonly store: ConnectionStore,
    private readonly log: Log,
    private readonly ui: Ui,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async export(arg?: unknown): Promise<ExportResult | undefined> {
    const automated = isArgumentObject(arg);
    const connections = this.store.list();
    if (connections.length === 0) throw new UserFacingError('There are no connections to export yet.');
    const uri = automated
      ? requireUri((arg as Partial<ExportArgs>).uri, 'exportConnections')
      : await vscode.window.showSaveDialog({
          title: 'Export Jira Connections (no tokens)',
          defaultUri: defaultFile(),
          filters: FILE_FILTERS,
          saveLabel: 'Export',
        });
    if (!uri) return undefined;
    await writeTextFile(uri, serializeExport(buildExport(connections, this.now())));
    this.log.info(`Exported ${connections.length} connection(s) to ${describeUri(uri)} (no tokens).`);
    if (!automated) {
      void this.ui.showInformationMessage(
        `Exported ${plural(connections.length, 'connection')} to ${path.basename(uri.path)}. The file holds no token: whoever imports it gives their own.`,
        {},
      );
    }
    return { uri: uri.toString(), count: connections.length };
  }

  async import(arg?: unknown): Promise<ImportResult | undefined> {
    const automated = isArgumentObject(arg);
    const args = (automated ? arg : {}) as Partial<ImportArgs>;
    let uri: vscode.Uri | undefined;
    if (automated) uri = requireUri(args.uri, 'importConnections');
    else
      uri = (
        await vscode.window.showOpenDialog({
          title: 'Import Jira Connections',
          filters: FILE_FILTERS,
          canSelectMany: false,
          openLabel: 'Import',
        })
      )?.[0];
    if (!uri) return undefined;

    const parsed = parseConnectionsFile(await readTextFile(uri));
    if (!parsed.ok) throw new UserFacingError(`${path.basename(uri.path)}: ${parsed.error}`);
    const fresh: ImportedConnection[] = [];
    const skipped: string[] = [];
    for (const entry of parsed.value) {
      if (this.store.findSameSiteAndUser(entry.baseUrl, entry.email ?? entry.username)) skipped.push(entry.label);
      else fresh.push(entry);
    }
    if (fresh.length === 0) {
      if (!automated)
        void this.ui.showInformationMessage(`Every connection in ${path.basename(uri.path)} exists already; nothing was imported.`, {});
      return { imported: [], skipped };
    }

    let tokens: Array<string | undefined>;
    if (automated) {
      tokens = fresh.map((entry) => {
        const token = importToken(args.tokens, entry, args.allowShapeMismatch === true);
        if (!token.ok) throw new UserFacingError(token.error);
        return token.value;
      });
    } else {
      const asked = await this.askTokens(fresh, skipped, path.basename(uri.path));
      if (!asked) return undefined;
      tokens = asked;
    }

    const added = await this.store.addMany(
      fresh.map((entry, i) => ({
        details: {
          label: entry.label,
          kind: entry.kind,
          baseUrl: entry.baseUrl,
          email: entry.email,
          username: entry.username,
          cloudId: entry.cloudId,
        },
        token: tokens[i],
      })),
    );
    const missing = added.filter((c) => c.tokenMissing);
    this.log.info(
      `Imported ${added.length} connection(s) from ${describeUri(uri)}; ${missing.length} without a token, ${skipped.length} already present.`,
    );
    if (!automated) {
      const parts = [`Imported ${plural(added.length, 'connection')}.`];
      if (missing.length > 0)
        parts.push(
          `${plural(missing.length, 'connection')} ${missing.length === 1 ? 'waits' : 'wait'} for a token: use Replace Token on ${missing.length === 1 ? 'it' : 'them'}.`,
        );
      if (skipped.length > 0) parts.push(`${plural(skipped.length, 'connection')} existed already.`);
      void this.ui.showInformationMessage(parts.join(' '), {});
    }
    return { imported: added.map((c) => ({ id: c.id, label: c.label, tokenMissing: c.tokenMissing === true })), skipped };
  }

  /** Resolves to one token (or undefined: "token missing") per entry, or undefined when the user cancels. */
  private async askTokens(
    entries: ImportedConnection[],
    skipped: string[],
    fileName: string,
  ): Promise<Array<string | undefined> | undefined> {
    const enter = 'Enter Tokens Now';
    const later = 'Add Without Tokens';
    const choice = await this.ui.showInformationMessage(
      `Import ${plural(entries.length, 'connection')} from ${fileName}?`,
      {
        modal: true,
        detail:
          `${entries.map((e) => `• ${e.label} (${e.baseUrl})`).join('\n')}` +
          (skipped.length ? `\n\nAlready present, skipped: ${skipped.join(', ')}.` : '') +
          '\n\nThe file holds no tokens. Enter each now, or add the connections as "token missing" and give the tokens later with Replace Token.',
      },
      enter,
      later,
    );
    if (choice === undefined) return undefined;
    if (choice === later) return entries.map(() => undefined);
    const tokens: Array<string | undefined> = [];
    for (const [i, entry] of entries.entries()) {
      const raw = await this.ui.showInputBox({
        title: `Import Connections (${i + 1}/${entries.length}): token for “${entry.label}”`,
        prompt: `${entry.kind === 'datacenter-basic' ? 'Password' : 'Token'} for ${entry.baseUrl}. Leave empty (or press Escape) to give it later with Replace Token.`,
        password: true,
        ignoreFocusOut: true,
        validateInput: (value) => {
          if (!value.trim()) return undefined;
          const check = validateToken(value, entry.kind);
          if (!check.ok) return check.error;
          const mismatch = tokenKindMismatch(check.value, entry.kind);
          return mismatch ? { message: mismatch, severity: vscode.InputBoxValidationSeverity.Warning } : undefined;
        },
      });
      const check = raw?.trim() ? validateToken(raw, entry.kind) : undefined;
      tokens.push(check?.ok ? check.value : undefined);
    }
    return tokens;
  }
}

function requireUri(value: unknown, command: string): vscode.Uri {
  const uri = toUri(value);
  if (!uri) throw new UserFacingError(`Say which file: ${command}({ uri: <file URI or absolute path> }).`);
  return uri;
}

function defaultFile(): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, 'jira-connections.json') : undefined;
}
