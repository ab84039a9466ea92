// A git repository with thousands of commits, written in one `git fast-import` stream (seconds, not
// minutes): files of plausible code rewritten a few at a time, tokens seeded at chosen commits.
import { execFileSync } from 'child_process';

export interface GeneratedRepoOptions {
  commits: number;
  /** Files each commit rewrites (default 3), out of `files` (default 200). */
  filesPerCommit?: number;
  files?: number;
  /** Lines per file (default 40). */
  lines?: number;
  /** Commit index (0-based) to a line added to a file in that commit. */
  seeds?: ReadonlyMap<number, { file: string; line: string }>;
  /** A second branch, forked at this commit index, with `branchSeed` added in its only commit. */
  branchAt?: number;
  branchSeed?: { file: string; line: string };
}

const WORDS = [
  'const',
  'value',
  'return',
  'items',
  'config',
  'export',
  'function',
  'await',
  'result',
  'index',
  'user',
  'request',
  'if',
  'else',
  'null',
  'map',
  'filter',
  'length',
  'name',
  'data',
];

export function generateRepository(dir: string, options: GeneratedRepoOptions): void {
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  const files = options.files ?? 200;
  const perCommit = options.filesPerCommit ?? 3;
  const lines = options.lines ?? 40;
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  const fileText = () =>
    Array.from({ length: lines }, () => `  ${Array.from({ length: 6 }, () => WORDS[random() % WORDS.length]).join(' ')};`).join('\n') +
    '\n';
  const parts: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const commit = (ref: string, mark: number, parent: number | undefined, changes: Array<[string, string]>) => {
    const when = 1_600_000_000 + mark * 60;
    parts.push(
      `commit ${ref}\nmark :${mark}\nauthor Dev ${mark % 7} <dev${mark % 7}@example.com> ${when} +0000\ncommitter CI <ci@example.com> ${when} +0000\n`,
    );
    parts.push(data(`change ${mark}`));
    if (parent !== undefined) parts.push(`from :${parent}\n`);
    for (const [file, text] of changes) parts.push(`M 100644 inline ${file}\n`, data(text));
  };
  for (let i = 0; i < options.commits; i++) {
    const changes: Array<[string, string]> = [];
    for (let j = 0; j < perCommit; j++) changes.push([`src/module${random() % files}/file${random() % 5}.js`, fileText()]);
    const seeded = options.seeds?.get(i);
    if (seeded) changes.push([seeded.file, `${seeded.line}\n`]);
    commit('refs/heads/main', i + 1, i ? i : undefined, changes);
  }
  if (options.branchAt !== undefined && options.branchSeed) {
    commit('refs/heads/feature', options.commits + 1, options.branchAt + 1, [[options.branchSeed.file, `${options.branchSeed.line}\n`]]);
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: parts.join(''), maxBuffer: 1024 ** 3 });
  execFileSync('git', ['checkout', '-q', '-f', 'main'], { cwd: dir });
}
