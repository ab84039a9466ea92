// Every git process of the command line and of the editor's scans starts here (a unit test checks that no
// other file does). The repository is hostile: a clone or a pull request controls .git/config, the files it
// includes, .gitattributes, hooks and submodules, and any of them can name a program for git to run. The
// rule is that git never runs a program the repository names:
// - every transport is refused, so nothing is fetched (a partial clone's lazy fetch) and no ssh or proxy
//   command, remote helper, upload-pack or credential helper starts;
// - every key that starts a program is set on the command line, which git reads after every config file
//   (included ones too), to a value that starts none;
// - the callers pass --no-ext-diff and --no-textconv to the commands that diff, whose drivers the
//   repository names; none of the commands run converts work-tree files (filters) or runs hooks;
// - git itself is found in PATH's absolute folders only, never in the repository (see gitProgram).
import type { ChildProcessByStdio } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Readable } from 'stream';
import { childProcess } from './childProcess';

/** A list naming no protocol: git refuses every transport, whatever the repository's protocol.<name>.allow says. */
const NO_PROTOCOL = '';

/** `-c key=value` pairs; an empty value also clears a list (credential.helper). */
const CONFIG: ReadonlyArray<readonly [string, string]> = [
  // Transports: protocol.<name>.allow in the repository would beat protocol.allow alone.
  ['protocol.allow', 'never'],
  ...['file', 'git', 'ssh', 'http', 'https', 'ext', 'fd'].map((name) => [`protocol.${name}.allow`, 'never'] as const),
  // Programs that only a transport would start, should one ever be allowed.
  ['core.sshCommand', ''],
  ['ssh.variant', 'ssh'],
  ['core.askPass', ''],
  ['credential.helper', ''],
  ['core.alternateRefsCommand', ''],
  ['uploadpack.packObjectsHook', ''],
  ['fetch.recurseSubmodules', 'false'],
  ['submodule.recurse', 'false'],
  ['gc.auto', '0'],
  ['maintenance.auto', 'false'],
  // Programs the commands that are run could start.
  ['core.fsmonitor', 'false'],
  ['core.hooksPath', '/dev/null'],
  ['core.pager', 'cat'],
  ['core.editor', ':'],
  ['sequence.editor', ':'],
  ['diff.external', ''],
  // `diff` would run `git diff` inside each submodule, under the submodule's own configuration and drivers.
  ['diff.submodule', 'short'],
  ['interactive.diffFilter', ''],
  ['log.showSignature', 'false'],
  ['gpg.program', ''],
  ['gpg.openpgp.program', ''],
  ['gpg.x509.program', ''],
  ['gpg.ssh.program', ''],
  ['gpg.ssh.defaultKeyCommand', ''],
];

const PREFIX: readonly string[] = [...CONFIG.flatMap(([key, value]) => ['-c', `${key}=${value}`]), '--no-pager'];

/**
 * Set for every git: the environment is read before the configuration for these (an empty GIT_ASKPASS,
 * GIT_SSH_COMMAND or GIT_PROXY_COMMAND wins over core.askPass, core.sshCommand and core.gitProxy). Undefined:
 * removed.
 */
const ENVIRONMENT: Readonly<Record<string, string | undefined>> = {
  // Honoured from git 2.44, and by the 2024 security releases of older lines (2.39.4 on); GIT_ALLOW_PROTOCOL
  // and protocol.allow stop the lazy fetch on any git.
  GIT_NO_LAZY_FETCH: '1',
  GIT_ALLOW_PROTOCOL: NO_PROTOCOL,
  GIT_TERMINAL_PROMPT: '0',
  GIT_ASKPASS: '',
  SSH_ASKPASS: '',
  GIT_PAGER: 'cat',
  PAGER: 'cat',
  GIT_EDITOR: ':',
  GIT_SEQUENCE_EDITOR: ':',
  GIT_SSH_COMMAND: '',
  GIT_SSH: undefined,
  GIT_SSH_VARIANT: 'ssh',
  GIT_PROXY_COMMAND: '',
  GIT_EXTERNAL_DIFF: undefined,
};

/** Set by git for a hook in its own repository: they must not steer git in the folder being scanned. */
const REPOSITORY_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_PREFIX',
  'GIT_NAMESPACE',
];

export interface GitOptions {
  /**
   * Keep GIT_DIR, GIT_INDEX_FILE... from the environment: `scan --staged` in a pre-commit hook must read the
   * index git is committing (`git commit -a` names a temporary one). Elsewhere the folder decides.
   */
  repositoryFromEnvironment?: boolean;
}

let found: string | undefined;

/**
 * git's absolute path. Started as plain `git` in the repository's folder, a `git` file at its top would run
 * instead: Windows looks in the working folder before PATH, and POSIX does through an empty or `.` entry of
 * PATH. Found once per process.
 */
function gitProgram(): string {
  found ??= findOnPath(process.env.PATH ?? '', process.platform === 'win32' ? ['git.com', 'git.exe'] : ['git']);
  if (!found) throw new GitError('git was not found on PATH', 'ENOENT', '');
  return found;
}

/** The first of `names` in the absolute folders of `pathList` that is a file git's user may run. */
export function findOnPath(pathList: string, names: readonly string[]): string | undefined {
  for (const entry of pathList.split(path.delimiter)) {
    const dir = entry.replace(/^"(.*)"$/, '$1');
    if (!path.isAbsolute(dir)) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // Not there, or not runnable: the next one.
      }
    }
  }
  return undefined;
}

/** The arguments git is started with: the hardening, then `args`. */
export function gitArgs(args: readonly string[]): string[] {
  return [...PREFIX, ...args];
}

/** The environment git is started with. */
export function gitEnvironment(options: GitOptions = {}, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env = { ...base };
  if (!options.repositoryFromEnvironment) for (const name of REPOSITORY_VARIABLES) delete env[name];
  for (const [name, value] of Object.entries(ENVIRONMENT)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** git failed: `code` is its exit code, or Node's error code (ENOENT: no git; ERR_CHILD_PROCESS_STDIO_MAXBUFFER). */
export class GitError extends Error {
  constructor(
    message: string,
    readonly code: number | string | undefined,
    readonly stderr: string,
  ) {
    super(message);
  }
}

/** What the scans say when git needs an object the repository lacks. */
export const MISSING_OBJECTS =
  'some objects are missing and git was not allowed to fetch them (a scan never contacts a remote; in a partial clone, fetch them with git first if you trust its remote)';

/** git's stderr says an object was missing (and its lazy fetch refused). */
export function missingObjects(stderr: string): boolean {
  return /lazy fetching disabled|could not fetch \S+ from promisor remote|transport '[^']*' not allowed|unable to read [0-9a-f]{7,}|missing (blob|tree|commit) object|did not receive expected object/i.test(
    stderr,
  );
}

/** git's stdout; stderr is dropped. Blocks: for a start-up path that would otherwise wait anyway. */
export function gitSync(cwd: string, args: readonly string[], maxBuffer: number, options: GitOptions = {}): Buffer {
  return childProcess().execFileSync(gitProgram(), gitArgs(args), {
    cwd,
    env: gitEnvironment(options),
    encoding: 'buffer',
    maxBuffer,
    stdio: ['ignore', 'pipe', 'ignore'],
    windowsHide: true,
  });
}

/** git's stdout, or a GitError. `signal` kills git (the error's code is then ABORT_ERR). */
export function git(
  cwd: string,
  args: readonly string[],
  options: GitOptions & { maxBuffer?: number; signal?: AbortSignal } = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = childProcess().execFile(
      gitProgram(),
      gitArgs(args),
      {
        cwd,
        env: gitEnvironment(options),
        encoding: 'buffer',
        maxBuffer: options.maxBuffer ?? 256 * 1024 * 1024,
        signal: options.signal,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const text = stderr.toString('utf8');
        // A number: git's exit code; a string: Node's reason (no git, output over maxBuffer, aborted).
        const code = (error as { code?: number | string }).code;
        // Not Node's message, which quotes the whole command line.
        reject(new GitError(firstError(text) || `git failed (${code ?? error.signal ?? 'no reason given'})`, code, text));
      },
    );
    // Nothing for git to read: a prompt it would wait on answers at once.
    child.stdin?.end();
  });
}

/** git with its output streamed (stdin closed), for `git log -p`. Throws a GitError (ENOENT) when there is no git. */
export function spawnGit(cwd: string, args: readonly string[], options: GitOptions = {}): ChildProcessByStdio<null, Readable, Readable> {
  return childProcess().spawn(gitProgram(), gitArgs(args), {
    cwd,
    env: gitEnvironment(options),
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
}

/** The first line that says what failed (a "fatal:" or "error:" line, not a warning), without its prefix. */
function firstError(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.trim());
  const line = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0] ?? '';
  return line.replace(/^(fatal|error):\s*/, '').trim();
}
