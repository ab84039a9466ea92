// The consent driver's suite (loaded by test/consent/extension/loader.js in a workbench that is not in Test
// mode). Before the tests it provides the two test debuggers its manifest contributes: Python through the
// real debugpy adapter (Debian's python3-debugpy, as the Python extension runs it), and a shell script that
// the adapter starts through VS Code's terminal (`runInTerminal`), as bash debuggers do.
import * as vscode from 'vscode';
import { runMochaSuite } from '../support/mochaSuite';

/** A debug adapter that runs `bash <program> <args>` in the integrated terminal and ends the session. */
class ShellAdapter implements vscode.DebugAdapter {
  private readonly sent: vscode.EventEmitter<vscode.DebugProtocolMessage>;
  readonly onDidSendMessage: vscode.Event<vscode.DebugProtocolMessage>;
  private seq = 1;
  private launch: { seq: number; command: string } | undefined;

  constructor(api: typeof vscode) {
    this.sent = new api.EventEmitter<vscode.DebugProtocolMessage>();
    this.onDidSendMessage = this.sent.event;
  }

  handleMessage(message: vscode.DebugProtocolMessage): void {
    const m = message as { type: string; seq: number; command: string; arguments?: Record<string, unknown> };
    if (m.type === 'response' && m.command === 'runInTerminal' && this.launch) {
      this.respond(this.launch);
      this.event('terminated');
      return;
    }
    if (m.type !== 'request') return;
    if (m.command === 'initialize') {
      this.respond(m);
      this.event('initialized');
    } else if (m.command === 'launch') {
      this.launch = m;
      const args = m.arguments ?? {};
      this.send({
        type: 'request',
        command: 'runInTerminal',
        arguments: {
          kind: 'integrated',
          title: `Shell: ${String(args.name)}`,
          cwd: String(args.cwd ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '/'),
          args: ['bash', String(args.program), ...((args.args as string[] | undefined) ?? [])],
          env: (args.env as Record<string, string> | undefined) ?? {},
        },
      });
    } else {
      this.respond(m);
    }
  }

  private respond(request: { seq: number; command: string }): void {
    this.send({ type: 'response', request_seq: request.seq, success: true, command: request.command, body: {} });
  }

  private event(name: string): void {
    this.send({ type: 'event', event: name });
  }

  private send(message: Record<string, unknown>): void {
    this.sent.fire({ ...message, seq: this.seq++ });
  }

  dispose(): void {
    this.sent.dispose();
  }
}

/**
 * `api` is the driver extension's own vscode module (loader.js): VS Code ties a debugger's adapter factory to
 * the extension that contributes it, and this file lives outside the extension's folder.
 */
export async function run(context: vscode.ExtensionContext, api: typeof vscode): Promise<void> {
  // Outside Test mode the workbench's extensions send telemetry, which fails offline with uncaught errors.
  await api.workspace.getConfiguration('telemetry').update('telemetryLevel', 'off', api.ConfigurationTarget.Global);
  for (let i = 0; i < 100 && api.env.isTelemetryEnabled; i++) await new Promise((r) => setTimeout(r, 50));
  context.subscriptions.push(
    api.debug.registerDebugAdapterDescriptorFactory('jtg-python', {
      createDebugAdapterDescriptor: () => new api.DebugAdapterExecutable('/usr/bin/python3', ['-m', 'debugpy.adapter']),
    }),
    api.debug.registerDebugAdapterDescriptorFactory('jtg-shell', {
      createDebugAdapterDescriptor: () => new api.DebugAdapterInlineImplementation(new ShellAdapter(api)),
    }),
  );
  // The totals go to the runner's results file; a failure is reported there, not thrown into the host.
  return runMochaSuite(__dirname, {
    ignoreUncaught: (error) => /getaddrinfo ENOTFOUND [\w.-]*\.microsoft\.com/.test(error instanceof Error ? error.message : String(error)),
  }).catch(() => undefined);
}
