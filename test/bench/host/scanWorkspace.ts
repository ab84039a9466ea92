// Runs inside the VS Code extension host (extensionTestsPath of the host bench, see hostScan.bench.ts):
// Scan Workspace on the opened folder, timed as the command's whole run, with a timer-lag probe measuring
// the longest stretch the event loop was held. Then where the time of the workspace.fs way would go:
// findFiles, stat and read through workspace.fs, decoding and scanning strings, a diagnostics message per
// file. Writes its figures to JTG_BENCH_HOST_RESULT.
import * as fs from 'fs';
import * as inspector from 'inspector';
import * as vscode from 'vscode';
import { extensionApi } from '../../integration/helpers';
import { scan } from '../../../src/core/scanner';
import { decodeText } from '../../../src/core/scanner/textDecoding';

const PROBE_MS = 5;

export interface HostBenchResult {
  times: number[];
  /** Per run: the longest gap of the probe, wall-clock and CPU time. */
  stalls: Array<{ wall: number; cpu: number }>;
  /** The same probe over an idle host for as long as a scan: the machine's own noise. */
  idleStall: { wall: number; cpu: number };
  scannedFiles: number;
  skippedFiles: number;
  findings: Array<{ file: string; line: number; ruleId: string; fingerprint: string }>;
  phases: Record<string, number>;
  /** One more scan under the CPU profiler: where its time goes, by function (self time, ms). */
  profile: Array<{ fn: string; ms: number }>;
  /** The longest event-loop gap of that profiled scan (wall ms), and what ran during it (self time). */
  longestBusy: { ms: number; top: Array<{ fn: string; ms: number }> };
}

export async function run(): Promise<void> {
  const out = process.env.JTG_BENCH_HOST_RESULT;
  if (!out) throw new Error('JTG_BENCH_HOST_RESULT is not set');
  try {
    fs.writeFileSync(out, JSON.stringify(await measure()));
  } catch (error) {
    fs.writeFileSync(out, JSON.stringify({ error: String((error as Error)?.stack ?? error) }));
  }
}

async function measure(): Promise<HostBenchResult> {
  const api = await extensionApi();
  api.ui.recordNotifications();
  const runs = Number(process.env.JTG_BENCH_RUNS ?? 5);
  const times: number[] = [];
  const stalls: HostBenchResult['stalls'] = [];
  let summary: { scannedFiles: number; skippedFiles: number; findings: HostBenchResult['findings'] } | undefined;
  // One untimed run warms the page cache and the code.
  for (let round = 0; round <= runs; round++) {
    const probe = lagProbe();
    const started = performance.now();
    summary = await vscode.commands.executeCommand('jiraTokenGuard.scanWorkspace');
    const ms = performance.now() - started;
    const stall = probe.stop();
    if (round > 0) {
      times.push(Math.round(ms));
      stalls.push({ wall: Math.round(stall.wall), cpu: Math.round(stall.cpu) });
    }
  }
  const idle = lagProbe();
  await new Promise((resolve) => setTimeout(resolve, Math.max(...times)));
  const idleStall = idle.stop();
  if (!summary) throw new Error('Scan Workspace returned nothing');
  const { profile, longestBusy } = await profiled(() => vscode.commands.executeCommand('jiraTokenGuard.scanWorkspace'));
  return {
    times,
    stalls,
    profile,
    longestBusy,
    idleStall: { wall: Math.round(idleStall.wall), cpu: Math.round(idleStall.cpu) },
    scannedFiles: summary.scannedFiles,
    skippedFiles: summary.skippedFiles,
    findings: summary.findings.map(({ file, line, ruleId, fingerprint }) => ({ file, line, ruleId, fingerprint })),
    // JTG_BENCH_PHASES=0 leaves out the (slow) breakdown of the former way.
    phases: process.env.JTG_BENCH_PHASES === '0' ? {} : await workspaceFsPhases(),
  };
}

/**
 * The longest gap between timer ticks beyond their period: how long the event loop was held at once.
 * On a shared machine a gap also holds time the process was not running at all, so each gap is measured
 * twice: wall-clock, and the CPU time the process used during it (all its threads: an upper bound on
 * the work that held the loop).
 */
function lagProbe(): { stop(): { wall: number; cpu: number; window: [number, number] } } {
  let last = performance.now();
  let lastCpu = cpuMs();
  let wall = 0;
  let cpu = 0;
  let window: [number, number] = [0, 0];
  const sample = () => {
    const now = performance.now();
    const nowCpu = cpuMs();
    if (now - last - PROBE_MS > wall) {
      // In the profiler's clock (monotonic microseconds), to find what ran during the gap.
      const end = Number(process.hrtime.bigint() / 1000n);
      window = [end - (now - last) * 1000, end];
    }
    wall = Math.max(wall, now - last - PROBE_MS);
    cpu = Math.max(cpu, Math.min(nowCpu - lastCpu, now - last) - PROBE_MS);
    last = now;
    lastCpu = nowCpu;
  };
  const timer = setInterval(sample, PROBE_MS);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { wall, cpu, window };
    },
  };
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The extension host's CPU profile while `work` runs, summed by function and location (self time). */
async function profiled(work: () => Thenable<unknown>): Promise<Pick<HostBenchResult, 'profile' | 'longestBusy'>> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  try {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 200 });
    await post('Profiler.start');
    const probe = lagProbe();
    await work();
    const gap = probe.stop();
    const { profile } = (await post('Profiler.stop')) as {
      profile: {
        startTime: number;
        nodes: Array<{ id: number; hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
        samples: number[];
        timeDeltas: number[];
      };
    };
    const nameOf = new Map<number, string>();
    for (const node of profile.nodes) {
      const { functionName, url, lineNumber } = node.callFrame;
      const where = url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : '';
      nameOf.set(node.id, `${functionName || '(anonymous)'} ${where}`.trim());
    }
    const selfTime = (from: number, to: number) => {
      const byFunction = new Map<string, number>();
      for (let i = from; i < to; i++) {
        const fn = nameOf.get(profile.samples[i]) ?? '?';
        byFunction.set(fn, (byFunction.get(fn) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
      }
      return [...byFunction].map(([fn, ms]) => ({ fn, ms: Math.round(ms) })).sort((a, b) => b.ms - a.ms);
    };
    // The samples taken during the probe's longest gap: what held the event loop then.
    let at = profile.startTime;
    let from = -1;
    let to = -1;
    for (let i = 0; i < profile.samples.length; i++) {
      at += profile.timeDeltas[i] ?? 0;
      if (at >= gap.window[0] && from < 0) from = i;
      if (at <= gap.window[1]) to = i + 1;
    }
    const during = from >= 0 && to > from ? selfTime(from, to).slice(0, 8) : [];
    return { profile: selfTime(0, profile.samples.length).slice(0, 12), longestBusy: { ms: Math.round(gap.wall), top: during } };
  } finally {
    session.disconnect();
  }
}

/** What each step of the former way (findFiles, workspace.fs, strings, a message per file) costs on this folder. */
async function workspaceFsPhases(): Promise<Record<string, number>> {
  const phases: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    const result = await work();
    phases[name] = Math.round(performance.now() - started);
    return result;
  };
  const files = await timed('findFiles', () => Promise.resolve(vscode.workspace.findFiles('**/*', '{**/.git/**,**/node_modules/**}')));
  phases.files = files.length;
  const contents: Uint8Array[] = [];
  await timed('workspace.fs stat+read', async () => {
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const uri = files[next++];
        await vscode.workspace.fs.stat(uri);
        contents.push(await vscode.workspace.fs.readFile(uri));
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  });
  await timed('decode+string scan', () => {
    for (const bytes of contents) scan(decodeText(bytes), {});
  });
  const collection = vscode.languages.createDiagnosticCollection('jtg-bench');
  try {
    const empty = files.map((uri): [vscode.Uri, vscode.Diagnostic[]] => [uri, []]);
    await timed('diagnostics: one delete per file', async () => {
      for (const uri of files) collection.delete(uri);
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    await timed('diagnostics: one batch', () => collection.set(empty));
    await timed('asRelativePath+textDocuments per file', () => {
      for (const uri of files) {
        vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        vscode.workspace.asRelativePath(uri, false);
      }
    });
    await timed('settings read per file', () => {
      for (const uri of files) vscode.workspace.getConfiguration('jiraTokenGuard', uri).get('reportUnverifiedTokens');
    });
  } finally {
    collection.dispose();
  }
  return phases;
}
