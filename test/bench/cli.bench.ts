// The whole `jira-token-guard scan --format json` process against two others over the same tree, timed
// in the same run: the I/O floor (a process that walks the tree and reads every file as bytes, nothing
// else) and the reference (a process running gitleaks' Atlassian rule with its keyword prefilter on every
// file). The tree is a copy of the project's own node_modules (its .js/.ts/.json/.md files, renamed so
// that no tool skips it for being "node_modules") seeded with generated tokens. Whole processes,
// start-up included, interleaved so that a busy moment of the machine weighs on all three alike.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makeAccessToken, makeBitbucketAppPassword, makeCloudToken, makeDataCenterPat, makeLegacyCloudToken } from '../support/tokens';
import { type BenchLine } from './index';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const FLOOR = path.join(__dirname, 'processes', 'rawRead.js');
const REFERENCE = path.join(__dirname, 'processes', 'gitleaksReference.js');
const USAGE = path.join(__dirname, 'processes', 'peakRss.js');
/** All of node_modules' text files by default; JTG_BENCH_TREE_MB caps the copy. */
export const TREE_BYTES = Number(process.env.JTG_BENCH_TREE_MB ?? Infinity) * 1024 * 1024;
/**
 * The whole of node_modules' text, large bundles included (typescript.js is 9 MB): the CLI is given a
 * size limit above every file, so that all three processes read the same bytes.
 */
const MAX_FILE_BYTES = 16 * 1024 * 1024;
const EXTENSIONS = new Set(['.js', '.ts', '.json', '.md']);
/** Whole processes of a few hundred ms on a shared machine: nine rounds make the medians hold still. */
const RUNS = Number(process.env.JTG_BENCH_RUNS ?? 9);
const MAX_FLOOR_RATIO = 1.5;
const MIN_REFERENCE_RATIO = 2;
const MAX_RSS_MB = 200;

interface Measured {
  name: string;
  args: string[];
  codes: number[];
  times: number[];
  /** User + system CPU time, ms. */
  cpu: number[];
  rss: number[];
  stdout: string;
}

export interface Seeded {
  file: string;
  /** 1-based. */
  line: number;
  kind: string;
}

export async function run(): Promise<BenchLine[]> {
  for (const built of [CLI, FLOOR, REFERENCE])
    if (!fs.existsSync(built)) throw new Error(`${path.relative(REPO, built)} is missing: run \`node esbuild.js --tests\` first`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-cli-bench-'));
  try {
    const tree = path.join(work, 'tree');
    const { files, bytes } = copyTree(path.join(REPO, 'node_modules'), path.join(tree, 'deps'), TREE_BYTES);
    const seeded = seedTokens(tree);
    const mb = (bytes / 1024 / 1024).toFixed(1);
    console.log(`tree: ${files} files, ${mb} MB (copied from node_modules), ${seeded.length} seeded tokens`);

    const floor: Measured = { name: 'raw-read floor', args: [FLOOR, tree], codes: [0], times: [], cpu: [], rss: [], stdout: '' };
    const reference: Measured = {
      name: 'gitleaks-rule reference',
      args: [REFERENCE, tree],
      codes: [0],
      times: [],
      cpu: [],
      rss: [],
      stdout: '',
    };
    const cli: Measured = {
      name: 'jira-token-guard scan',
      args: [CLI, 'scan', tree, '--format', 'json', '--max-file-size', `${MAX_FILE_BYTES}b`],
      codes: [1],
      times: [],
      cpu: [],
      rss: [],
      stdout: '',
    };
    const usageFile = path.join(work, 'usage.json');
    // One untimed round warms the page cache for all three; then they take turns, so that a busy moment
    // of the machine weighs on all three alike.
    for (let round = 0; round <= RUNS; round++) {
      for (const proc of [floor, reference, cli]) {
        const result = await timedRun(process.execPath, ['-r', USAGE, ...proc.args], tree, { JTG_BENCH_USAGE_FILE: usageFile });
        if (!proc.codes.includes(result.code ?? -1))
          throw new Error(`${proc.name} exited with ${result.code}: ${result.stderr.slice(0, 500)}`);
        proc.stdout = result.stdout;
        if (round === 0) continue;
        const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8')) as { maxRssKb: number; userUs: number; systemUs: number };
        proc.times.push(result.ms);
        proc.cpu.push(Math.round((usage.userUs + usage.systemUs) / 1000));
        proc.rss.push(usage.maxRssKb / 1024);
      }
    }
    const rssMb = Math.max(...cli.rss);

    const [floorMs, referenceMs, cliMs] = [floor, reference, cli].map((p) => median(p.times));
    const [floorCpu, referenceCpu, cliCpu] = [floor, reference, cli].map((p) => median(p.cpu));
    const report = JSON.parse(cli.stdout) as { findings: Array<{ file: string; line: number; ruleId: string }>; scannedFiles: number };
    const referenceFound = reference.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const at = line.lastIndexOf(':');
        return { file: line.slice(0, at), line: Number(line.slice(at + 1)) };
      });
    for (const proc of [floor, reference, cli]) {
      console.log(
        `${`${proc.name}:`.padEnd(26)}${median(proc.times)} ms wall (median of ${RUNS}: ${proc.times.join(', ')}; best ${Math.min(...proc.times)}), ${median(proc.cpu)} ms CPU, peak RSS ${Math.max(...proc.rss).toFixed(0)} MB`,
      );
    }
    console.log(
      `CLI: ${report.scannedFiles} files scanned, ${report.findings.length} findings; reference: ${referenceFound.length} findings`,
    );
    const floorRatio = cliMs / floorMs;
    const referenceRatio = referenceMs / cliMs;
    console.log(
      `side by side (wall, medians): floor ${floorMs} ms | reference ${referenceMs} ms | CLI ${cliMs} ms  ->  CLI = ${floorRatio.toFixed(2)}x floor, ${referenceRatio.toFixed(2)}x faster than the reference`,
    );
    console.log(
      `side by side (CPU, medians):  floor ${floorCpu} ms | reference ${referenceCpu} ms | CLI ${cliCpu} ms  ->  CLI = ${(cliCpu / floorCpu).toFixed(2)}x floor, ${(referenceCpu / cliCpu).toFixed(2)}x less than the reference`,
    );
    console.log(`machine load while measuring: ${os.loadavg()[0].toFixed(1)} (1-minute average) on ${os.cpus().length} cores`);

    const found = (list: Array<{ file: string; line: number }>) =>
      seeded.filter((s) => list.some((f) => f.file === s.file && f.line === s.line));
    const cliSeeded = found(report.findings);
    const referenceSeeded = found(referenceFound);
    const missedByCli = referenceSeeded.filter((s) => !cliSeeded.includes(s));
    console.log(
      `seeded tokens found: jira-token-guard ${cliSeeded.length}/${seeded.length} (${kinds(cliSeeded)}), reference ${referenceSeeded.length}/${seeded.length} (${kinds(referenceSeeded)})`,
    );

    return [
      {
        name: `scan ${mb} MB of node_modules, whole process vs the raw-read floor`,
        value: `${floorRatio.toFixed(2)}x the floor (${cliMs} ms vs ${floorMs} ms wall; CPU ${cliCpu} vs ${floorCpu} ms: ${(cliCpu / floorCpu).toFixed(2)}x)`,
        target: `<= ${MAX_FLOOR_RATIO}x the floor`,
        met: floorRatio <= MAX_FLOOR_RATIO,
      },
      {
        name: `scan ${mb} MB of node_modules, whole process vs the gitleaks-rule reference process`,
        value: `${referenceRatio.toFixed(2)}x faster (${cliMs} ms vs ${referenceMs} ms wall; CPU ${cliCpu} vs ${referenceCpu} ms: ${(referenceCpu / cliCpu).toFixed(2)}x)`,
        target: `>= ${MIN_REFERENCE_RATIO}x faster`,
        met: referenceRatio >= MIN_REFERENCE_RATIO,
      },
      {
        name: 'peak RSS of the scan process',
        value: `${rssMb.toFixed(0)} MB`,
        target: `< ${MAX_RSS_MB} MB`,
        met: rssMb < MAX_RSS_MB,
      },
      {
        name: 'seeded tokens found on the same tree',
        value: `jira-token-guard ${cliSeeded.length}/${seeded.length}, reference ${referenceSeeded.length}/${seeded.length}${missedByCli.length ? `; missed by the CLI: ${kinds(missedByCli)}` : ''}`,
        target: 'every seeded token, and every one the reference finds',
        met: missedByCli.length === 0 && cliSeeded.length === seeded.length,
      },
    ];
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Copies text files (sorted, so every run takes the same set) until `limit` bytes; `node_modules` segments become `nm`. */
export function copyTree(from: string, to: string, limit: number): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (dir: string, rel: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (bytes >= limit) return;
      if (entry.name === '.bin' || entry.name === '.cache' || entry.name.startsWith('.package-lock')) continue;
      const source = path.join(dir, entry.name);
      const target = path.join(rel, entry.name === 'node_modules' ? 'nm' : entry.name);
      if (entry.isDirectory()) walk(source, target);
      else if (entry.isFile() && EXTENSIONS.has(path.extname(entry.name))) {
        const size = fs.statSync(source).size;
        if (size > MAX_FILE_BYTES) continue;
        fs.mkdirSync(path.join(to, rel), { recursive: true });
        fs.copyFileSync(source, path.join(to, target));
        files++;
        bytes += size;
      }
    }
  };
  walk(from, '');
  return { files, bytes };
}

/** Tokens of every kind in the places people leave them: config files, env files, docs, test code. */
export function seedTokens(tree: string): Seeded[] {
  const seeds: Array<{ file: string; lines: string[]; kind: string; at: number }> = [
    { kind: 'cloud', file: 'deps/app/config.js', at: 2, lines: ['// settings', `const JIRA_API_TOKEN = "${makeCloudToken()}";`] },
    { kind: 'cloud', file: 'deps/app/env.example.md', at: 1, lines: [`ATLASSIAN_TOKEN=${makeCloudToken()}`] },
    {
      kind: 'cloud',
      file: 'deps/tools/deploy.ts',
      at: 3,
      lines: [
        'export const site = "https://acme.atlassian.net";',
        'export const user = "ci@acme.com";',
        `export const token = '${makeCloudToken()}';`,
      ],
    },
    { kind: 'cloud-in-json', file: 'deps/tools/settings.json', at: 2, lines: ['{', `  "jira": { "token": "${makeCloudToken()}" }`, '}'] },
    { kind: 'access-token', file: 'deps/docs/setup.md', at: 2, lines: ['Use this token:', `    ${makeAccessToken()}`] },
    { kind: 'bitbucket', file: 'deps/ci/pipeline.js', at: 1, lines: [`const BITBUCKET_APP_PASSWORD = "${makeBitbucketAppPassword()}";`] },
    { kind: 'dc-pat', file: 'deps/ci/jira-dc.ts', at: 1, lines: [`const JIRA_PAT = "${makeDataCenterPat()}";`] },
    { kind: 'legacy', file: 'deps/legacy/client.js', at: 1, lines: [`jira_api_token = "${makeLegacyCloudToken()}"`] },
  ];
  return seeds.map((seed) => {
    const full = path.join(tree, seed.file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, `${seed.lines.join('\n')}\n`);
    return { file: seed.file, line: seed.at, kind: seed.kind };
  });
}

export function timedRun(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; ms: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        ms: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}

function kinds(list: Seeded[]): string {
  return list.map((s) => s.kind).join(', ') || 'none';
}

export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}
