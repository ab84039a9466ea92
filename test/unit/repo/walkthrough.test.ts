// The "Getting started" walkthrough: every step's media ships in the .vsix, every step's command exists, and its text renders.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const repo = path.resolve(__dirname, '..', '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));

describe('getting started walkthrough', () => {
  const walkthrough = pkg.contributes.walkthroughs?.[0];

  it('has the first steps, in order', () => {
    assert.ok(walkthrough, 'contributes.walkthroughs is declared');
    assert.deepStrictEqual(
      walkthrough.steps.map((s: { id: string }) => s.id),
      ['addConnection', 'testConnection', 'scanWorkspace', 'useInTerminals', 'auditTokens'],
    );
  });

  it('links only to commands the extension declares, and its media ship with it', () => {
    const declared = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
    const ignore = fs.readFileSync(path.join(repo, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!media/walkthrough/*.md'), '.vscodeignore re-includes the walkthrough media');
    for (const step of walkthrough.steps as Array<{ id: string; description: string; media: { markdown: string } }>) {
      for (const [, command] of step.description.matchAll(/\(command:([\w.]+)\)/g)) {
        assert.ok(declared.has(command), `${step.id} links to undeclared ${command}`);
      }
      assert.match(step.media.markdown, /^media\/walkthrough\/[^/]+\.md$/);
      assert.ok(fs.existsSync(path.join(repo, step.media.markdown)), `${step.media.markdown} exists`);
    }
  });

  it('writes step titles and descriptions in what VS Code renders there (links, not code spans: backticks show as typed)', () => {
    for (const step of walkthrough.steps as Array<{ id: string; title: string; description: string }>) {
      assert.ok(!step.title.includes('`') && !step.description.includes('`'), `${step.id} has a backtick`);
    }
  });
});
