// Lock files hold thousands of integrity hashes and resolved URLs: noise for every pattern rule. Only
// stored tokens are looked for in them.
const LOCK_FILE_NAMES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'bun.lockb',
  'deno.lock',
  'composer.lock',
  'gemfile.lock',
  'podfile.lock',
  'cargo.lock',
  'poetry.lock',
  'pipfile.lock',
  'uv.lock',
  'pdm.lock',
  'go.sum',
  'flake.lock',
  'mix.lock',
  'pubspec.lock',
  'packages.lock.json',
  'gradle.lockfile',
  'paket.lock',
]);

/** The last letters of the names above and of the endings below: a quick no for most files of a folder scan. */
const LAST_LETTERS = new Set([...LOCK_FILE_NAMES, '.lock', '.lockfile'].map((name) => name.charCodeAt(name.length - 1)));

export function isLockFile(fileName: string | undefined): boolean {
  if (!fileName || !LAST_LETTERS.has(fileName.charCodeAt(fileName.length - 1) | 0x20)) return false;
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1).toLowerCase();
  return LOCK_FILE_NAMES.has(base) || base.endsWith('.lock') || base.endsWith('.lockfile');
}
