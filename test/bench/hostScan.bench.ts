// Scan Workspace in the real extension host (VS Code Server, the integration tests' host) against the whole
// `jira-token-guard scan` process, on the tree the CLI bench builds (node_modules' text files plus seeded
// tokens): the host's time, the CLI's, their ratio, the longest event-loop stall during the host's scans,
// and whether both report the same findings. The host side is host/scanWorkspace.ts.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { type BenchLine } from './index';
import { copyTree, median, seedTokens, timedRun, TREE_BYTES } from './cli.bench';
import type { HostBenchResult } from './host/scanWorkspace';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const HOST_ENTRY = path.join(__dirname, 'host', 'scanWorkspace.js');
const RUNS = Number(process.env.JTG_BENCH_RUNS ?? 5);
const MAX_CLI_RATIO = 2;
const MAX_STALL_MS = 50;

export async function run(): Promise<BenchLine[]> {
  for (const built of [CLI, HOST_ENTRY])
    if (!fs.existsSync(built)) throw new Error(`${path.relative(REPO, built)} is missing: run \`node esbuild.js --tests\` first`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-host-bench-'));
  try {
    const tree = path.join(work, 'tree');
    const { files, bytes } = copyTree(path.join(REPO, 'node_modules'), path.join(tree, 'deps'), TREE_BYTES);
    const seeded = seedTokens(tree);
    const mb = (bytes / 1024 / 1024).toFixed(1);
    console.log(`tree: ${files} files, ${mb} MB (copied from node_modules, as the CLI bench), ${seeded.length} seeded tokens`);

    const cliTimes: number[] = [];
    let cliReport:
      { findings: Array<{ file: string; line: number; ruleId: string; fingerprint: string }>; scannedFiles: number } | undefined;
    for (let round = 0; round <= RUNS; round++) {
      const result = await timedRun(process.execPath, [CLI, 'scan', tree, '--format', 'json'], tree);
      if (result.code !== 1) throw new Error(`the CLI exited with ${result.code}: ${result.stderr.slice(0, 500)}`);
      if (round > 0) cliTimes.push(result.ms);
      cliReport = JSON.parse(result.stdout);
    }
    const cliMs = median(cliTimes);

    const host = await runInHost(tree, work);
    const hostMs = median(host.times);
    const stallMs = Math.max(...host.stalls.map((s) => s.cpu));
    const wallStallMs = Math.max(...host.stalls.map((s) => s.wall));
    const ratio = hostMs / cliMs;
    const key = (f: { file: string; line: number; ruleId: string; fingerprint: string }) =>
      `${f.file}:${f.line}:${f.ruleId}:${f.fingerprint}`;
    const cliKeys = cliReport!.findings.map(key).sort();
    const hostKeys = host.findings.map(key).sort();
    const same = JSON.stringify(cliKeys) === JSON.stringify(hostKeys);

    console.log(
      `jira-token-guard scan (whole process): ${cliMs} ms (median of ${RUNS}: ${cliTimes.join(', ')}), ${cliReport!.scannedFiles} files, ${cliKeys.length} findings`,
    );
    console.log(
      `Scan Workspace (extension host):       ${hostMs} ms (median of ${RUNS}: ${host.times.join(', ')}), ${host.scannedFiles} files, ${hostKeys.length} findings`,
    );
    const perRun = host.stalls.map((s) => `${s.cpu}/${s.wall}`).join(', ');
    console.log(
      `largest event-loop stall during the host scans: ${stallMs} ms of CPU time, ${wallStallMs} ms wall-clock (per run, CPU/wall: ${perRun}); an idle host over as long: ${host.idleStall.cpu}/${host.idleStall.wall} ms`,
    );
    console.log(
      `side by side: host ${hostMs} ms | CLI ${cliMs} ms | host = ${ratio.toFixed(2)}x CLI | largest stall ${stallMs} ms CPU (${wallStallMs} ms wall, idle host ${host.idleStall.wall} ms wall) | findings ${same ? 'identical' : 'DIFFERENT'}`,
    );
    console.log(`CPU profile of one more host scan, self time by function: ${host.profile.map((p) => `${p.fn} ${p.ms} ms`).join(' | ')}`);
    console.log(
      `what held the event loop in the profiled scan's longest gap (${host.longestBusy.ms} ms wall): ${host.longestBusy.top.map((p) => `${p.fn} ${p.ms} ms`).join(' | ')}`,
    );
    if (Object.keys(host.phases).length)
      console.log(
        `where the former workspace.fs way spends its time on this folder (ms): ${Object.entries(host.phases)
          .map(([k, v]) => `${k} ${v}`)
          .join(' | ')}`,
      );

    return [
      {
        name: `Scan Workspace in the extension host vs the CLI's whole process, ${mb} MB`,
        value: `${ratio.toFixed(2)}x the CLI (${hostMs} ms vs ${cliMs} ms)`,
        target: `<= ${MAX_CLI_RATIO}x the CLI`,
        met: ratio <= MAX_CLI_RATIO,
      },
      {
        name: 'largest event-loop stall during Scan Workspace (timer-lag probe, CPU time held; wall-clock shown too)',
        value: `${stallMs} ms (wall-clock ${wallStallMs} ms; an idle host ${host.idleStall.wall} ms)`,
        target: `<= ${MAX_STALL_MS} ms`,
        met: stallMs <= MAX_STALL_MS,
      },
      {
        name: 'Scan Workspace and the CLI report the same findings on the same tree',
        value: same ? `identical (${hostKeys.length})` : `host ${hostKeys.length}, CLI ${cliKeys.length}`,
        target: 'identical',
        met: same,
      },
    ];
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function runInHost(tree: string, work: string): Promise<HostBenchResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runTestsInServer } = require(path.join(REPO, 'scripts', 'test-host', 'server.js')) as {
    runTestsInServer(options: object): Promise<number>;
  };
  const resultFile = path.join(work, 'host-result.json');
  await runTestsInServer({
    extensionDevelopmentPath: REPO,
    extensionTestsPath: HOST_ENTRY,
    workspacePath: tree,
    env: { JTG_BENCH_HOST_RESULT: resultFile, JTG_BENCH_RUNS: String(RUNS), JTG_BENCH_PHASES: process.env.JTG_BENCH_PHASES ?? '1' },
    timeoutMs: 10 * 60_000,
  });
  if (!fs.existsSync(resultFile)) throw new Error('the extension host exited without a result');
  const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as HostBenchResult & { error?: string };
  if (result.error) throw new Error(`the host bench failed: ${result.error}`);
  return result;
}
