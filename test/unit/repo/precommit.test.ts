// The pre-commit framework's entry (.pre-commit-hooks.yaml, language: node) installs the command from this
// repository by itself: `pre-commit try-repo` in a temporary repository, run as its git pre-commit hook,
// refuses a commit holding a generated token and lets a clean one through. Needs pre-commit (Debian's
// package) and the npm registry (pre-commit runs npm install here); fails, never skips, without them.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makeCloudToken } from '../../support/tokens';

const repo = path.resolve(__dirname, '..', '..', '..', '..');

describe('pre-commit framework hook (language: node)', function () {
  // The first run installs the hook's environment: npm install, npm pack (prepack builds), npm install -g.
  this.timeout(600_000);
  const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-pre-commit-')));
  const project = path.join(work, 'project');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PRE_COMMIT_HOME: path.join(work, 'pre-commit-home'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.com',
  };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: project, env, encoding: 'utf8' });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  before(() => {
    const version = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
    assert.strictEqual(version.status, 0, 'pre-commit is not installed (apt-get install pre-commit)');
    fs.mkdirSync(project);
    git('init', '-q');
    // The hook runs try-repo against this checkout (its uncommitted changes included), as a user would
    // run the hook installed from the hosted repository.
    fs.writeFileSync(
      path.join(project, '.git', 'hooks', 'pre-commit'),
      `#!/bin/sh\nexec pre-commit try-repo ${JSON.stringify(repo)} jira-token-guard\n`,
      { mode: 0o755 },
    );
  });

  it('lets a clean commit through and refuses one with a token, without a global install', () => {
    fs.writeFileSync(path.join(project, 'app.js'), 'export const a = 1;\n');
    git('add', 'app.js');
    const clean = spawnSync('git', ['commit', '-q', '-m', 'clean'], { cwd: project, env, encoding: 'utf8' });
    assert.strictEqual(clean.status, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout + clean.stderr, /Jira Token Guard\.+Passed/);

    const token = makeCloudToken();
    fs.writeFileSync(path.join(project, 'config.js'), `const JIRA_API_TOKEN = "${token}";\n`);
    git('add', 'config.js');
    const leak = spawnSync('git', ['commit', '-q', '-m', 'leak'], { cwd: project, env, encoding: 'utf8' });
    const output = leak.stdout + leak.stderr;
    assert.notStrictEqual(leak.status, 0, output);
    assert.match(output, /Jira Token Guard\.+Failed/);
    assert.match(output, /config\.js:1:25 atlassian-api-token high /);
    assert.ok(!output.includes(token), 'the token is shown masked only');
    assert.strictEqual(git('rev-list', '--count', 'HEAD').trim(), '1', 'the commit with the token was refused');
  });
});
