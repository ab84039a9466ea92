// Runs in a fresh Node process for the start-up bench (startup.bench.ts) and prints one JSON line.
//   node startupProbe.js parse <extension.js>   compile the bundle without running it (as require() compiles it)
//   node startupProbe.js load <extension.js>    require it and call activate(), then a first and a second
//                                               Test Connection and scan (setup in JTG_STARTUP_PROBE, JSON)
// `vscode` resolves to the stand-in in the bundle's own node_modules, loaded before the clock starts.
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import * as vm from 'vm';
import type * as StandInModule from './standInVscode';

export interface ProbeSetup {
  state: Record<string, unknown>;
  secrets: Record<string, string>;
  connectionId: string;
  /** A document opened after activation, to time the first scan. */
  documentText: string;
}

export interface ProbeResult {
  parseMs?: number;
  parseCpuMs?: number;
  loadMs?: number;
  activateMs?: number;
  /** CPU time of load + activate. */
  startupCpuMs?: number;
  /** Counted from the start of the load until the work activate() started has settled. */
  startupSecretReads?: number;
  startupFileReads?: number;
  firstCheckMs?: number;
  secondCheckMs?: number;
  firstCheckCpuMs?: number;
  secondCheckCpuMs?: number;
  checkStatus?: string;
  firstScanMs?: number;
  secondScanMs?: number;
  firstScanCpuMs?: number;
  secondScanCpuMs?: number;
  /** Modules in require.cache after activation (our bundle and the stand-in count). */
  modulesLoaded?: number;
  fetchAtStartup?: boolean;
  fetchAfterCheck?: boolean;
  /** Of http, https, tls, zlib: those loaded by the start-up (a sign the HTTP client was). */
  networkAtStartup?: string[];
}

type StandIn = typeof StandInModule;
type Extension = { activate(context: unknown): unknown };

/** Node's CommonJS loader, as VS Code's extension host uses it for the bundle. */
const load = createRequire(__filename);
const elapsed = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e6;
/** CPU time of the process (all its threads), which other load on the machine does not inflate. */
const cpuSince = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

async function main(): Promise<void> {
  const [mode, bundle] = process.argv.slice(2);
  if (mode === 'parse') {
    const source = fs.readFileSync(bundle, 'utf8');
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    vm.compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: bundle });
    print({ parseMs: elapsed(started), parseCpuMs: cpuSince(cpu) });
    return;
  }
  const setup = JSON.parse(process.env.JTG_STARTUP_PROBE ?? '') as ProbeSetup;
  const nodeReads = countWorkspaceReads('/bench-workspace');
  // The stand-in is the host's part: loaded before timing, from where the bundle will find it.
  const vscode = load(load.resolve('vscode', { paths: [path.dirname(bundle)] })) as StandIn;
  const context = vscode.extensionContext(setup.state, setup.secrets);

  const cpu = process.cpuUsage();
  const loadStarted = process.hrtime.bigint();
  const extension = load(bundle) as Extension;
  const loadMs = elapsed(loadStarted);
  const activateStarted = process.hrtime.bigint();
  extension.activate(context);
  const activateMs = elapsed(activateStarted);
  const startupCpuMs = cpuSince(cpu);
  await settle();
  const startupSecretReads = vscode.recorded.secretReads;
  const startupFileReads = vscode.recorded.fileReads + nodeReads.count;
  const modulesLoaded = Object.keys(load.cache).length;
  const fetchAtStartup = fetchLoaded();
  const networkAtStartup = NETWORK_MODULES.filter((name) => builtinLoaded(name));

  const test = vscode.recorded.commands.get('jiraTokenGuard.testConnection');
  if (!test) throw new Error('activate() registered no jiraTokenGuard.testConnection');
  const check = async (): Promise<{ ms: number; cpuMs: number; status: string }> => {
    const cpuStarted = process.cpuUsage();
    const started = process.hrtime.bigint();
    const result = (await test({ id: setup.connectionId, notify: false })) as { status?: string } | undefined;
    return { ms: elapsed(started), cpuMs: cpuSince(cpuStarted), status: String(result?.status) };
  };
  const firstCheck = await check();
  const secondCheck = await check();

  const scan = (name: string): { ms: number; cpuMs: number } => {
    const cpuStarted = process.cpuUsage();
    const started = process.hrtime.bigint();
    const document = textDocument(vscode, `/bench-workspace/${name}`, setup.documentText);
    vscode.textDocuments.push(document);
    vscode.openDocuments.fire(document);
    return { ms: elapsed(started), cpuMs: cpuSince(cpuStarted) };
  };
  const fetchAfterCheck = fetchLoaded();
  const firstScan = scan('first.ts');
  await settle();
  const secondScan = scan('second.ts');

  print({
    loadMs,
    activateMs,
    startupCpuMs,
    startupSecretReads,
    startupFileReads,
    modulesLoaded,
    fetchAtStartup,
    fetchAfterCheck,
    networkAtStartup,
    firstCheckMs: firstCheck.ms,
    secondCheckMs: secondCheck.ms,
    firstCheckCpuMs: firstCheck.cpuMs,
    secondCheckCpuMs: secondCheck.cpuMs,
    checkStatus: firstCheck.status === secondCheck.status ? firstCheck.status : `${firstCheck.status}/${secondCheck.status}`,
    firstScanMs: firstScan.ms,
    secondScanMs: secondScan.ms,
    firstScanCpuMs: firstScan.cpuMs,
    secondScanCpuMs: secondScan.cpuMs,
  });
  // The extension keeps no timer that should hold the process; exit anyway, as a closed window would.
  process.exit(0);
}

/**
 * Bench instrumentation: counts Node fs calls on paths under the stand-in workspace folder (files on disk
 * are read through Node as well as through vscode.workspace.fs), so a start-up read shows either way.
 */
function countWorkspaceReads(root: string): { count: number } {
  const counter = { count: 0 };
  // The module object itself (what the bundle's require('fs') returns), not this file's import namespace.
  const nodeFs = load('fs') as typeof fs;
  const wrap = (target: Record<string, unknown>, name: string): void => {
    const original = target[name] as (...args: unknown[]) => unknown;
    target[name] = (...args: unknown[]) => {
      if (String(args[0]).startsWith(root)) counter.count++;
      return original.apply(target, args);
    };
  };
  for (const name of ['lstat', 'stat', 'open', 'readFile', 'access']) wrap(nodeFs.promises, name);
  for (const name of ['lstatSync', 'statSync', 'openSync', 'readFileSync', 'existsSync', 'lstat', 'stat', 'open', 'readFile'])
    wrap(nodeFs, name);
  return counter;
}

/** Node modules only the HTTP client needs (axios' http adapter, follow-redirects): loaded means it was. */
const NETWORK_MODULES = ['http', 'https', 'tls', 'zlib'];

function loadedBuiltins(): string[] {
  return (process as unknown as { moduleLoadList: string[] }).moduleLoadList;
}

function builtinLoaded(name: string): boolean {
  return loadedBuiltins().includes(`NativeModule ${name}`);
}

/** Whether Node's fetch implementation (undici, loaded on first use of fetch, Request or Response) was loaded. */
function fetchLoaded(): boolean {
  return loadedBuiltins().some((m) => m.includes('undici'));
}

function textDocument(vscode: StandIn, file: string, text: string): object {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const positionAt = (offset: number) => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
    return new vscode.Position(line, offset - lineStarts[line]);
  };
  return {
    uri: vscode.Uri.file(file),
    fileName: file,
    languageId: 'typescript',
    version: 1,
    isClosed: false,
    isDirty: false,
    lineCount: lineStarts.length,
    getText: () => text,
    positionAt,
    offsetAt: (p: { line: number; character: number }) => lineStarts[p.line] + p.character,
  };
}

function print(result: ProbeResult): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
