// The .vsix holds what the extension needs at run time and nothing else (no sources, tests, fixtures,
// node_modules, CLI), and stays small.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const repo = path.resolve(__dirname, '..', '..', '..');
const vsce = path.join(repo, 'node_modules', '.bin', 'vsce');

describe('packaged extension (.vsix)', function () {
  this.timeout(120_000);

  it('is built by npm run package, allow-listed and under 250 KB', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-vsix-')), 'jira-token-guard.vsix');
    // Same flags as `npm run package`: --no-rewrite-relative-links because the README's screenshots
    // (media/screenshots/, not packaged) are relative links and package.json names no repository.
    execFileSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], { cwd: repo, stdio: 'pipe' });
    const size = fs.statSync(out).size;
    assert.ok(size < 250 * 1024, `the .vsix is ${Math.round(size / 1024)} KB`);
    const files = execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: repo, encoding: 'utf8' })
      .split('\n').map((l) => l.trim()).filter(Boolean);
    assert.ok(files.includes('dist/extension.js'));
    assert.ok(files.includes('package.json') && files.includes('README.md') && files.includes('LICENSE') && files.includes('CHANGELOG.md'));
    const unexpected = files.filter((f) => !/^(dist\/extension\.js|package\.json|README\.md|CHANGELOG\.md|LICENSE|media\/[^/]+\.(svg|png)|media\/walkthrough\/[^/]+\.md)$/.test(f));
    assert.deepStrictEqual(unexpected, [], 'nothing but the allow-list is packaged');
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('lets no workspace weaken the guard in Restricted Mode: every setting a workspace can set is restricted, or only strengthens it', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
    const trust = manifest.capabilities.untrustedWorkspaces;
    // VS Code reads restrictedConfigurations only with supported: 'limited'.
    assert.strictEqual(trust.supported, 'limited');
    const restricted: string[] = trust.restrictedConfigurations;
    const settings: Record<string, { scope?: string }> = manifest.contributes.configuration.properties;
    for (const key of ['jiraTokenGuard.leakDetection', 'jiraTokenGuard.leakSeverity']) assert.ok(restricted.includes(key), `${key} is restricted`);
    // Turning it on adds findings: a workspace may.
    const onlyStrengthens = new Set(['jiraTokenGuard.reportUnverifiedTokens']);
    const workspaceSettable = Object.entries(settings).filter(([, s]) => s.scope !== 'application' && s.scope !== 'machine').map(([key]) => key);
    assert.deepStrictEqual(workspaceSettable.filter((key) => !restricted.includes(key) && !onlyStrengthens.has(key)), [], 'restrict it, or say why a workspace value cannot weaken the guard');
    for (const key of restricted) assert.ok(settings[key], `${key} is a declared setting`);
  });
});
