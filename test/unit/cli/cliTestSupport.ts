// Runs the built command (dist/cli.js) as users do, in a child process, and builds file trees in temp
// folders. Tokens are generated at run time (test/support/tokens.ts).
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO = path.resolve(__dirname, '..', '..', '..', '..');
export const CLI = path.join(REPO, 'dist', 'cli.js');
/**
 * The Node that runs the command: this one, or JTG_CLI_NODE to measure the command line's minimum Node
 * (CONTRIBUTING.md, "Node versions") with the same tests.
 */
export const CLI_NODE = process.env.JTG_CLI_NODE || process.execPath;

/** `npm run test:unit` bundles dist/cli.js (and dist/cli-check.js); a bare mocha run builds them here. */
export function ensureCliBuilt(): void {
  if (!fs.existsSync(CLI) || !fs.existsSync(path.join(REPO, 'dist', 'cli-check.js')))
    execFileSync(process.execPath, ['esbuild.js'], { cwd: REPO, stdio: 'inherit' });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time of the whole process. */
  ms: number;
}

export interface CliOptions {
  cwd?: string;
  /** Added to a clean copy of this process' environment. */
  env?: Record<string, string>;
  input?: string;
  /** Kill the command after this long (a hang must fail the test, not stall the suite). Default 20 s. */
  killAfterMs?: number;
}

/** Asynchronous on purpose: the fake Jira these tests talk to runs in this process. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (!options.env?.NODE_EXTRA_CA_CERTS) delete env.NODE_EXTRA_CA_CERTS;
  delete env.NODE_OPTIONS;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(CLI_NODE, [CLI, ...args], { cwd: options.cwd ?? REPO, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 20_000);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: Date.now() - started });
    });
    child.stdin.end(options.input ?? '');
  });
}

const made: string[] = [];

export function tempDir(prefix = 'jtg-cli-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes `files` (paths relative to `root`, '/'-separated) and returns `root`. */
export function writeTree(root: string, files: Record<string, string | Uint8Array>): string {
  for (const [relative, content] of Object.entries(files)) {
    const full = path.join(root, ...relative.split('/'));
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return root;
}

export interface JsonReport {
  findings: Array<{
    file: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    ruleId: string;
    confidence: string;
    fingerprint: string;
    message: string;
  }>;
  scannedFiles: number;
  skippedFiles: number;
  scannedBytes: number;
  durationMs: number;
}

export function git(cwd: string, ...args: string[]): string {
  return gitWith({}, cwd, ...args);
}

/** git without the system configuration, with a test identity that `env` may replace (names, dates). */
export function gitWith(env: Record<string, string>, cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
      ...env,
    },
  });
}

/** Asserts that none of `secrets` appears anywhere in `outputs`. */
export function assertNoSecret(outputs: string[], secrets: string[]): void {
  for (const output of outputs) {
    for (const secret of secrets) {
      if (output.includes(secret)) throw new Error(`a full secret (${secret.slice(0, 4)}…) appears in the output`);
    }
  }
}
