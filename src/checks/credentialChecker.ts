// Runs the core credential check with the user's settings, records the verdict on the connection and
// tells the user what is wrong in plain words, with the action that fixes it. Technical detail goes to
// the output channel, redacted.
import * as vscode from 'vscode';
import { CheckResult, Connection } from '../core/connection';
import { checkCredential, checkAll, CheckOptions } from '../core/jira';
import { ConnectionStore } from '../connections/connectionStore';
import { tokenPageUrl } from '../core/tokenPages';
import { ExternalLinks } from '../externalLinks';
import { Log } from '../log';
import { setting } from '../config';
import { Commands } from '../constants';

/** Verdicts where the site could not be asked: saving anyway is reasonable. */
export const SITE_UNAVAILABLE: ReadonlySet<CheckResult['status']> = new Set(['unreachable', 'timeout', 'not-found', 'tls-error']);

export class CredentialChecker {
  constructor(
    private readonly store: ConnectionStore,
    private readonly log: Log,
    private readonly links: ExternalLinks,
    private readonly now: () => Date,
  ) {}

  private options(signal?: AbortSignal): CheckOptions {
    return {
      timeoutMs: Math.max(1, setting('requestTimeoutSeconds')) * 1000,
      gatewayUrl: setting('cloudGatewayUrl'),
      signal,
      now: this.now,
      log: (line) => this.log.info(line),
    };
  }

  /** Checks a credential that may not be stored yet (Add Connection, leak check). */
  async check(connection: Connection, token: string, signal?: AbortSignal): Promise<CheckResult> {
    this.log.info(`Checking “${connection.label}” (${connection.kind}, ${connection.baseUrl}).`);
    const result = await checkCredential(connection, token, this.options(signal));
    this.logResult(connection, result);
    return result;
  }

  /** Checks a stored connection and records the verdict (and what it taught: kind, cloud id, PAT expiry). */
  async checkStored(id: string, signal?: AbortSignal): Promise<CheckResult> {
    const connection = this.requireConnection(id);
    const token = await this.store.getToken(id);
    if (token === undefined) {
      return { status: 'invalid', message: 'No token is stored for this connection.', hint: 'Use Replace Token to give it one.', durationMs: 0 };
    }
    const result = await this.check(connection, token, signal);
    await this.record(connection, result);
    return result;
  }

  /** Checks many stored connections with a small concurrency limit; resolves to the verdicts reached. */
  async checkAllStored(ids: string[], signal: AbortSignal, onResult: (id: string, result: CheckResult) => void): Promise<Map<string, CheckResult>> {
    const items: Array<{ connection: Connection; token: string }> = [];
    for (const id of ids) {
      const connection = this.store.get(id);
      const token = connection && (await this.store.getToken(id));
      if (connection && token !== undefined) items.push({ connection, token });
    }
    const recorded: Promise<void>[] = [];
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
    return results;
  }

  private async record(connection: Connection, result: CheckResult): Promise<void> {
    if (!this.store.get(connection.id)) return;
    const changes: Partial<Connection> = { lastCheck: { ...result, checkedAt: this.now().toISOString() } };
    if (result.status === 'valid' && result.suggestedKind && result.suggestedKind !== connection.kind) {
      changes.kind = result.suggestedKind;
      this.log.info(`“${connection.label}” switched to ${result.suggestedKind}: ${result.hint ?? ''}`);
    }
    if (result.cloudId) changes.cloudId = result.cloudId;
    // A PAT names no user when it is added: remember whose token it turned out to be.
    if (result.status === 'valid' && !connection.email && !connection.username && result.identity?.name) changes.username = result.identity.name;
    if (result.expiresAt) changes.expiresAt = result.expiresAt;
    await this.store.update(connection.id, changes);
  }

  private logResult(connection: Connection, result: CheckResult): void {
    const parts = [
      `“${connection.label}”: ${result.status}`,
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
      void vscode.window.showInformationMessage(`“${connection.label}” works${who ? ` (signed in as ${who})` : ''}.${result.hint ? ` ${result.hint}` : ''}`);
      return;
    }
    const actions: string[] = [];
    if (['invalid', 'expired', 'forbidden', 'wrong-host'].includes(result.status)) actions.push('Replace Token', 'Open Token Page');
    if (result.loginUrl) actions.push('Open in Browser');
    if (result.status === 'rate-limited' || SITE_UNAVAILABLE.has(result.status)) actions.push('Retry');
    actions.push('Show Details');
    const text = `“${connection.label}”: ${result.message}${result.hint ? ` ${result.hint}` : ''}`;
    void vscode.window.showErrorMessage(text, ...actions).then(async (choice) => {
      if (choice === 'Replace Token') await vscode.commands.executeCommand(Commands.replaceToken, { id: connection.id, prompt: true });
      if (choice === 'Open Token Page') await this.links.open(tokenPageUrl(connection));
      if (choice === 'Open in Browser' && result.loginUrl) await this.links.open(result.loginUrl);
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
    if (!connection) throw new Error(`No connection has the id "${id}".`);
    return connection;
  }
}


