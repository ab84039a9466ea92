// `jira-token-guard scan --format json` against secretlint over the same tree: a copy of the project's own
// node_modules (its .js/.ts/.json/.md files, renamed so neither tool skips it for being "node_modules")
// seeded with generated tokens. secretlint runs @secretlint/secretlint-rule-pattern with gitleaks'
// atlassian-api-token regex, the closest rule its users would configure. Both are timed as whole
// processes (start-up included), in the same run, so the ratio is what a CI job would see.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makeAccessToken, makeBitbucketAppPassword, makeCloudToken, makeDataCenterPat, makeLegacyCloudToken } from '../support/tokens';
import { BenchLine } from './index';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const SECRETLINT = path.join(REPO, 'node_modules', 'secretlint', 'bin', 'secretlint.js');
/** Enough text for the ratio to be about scanning rather than start-up; secretlint's time grows with it. */
const TREE_BYTES = Number(process.env.JTG_BENCH_TREE_MB ?? 40) * 1024 * 1024;
/** The CLI's default size limit: bigger files would be skipped by one tool and read by the other. */
const MAX_FILE_BYTES = 2048 * 1024;
const EXTENSIONS = new Set(['.js', '.ts', '.json', '.md']);
const TARGET_RATIO = 5;
const CLI_RUNS = 3;

/**
 * gitleaks' rule, written for JavaScript: Go's `(?i)` with `(?-i:…)` around the keywords has no JavaScript
 * form before Node 23, so the case-insensitive parts are spelled out ([a-zA-Z0-9], [Aa][Tt]…) instead.
 * gitleaks: (?i)[\w.-]{0,50}?(?:(?-i:ATLASSIAN|[Aa]tlassian)|(?-i:CONFLUENCE|[Cc]onfluence)|(?-i:JIRA|[Jj]ira))
 *   (?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'"\s=]{0,5}([a-z0-9]{20}[a-f0-9]{4})
 *   (?:[\x60'"\s;]|\\[nr]|$)|\b(ATATT3[A-Za-z0-9_\-=]{186})(?:[\x60'"\s;]|\\[nr]|$)
 */
export const GITLEAKS_ATLASSIAN_JS =
  String.raw`/[\w.-]{0,50}?(?:ATLASSIAN|[Aa]tlassian|CONFLUENCE|[Cc]onfluence|JIRA|[Jj]ira)(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'"\s=]{0,5}([a-zA-Z0-9]{20}[a-fA-F0-9]{4})(?:[\x60'"\s;]|\\[nNrR]|$)|\b([Aa][Tt][Aa][Tt][Tt]3[A-Za-z0-9_\-=]{186})(?:[\x60'"\s;]|\\[nNrR]|$)/`;

interface Seeded {
  file: string;
  /** 1-based. */
  line: number;
  kind: string;
}

export async function run(): Promise<BenchLine[]> {
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run `node esbuild.js` first');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-cli-bench-'));
  try {
    const tree = path.join(work, 'tree');
    const { files, bytes } = copyTree(path.join(REPO, 'node_modules'), path.join(tree, 'deps'), TREE_BYTES);
    const seeded = seedTokens(tree);
    const rc = path.join(work, '.secretlintrc.json');
    fs.writeFileSync(rc, JSON.stringify({
      rules: [{ id: '@secretlint/secretlint-rule-pattern', options: { patterns: [{ name: 'atlassian-api-token (gitleaks)', patterns: [GITLEAKS_ATLASSIAN_JS] }] } }],
    }));
    const mb = (bytes / 1024 / 1024).toFixed(1);
    console.log(`tree: ${files} files, ${mb} MB (copied from node_modules), ${seeded.length} seeded tokens`);

    const cliTimes: number[] = [];
    let cliReport: { findings: Array<{ file: string; line: number; ruleId: string }>; scannedFiles: number } | undefined;
    for (let i = 0; i < CLI_RUNS; i++) {
      const result = await timedRun(process.execPath, [CLI, 'scan', tree, '--format', 'json'], tree);
      if (result.code !== 1) throw new Error(`the CLI exited with ${result.code}: ${result.stderr.slice(0, 500)}`);
      cliTimes.push(result.ms);
      cliReport = JSON.parse(result.stdout);
    }
    const cliMs = median(cliTimes);
    console.log(`jira-token-guard scan: ${cliMs} ms (median of ${CLI_RUNS}: ${cliTimes.join(', ')}), ${cliReport!.scannedFiles} files scanned, ${cliReport!.findings.length} findings`);

    // `unix` prints findings only; its json format would also echo every file's content, which costs time.
    const lint = await timedRun(process.execPath, [SECRETLINT, '**/*', '--secretlintrc', rc, '--format', 'unix', '--no-color'], tree);
    if (lint.code !== 0 && lint.code !== 1) throw new Error(`secretlint exited with ${lint.code}: ${lint.stderr.slice(0, 500)}`);
    const lintFound = lint.stdout.split('\n').flatMap((line) => {
      const match = /^(.+?):(\d+):\d+: \[/.exec(line);
      return match ? [{ file: toPosix(path.relative(tree, match[1])), line: Number(match[2]) }] : [];
    });
    console.log(`secretlint (rule-pattern, gitleaks regex): ${lint.ms} ms, ${lintFound.length} findings`);

    const found = (list: Array<{ file: string; line: number }>) => seeded.filter((s) => list.some((f) => f.file === s.file && f.line === s.line));
    const cliSeeded = found(cliReport!.findings);
    const lintSeeded = found(lintFound);
    const missedByCli = lintSeeded.filter((s) => !cliSeeded.includes(s));
    console.log(`seeded tokens found: jira-token-guard ${cliSeeded.length}/${seeded.length} (${kinds(cliSeeded)}), secretlint ${lintSeeded.length}/${seeded.length} (${kinds(lintSeeded)})`);

    const ratio = lint.ms / cliMs;
    console.log(`ratio: ${ratio.toFixed(1)}x`);
    return [
      {
        name: `scan ${mb} MB of node_modules vs secretlint + gitleaks' Atlassian regex`,
        value: `${ratio.toFixed(1)}x faster (${cliMs} ms vs ${lint.ms} ms, whole processes)`,
        target: `>= ${TARGET_RATIO}x faster`,
        met: ratio >= TARGET_RATIO,
      },
      {
        name: 'seeded tokens found on the same tree',
        value: `jira-token-guard ${cliSeeded.length}/${seeded.length}, secretlint ${lintSeeded.length}/${seeded.length}${missedByCli.length ? `; missed by the CLI: ${kinds(missedByCli)}` : ''}`,
        target: 'every seeded token secretlint finds, and more',
        met: missedByCli.length === 0 && cliSeeded.length >= lintSeeded.length,
      },
    ];
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Copies text files (sorted, so every run takes the same set) until `limit` bytes; `node_modules` segments become `nm`. */
function copyTree(from: string, to: string, limit: number): { files: number; bytes: number } {
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
function seedTokens(tree: string): Seeded[] {
  const seeds: Array<{ file: string; lines: string[]; kind: string; at: number }> = [
    { kind: 'cloud', file: 'deps/app/config.js', at: 2, lines: ['// settings', `const JIRA_API_TOKEN = "${makeCloudToken()}";`] },
    { kind: 'cloud', file: 'deps/app/env.example.md', at: 1, lines: [`ATLASSIAN_TOKEN=${makeCloudToken()}`] },
    { kind: 'cloud', file: 'deps/tools/deploy.ts', at: 3, lines: ['export const site = "https://acme.atlassian.net";', 'export const user = "ci@acme.com";', `export const token = '${makeCloudToken()}';`] },
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

function timedRun(command: string, args: string[], cwd: string): Promise<{ code: number | null; ms: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({
      code,
      ms: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
    }));
  });
}

function kinds(list: Seeded[]): string {
  return list.map((s) => s.kind).join(', ') || 'none';
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
