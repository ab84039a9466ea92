// The "Jira Token Guard" output channel. Every line passes through redaction: the secrets the store
// holds (known in memory) and anything shaped like a token are masked before they are written.
import * as vscode from 'vscode';
import { redactText } from '../core/tokens/redact';

export class Log implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;

  constructor(
    name: string,
    private readonly knownSecrets: () => Iterable<string>,
  ) {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  info(message: string): void {
    this.channel.info(this.redact(message));
  }

  warn(message: string): void {
    this.channel.warn(this.redact(message));
  }

  error(message: string, error?: unknown): void {
    // Anything can be thrown: a non-Error is shown as String() makes it (then redacted).
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    const detail = error instanceof Error ? `: ${error.message}` : error !== undefined ? `: ${String(error)}` : '';
    this.channel.error(this.redact(message + detail));
  }

  show(): void {
    this.channel.show(true);
  }

  private redact(text: string): string {
    return redactText(text, this.knownSecrets());
  }

  dispose(): void {
    this.channel.dispose();
  }
}
