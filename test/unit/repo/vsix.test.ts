// The .vsix as `npm run package` builds it (plain `vsce package`, no flag that skips a check), opened with a
// small zip reader: it holds the allow-list and nothing else, and its README and CHANGELOG render on their own
// (the Marketplace and Open VSX page): every link and image resolves inside the package, to a heading of the
// same page, or to an absolute https address; relative links in the repository are rewritten by vsce to the
// repository named in package.json, and those must name files that exist.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { headingAnchors, markdownLinks } from '../../support/markdownLinks';
import { readZip, type ZipEntry } from '../../support/zip';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  repository: { url: string };
};
const REPOSITORY = manifest.repository.url.replace(/\.git$/, '');

const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt)$/,
  /^extension\/dist\/extension\.js$/,
  /^extension\/dist\/web\/extension\.js$/,
  /^extension\/media\/[^/]+\.(svg|png)$/,
  /^extension\/media\/walkthrough\/[^/]+\.md$/,
];

describe('packaged extension (.vsix)', function () {
  this.timeout(180_000);
  let work = '';
  let zip: Buffer | undefined;
  let entries: ZipEntry[] | undefined;
  let failure: string | undefined;
  after(() => work && fs.rmSync(work, { recursive: true, force: true }));

  // Packaged once for every test below (a grep that picks one of them still packages).
  before(() => {
    work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-vsix-')));
    const out = path.join(work, 'jira-token-guard.vsix');
    const built = spawnSync(path.join(REPO, 'node_modules', '.bin', 'vsce'), ['package', '--out', out], { cwd: REPO, encoding: 'utf8' });
    if (built.status !== 0) {
      failure = `vsce package failed:\n${built.stdout}${built.stderr}`;
      return;
    }
    zip = fs.readFileSync(out);
    entries = readZip(zip);
  });

  const packaged = (): ZipEntry[] => {
    assert.ok(entries, failure);
    return entries;
  };
  const text = (name: string): string => {
    const entry = packaged().find((e) => e.name === name);
    assert.ok(entry, `${name} is packaged`);
    return entry.read().toString('utf8');
  };

  it('is built by npm run package, plain vsce package (no flag that skips a check), allow-listed and under 300 KB', () => {
    // The fixed --out name is the one the test hosts and the release workflow pick up.
    assert.strictEqual(manifest.scripts.package, 'vsce package --out jira-token-guard.vsix');
    const names = packaged().map((e) => e.name);
    assert.ok(zip);
    console.log(`      .vsix: ${(zip.length / 1024).toFixed(1)} KB, ${names.length} files`);
    // Two bundles since the browser entry (#29): desktop ~190 KB, browser ~60 KB, compressed.
    assert.ok(zip.length < 300 * 1024, `the .vsix is ${Math.round(zip.length / 1024)} KB`);
    for (const required of ['extension/package.json', 'extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt'])
      assert.ok(names.includes(required), `${required} is packaged`);
    assert.ok(names.includes('extension/dist/extension.js'));
    assert.deepStrictEqual(
      names.filter((name) => !ALLOWED.some((allowed) => allowed.test(name))),
      [],
      'nothing but the allow-list is packaged',
    );
  });

  it('carries both entries: main for desktop and browser for the web-worker host', () => {
    const packagedManifest = JSON.parse(text('extension/package.json')) as { main?: string; browser?: string };
    assert.strictEqual(packagedManifest.main, './dist/extension.js');
    assert.strictEqual(packagedManifest.browser, './dist/web/extension.js');
    const names = packaged().map((e) => e.name);
    assert.ok(names.includes('extension/dist/extension.js'));
    assert.ok(names.includes('extension/dist/web/extension.js'));
  });

  it('holds no source map, source, test, fixture, .env file or node_modules, and no token a scan would find', () => {
    const names = packaged().map((e) => e.name);
    assert.deepStrictEqual(
      names.filter((name) => /\.(map|ts)$|(^|\/)(src|test|out|node_modules|\.vscode-test|fixtures)\/|(^|\/)\.env/i.test(name)),
      [],
    );
    assert.ok(!text('extension/dist/extension.js').includes('sourceMappingURL'), 'the bundle names no source map');
    // Unpacked, every file of the package goes through the scanner the command line uses.
    const unpacked = path.join(work, 'unpacked');
    for (const entry of packaged()) {
      const file = path.join(unpacked, ...entry.name.split('/'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, entry.read());
    }
    const scan = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'scan', unpacked, '--no-config', '--no-ignore-file'], {
      encoding: 'utf8',
    });
    assert.strictEqual(scan.status, 0, `findings in the package:\n${scan.stdout}${scan.stderr}`);
  });

  for (const page of ['extension/readme.md', 'extension/changelog.md']) {
    it(`${page} renders on its own: links and images resolve in the package, to its headings, or to https (repository files that exist)`, () => {
      const markdown = text(page);
      const names = new Set(packaged().map((e) => e.name));
      const anchors = headingAnchors(markdown);
      const problems: string[] = [];
      const links = markdownLinks(markdown);
      if (page.endsWith('readme.md')) assert.ok(links.filter((l) => l.image).length >= 1, 'the README shows a screenshot');
      for (const { target, image, line } of links) {
        const where = `${page}:${line} ${target}`;
        if (target.startsWith('#')) {
          if (!anchors.has(decodeURIComponent(target.slice(1)))) problems.push(`${where}: no such heading`);
        } else if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
          if (!target.startsWith('https://')) problems.push(`${where}: not https`);
          else problems.push(...repositoryLinkProblems(target, image).map((p) => `${where}: ${p}`));
        } else {
          // Relative: resolved inside the package, next to the page.
          const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(page), target.split('#')[0]));
          if (!names.has(resolved)) problems.push(`${where}: not in the package`);
        }
      }
      assert.deepStrictEqual(problems, []);
    });
  }
});

/** A link into this repository (vsce rewrites relative links to blob/HEAD, images to raw/HEAD) must name a file that exists. */
function repositoryLinkProblems(target: string, image: boolean): string[] {
  if (!target.startsWith(`${REPOSITORY}/`)) return [];
  const rest = target.slice(REPOSITORY.length + 1);
  const file = /^(blob|raw|tree)\/HEAD\/([^#?]+)(?:#(.*))?$/.exec(rest);
  // The repository's own pages (releases, issues) are not files.
  if (!file) return /^(blob|raw|tree)\//.test(rest) ? ['names another branch or commit than HEAD'] : [];
  const [, kind, relative, fragment] = file;
  const local = path.join(REPO, ...decodeURIComponent(relative).split('/'));
  if (!fs.existsSync(local)) return [`${relative} is not in the repository`];
  if (image && kind !== 'raw') return ['an image must be the raw file, not its GitHub page'];
  if (fragment && relative.endsWith('.md') && !headingAnchors(fs.readFileSync(local, 'utf8')).has(decodeURIComponent(fragment)))
    return [`${relative} has no heading #${fragment}`];
  return [];
}

// Kept apart so that a failure names the page: the same rules for the repository's own pages.
describe('documentation links in the repository', () => {
  const pages = [
    'README.md',
    'CHANGELOG.md',
    'CONTRIBUTING.md',
    'SECURITY.md',
    ...fs.readdirSync(path.join(REPO, 'docs')).map((f) => `docs/${f}`),
  ].filter((page) => page.endsWith('.md'));

  it('README, CHANGELOG, CONTRIBUTING, SECURITY and docs/: every relative link names a file of the repository and every anchor a heading', () => {
    const problems: string[] = [];
    for (const page of pages) {
      const markdown = fs.readFileSync(path.join(REPO, page), 'utf8');
      for (const { target, line } of markdownLinks(markdown)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const [file, fragment] = target.split('#');
        const resolved = file ? path.posix.normalize(path.posix.join(path.posix.dirname(page), file)) : page;
        const local = path.join(REPO, ...resolved.split('/'));
        if (!fs.existsSync(local)) problems.push(`${page}:${line} ${target}: ${resolved} does not exist`);
        else if (fragment && resolved.endsWith('.md') && !headingAnchors(fs.readFileSync(local, 'utf8')).has(decodeURIComponent(fragment)))
          problems.push(`${page}:${line} ${target}: no such heading in ${resolved}`);
      }
    }
    assert.deepStrictEqual(problems, []);
  });

  it('the README keeps the two from-source commands near the top and a table of contents', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const top = readme.split('\n').slice(0, 60).join('\n');
    assert.match(top, /npm ci && npm start/);
    assert.match(top, /npm ci && npm test/);
    const contents = /^## Contents\n([\s\S]*?)\n## /m.exec(readme);
    assert.ok(contents, 'a "Contents" section');
    const anchors = headingAnchors(readme);
    const listed = markdownLinks(contents[1]).map((l) => l.target);
    assert.ok(listed.length >= 5);
    for (const target of listed.filter((t) => t.startsWith('#'))) assert.ok(anchors.has(target.slice(1)), `${target} is a heading`);
  });
});
