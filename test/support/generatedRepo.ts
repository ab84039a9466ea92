// A git repository with thousands of commits, written in one `git fast-import` stream (seconds, not
// minutes): files of plausible code rewritten a few at a time, tokens seeded at chosen commits.
import { execFileSync } from 'child_process';
import * as fs from 'fs';

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
  /**
   * 'rewrite' (default): each commit rewrites `filesPerCommit` files whole. 'edits': realistic churn, as
   * `generateChurnRepository` makes it.
   */
  churn?: 'rewrite' | 'edits';
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
  if (options.churn === 'edits') return generateChurnRepository(dir, options);
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

/**
 * Realistic churn: most commits edit one to four files a few lines at a time (a hunk or two of one to six
 * lines replaced, inserted or deleted), hot files more often than cold ones; files are added as the project
 * grows (20 to 300 lines), now and then deleted or renamed. The stream goes through a file, not memory.
 */
export function generateChurnRepository(dir: string, options: GeneratedRepoOptions): void {
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  let seed = 54321;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed >>> 4) % n;
  };
  const line = () => `  ${Array.from({ length: 2 + random(8) }, () => WORDS[random(WORDS.length)]).join(' ')};`;
  const lines = (n: number) => Array.from({ length: n }, line);
  const live: string[] = [];
  const content = new Map<string, string[]>();
  let created = 0;
  const newFile = () => {
    const file = `src/area${random(40)}/part${created++}.${['ts', 'js', 'py', 'md', 'yml'][random(5)]}`;
    content.set(file, lines(20 + random(280)));
    live.push(file);
    return file;
  };
  for (let i = 0; i < 50; i++) newFile();
  const streamFile = `${dir}.fast-import`;
  const fd = fs.openSync(streamFile, 'w');
  const write = (text: string) => fs.writeSync(fd, text);
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const header = (ref: string, mark: number, parent: number | undefined) => {
    const when = 1_600_000_000 + mark * 60;
    write(`commit ${ref}\nmark :${mark}\nauthor Dev ${mark % 23} <dev${mark % 23}@example.com> ${when} +0000\n`);
    write(`committer CI <ci@example.com> ${when} +0000\n${data(`change ${mark}`)}`);
    if (parent !== undefined) write(`from :${parent}\n`);
  };
  const put = (file: string, text: string) => write(`M 100644 inline ${file}\n${data(text)}`);
  try {
    for (let i = 0; i < options.commits; i++) {
      header('refs/heads/main', i + 1, i ? i : undefined);
      if (i === 0) for (const file of live) put(file, `${content.get(file)!.join('\n')}\n`);
      const kind = random(100);
      if (i > 0 && kind < 2 && live.length > 60) {
        const file = live.splice(random(live.length), 1)[0];
        content.delete(file);
        write(`D ${file}\n`);
      } else if (i > 0 && kind < 3) {
        const at = random(live.length);
        const from = live[at];
        const to = from.replace(/part(\d+)/, `part$1r${i}`);
        live[at] = to;
        content.set(to, content.get(from)!);
        content.delete(from);
        write(`R ${from} ${to}\n`);
      } else if (i > 0) {
        const touched = new Set<string>();
        const count = 1 + (random(10) < 7 ? 0 : random(4));
        for (let k = 0; k < count; k++) touched.add(kind < 8 ? newFile() : live[Math.floor(live.length * (random(1000) / 1000) ** 2)]);
        for (const file of touched) {
          const text = content.get(file)!;
          for (let h = 1 + random(2); h > 0; h--) {
            const at = random(text.length + 1);
            const op = random(3);
            const n = 1 + random(6);
            if (op === 0) text.splice(at, n, ...lines(n));
            else if (op === 1) text.splice(at, 0, ...lines(n));
            else if (text.length > n + 5) text.splice(at, n);
          }
          put(file, `${text.join('\n')}\n`);
        }
      }
      const seeded = options.seeds?.get(i);
      if (seeded) put(seeded.file, `${seeded.line}\n`);
    }
    if (options.branchAt !== undefined && options.branchSeed) {
      header('refs/heads/feature', options.commits + 1, options.branchAt + 1);
      put(options.branchSeed.file, `${options.branchSeed.line}\n`);
    }
  } finally {
    fs.closeSync(fd);
  }
  const input = fs.openSync(streamFile, 'r');
  try {
    execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, stdio: [input, 'ignore', 'inherit'] });
  } finally {
    fs.closeSync(input);
    fs.rmSync(streamFile, { force: true });
  }
  execFileSync('git', ['checkout', '-q', '-f', 'main'], { cwd: dir });
}
