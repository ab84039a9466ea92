// `jira-token-guard scan --history` against its floor: `git log -p --all` written to /dev/null, on the same
// generated repository (a few thousand commits, tokens seeded in some, one only on a branch). Both are timed
// as whole processes in the same run; the history scan does everything the floor does plus the scan.
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateRepository } from '../support/generatedRepo';
import { makeCloudToken, makeDataCenterPat } from '../support/tokens';
import { type BenchLine } from './index';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const COMMITS = Number(process.env.JTG_BENCH_COMMITS ?? 3000);
/** JTG_BENCH_CHURN=edits: a history of small edits (realistic churn) instead of whole-file rewrites. */
const CHURN = process.env.JTG_BENCH_CHURN === 'edits' ? 'edits' : 'rewrite';
const RUNS = 5;
/**
 * The floor only writes the patches; the scan also starts Node, reads every line of them and scans every
 * added line. Within 2.5x of the floor's CPU time (git's own share included).
 */
const TARGET_RATIO = 2.5;

export async function run(): Promise<BenchLine[]> {
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run `node esbuild.js` first');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-history-bench-'));
  try {
    const seeds = new Map<number, { file: string; line: string }>();
    for (let i = 0; i < 5; i++)
      seeds.set(Math.floor(((i + 1) * COMMITS) / 7), { file: `config/seed${i}.env`, line: `JIRA_API_TOKEN=${makeCloudToken()}` });
    const repo = path.join(work, 'repo');
    generateRepository(repo, {
      commits: COMMITS,
      seeds,
      branchAt: Math.floor(COMMITS / 2),
      branchSeed: { file: 'ci/deploy.sh', line: `export JIRA_PAT="${makeDataCenterPat()}"` },
      churn: CHURN,
    });
    const patchBytes = execFileSync('git', ['log', '-p', '--all'], { cwd: repo, maxBuffer: 1024 ** 3 }).length; // also warms the cache
    console.log(`repository: ${COMMITS + 1} commits (${CHURN}), git log -p --all writes ${(patchBytes / 1024 ** 2).toFixed(1)} MB`);

    const floor: Timing[] = [];
    const scan: Timing[] = [];
    const reportFile = path.join(work, 'report.json');
    let report: { findings: unknown[]; scannedCommits: number } = { findings: [], scannedCommits: 0 };
    for (let i = 0; i < RUNS; i++) {
      floor.push(await timed(repo, 'git', ['log', '-p', '--all']));
      const result = await timed(repo, process.execPath, [CLI, 'scan', '--history', '--format', 'json', '--output', reportFile]);
      if (result.code !== 1) throw new Error(`the history scan exited with ${result.code}`);
      report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
      scan.push(result);
    }
    const wall = (list: Timing[]) => median(list.map((t) => t.wallMs));
    const cpu = (list: Timing[]) => median(list.map((t) => t.cpuMs));
    const wallRatio = wall(scan) / wall(floor);
    const cpuRatio = cpu(scan) / cpu(floor);
    const show = (list: Timing[]) => list.map((t) => `${t.wallMs}/${t.cpuMs}`).join(', ');
    console.log('                                  wall ms   cpu ms (median of ' + RUNS + '; runs as wall/cpu)');
    console.log(
      `git log -p --all > /dev/null      ${String(wall(floor)).padStart(7)}  ${String(cpu(floor)).padStart(7)}   (${show(floor)})`,
    );
    console.log(
      `jira-token-guard scan --history   ${String(wall(scan)).padStart(7)}  ${String(cpu(scan)).padStart(7)}   (${show(scan)}), ${report.scannedCommits} commits, ${report.findings.length} findings`,
    );
    console.log(`ratio                             ${wallRatio.toFixed(2).padStart(6)}x  ${cpuRatio.toFixed(2).padStart(6)}x`);
    return [
      {
        name: `scan --history of ${COMMITS + 1} commits vs git log -p --all > /dev/null`,
        value: `${cpuRatio.toFixed(2)}x the floor's CPU time (${cpu(scan)} ms vs ${cpu(floor)} ms, git included); wall ${wallRatio.toFixed(2)}x (${wall(scan)} ms vs ${wall(floor)} ms)`,
        target: `<= ${TARGET_RATIO}x`,
        met: cpuRatio <= TARGET_RATIO,
      },
      {
        name: 'seeded tokens found in history (5 on main, 1 only on a branch)',
        value: `${report.findings.length}/6 in ${report.scannedCommits} commits`,
        target: '6/6, every commit',
        met: report.findings.length === 6 && report.scannedCommits === COMMITS + 1,
      },
    ];
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

interface Timing {
  code: number | null;
  wallMs: number;
  /** User + system time of the process and its children (git, for the scan), from bash's `times`. */
  cpuMs: number;
}

/**
 * A whole process with its output sent to /dev/null, timed by the wall clock and by CPU time. On a machine
 * shared with other work the wall clock swings by 2x from run to run; CPU time does not.
 */
function timed(cwd: string, command: string, args: string[]): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const script = '"$@" > /dev/null; status=$?; times >&2; exit $status';
    const child = spawn('bash', ['-c', script, 'bash', command, ...args], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, GIT_PAGER: 'cat' },
    });
    const err: Buffer[] = [];
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
      // `times` prints the shell's own user/system times, then its children's: "0m0.958s 0m0.190s".
      const lines = Buffer.concat(err).toString('utf8').trim().split('\n');
      const children = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(lines[lines.length - 1] ?? '');
      if (!children) return reject(new Error(`no CPU times from bash: ${lines.join(' | ').slice(0, 300)}`));
      const cpuMs = Math.round((Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4])) * 1000);
      resolve({ code, wallMs, cpuMs });
    });
  });
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}
