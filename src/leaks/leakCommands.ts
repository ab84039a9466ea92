// The commands behind the leak quick fixes and the workspace scan. Each accepts a LeakLocation (plus
// optional answers) so tests and automation can run it without prompts.
import * as vscode from 'vscode';
import { envReference, type Finding, ignoreComment } from '../core/scanner';
import { type Connection, type CheckResult, type ConnectionKind, isCloudKind } from '../core/connections/connection';
import { connectionHints, pythonImportLine, secretOfFinding } from '../core/findings/leakContext';
import { classifyToken, decodePatId, fingerprintOf, redactSecret } from '../core/tokens/tokenShapes';
import { quotedData } from '../core/common/text';
import { type ConnectionStore } from '../connections/connectionStore';
import { type AddConnectionArgs, type ReplaceOptions, type ReplaceTokenArgs } from '../connections/connectionArgs';
import { bitbucketDcTokenPageUrl, tokenPageUrl } from '../core/connections/tokenPages';
import { pickKind } from '../connections/connectionPicker';
import type { CredentialChecker } from '../checks/credentialChecker';
import { setting } from '../common/config';
import { type Log } from '../common/log';
import { type Ui } from '../common/ui';
import { type InputStep, MultiStepInput } from '../common/multiStepInput';
import { normalizeBaseUrl } from '../core/connections/url';
import { validateUser } from '../core/connections/connectionInput';
import { LeakVerifier } from './leakVerification';
import { type LeakDiagnostics } from './leakDiagnostics';
import { type IgnoreFile } from './ignoreFile';
import { CHECKABLE_RULES, type LeakLocation } from './leakFixes';
import { UserFacingError } from '../common/commandErrors';
import { registerGuardedCommands } from '../common/guardedCommands';
import { Disposable } from '../common/lifecycle';
import { Commands, EnvVars } from '../common/constants';
import { BITBUCKET_APP_PASSWORDS_PAGE, CLOUD_TOKEN_PAGE } from '../core/connections/tokenPages';
import type { DeadTokens } from '../hygiene/deadTokens';

export interface MoveArgs extends LeakLocation {
  /** Store the token as the new token of this existing connection. */
  connectionId?: string;
  /** Or create this connection for it (validated like Add Connection). */
  connection?: { kind: ConnectionKind; baseUrl: string; email?: string; username?: string; label?: string };
  /** Environment variable name (default JIRA_API_TOKEN). */
  variable?: string;
}

export interface RevokeExactlyArgs extends LeakLocation {
  /** The Data Center connection whose account holds the leaked PAT. Default: the only one, else the user picks. */
  connectionId?: string;
}

/** What Revoke Exactly This Token did. */
export interface RevokeExactlyResult {
  revoked: boolean;
  /** The PAT id inside the leaked token. */
  id: string;
  /** Why nothing was revoked (`not-in-account`, `refused`…). */
  reason?: string;
}

export interface CheckLiveArgs extends LeakLocation {
  /** Skip the confirmation before the token is sent to the site. */
  confirmed?: boolean;
  baseUrl?: string;
  email?: string;
  kind?: ConnectionKind;
}

const SINGLE_QUOTES_BLOCK_EXPANSION = new Set(['shellscript', 'dotenv', 'properties']);

interface ResolvedLeak {
  document: vscode.TextDocument;
  finding: Finding;
  secret: string;
  /** The span is the token itself (not a Basic header value or an encoded URL password). */
  isLiteral: boolean;
}

export interface LeakCommandDeps {
  store: ConnectionStore;
  diagnostics: LeakDiagnostics;
  ignoreFile: IgnoreFile;
  /** Scan Workspace, as this host can (the browser: through workspace.fs, or it says why not). */
  workspaceScanner: { run(): Thenable<unknown> };
  checker: CredentialChecker;
  /** Add Connection with its rules; resolves to the new id. */
  addConnection: (args: AddConnectionArgs) => Promise<string | undefined>;
  /** Replace Token with its rules (shape check, not the same token again). */
  replaceToken: (args: ReplaceTokenArgs, how?: ReplaceOptions) => Promise<string | undefined>;
  /** Use in Terminals for a connection the user chose (not through the command, which asks when given an id). */
  useInTerminals: (id: string) => Promise<void>;
  ui: Ui;
  log: Log;
  /** Remembers the ids of tokens revoked here or found leaked (never a token): token activity alerts if one is still listed. */
  deadTokens?: Pick<DeadTokens, 'record'>;
}

/** The quick fixes' commands and Scan Workspace: registered when made, released on dispose. */
export class LeakCommands extends Disposable {
  private readonly store: ConnectionStore;
  private readonly diagnostics: LeakDiagnostics;
  private readonly ignoreFile: IgnoreFile;
  private readonly checker: CredentialChecker;
  private readonly addConnection: LeakCommandDeps['addConnection'];
  private readonly replaceToken: LeakCommandDeps['replaceToken'];
  private readonly useInTerminals: LeakCommandDeps['useInTerminals'];
  private readonly ui: Ui;
  private readonly log: Log;
  private readonly deadTokens: LeakCommandDeps['deadTokens'];

  constructor(deps: LeakCommandDeps) {
    super();
    this.store = deps.store;
    this.diagnostics = deps.diagnostics;
    this.ignoreFile = deps.ignoreFile;
    this.checker = deps.checker;
    this.addConnection = deps.addConnection;
    this.replaceToken = deps.replaceToken;
    this.useInTerminals = deps.useInTerminals;
    this.ui = deps.ui;
    this.log = deps.log;
    const verifier = new LeakVerifier(deps.diagnostics, deps.store, deps.checker, deps.ui, deps.log);
    this.deadTokens = deps.deadTokens;
    // Quick fixes always pass a location object, so failures also reject for their callers.
    this._register(
      registerGuardedCommands(deps, {
        [Commands.moveLeakedTokenToStore]: (arg) => this.moveToStore(arg as MoveArgs),
        [Commands.ignoreLeakHere]: (arg) => this.ignoreHere(arg as LeakLocation),
        [Commands.ignoreLeakInWorkspace]: (arg) => this.ignoreInWorkspace(arg as LeakLocation),
        [Commands.revokeLeakedToken]: (arg) => this.revoke(arg as LeakLocation),
        [Commands.revokeLeakedPatExactly]: (arg) => this.revokeExactly(arg as RevokeExactlyArgs),
        [Commands.checkLeakedToken]: (arg) => this.checkLive(arg as CheckLiveArgs),
        [Commands.scanWorkspace]: () => deps.workspaceScanner.run(),
        [Commands.verifyLeakedTokens]: () => verifier.run(),
      }),
    );
  }

  private async resolve(location: LeakLocation): Promise<ResolvedLeak> {
    if (!location?.uri) throw new UserFacingError('Run this from a quick fix on a leaked token.');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(location.uri));
    this.diagnostics.scanNow(document);
    const finding = (this.diagnostics.allFindings().get(document.uri.toString()) ?? []).find(
      (f) => f.start === location.start && f.end === location.end,
    );
    if (!finding) throw new UserFacingError('The token is no longer at that place in the document; the diagnostics are up to date now.');
    const recovered = secretOfFinding(document.getText(), finding);
    if (!recovered) throw new UserFacingError('The token could not be read back from the document; edit it by hand.');
    return { document, finding, ...recovered };
  }

  /** The stored connection whose token this is, if any. */
  private storedConnectionFor(leak: ResolvedLeak): Connection | undefined {
    if (leak.finding.connectionId) return this.store.get(leak.finding.connectionId);
    const fingerprint = fingerprintOf(leak.secret);
    const known = this.store.knownTokens().find((t) => t.fingerprint === fingerprint);
    return known && this.store.get(known.connectionId);
  }

  async moveToStore(args: MoveArgs): Promise<{ connectionId: string; replacement: string } | undefined> {
    const leak = await this.resolve(args);
    if (!leak.isLiteral)
      throw new UserFacingError('This token is inside a header or URL: store it with Add Connection and edit the line by hand.');
    let connection = this.storedConnectionFor(leak);
    if (!connection) {
      const id = await this.storeToken(leak, args);
      if (!id) return undefined;
      connection = this.store.get(id);
    }
    if (!connection) return undefined;
    const replacement = await this.replaceLiteral(this.relocate(leak), args.variable ?? EnvVars.token);
    this.log.info(
      `Moved a leaked token (${leak.finding.ruleId}) into “${connection.label}” and replaced it in ${vscode.workspace.asRelativePath(leak.document.uri)}.`,
    );
    void this.ui
      .showInformationMessage(
        `The token is now kept by “${connection.label}”, and the file reads ${args.variable ?? EnvVars.token} from the environment. It was in a file, so rotate it if the file was shared or committed.`,
        {},
        'Use in Terminals',
        'Replace Token',
      )
      .then((choice) => {
        if (choice === 'Use in Terminals')
          void this.useInTerminals(connection.id).catch((error) => this.log.error('Use in Terminals failed', error));
        if (choice === 'Replace Token') void vscode.commands.executeCommand(Commands.replaceToken, { id: connection.id, prompt: true });
      });
    return { connectionId: connection.id, replacement };
  }

  /** Stores the secret as a new connection (or as the new token of one the user picks); resolves to its id. */
  private async storeToken(leak: ResolvedLeak, args: MoveArgs): Promise<string | undefined> {
    if (args.connectionId) return this.replaceToken({ id: args.connectionId, token: leak.secret });
    if (args.connection) {
      return this.addConnection({ ...args.connection, token: leak.secret });
    }
    const hints = connectionHints(leak.document.getText(), leak.finding.start, leak.secret);
    type Choice = vscode.QuickPickItem & { connectionId?: string };
    const items: Choice[] = [
      {
        label: '$(add) New connection',
        description: [hints.baseUrl, hints.email].filter(Boolean).join(' · ') || 'enter the site and user',
        detail: 'Found near the token; you confirm each field.',
      },
      ...this.store
        .list()
        .map((c) => ({ label: `$(key) Use as the new token of “${c.label}”`, description: c.baseUrl, connectionId: c.id })),
    ];
    // Where the token goes: an existing connection (one step), or a new one from the hints (site, kind unless found, user).
    const answers: { choice?: Choice; baseUrl?: string; kind?: ConnectionKind; user?: string } = {};
    const steps: Record<'choice' | 'site' | 'kind' | 'user', InputStep<typeof answers>> = {
      choice: {
        ask: async (input) => {
          answers.choice = await input.showQuickPick(items, {
            title: `Move ${redactSecret(leak.secret)} to Jira Token Guard`,
            ignoreFocusOut: true,
            activeItem: answers.choice,
          });
        },
        next: () => (answers.choice?.connectionId ? undefined : steps.site),
      },
      site: {
        ask: async (input) => {
          answers.baseUrl = await input.showInputBox({
            title: 'Jira site of this token',
            value: answers.baseUrl ?? hints.baseUrl ?? '',
            placeHolder: 'https://your-team.atlassian.net',
            ignoreFocusOut: true,
            validateInput: (v) => {
              const url = normalizeBaseUrl(v);
              return url.ok || !v.trim() ? undefined : url.error;
            },
          });
        },
        next: () => (hints.kind ? steps.user : steps.kind),
      },
      kind: {
        ask: async (input) => {
          answers.kind = await pickKind(input, undefined, answers.kind);
        },
        next: () => steps.user,
      },
      user: {
        ask: async (input) => {
          const kind = hints.kind ?? answers.kind!;
          const cloud = isCloudKind(kind);
          answers.user = await input.showInputBox({
            title: cloud ? 'Email of the Atlassian account' : 'Jira user name (optional)',
            value: answers.user ?? hints.email ?? '',
            ignoreFocusOut: true,
            validateInput: (v) => {
              const check = validateUser(kind, cloud ? v : undefined, cloud ? undefined : v);
              return check.ok || !v.trim() ? undefined : check.error;
            },
          });
        },
        next: () => undefined,
      },
    };
    if (!(await MultiStepInput.run(this.ui, steps.choice, answers))) return undefined;
    if (answers.choice?.connectionId)
      return this.replaceToken({ id: answers.choice.connectionId, token: leak.secret }, { userChose: true });
    const kind = hints.kind ?? answers.kind!;
    return this.addConnection({
      kind,
      baseUrl: answers.baseUrl!,
      token: leak.secret,
      ...(isCloudKind(kind) ? { email: answers.user } : { username: answers.user }),
    });
  }

  /** The same token in the document as it is now: the user may have typed while the prompts were open. */
  private relocate(leak: ResolvedLeak): ResolvedLeak {
    this.diagnostics.scanNow(leak.document);
    const candidates = (this.diagnostics.allFindings().get(leak.document.uri.toString()) ?? []).filter(
      (f) => f.fingerprint === leak.finding.fingerprint,
    );
    const finding = candidates.sort((a, b) => Math.abs(a.start - leak.finding.start) - Math.abs(b.start - leak.finding.start))[0];
    const recovered = finding && secretOfFinding(leak.document.getText(), finding);
    if (!finding || !recovered?.isLiteral) {
      throw new UserFacingError('The token is stored, but it changed in the file while you answered: replace it there by hand.');
    }
    return { ...leak, finding, ...recovered };
  }

  /** Replaces the literal (with its quotes, where the language needs code) by an environment lookup. */
  private async replaceLiteral(leak: ResolvedLeak, variable: string): Promise<string> {
    const { document, finding } = leak;
    const text = document.getText();
    const reference = envReference(document.languageId, variable);
    let start = finding.start;
    let end = finding.end;
    const quote = text[start - 1];
    const quoted = (quote === '"' || quote === "'" || quote === '`') && text[end] === quote;
    let replacement = reference.text;
    if (reference.replacesQuotes) {
      if (quoted) {
        start -= 1;
        end += 1;
      } else {
        // Inside a longer string or a comment: code cannot go there, so leave a clear placeholder.
        replacement = `\${${variable}}`;
      }
    } else if (quoted && quote === "'" && SINGLE_QUOTES_BLOCK_EXPANSION.has(document.languageId)) {
      // '${VAR}' is never expanded by a shell or dotenv: use double quotes.
      start -= 1;
      end += 1;
      replacement = `"${reference.text}"`;
    }
    const wasDirty = document.isDirty;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(start), document.positionAt(end)), replacement);
    if (document.languageId === 'python' && replacement.startsWith('os.') && !/^\s*import os\b|^\s*from os\b/m.test(text)) {
      edit.insert(document.uri, new vscode.Position(pythonImportLine(text), 0), 'import os\n');
    }
    if (!(await vscode.workspace.applyEdit(edit)))
      throw new UserFacingError('The file could not be edited; the token was stored but is still in the file.');
    // The secret must not stay on disk: save at once when the file had no other unsaved changes.
    if (!wasDirty && document.uri.scheme !== 'untitled' && !(await document.save())) {
      // Not a failure of the move (the token is stored and gone from the editor), but the disk still holds it.
      void this.ui.showWarningMessage(
        `${vscode.workspace.asRelativePath(document.uri)} could not be saved: it still holds the token on disk until you save it.`,
        {},
      );
    }
    return replacement;
  }

  async ignoreHere(location: LeakLocation): Promise<void> {
    const leak = await this.resolve(location);
    const { document, finding } = leak;
    const comment = ignoreComment(document.languageId);
    if (!comment) {
      const choice = await this.ui.showInformationMessage(
        `${document.languageId.toUpperCase()} files cannot hold comments. Ignore this token in the workspace instead (by its fingerprint)?`,
        { modal: true },
        'Ignore in Workspace',
      );
      if (choice) await this.ignoreInWorkspace(location);
      return;
    }
    const line = document.lineAt(document.positionAt(finding.start).line);
    const indent = line.text.slice(0, line.firstNonWhitespaceCharacterIndex);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, line.range.start, `${indent}${comment.prefix}jira-token-guard:ignore${comment.suffix ?? ''}\n`);
    await vscode.workspace.applyEdit(edit);
  }

  async ignoreInWorkspace(location: LeakLocation): Promise<vscode.Uri> {
    const leak = await this.resolve(location);
    const where = `${vscode.workspace.asRelativePath(leak.document.uri, false)}:${leak.finding.line + 1}`;
    const uri = await this.ignoreFile.add(leak.document.uri, leak.finding.fingerprint, `${leak.finding.ruleId} at ${where}`);
    this.diagnostics.scanNow(leak.document);
    return uri;
  }

  async revoke(location: LeakLocation): Promise<string | undefined> {
    const leak = await this.resolve(location);
    const page = await this.revokePage(leak);
    if (!page) return undefined;
    await this.ui.openExternal(page);
    return page;
  }

  /**
   * Revokes the leaked Data Center PAT by the id it carries, through the account of a Data Center connection,
   * after a modal naming the token and the site. Only that id, and only when it is in the account's list:
   * otherwise nothing is revoked and the user is told why. Never "the first token in the list".
   */
  async revokeExactly(args: RevokeExactlyArgs): Promise<RevokeExactlyResult | undefined> {
    const leak = await this.resolve(args);
    const id = classifyToken(leak.secret) === 'datacenter-pat' ? decodePatId(leak.secret) : undefined;
    if (id === undefined) throw new UserFacingError('This is not a Jira Data Center personal access token: revoke it where it was issued.');
    const candidates = this.store.list().filter((c) => c.kind === 'datacenter-pat');
    let connection = args.connectionId ? candidates.find((c) => c.id === args.connectionId) : undefined;
    if (!connection && args.connectionId) throw new UserFacingError('That is not a Data Center personal access token connection.');
    if (!connection && candidates.length === 1) connection = candidates[0];
    if (!connection && candidates.length > 1) {
      const picked = await this.ui.showQuickPick(
        candidates.map((c) => ({ label: c.label, description: new URL(c.baseUrl).host, id: c.id })),
        { title: "Revoke exactly this token: which connection's account holds it?" },
      );
      if (!picked) return undefined;
      connection = candidates.find((c) => c.id === picked.id);
    }
    if (!connection)
      throw new UserFacingError(
        "Add a connection to the Data Center site that issued this token first: its account's token list tells which token to revoke.",
      );
    const host = new URL(connection.baseUrl).host;
    const choice = await this.ui.showWarningMessage(
      `Revoke the leaked personal access token ${redactSecret(leak.secret)} (id ${id}) on ${host}, through the connection ${quotedData(connection.label)}?`,
      {
        modal: true,
        detail: `Only the token whose id (${id}) is inside the leaked token is revoked on ${host}, and only if it is one of this account's tokens; whatever still uses it stops working. The token stored for ${quotedData(connection.label)} is used to ask Jira.`,
      },
      'Revoke',
    );
    if (choice !== 'Revoke') return undefined;
    const stored = await this.store.getToken(connection.id);
    if (!stored) throw new UserFacingError(`The token of ${quotedData(connection.label)} is not in the secret storage: replace it first.`);
    // The PAT API client (axios) loads when a revocation runs, not at start-up.
    const { PatApi } = await import('../node/jira');
    const api = new PatApi(connection.baseUrl, {
      timeoutMs: Math.max(1, setting('requestTimeoutSeconds')) * 1000,
      log: (line) => this.log.info(line),
    });
    const result = await api.revokeLeaked({ pat: stored }, leak.secret);
    if (!result.ok) {
      this.log.warn(`Revoke exactly: nothing revoked on ${host} (${result.reason}).`);
      void this.ui.showWarningMessage(`Nothing was revoked on ${host}: ${result.message}`, {});
      return { revoked: false, id, reason: result.reason };
    }
    this.log.info(`Revoke exactly: revoked the PAT with id ${id} on ${host}.`);
    await this.deadTokens?.record(id, 'revoked', connection.id);
    void this.ui.showInformationMessage(
      `Revoked the leaked token ${quotedData(result.name)} (id ${id}) on ${host}. Remove it from the file as well.`,
      {},
    );
    return { revoked: true, id };
  }

  private async revokePage(leak: ResolvedLeak): Promise<string | undefined> {
    const stored = this.storedConnectionFor(leak);
    if (stored) return tokenPageUrl(stored);
    const shape = classifyToken(leak.secret);
    if (shape === 'bitbucket-app-password') return BITBUCKET_APP_PASSWORDS_PAGE;
    const hints = connectionHints(leak.document.getText(), leak.finding.start, leak.secret);
    if (shape === 'bitbucket-dc-http-token') {
      const site = await this.ui.showInputBox({
        title: 'Bitbucket Data Center site that issued this token',
        value: hints.baseUrl ?? '',
        placeHolder: 'https://bitbucket.example.com',
      });
      return site ? bitbucketDcTokenPageUrl(site) : undefined;
    }
    if (shape !== 'datacenter-pat') return CLOUD_TOKEN_PAGE;
    const baseUrl =
      hints.baseUrl ??
      (await this.ui.showInputBox({ title: 'Jira Data Center site that issued this token', placeHolder: 'https://jira.example.com' }));
    if (!baseUrl) return undefined;
    return tokenPageUrl({ kind: 'datacenter-pat', baseUrl: baseUrl.replace(/\/+$/, '') });
  }

  /** Sends the token to Jira only on request: to the connection that holds it, or the site found nearby after confirmation. */
  async checkLive(args: CheckLiveArgs): Promise<CheckResult | undefined> {
    const leak = await this.resolve(args);
    if (!CHECKABLE_RULES.has(leak.finding.ruleId)) {
      throw new UserFacingError(
        leak.finding.ruleId === 'bitbucket-app-password'
          ? 'Bitbucket app passwords no longer authenticate anywhere: there is nothing to check. Remove it from the file.'
          : 'This is not a Jira token, so Jira cannot check it. Revoke it where it was issued.',
      );
    }
    const stored = this.storedConnectionFor(leak);
    if (stored) {
      // The live token of a connection: an ordinary Test Connection, recorded, with its actions.
      const result = await this.checker.checkStored(stored.id);
      this.checker.showResult(this.store.get(stored.id) ?? stored, result);
      return result;
    }
    const hints = connectionHints(leak.document.getText(), leak.finding.start, leak.secret);
    const baseUrl = args.baseUrl ?? hints.baseUrl;
    const kind = args.kind ?? hints.kind;
    const email = args.email ?? hints.email;
    if (!baseUrl || !kind || (isCloudKind(kind) && !email)) {
      throw new UserFacingError('No Jira site (and, for Cloud, email) was found near this token. Add it as a connection to check it.');
    }
    if (!args.confirmed) {
      const receivers = isCloudKind(kind)
        ? `${baseUrl} and, if that site refuses it, Atlassian's API gateway (${setting('cloudGatewayUrl')})`
        : baseUrl;
      const choice = await this.ui.showWarningMessage(
        `Send this token to ${baseUrl}${email ? ` as ${email}` : ''} to check whether it is live?`,
        { modal: true, detail: `It goes to ${receivers} only, and never over plain http except to this machine.` },
        'Check',
      );
      if (choice !== 'Check') return undefined;
    }
    const result = await this.checker.check({ kind, baseUrl, email: isCloudKind(kind) ? email : undefined }, leak.secret);
    const live = result.status === 'valid';
    void this.ui
      .showWarningMessage(
        live
          ? `This token is live (${baseUrl}): anyone who reads this file can use it. Revoke it and keep the new one in Jira Token Guard.`
          : `The check says: ${result.message}`,
        {},
        ...(live ? ['Revoke…'] : []),
      )
      .then((choice) => choice && this.revoke(args).catch((error) => this.log.error('revoke failed', error)));
    return result;
  }
}
