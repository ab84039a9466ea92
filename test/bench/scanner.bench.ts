// Scanner throughput against gitleaks' Atlassian rule (keyword prefilter, then its generated regex and
// entropy check), measured in this process on the same text: (a) the repository's node_modules,
// (b) a 10 MB one-line minified file with tokens in it, (c) adversarial text at two sizes.
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { scan } from '../../src/core/scanner';
import { makeAccessToken, makeBitbucketAppPassword, makeCloudToken, makeDataCenterPat, makeLegacyCloudToken } from '../support/tokens';
import { looksGenerated } from '../../src/core/scanner/context/randomness';
import { gitleaksAtlassian } from './gitleaksRule';
import { type BenchLine } from './index';

const REPO = path.resolve(__dirname, '..', '..', '..');
const MB = 1024 * 1024;

// Garbage is collected before each timed pass, so that neither side pays for the other's (the
// baseline lower-cases every file: about 100 MB of garbage per pass over node_modules).
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

function millis(work: () => void): number {
  collectGarbage();
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, out);
    else if (entry.isFile() && /\.(js|ts|json|md)$/.test(entry.name)) out.push(full);
  }
  return out;
}

function benchNodeModules(): BenchLine {
  const texts = sourceFiles(path.join(REPO, 'node_modules')).map((file) => fs.readFileSync(file, 'utf8'));
  const size = texts.reduce((sum, t) => sum + t.length, 0) / MB;
  console.log(`(a) ${texts.length} files, ${size.toFixed(1)} MB of node_modules in memory`);
  const ours: number[] = [];
  const theirs: number[] = [];
  let findings = 0;
  let leaks = 0;
  for (let round = 0; round < 6; round++) {
    const baseline = millis(() => texts.forEach((t) => (leaks += gitleaksAtlassian(t))));
    const scanner = millis(() => texts.forEach((t) => (findings += scan(t).length)));
    // Round 0 warms up the JIT and the WebAssembly tiers; interleaving evens out machine noise.
    if (round === 0) continue;
    theirs.push(baseline);
    ours.push(scanner);
    console.log(`    round ${round}: scanner ${scanner.toFixed(0)} ms, gitleaks rule ${baseline.toFixed(0)} ms`);
  }
  const ratio = median(theirs) / median(ours);
  console.log(`    findings per pass: scanner ${findings / 6}, gitleaks rule ${leaks / 6}`);
  return {
    name: 'node_modules throughput',
    value: `${(size / (median(ours) / 1000)).toFixed(0)} MB/s vs gitleaks rule ${(size / (median(theirs) / 1000)).toFixed(0)} MB/s: ${ratio.toFixed(1)}x`,
    target: '≥ 3x the gitleaks rule',
    met: ratio >= 3,
  };
}

/** Minified JavaScript from node_modules joined into one 10 MB line, with a token about every 100 KB. */
function minifiedLine(): { text: string; planted: number } {
  const files = sourceFiles(path.join(REPO, 'node_modules')).filter(
    (f) => f.endsWith('.min.js') || /[\\/](dist|bundle)[\\/].*\.js$/.test(f),
  );
  const tokens: Array<[code: () => string, findings: number]> = [
    [() => `var t="${makeCloudToken()}";`, 1],
    [() => `headers:{Authorization:"Bearer ${makeDataCenterPat()}"},`, 1],
    [() => `u="https://bot:${legacyToken()}@acme.atlassian.net/rest/api/3/myself";`, 1],
    [() => `a={jiraToken:"${legacyToken()}"};`, 1],
    [() => `b="${makeBitbucketAppPassword()}",c="${makeAccessToken()}";`, 2],
  ];
  const parts: string[] = [];
  let length = 0;
  let tokensPlanted = 0;
  let planted = 0;
  for (const file of files) {
    if (length >= 10 * MB - 200 * 1024) break;
    const code = fs.readFileSync(file, 'utf8').replace(/[\r\n]+/g, ' ');
    parts.push(code);
    length += code.length;
    if (length > (tokensPlanted + 1) * 100 * 1024) {
      const [make, findings] = tokens[tokensPlanted++ % tokens.length];
      parts.push(make());
      planted += findings;
    }
  }
  parts.push(' '.repeat(Math.max(0, 10 * MB - length - parts.length)));
  return { text: parts.join(';').slice(0, 10 * MB), planted };
}

/** Legacy tokens have no checksum; the rare random one that looks like a pattern is drawn again. */
function legacyToken(): string {
  for (;;) {
    const token = makeLegacyCloudToken();
    if (looksGenerated(token)) return token;
  }
}

function benchMinified(): BenchLine {
  const { text, planted } = minifiedLine();
  const times: number[] = [];
  let findings = 0;
  // Warm-up: the WebAssembly kernel starts in the baseline tier; the optimizing tier compiles meanwhile.
  for (let run = 0; run < 3; run++) scan(text);
  for (let run = 0; run < 9; run++) times.push(millis(() => (findings = scan(text).length)));
  const baseline = median([0, 1, 2].map(() => millis(() => gitleaksAtlassian(text))));
  const ms = median(times);
  console.log(
    `(b) ${(text.length / MB).toFixed(1)} MB on one line, ${findings} of ${planted} planted tokens found; runs: ${times.map((t) => t.toFixed(1)).join(', ')} ms; gitleaks rule ${baseline.toFixed(0)} ms`,
  );
  return {
    name: '10 MB one-line minified rescan',
    value: `median ${ms.toFixed(1)} ms, ${findings} of ${planted} tokens found`,
    target: '< 50 ms, every token found',
    met: ms < 50 && findings === planted,
  };
}

/** Text built to make backtracking regexes slow: long base64 runs, runs of AT…, keywords repeated, on one line. */
function adversarial(size: number): string {
  const random = (alphabet: string, n: number) =>
    Array.from({ length: n }, (_, i) => alphabet[(i * 7919 + (i >> 3) * 31) % alphabet.length]).join('');
  const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const pieces = [
    random(b64, 8192),
    'AT'.repeat(2048),
    'ATATT3'.repeat(700) + '=ABCDEF12',
    '-ATATT3xFfGF0'.repeat(300) + '=ABCDEF12 ',
    'ATBB'.repeat(1000),
    'jira_token='.repeat(400),
    'jira '.repeat(800),
    'Basic '.repeat(600) + random(b64, 2048),
    'a@jira.com'.repeat(400),
    'https://u:p@'.repeat(300) + 'jira.example.com ',
    '@'.repeat(2048),
    `${random(b64.slice(0, 62), 24)} `.repeat(200),
    `${'MDEy'.repeat(11)} `.repeat(100),
  ];
  const unit = pieces.join('');
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

function benchAdversarial(): BenchLine {
  const texts = [adversarial(4 * MB), adversarial(8 * MB)];
  texts.forEach((text) => scan(text));
  const times: number[][] = [[], []];
  // Interleaved, so that a busy moment of the machine weighs on both sizes alike.
  for (let run = 0; run < 7; run++) texts.forEach((text, i) => times[i].push(millis(() => scan(text))));
  const [small, large] = times.map(median);
  const growth = large / small;
  console.log(`(c) adversarial: ${small.toFixed(0)} ms at 4 MB, ${large.toFixed(0)} ms at 8 MB`);
  return {
    name: 'adversarial input, doubling the size',
    value: `${small.toFixed(0)} ms → ${large.toFixed(0)} ms: ${growth.toFixed(2)}x`,
    target: '≤ 2.2x (linear)',
    met: growth <= 2.2,
  };
}

export async function run(): Promise<BenchLine[]> {
  return [benchNodeModules(), benchMinified(), benchAdversarial()];
}
