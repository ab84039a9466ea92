// The connection commands: add (guided or from an argument object), edit, replace token, remove, open
// site, open token page, copy URL, refresh. Failures are shown in plain words and, for callers that
// passed an argument object, also reject the command's promise.
import * as vscode from 'vscode';
import {
  type CheckResult,
  type Connection,
  type ConnectionKind,
  type Credential,
  isCloudKind,
  connectionUser,
  type JiraIdentity,
  learnedFromCheck,
  SITE_UNAVAILABLE,
} from '../core/connections/connection';
import {
  defaultCloudExpiry,
  defaultLabel,
  validateLabel,
  suggestKindForUrl,
  tokenKindMismatch,
  validateConnectionInput,
  validateExpiry,
  validateToken,
  validateUser,
} from '../core/connections/connectionInput';
import { isLoopbackHost, normalizeBaseUrl } from '../core/connections/url';
import { setting } from '../common/config';
import { type ConnectionStore } from './connectionStore';
import { UserFacingError } from '../common/commandErrors';
import { registerGuardedCommands } from '../common/guardedCommands';
import { Disposable } from '../common/lifecycle';
import { type AddConnectionArgs, type EditConnectionArgs, type ReplaceOptions, type ReplaceTokenArgs } from './connectionArgs';
import { isArgumentObject } from '../common/commandArgs';
import { type ConnectionsTreeProvider } from './connectionsTree';
import { type ConnectionPicker, pickKind } from './connectionPicker';
import { type Log } from '../common/log';
import { type Ui } from '../common/ui';
import { Commands } from '../common/constants';
import { tokenPageUrl } from '../core/connections/tokenPages';
import { InputFlowAction, type InputStep, MultiStepInput } from '../common/multiStepInput';

/** Thrown for input the user must correct; its message is shown as is. */
export class UserInputError extends UserFacingError {}

/** Checks a credential before it is saved (the token-test feature). */
export interface CredentialVerifier {
  check(credential: Credential & { label?: string }, token: string): Promise<CheckResult>;
}

export interface ConnectionCommandDeps {
  store: ConnectionStore;
  tree: ConnectionsTreeProvider;
  log: Log;
  /** Checks a credential before it is saved. */
  verifier: CredentialVerifier;
  ui: Ui;
  picker: ConnectionPicker;
  now?: () => Date;
  /** Test mode only: a command may move a token between loopback sites (the fake Jira servers) unasked. */
  loopbackMovesUnattended?: boolean;
}

/** Add, edit, replace, remove, open and copy: registered when made, released on dispose. */
export class ConnectionCommands extends Disposable {
  private readonly store: ConnectionStore;
  private readonly tree: ConnectionsTreeProvider;
  private readonly log: Log;
  private readonly verifier: CredentialVerifier;
  private readonly ui: Ui;
  private readonly picker: ConnectionPicker;
  private readonly now: () => Date;
  private readonly loopbackMovesUnattended: boolean;

  constructor(deps: ConnectionCommandDeps) {
    super();
    this.store = deps.store;
    this.tree = deps.tree;
    this.log = deps.log;
    this.verifier = deps.verifier;
    this.ui = deps.ui;
    this.picker = deps.picker;
    this.now = deps.now ?? (() => new Date());
    this.loopbackMovesUnattended = deps.loopbackMovesUnattended ?? false;
    this._register(
      registerGuardedCommands(deps, {
        [Commands.addConnection]: (arg) => this.add(arg),
        [Commands.editConnection]: (arg) => this.edit(arg),
        [Commands.replaceToken]: (arg) => this.replaceToken(arg),
        [Commands.removeConnection]: (arg) => this.remove(arg),
        [Commands.openSite]: (arg) => this.openSite(arg),
        [Commands.openTokenPage]: (arg) => this.openTokenPage(arg),
        [Commands.copySiteUrl]: (arg) => this.copySiteUrl(arg),
        [Commands.refresh]: () => this.tree.reload(),
      }),
    );
  }

  // ---- add -------------------------------------------------------------------------------------

  async add(arg?: unknown): Promise<string | undefined> {
    if (isArgumentObject(arg)) return this.addFromArgs(arg);
    return this.addInteractively();
  }

  private async addFromArgs(args: AddConnectionArgs): Promise<string> {
    const input = validateConnectionInput(args, this.now());
    if (!input.ok) throw new UserInputError(input.error);
    const value = input.value;
    const mismatch = tokenKindMismatch(value.token, value.kind);
    if (mismatch && !args.allowShapeMismatch) throw new UserInputError(`${mismatch} Nothing was saved.`);
    const existing = this.store.findSameSiteAndUser(value.baseUrl, value.email ?? value.username);
    if (existing) {
      throw new UserInputError(
        `A connection for ${value.baseUrl} and this user exists already (“${existing.label}”): use Replace Token on it instead.`,
      );
    }
    const details = {
      label: value.label,
      kind: value.kind,
      baseUrl: value.baseUrl,
      email: value.email,
      username: value.username,
      expiresAt: value.expiresAt,
    };
    let verdict: CheckResult | undefined;
    if (args.verify) {
      verdict = await this.verifier.check(details, value.token);
      if (verdict.status !== 'valid') throw new UserInputError(`The token was not saved (${verdict.status}): ${verdict.message}`);
    }
    return (await this.save(details, value.token, verdict)).id;
  }

  /** Saves a new connection, with what a successful check taught (verdict, kind, cloud id, PAT expiry). */
  private async save(details: Omit<Connection, 'id' | 'createdAt'>, token: string, verdict?: CheckResult): Promise<Connection> {
    const learned = verdict ? learnedFromCheck(details, verdict, this.now()) : {};
    const connection = await this.store.add({ ...details, ...learned }, token);
    this.log.info(`Added connection “${connection.label}” (${connection.kind}, ${connection.baseUrl}).`);
    return connection;
  }

  /** Checks a new credential before it is saved; resolves to the verdict to save with, or null to save nothing. */
  private async verifyInteractively(details: Omit<Connection, 'id' | 'createdAt'>, token: string): Promise<CheckResult | undefined | null> {
    const verdict = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Checking the token against ${details.baseUrl}…` },
      () => this.verifier.check(details, token),
    );
    if (verdict.status === 'valid') return verdict;
    if (SITE_UNAVAILABLE.has(verdict.status)) {
      const choice = await this.ui.showWarningMessage(
        `${verdict.message} The token could not be checked.`,
        { modal: true, detail: verdict.hint },
        'Save Anyway',
      );
      return choice === 'Save Anyway' ? undefined : null;
    }
    // Jira answered and refused the token: saving it would only store a credential known not to work.
    const choice = await this.ui.showErrorMessage(
      `Not saved: ${verdict.message}`,
      { modal: true, detail: verdict.hint },
      'Open Token Page',
    );
    if (choice === 'Open Token Page') await this.ui.openExternal(tokenPageUrl(details));
    return null;
  }

  private async addInteractively(): Promise<string | undefined> {
    const answers: AddAnswers = {};
    if (!(await MultiStepInput.run(this.ui, this.addSteps().site, answers))) return undefined;
    const { url, kind, user, token } = answers as Required<AddAnswers>;
    if (answers.existing) {
      await this.replaceToken({ id: answers.existing.id }, { fromAdd: true });
      return answers.existing.id;
    }
    const details = {
      label: answers.label || defaultLabel(url.host, user.email ?? user.username),
      kind,
      baseUrl: url.url,
      ...user,
      // An expiry typed before going back to choose a password is not one: a password has none.
      expiresAt: asksExpiry(kind) ? answers.expiresAt : undefined,
    };
    const verdict = await this.verifyInteractively(details, token);
    if (verdict === null) return undefined;
    const connection = await this.save(details, token, verdict);
    void this.ui.showInformationMessage(`Saved “${connection.label}”. The token is kept in VS Code's secret storage.`, {});
    return connection.id;
  }

  /** Add Jira Connection: site, kind, user, token, expiry (not for a password), name. */
  private addSteps(): Record<'site' | 'kind' | 'user' | 'token' | 'expiry' | 'name', InputStep<AddAnswers>> {
    const title = 'Add Jira Connection';
    const steps: Record<'site' | 'kind' | 'user' | 'token' | 'expiry' | 'name', InputStep<AddAnswers>> = {
      site: {
        ask: async (input, answers) => {
          const rawUrl = await input.showInputBox({
            title: `${title}: site`,
            prompt: 'The Jira site URL, as in your browser (page paths are removed)',
            placeHolder: 'https://your-team.atlassian.net or https://jira.example.com/jira',
            value: answers.rawUrl ?? '',
            ignoreFocusOut: true,
            validateInput: (v) =>
              v.trim() ? (normalizeBaseUrl(v).ok ? undefined : (normalizeBaseUrl(v) as { error: string }).error) : undefined,
          });
          const url = normalizeBaseUrl(rawUrl);
          if (!url.ok) throw new UserInputError(url.error);
          answers.rawUrl = rawUrl;
          answers.url = url;
        },
        next: () => steps.kind,
      },
      kind: {
        ask: async (input, answers) => {
          answers.kind = await pickKind(input, suggestKindForUrl(answers.url?.url ?? ''), answers.kind);
        },
        next: () => steps.user,
      },
      user: {
        ask: async (input, answers) => {
          const kind = answers.kind!;
          const cloud = isCloudKind(kind);
          const userInput = await input.showInputBox({
            title: `${title}: ${cloud ? 'email' : 'user'}`,
            prompt: cloud
              ? 'The email address of your Atlassian account'
              : kind === 'datacenter-basic'
                ? 'Your Jira user name'
                : 'Your Jira user name (optional: the token identifies you)',
            value: answers.userInput ?? '',
            ignoreFocusOut: true,
            validateInput: (v) => {
              const check = validateUser(kind, cloud ? v : undefined, cloud ? undefined : v);
              return check.ok || !v.trim() ? undefined : check.error;
            },
          });
          const user = validateUser(kind, cloud ? userInput : undefined, cloud ? undefined : userInput);
          if (!user.ok) throw new UserInputError(user.error);
          answers.userInput = userInput;
          answers.user = user.value;
          const existing = this.store.findSameSiteAndUser(answers.url!.url, user.value.email ?? user.value.username);
          if (existing) {
            const choice = await this.ui.showWarningMessage(
              `A connection for ${answers.url!.url} and this user exists already (“${existing.label}”).`,
              { modal: true },
              'Replace Its Token',
            );
            if (choice !== 'Replace Its Token') throw InputFlowAction.cancel;
          }
          answers.existing = existing;
        },
        // The same site and user: the flow ends here and Replace Token asks for the new token.
        next: (answers) => (answers.existing ? undefined : steps.token),
      },
      token: {
        ask: async (input, answers) => {
          answers.token = await this.promptToken(input, answers.kind!, title, answers.token);
        },
        next: (answers) => (asksExpiry(answers.kind) ? steps.expiry : steps.name),
      },
      expiry: {
        ask: async (input, answers) => {
          ({ typed: answers.expiryInput, expiresAt: answers.expiresAt } = await this.promptExpiry(
            input,
            answers.kind!,
            title,
            answers.expiryInput,
          ));
        },
        next: () => steps.name,
      },
      name: {
        ask: async (input, answers) => {
          const label = await input.showInputBox({
            title: `${title}: name`,
            prompt: 'A name for this connection',
            value: answers.label ?? defaultLabel(answers.url!.host, answers.user?.email ?? answers.user?.username),
            ignoreFocusOut: true,
            validateInput: (v) => {
              const check = validateLabel(v);
              return check.ok ? undefined : check.error;
            },
          });
          const checkedLabel = validateLabel(label);
          if (!checkedLabel.ok) throw new UserInputError(checkedLabel.error);
          answers.label = checkedLabel.value;
        },
        next: () => undefined,
      },
    };
    return steps;
  }

  /** Asks for the token in a password box; confirms when its shape contradicts the kind (declining ends the flow). */
  private async promptToken(input: MultiStepInput, kind: ConnectionKind, title: string, previous?: string): Promise<string> {
    const raw = await input.showInputBox({
      title: `${title}: ${kind === 'datacenter-basic' ? 'password' : 'token'}`,
      prompt: tokenPrompt(kind),
      password: true,
      value: previous ?? '',
      ignoreFocusOut: true,
      validateInput: (v) => {
        const check = validateToken(v, kind);
        return check.ok || !v ? undefined : check.error;
      },
    });
    const token = validateToken(raw, kind);
    if (!token.ok) throw new UserInputError(token.error);
    const mismatch = tokenKindMismatch(token.value, kind);
    if (mismatch) {
      const choice = await this.ui.showWarningMessage(mismatch, { modal: true }, 'Use It Anyway');
      if (choice !== 'Use It Anyway') throw InputFlowAction.cancel;
    }
    return token.value;
  }

  /** Asks for the expiry; resolves to what was typed (shown again on Back) and the ISO date, undefined for none. */
  private async promptExpiry(
    input: MultiStepInput,
    kind: ConnectionKind,
    title: string,
    previous?: string,
  ): Promise<{ typed: string; expiresAt: string | undefined }> {
    const cloud = isCloudKind(kind);
    const value = await input.showInputBox({
      title: `${title}: expiry`,
      prompt: cloud
        ? 'When does the token expire? Cloud tokens expire after 1–365 days; the token page shows the date. (YYYY-MM-DD)'
        : 'When does the token expire, if it does? The PAT page shows it; leave empty if it never expires. (YYYY-MM-DD)',
      value: previous ?? (cloud ? defaultCloudExpiry(this.now()) : ''),
      ignoreFocusOut: true,
      validateInput: (v) => {
        const check = validateExpiry(v, this.now());
        return check.ok ? undefined : check.error;
      },
    });
    const expiry = validateExpiry(value, this.now());
    if (!expiry.ok) throw new UserInputError(expiry.error);
    return { typed: value, expiresAt: expiry.value };
  }

  // ---- edit, replace, remove ---------------------------------------------------------------------

  async edit(arg?: unknown): Promise<string | undefined> {
    if (isArgumentObject(arg)) return this.editFromArgs(arg as unknown as EditConnectionArgs);
    const connection = await this.picker.pick(arg, 'Edit which connection?');
    if (!connection) return undefined;
    const fields = [
      { label: 'Name', value: 'label', description: connection.label },
      { label: 'Site URL', value: 'baseUrl', description: connection.baseUrl },
      {
        label: isCloudKind(connection.kind) ? 'Email' : 'User name',
        value: isCloudKind(connection.kind) ? 'email' : 'username',
        description: connectionUser(connection) ?? '',
      },
      { label: 'Expiry date', value: 'expiresAt', description: connection.expiresAt?.slice(0, 10) ?? 'none' },
    ] as const;
    type Field = (typeof fields)[number];
    // What was typed for each field, shown again when the user goes back and picks that field again.
    const answers: { field?: Field; typed: Map<Field, string> } = { typed: new Map() };
    const valueStep: InputStep<typeof answers> = {
      ask: async (input) => {
        const field = answers.field!;
        const current = (connection as unknown as Record<string, string | undefined>)[field.value] ?? '';
        answers.typed.set(
          field,
          await input.showInputBox({
            title: `Edit “${connection.label}”: ${field.label}`,
            value: answers.typed.get(field) ?? (field.value === 'expiresAt' ? current.slice(0, 10) : current),
            ignoreFocusOut: true,
          }),
        );
      },
      next: () => undefined,
    };
    const fieldStep: InputStep<typeof answers> = {
      ask: async (input) => {
        answers.field = await input.showQuickPick(fields, {
          title: `Edit “${connection.label}”`,
          placeHolder: 'What do you want to change? (to change the token, use Replace Token)',
          activeItem: answers.field,
        });
      },
      next: () => valueStep,
    };
    if (!(await MultiStepInput.run(this.ui, fieldStep, answers))) return undefined;
    const field = answers.field!;
    const value = answers.typed.get(field)!;
    return this.editFromArgs({ id: connection.id, [field.value]: value }, true);
  }

  private async editFromArgs(args: EditConnectionArgs, interactive = false): Promise<string> {
    const connection = this.picker.require(args.id);
    const changes: Partial<Connection> = {};
    if (args.label !== undefined) {
      const label = validateLabel(args.label);
      if (!label.ok) throw new UserInputError(label.error);
      if (!label.value) throw new UserInputError('The name cannot be empty.');
      changes.label = label.value;
    }
    if (args.baseUrl !== undefined) {
      const url = normalizeBaseUrl(args.baseUrl);
      if (!url.ok) throw new UserInputError(url.error);
      changes.baseUrl = url.url;
    }
    if (args.email !== undefined || args.username !== undefined) {
      const user = validateUser(connection.kind, args.email ?? connection.email, args.username ?? connection.username);
      if (!user.ok) throw new UserInputError(user.error);
      // Set both explicitly so an emptied user name is cleared, not kept.
      changes.email = user.value.email;
      changes.username = user.value.username;
    }
    if (args.expiresAt !== undefined) {
      const expiry = validateExpiry(args.expiresAt, this.now());
      if (!expiry.ok) throw new UserInputError(expiry.error);
      changes.expiresAt = expiry.value;
    }
    if ('baseUrl' in changes || 'email' in changes || 'username' in changes) changes.lastCheck = undefined;
    // A cloud id belongs to a site: another site has another one (found again at the next check).
    if (changes.baseUrl !== undefined && changes.baseUrl !== connection.baseUrl) changes.cloudId = undefined;
    const keepToken = await this.allowCredentialMove(connection, changes, interactive);
    if (keepToken) await this.store.update(connection.id, changes);
    else await this.store.changeAndForgetToken(connection.id, changes);
    return connection.id;
  }

  /**
   * The stored token goes wherever the connection points: a new site, user, kind or gateway (cloud id) for a
   * connection that holds one needs the user's consent, in a modal dialog. A command's argument object skips
   * the dialog only with `allowUnattendedTokenChanges`, a setting a team turns on deliberately, or in the
   * extension's own integration tests between loopback sites (in production another extension could listen
   * on loopback). Resolves to true to keep the token, false to drop it; throws when refused.
   */
  private async allowCredentialMove(connection: Connection, changes: Partial<Connection>, interactive: boolean): Promise<boolean> {
    const moves = describeCredentialMove(connection, changes);
    if (!moves || connection.tokenMissing) return true;
    const unattended =
      setting('allowUnattendedTokenChanges') ||
      (this.loopbackMovesUnattended && bothLoopback(connection.baseUrl, changes.baseUrl ?? connection.baseUrl));
    if (!interactive && unattended) return true;
    const keep = 'Keep the Token';
    const drop = 'Change and Remove the Token';
    const question = interactive
      ? `Change “${connection.label}”: ${moves}? Its stored token would be sent there from now on.`
      : `A command (a keybinding, task or another extension) asks to change “${connection.label}”: ${moves}. Send its stored token there from now on?`;
    const choice = await this.ask(
      question,
      'The token will be presented to the new site or as the new user at the next check and in new terminals. Keep it only if it belongs there; otherwise the connection keeps the change without a token, and Replace Token gives it the right one.',
      keep,
      drop,
    );
    if (choice === keep) return true;
    if (choice === drop) return false;
    throw new UserInputError(`“${connection.label}” was not changed: moving its token needs your consent.`);
  }

  async replaceToken(arg?: unknown, how: ReplaceOptions = {}): Promise<string | undefined> {
    const fromAdd = how.fromAdd === true;
    const connection = isArgumentObject(arg)
      ? this.picker.require(typeof arg.id === 'string' ? arg.id : '')
      : await this.picker.pick(arg, 'Replace the token of which connection?');
    if (!connection) return undefined;
    // `{ id, prompt: true }`: the caller names the connection and the user types the token.
    const prompting = !isArgumentObject(arg) || fromAdd || arg.prompt === true;
    let token: string | undefined;
    let expiresAt: string | undefined;
    if (!prompting) {
      const args = arg as unknown as ReplaceTokenArgs;
      const check = validateToken(args.token, connection.kind);
      if (!check.ok) throw new UserInputError(check.error);
      const mismatch = tokenKindMismatch(check.value, connection.kind);
      if (mismatch && !args.allowShapeMismatch) throw new UserInputError(`${mismatch} The previous token is still in use.`);
      const expiry = validateExpiry(args.expiresAt, this.now());
      if (!expiry.ok) throw new UserInputError(expiry.error);
      token = check.value;
      expiresAt = expiry.value;
    } else {
      const title = `Replace Token of “${connection.label}”`;
      const answers: { token?: string; expiryInput?: string; expiresAt?: string } = {};
      const expiryStep: InputStep<typeof answers> = {
        ask: async (input) => {
          ({ typed: answers.expiryInput, expiresAt: answers.expiresAt } = await this.promptExpiry(
            input,
            connection.kind,
            title,
            answers.expiryInput,
          ));
        },
        next: () => undefined,
      };
      const tokenStep: InputStep<typeof answers> = {
        ask: async (input) => {
          answers.token = await this.promptToken(input, connection.kind, title, answers.token);
        },
        next: () => (asksExpiry(connection.kind) ? expiryStep : undefined),
      };
      if (!(await MultiStepInput.run(this.ui, tokenStep, answers))) return undefined;
      token = answers.token!;
      expiresAt = answers.expiresAt;
    }
    const current = await this.store.getToken(connection.id);
    if (current === token)
      throw new UserInputError('That is the token already stored. Create a new token on the token page, then replace it.');
    if (!prompting && !how.userChose && current !== undefined) await this.confirmReplacement(connection, token);
    await this.store.replaceToken(connection.id, token, { expiresAt });
    this.log.info(`Replaced the token of “${connection.label}”.`);
    if (prompting && current !== undefined) {
      // Not awaited: the command is done; the reminder to revoke stays until the user acts on it.
      void this.ui
        .showInformationMessage(
          `The new token of “${connection.label}” is saved. Revoke the old one so it cannot be used any more.`,
          {},
          'Open Token Page',
        )
        .then((revoke) => revoke && this.openTokenPage({ id: connection.id }));
    }
    return connection.id;
  }

  /**
   * A token given by a command replaces a stored one only when Jira says it belongs to the same account,
   * or when the user confirms (or a team turned on `allowUnattendedTokenChanges`). Another extension must
   * not swap the user's token for one of its own.
   */
  private async confirmReplacement(connection: Connection, token: string): Promise<void> {
    if (setting('allowUnattendedTokenChanges')) return;
    const verdict = await this.verifier.check(connection, token);
    if (verdict.status === 'valid' && sameAccount(connection, verdict.identity)) return;
    const why =
      verdict.status === 'valid'
        ? 'Jira accepts it, but not as the account of this connection.'
        : `It could not be checked as the same account: ${verdict.message}`;
    const choice = await this.ask(
      `A command (a keybinding, task or another extension) asks to replace the token of “${connection.label}”. ${why}`,
      'Replace it only if you started this and the new token is yours.',
      'Replace',
    );
    if (choice !== 'Replace')
      throw new UserInputError(`The token of “${connection.label}” was not replaced: ${why} The previous token is still in use.`);
  }

  /** A modal question about a credential; a dialog that cannot be shown (a host that refuses dialogs) counts as No. */
  private async ask(question: string, detail: string, ...choices: string[]): Promise<string | undefined> {
    try {
      return await this.ui.showWarningMessage(question, { modal: true, detail }, ...choices);
    } catch (error) {
      this.log.warn(
        `The question could not be shown, so the answer is no: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
      return undefined;
    }
  }

  async remove(arg?: unknown): Promise<string | undefined> {
    const fromCommand = isArgumentObject(arg);
    const connection = fromCommand
      ? this.picker.require(typeof arg.id === 'string' ? arg.id : '')
      : await this.picker.pick(arg, 'Remove which connection?');
    if (!connection) return undefined;
    // Atlassian shows a token once: a removed one is gone for good. A command (another extension, a keybinding)
    // asks like the user's own click, unless a team confirmed allowUnattendedTokenChanges.
    if (!fromCommand || !setting('allowUnattendedTokenChanges')) {
      const question = fromCommand
        ? `A command (a keybinding, task or another extension) asks to remove “${connection.label}” and delete its token from secret storage. Remove it?`
        : `Remove “${connection.label}” and delete its token from secret storage?`;
      const choice = await this.ask(
        question,
        'The token itself stays valid at Atlassian until you revoke it on the token page, but it cannot be shown again there.',
        'Remove',
      );
      if (choice !== 'Remove') {
        if (fromCommand) throw new UserInputError(`“${connection.label}” was not removed: that needs your consent.`);
        return undefined;
      }
    }
    await this.store.remove(connection.id);
    this.log.info(`Removed connection “${connection.label}”.`);
    return connection.id;
  }

  // ---- open and copy -----------------------------------------------------------------------------

  async openSite(arg?: unknown): Promise<string | undefined> {
    const connection = await this.picker.pick(arg, 'Open which site?');
    if (!connection) return undefined;
    await this.ui.openExternal(connection.baseUrl);
    return connection.baseUrl;
  }

  async openTokenPage(arg?: unknown): Promise<string | undefined> {
    const connection = await this.picker.pick(arg, 'Open the token page of which connection?');
    if (!connection) return undefined;
    const page = tokenPageUrl(connection);
    await this.ui.openExternal(page);
    return page;
  }

  async copySiteUrl(arg?: unknown): Promise<string | undefined> {
    const connection = await this.picker.pick(arg, 'Copy the URL of which connection?');
    if (!connection) return undefined;
    await this.ui.writeClipboard(connection.baseUrl);
    void vscode.window.setStatusBarMessage(`Copied ${connection.baseUrl}`, 3000);
    return connection.baseUrl;
  }
}

/** What a change does to where the stored credential goes, in words; undefined when it stays put. */
export function describeCredentialMove(connection: Connection, changes: Partial<Connection>): string | undefined {
  const parts: string[] = [];
  if (changes.baseUrl !== undefined && changes.baseUrl !== connection.baseUrl)
    parts.push(`site ${connection.baseUrl} → ${changes.baseUrl}`);
  if (changes.kind !== undefined && changes.kind !== connection.kind) parts.push(`kind ${connection.kind} → ${changes.kind}`);
  const userBefore = connectionUser(connection) ?? '';
  const userAfter = 'email' in changes || 'username' in changes ? (changes.email ?? changes.username ?? '') : userBefore;
  if (userAfter.toLowerCase() !== userBefore.toLowerCase()) parts.push(`user ${userBefore || '(none)'} → ${userAfter || '(none)'}`);
  if ('cloudId' in changes && changes.cloudId !== undefined && changes.cloudId !== connection.cloudId) parts.push('gateway cloud id');
  return parts.length ? parts.join(', ') : undefined;
}

function bothLoopback(before: string, after: string): boolean {
  const host = (url: string) => {
    try {
      return new URL(url).hostname;
    } catch {
      return '';
    }
  };
  return isLoopbackHost(host(before)) && isLoopbackHost(host(after));
}

/** Whether a verdict's identity is the account the connection authenticated as before. */
export function sameAccount(connection: Connection, identity: JiraIdentity | undefined): boolean {
  const before = connection.lastCheck?.status === 'valid' ? connection.lastCheck.identity : undefined;
  if (before?.accountId && identity?.accountId) return before.accountId === identity.accountId;
  if (before?.key && identity?.key) return before.key === identity.key;
  // A PAT names its user only through Jira's answer; the other kinds send the user with the secret.
  if (connection.kind === 'datacenter-pat')
    return !!connection.username && identity?.name?.toLowerCase() === connection.username.toLowerCase();
  return true;
}

function tokenPrompt(kind: ConnectionKind): string {
  switch (kind) {
    case 'cloud':
    case 'cloud-scoped':
      return 'Paste the API token (create one at id.atlassian.com › Security › API tokens). It is stored only in VS Code secret storage.';
    case 'datacenter-pat':
      return 'Paste the Personal Access Token (Jira profile › Personal Access Tokens). It is stored only in VS Code secret storage.';
    case 'datacenter-basic':
      return 'Your Jira password. Consider a Personal Access Token instead: it can expire and be revoked alone.';
  }
}

/** A password has no expiry date to record (the audit advises a PAT instead); tokens do. */
function asksExpiry(kind: ConnectionKind | undefined): boolean {
  return kind !== 'datacenter-basic';
}

/** What Add Jira Connection has been told so far; kept when the user goes back, to show the answers again. */
interface AddAnswers {
  rawUrl?: string;
  url?: { url: string; host: string };
  kind?: ConnectionKind;
  userInput?: string;
  user?: { email?: string; username?: string };
  /** A connection for the same site and user, whose token the user chose to replace instead. */
  existing?: Connection;
  token?: string;
  expiryInput?: string;
  expiresAt?: string;
  label?: string;
}
