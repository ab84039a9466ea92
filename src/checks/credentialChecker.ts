// Runs the core credential check with the user's settings, records the verdict on the connection and
// tells the user what is wrong in plain words, with the action that fixes it. Technical detail goes to
// the output channel, redacted.
import * as vscode from 'vscode';
import { type CheckResult, type Connection, type Credential, learnedFromCheck, SITE_UNAVAILABLE } from '../core/connections/connection';
// Type only: the Jira client (axios, Node's http stack) loads on the first check, not at start-up.
import type { CheckOptions, OnNode } from '../node/jira';
import { type ConnectionStore } from '../connections/connectionStore';
import { tokenPageUrl } from '../core/connections/tokenPages';
import { type Log } from '../common/log';
import { type Ui } from '../common/ui';
import { setting } from '../common/config';
import { Commands } from '../common/constants';
import { UserFacingError } from '../common/userFacingError';

/** A connection without a token (imported, or its secret was removed elsewhere) is not "all fine". */
const MISSING_TOKEN: CheckResult = {
  status: 'invalid',
  message: 'No token is stored for this connection.',
  hint: 'Use Replace Token to give it one.',
  durationMs: 0,
};

/** A credential and, when it has one, the name it goes by in the log (an unsaved one may have none). */
export type NamedCredential = Credential & { label?: string };

export class CredentialChecker {
  constructor(
    private readonly store: ConnectionStore,
    private readonly log: Log,
    private readonly ui: Ui,
    private readonly now: () => Date,
  ) {}

  private options(signal?: AbortSignal): OnNode<CheckOptions> {
    return {
      timeoutMs: Math.max(1, setting('requestTimeoutSeconds')) * 1000,
      gatewayUrl: setting('cloudGatewayUrl'),
      signal,
      now: this.now,
      log: (line) => this.log.info(line),
    };
  }

  /** Checks a credential that may not be stored yet (Add Connection, leak check). */
  async check(credential: NamedCredential, token: string, signal?: AbortSignal): Promise<CheckResult> {
    this.log.info(`Checking “${nameOf(credential)}” (${credential.kind}, ${credential.baseUrl}).`);
    const { checkCredential } = await import('../node/jira');
    const result = await checkCredential(credential, token, this.options(signal));
    this.logResult(credential, result);
    return result;
  }

  /** Checks a stored connection and records the verdict (and what it taught: kind, cloud id, PAT expiry). */
  async checkStored(id: string, signal?: AbortSignal): Promise<CheckResult> {
    const connection = this.requireConnection(id);
    const token = await this.store.getToken(id);
    if (token === undefined) return MISSING_TOKEN;
    const result = await this.check(connection, token, signal);
    await this.record(connection, result);
    return result;
  }

  /** Checks many stored connections with a small concurrency limit; resolves to the verdicts reached. */
  async checkAllStored(
    ids: string[],
    signal: AbortSignal,
    onResult: (id: string, result: CheckResult) => void,
  ): Promise<Map<string, CheckResult>> {
    const items: Array<{ connection: Connection; token: string }> = [];
    const missing = new Map<string, CheckResult>();
    for (const id of ids) {
      const connection = this.store.get(id);
      if (!connection) continue;
      const token = await this.store.getToken(id);
      if (token === undefined) missing.set(id, MISSING_TOKEN);
      else items.push({ connection, token });
    }
    for (const [id, result] of missing) onResult(id, result);
    const recorded: Promise<void>[] = [];
    const { checkAll } = await import('../node/jira');
    const results = await checkAll(items, {
      ...this.options(signal),
      onResult: (id, result) => {
        const connection = items.find((i) => i.connection.id === id)!.connection;
        this.logResult(connection, result);
        recorded.push(this.record(connection, result));
        onResult(id, result);
      },
    });
    await Promise.all(recorded);
    return new Map([...missing, ...results]);
  }

  /** Records the verdict unless the connection changed while it was checked (a new token, URL, user or kind). */
  private async record(checked: Connection, result: CheckResult): Promise<void> {
    const changes = learnedFromCheck(checked, result, this.now());
    const sameCredential = (c: Connection) =>
      c.rotatedAt === checked.rotatedAt &&
      c.baseUrl === checked.baseUrl &&
      c.kind === checked.kind &&
      c.email === checked.email &&
      c.username === checked.username;
    const updated = await this.store.updateIf(checked.id, sameCredential, changes);
    if (updated && changes.kind) this.log.info(`“${checked.label}” switched to ${changes.kind}: ${result.hint ?? ''}`);
  }

  private logResult(credential: NamedCredential, result: CheckResult): void {
    const parts = [
      `“${nameOf(credential)}”: ${result.status}`,
      result.httpStatus ? `HTTP ${result.httpStatus}` : undefined,
      result.requestId ? `request id ${result.requestId}` : undefined,
      `${result.durationMs} ms`,
    ].filter(Boolean);
    const line = `${parts.join(', ')}. ${result.message}${result.hint ? ` ${result.hint}` : ''}`;
    if (result.status === 'valid') this.log.info(line);
    else this.log.warn(line);
  }

  /** A failing verdict as a notification with the actions that fit it. */
  showResult(connection: Connection, result: CheckResult): void {
    if (result.status === 'valid') {
      const who = result.identity?.displayName ?? result.identity?.emailAddress ?? result.identity?.name;
      void this.ui.showInformationMessage(
        `“${connection.label}” works${who ? ` (signed in as ${who})` : ''}.${result.hint ? ` ${result.hint}` : ''}`,
        {},
      );
      return;
    }
    const actions: string[] = [];
    if (['invalid', 'expired', 'forbidden', 'wrong-host'].includes(result.status)) actions.push('Replace Token', 'Open Token Page');
    if (result.loginUrl) actions.push('Open in Browser');
    if (result.status === 'rate-limited' || SITE_UNAVAILABLE.has(result.status)) actions.push('Retry');
    actions.push('Show Details');
    const text = `“${connection.label}”: ${result.message}${result.hint ? ` ${result.hint}` : ''}`;
    void this.ui.showErrorMessage(text, {}, ...actions).then(async (choice) => {
      if (choice === 'Replace Token') await vscode.commands.executeCommand(Commands.replaceToken, { id: connection.id, prompt: true });
      if (choice === 'Open Token Page') await this.ui.openExternal(tokenPageUrl(connection));
      if (choice === 'Open in Browser' && result.loginUrl) await this.ui.openExternal(result.loginUrl);
      if (choice === 'Show Details') this.log.show();
      if (choice === 'Retry') {
        const wait = result.retryAfterSeconds ?? 0;
        if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, 300) * 1000));
        await vscode.commands.executeCommand(Commands.testConnection, { id: connection.id, notify: true });
      }
    });
  }

  private requireConnection(id: string): Connection {
    const connection = this.store.get(id);
    if (!connection)
      throw new UserFacingError(`That connection no longer exists (id "${id}"): it was removed. Refresh the Jira Connections view.`);
    return connection;
  }
}

function nameOf(credential: NamedCredential): string {
  return credential.label ?? credential.baseUrl;
}
