// Rotate Token and Find Where This Token Is Used.
// - Data Center PAT: the new token is created through the PAT API, checked, stored, and only then the old
//   one is revoked (core/hygiene/rotation.ts holds the order and the failure rules).
// - Cloud: no API creates tokens, so the flow guides: token page, suggested name and expiry, the new token
//   in a password box, checked against the same site and account, stored, then the old one to revoke.
// Before a rotation the places that hold the token are shown, and again after it, to replace each one.
import * as vscode from 'vscode';
import { type CheckResult, type Connection, isCloudKind, learnedFromCheck } from '../core/connections/connection';
import { defaultCloudExpiry, validateExpiry, validateToken } from '../core/connections/connectionInput';
import {
  MAX_EXPIRY_DAYS,
  ROTATION_STEP_NAMES,
  rotateDataCenterPat,
  rotatedTokenName,
  rotationExpiryDays,
} from '../core/hygiene/patRotation';
import { CLOUD_TOKEN_PAGE, tokenPageUrl } from '../core/connections/tokenPages';
import { formatDate, plural, quotedData } from '../core/common/text';
import { searchableByContent } from '../core/hygiene/tokenUses';
import { type ConnectionStore } from '../connections/connectionStore';
import { isArgumentObject } from '../common/commandArgs';
import type { PickConnection } from '../connections/connectionPicker';
import { UserFacingError } from '../common/commandErrors';
import { type Log } from '../common/log';
import { type Ui } from '../common/ui';
import { setting } from '../common/config';
import { type InputStep, MultiStepInput } from '../common/multiStepInput';
import { describePlace, type TokenUseFinder, type TokenUseLocation } from './tokenUseFinder';
import type { DeadTokens } from '../hygiene/deadTokens';

export interface RotateTokenArgs {
  id: string;
  /** Lifetime of the new Data Center PAT in days (default: the old token's, capped by a setting). */
  expiryDays?: number;
  /** The account password, for servers that refuse PAT-authenticated creation (used once, never kept). */
  password?: string;
}

export interface RotateTokenResult {
  id: string;
  /** The new PAT's id (Data Center); undefined for Cloud, whose token ids are not visible. */
  newTokenId: string | undefined;
  revokedOldToken: boolean;
}

export interface TokenUse {
  uri: vscode.Uri;
  /** 1-based. */
  line: number;
}

export interface RotationCommandDeps {
  store: Pick<ConnectionStore, 'getToken' | 'replaceToken' | 'updateIf'>;
  checker: { check(connection: Connection, token: string): Promise<CheckResult> };
  finder: TokenUseFinder;
  home: () => string;
  pickConnection: PickConnection;
  ui: Ui;
  log: Log;
  now: () => Date;
  /** Remembers the replaced PAT's id (never the token): token activity alerts if it is still listed. */
  deadTokens?: Pick<DeadTokens, 'record'>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export class RotationCommands {
  /** Connections being rotated: a second rotation at once would make a token that nobody keeps. */
  private readonly rotating = new Set<string>();

  constructor(private readonly deps: RotationCommandDeps) {}

  // ---- Rotate Token ----------------------------------------------------------------------------------

  async rotate(arg?: unknown): Promise<RotateTokenResult | undefined> {
    const args = isArgumentObject(arg) ? arg : undefined;
    // A tree node, the palette, or `{ id, prompt: true }` (a reminder): the user is there to see the places.
    const interactive = !args || args.prompt === true;
    const expiryDays = args?.expiryDays;
    // The user's maximum (a guarded setting) bounds what a command may ask for, not only the default.
    const maxDays = Math.min(MAX_EXPIRY_DAYS, setting('rotationMaxExpiryDays'));
    if (
      expiryDays !== undefined &&
      (typeof expiryDays !== 'number' || !Number.isInteger(expiryDays) || expiryDays < 1 || expiryDays > maxDays)
    ) {
      throw new UserFacingError(`expiryDays must be a whole number of days from 1 to ${maxDays} (jiraTokenGuard.rotationMaxExpiryDays).`);
    }
    if (args?.password !== undefined && (typeof args.password !== 'string' || !args.password))
      throw new UserFacingError('password must be a non-empty string.');
    const connection = await this.deps.pickConnection(arg, 'Rotate the token of which connection?');
    if (!connection) return undefined;
    if (connection.kind === 'datacenter-basic') {
      throw new UserFacingError(
        `“${connection.label}” signs in with a password, which cannot be rotated here. Create a Personal Access Token on the PAT page and add it as a connection.`,
      );
    }
    if (this.rotating.has(connection.id)) throw new UserFacingError(`The token of “${connection.label}” is being rotated already.`);
    this.rotating.add(connection.id);
    try {
      const oldToken = await this.deps.store.getToken(connection.id);
      if (oldToken === undefined) throw new UserFacingError(`“${connection.label}” has no token yet: use Replace Token to give it one.`);
      if (isCloudKind(connection.kind)) return await this.rotateCloud(connection, oldToken, interactive);
      return await this.rotateDataCenter(connection, oldToken, { expiryDays, password: args?.password }, interactive);
    } finally {
      this.rotating.delete(connection.id);
    }
  }

  private async rotateDataCenter(
    connection: Connection,
    oldToken: string,
    args: { expiryDays?: number; password?: string },
    interactive: boolean,
  ): Promise<RotateTokenResult | undefined> {
    const { store, checker, ui, log } = this.deps;
    const before = await this.findWithProgress(connection, oldToken);
    const host = new URL(connection.baseUrl).host;
    const maxDays = Math.min(MAX_EXPIRY_DAYS, setting('rotationMaxExpiryDays'));
    const lifetime =
      args.expiryDays !== undefined
        ? `that expires after ${plural(args.expiryDays, 'day')}`
        : `with the lifetime of the current one, at most ${plural(maxDays, 'day')}`;
    // The label can come from a command's argument object: shown as quoted data, never as wording.
    const choice = await ui.showWarningMessage(
      `Rotate the token of the connection ${quotedData(connection.label)} on ${host}, account ${quotedData(connection.username ?? '(unknown)')}? ${this.placesDetail(before)}`,
      {
        modal: true,
        detail: `A new personal access token ${lifetime} is made on ${host} for ${quotedData(connection.username ?? '(unknown)')}, checked and saved here; then the old one is revoked, which stops everything still using it.`,
      },
      'Rotate',
    );
    if (choice !== 'Rotate') return undefined;

    let verdict: CheckResult | undefined;
    let stored: Connection | undefined;
    // The PAT API client (axios) loads when a rotation runs, not at start-up.
    const { PatApi } = await import('../node/jira');
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Rotating the token of “${connection.label}”…` },
      () =>
        rotateDataCenterPat(
          { label: connection.label, username: connection.username, oldToken, maxExpiryDays: setting('rotationMaxExpiryDays'), ...args },
          {
            api: new PatApi(connection.baseUrl, {
              timeoutMs: Math.max(1, setting('requestTimeoutSeconds')) * 1000,
              log: (line) => log.info(line),
            }),
            // The usual check, against the connection's own site only.
            verify: async (token) => (verdict = await checker.check(connection, token)),
            store: async (token, expiresAt) => {
              stored = await store.replaceToken(connection.id, token, { expiresAt });
            },
            askPassword: async () =>
              (await ui.showInputBox({
                title: `Rotate Token of “${connection.label}”: Jira password`,
                prompt: `${host} does not let a personal access token create tokens. Your password is used for this one request and is not kept.`,
                password: true,
                ignoreFocusOut: true,
              })) || undefined,
            now: this.deps.now,
            log: (line) => log.info(`Rotate “${connection.label}”: ${line}`),
          },
        ),
    );
    if (!outcome.ok) {
      log.warn(`Rotating “${connection.label}” failed while ${ROTATION_STEP_NAMES[outcome.step]}.`);
      throw new UserFacingError(`Rotating “${connection.label}” failed while ${ROTATION_STEP_NAMES[outcome.step]}: ${outcome.message}`);
    }
    if (stored && verdict) await this.recordVerdict(stored, verdict);
    if (outcome.oldTokenId) await this.deps.deadTokens?.record(outcome.oldTokenId, 'rotated', connection.id);
    const page = tokenPageUrl(connection);
    const until = outcome.expiresAt ? ` (valid until ${formatDate(outcome.expiresAt)})` : '';
    if (outcome.revokedOldToken) {
      log.info(`Rotated “${connection.label}”: new PAT ${outcome.newTokenId} stored, old one revoked.`);
      void ui.showInformationMessage(`Rotated “${connection.label}”: the new token${until} is saved and the old one is revoked.`, {});
    } else {
      log.warn(`Rotated “${connection.label}”, but the old token was not revoked: ${outcome.revokeProblem ?? ''}`);
      void ui
        .showWarningMessage(
          `The new token of “${connection.label}”${until} is saved and works, but the old one is still valid: ${outcome.revokeProblem ?? ''} Revoke it on [the PAT page](${page}).`,
          {},
          'Open PAT Page',
        )
        .then((open) => (open ? this.deps.ui.openExternal(page) : undefined));
    }
    if (interactive)
      await this.showUses(connection, await this.findWithProgress(connection, oldToken), 'Replace the old token in these places');
    return { id: connection.id, newTokenId: outcome.newTokenId, revokedOldToken: outcome.revokedOldToken };
  }

  private async rotateCloud(connection: Connection, oldToken: string, interactive: boolean): Promise<RotateTokenResult | undefined> {
    const { store, checker, ui, log } = this.deps;
    const now = this.deps.now();
    const before = await this.findWithProgress(connection, oldToken);
    const name = rotatedTokenName(connection.label, now);
    const suggestedExpiry = this.suggestedCloudExpiry(connection, now);
    await ui.openExternal(CLOUD_TOKEN_PAGE);
    const title = `Rotate Token of “${connection.label}”`;
    const answers: { token?: string; expiryInput?: string; expiresAt?: string } = {};
    const expiryStep: InputStep<typeof answers> = {
      ask: async (input) => {
        const expiryInput = await input.showInputBox({
          title: `${title}: expiry`,
          prompt: 'The expiry you chose on the token page (YYYY-MM-DD)',
          value: answers.expiryInput ?? suggestedExpiry,
          ignoreFocusOut: true,
          validateInput: (v) => {
            const check = validateExpiry(v, now);
            return check.ok ? undefined : check.error;
          },
        });
        const expiry = validateExpiry(expiryInput, now);
        if (!expiry.ok) throw new UserFacingError(expiry.error);
        answers.expiryInput = expiryInput;
        answers.expiresAt = expiry.value;
      },
      next: () => undefined,
    };
    const tokenStep: InputStep<typeof answers> = {
      ask: async (input) => {
        const raw = await input.showInputBox({
          title: `${title}: paste the new token “${name}”`,
          prompt: `On the token page, create a token named “${name}” expiring on ${suggestedExpiry}, then paste it here. ${this.placesDetail(before)}`,
          password: true,
          value: answers.token ?? '',
          ignoreFocusOut: true,
          validateInput: (v) => {
            const check = validateToken(v, connection.kind);
            return check.ok || !v ? undefined : check.error;
          },
        });
        const token = validateToken(raw, connection.kind);
        if (!token.ok) throw new UserFacingError(token.error);
        if (token.value === oldToken) throw new UserFacingError('That is the token already stored. Create a new one on the token page.');
        answers.token = token.value;
      },
      next: () => expiryStep,
    };
    if (!(await MultiStepInput.run(ui, tokenStep, answers))) return undefined;
    const newToken = answers.token!;
    const expiresAt = answers.expiresAt;

    // Checked against the connection's own site, with its own email: the token goes nowhere else.
    const verdict = await checker.check({ ...connection, expiresAt }, newToken);
    const unchanged = 'Nothing was changed: the current token is still in use.';
    if (verdict.status !== 'valid')
      throw new UserFacingError(`Rotating “${connection.label}” failed while checking the new token: ${verdict.message} ${unchanged}`);
    const oldAccount =
      connection.lastCheck?.status === 'valid'
        ? connection.lastCheck.identity?.accountId
        : (await checker.check(connection, oldToken)).identity?.accountId;
    const newAccount = verdict.identity?.accountId;
    if (oldAccount && newAccount && oldAccount !== newAccount) {
      throw new UserFacingError(
        `Rotating “${connection.label}” failed while checking the new token: it belongs to another Atlassian account. ${unchanged} Revoke the new token on the token page if you made it by mistake.`,
      );
    }
    let stored: Connection;
    try {
      stored = await store.replaceToken(connection.id, newToken, { expiresAt });
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'The new token could not be saved.';
      throw new UserFacingError(
        `Rotating “${connection.label}” failed while saving the new token: ${reason} Revoke the new token (“${name}”) on the token page.`,
      );
    }
    await this.recordVerdict(stored, verdict);
    log.info(`Rotated “${connection.label}” (Cloud): new token stored; the old one is to be revoked on the token page.`);
    // Cloud tokens are revoked by their owner on the token page only: open it and say which one.
    await ui.openExternal(CLOUD_TOKEN_PAGE);
    void ui
      .showInformationMessage(
        `The new token of “${connection.label}” is saved and works. Now revoke the old one on the token page that opened (every token except “${name}” that you no longer use).`,
        {},
        'Open Token Page',
      )
      .then((open) => (open ? ui.openExternal(CLOUD_TOKEN_PAGE) : undefined));
    if (interactive)
      await this.showUses(connection, await this.findWithProgress(connection, oldToken), 'Replace the old token in these places');
    return { id: connection.id, newTokenId: undefined, revokedOldToken: false };
  }

  /** The old token's lifetime (added or rotated → expiry), capped by the setting; the cap when unknown. */
  private suggestedCloudExpiry(connection: Connection, now: Date): string {
    const since = connection.rotatedAt ?? connection.createdAt;
    const days = connection.expiresAt
      ? rotationExpiryDays({ createdAt: since, expiringAt: connection.expiresAt }, setting('rotationMaxExpiryDays'))
      : Math.min(365, setting('rotationMaxExpiryDays'));
    return Number.isFinite(days) ? new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10) : defaultCloudExpiry(now);
  }

  private async recordVerdict(stored: Connection, verdict: CheckResult): Promise<void> {
    await this.deps.store
      .updateIf(stored.id, (c) => c.rotatedAt === stored.rotatedAt, learnedFromCheck(stored, verdict, this.deps.now()))
      .catch(() => undefined);
  }

  // ---- Find Where This Token Is Used -------------------------------------------------------------------

  async findUses(arg?: unknown): Promise<TokenUse[] | undefined> {
    const connection = await this.deps.pickConnection(arg, 'Find where the token of which connection is used?');
    if (!connection) return undefined;
    const token = await this.deps.store.getToken(connection.id);
    if (token === undefined) throw new UserFacingError(`“${connection.label}” has no token yet: use Replace Token to give it one.`);
    if (!searchableByContent(connection.kind, token)) {
      const what = connection.kind === 'datacenter-basic' ? 'a password' : 'a secret that does not look like a token';
      // From a command the places would answer "is this guess the password?": nothing is searched.
      if (isArgumentObject(arg) && arg.prompt !== true)
        throw new UserFacingError(
          `“${connection.label}” holds ${what}: it is looked for by content only when you ask from the tree or the Command Palette.`,
        );
      const choice = await this.deps.ui.showWarningMessage(
        `Look for the password of “${connection.label}” in the workspace and the usual places on this computer?`,
        {
          modal: true,
          detail: 'Only you see the places found: a password is never looked for when a command (another extension, a keybinding) asks.',
        },
        'Look for It',
      );
      if (choice !== 'Look for It') return undefined;
    }
    const uses = await this.findWithProgress(connection, token);
    this.deps.log.info(`Find Where This Token Is Used (“${connection.label}”): ${plural(uses.length, 'place')}.`);
    // From an argument object: the places, nothing opened.
    if (!isArgumentObject(arg) || arg.prompt === true)
      await this.showUses(connection, uses, `Where the token of “${connection.label}” is used`);
    return uses.map(({ uri, line }) => ({ uri, line }));
  }

  private findWithProgress(connection: Connection, token: string): Thenable<TokenUseLocation[]> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Looking for where the token of “${connection.label}” is used` },
      () => this.deps.finder.find(connection, token),
    );
  }

  private async showUses(connection: Connection, uses: TokenUseLocation[], title: string): Promise<void> {
    if (uses.length === 0) {
      void this.deps.ui.showInformationMessage(
        `The token of “${connection.label}” was not found in the workspace or the usual places on this computer (netrc, shell start-up files, Jira CLI and MCP configurations).`,
        {},
      );
      return;
    }
    const home = this.deps.home();
    const picked = await this.deps.ui.showQuickPick(
      uses.map((use) => ({ label: describePlace(use, home), description: use.where === 'home' ? 'outside the workspace' : '', use })),
      { title, placeHolder: `${plural(uses.length, 'place')}: pick one to open it at the line` },
    );
    if (!picked) return;
    const line = Math.max(0, picked.use.line - 1);
    await vscode.window.showTextDocument(picked.use.uri, { selection: new vscode.Range(line, 0, line, 0), preview: false });
  }

  private placesDetail(uses: TokenUseLocation[]): string {
    if (uses.length === 0) return 'The current token was not found in the workspace or the usual places on this computer.';
    const home = this.deps.home();
    const shown = uses
      .slice(0, 5)
      .map((u) => describePlace(u, home))
      .join(', ');
    return `The current token is used in ${plural(uses.length, 'place')}: ${shown}${uses.length > 5 ? ', …' : ''}. Replace it there after the rotation (the list is shown again).`;
  }
}
