// The pre-commit framework's hooks (.pre-commit-hooks.yaml, language: script) run the command line this
// repository carries built (bin/): `pre-commit try-repo` in a temporary repository, run as its git pre-commit
// hook, refuses a commit holding a generated token and lets a clean one through; the files hook scans the tree
// with --all-files; the pre-push hook scans the commits being pushed. Nothing is installed or built, so no
// registry is needed. Needs pre-commit (Debian's package); fails, never skips, without it.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makeCloudToken } from '../../support/tokens';

const repo = path.resolve(__dirname, '..', '..', '..', '..');

describe('pre-commit framework hooks (language: script, nothing installed)', function () {
  this.timeout(120_000);
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
    const started = Date.now();
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
    console.log(
      `      (hook installed from a clean clone and run twice in ${((Date.now() - started) / 1000).toFixed(1)} s, nothing installed)`,
    );
    git('reset', '-q', 'config.js');
    fs.rmSync(path.join(project, 'config.js'));
  });

  it('the files hook: pre-commit run --all-files scans the tree, committed files included', () => {
    const token = makeCloudToken();
    fs.writeFileSync(path.join(project, 'old.env'), `JIRA_API_TOKEN=${token}\n`);
    git('add', 'old.env');
    git('commit', '-q', '--no-verify', '-m', 'an old leak, committed without the hook');
    const run = spawnSync('pre-commit', ['try-repo', repo, 'jira-token-guard-files', '--all-files'], {
      cwd: project,
      env,
      encoding: 'utf8',
    });
    const output = run.stdout + run.stderr;
    assert.notStrictEqual(run.status, 0, output);
    assert.match(output, /Jira Token Guard \(files\)\.+Failed/);
    assert.match(output, /old\.env:1:16 atlassian-api-token high /);
    assert.ok(!output.includes(token));
  });

  it('the pre-push hook scans the commits being pushed (PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF)', () => {
    const from = git('rev-parse', 'HEAD').trim();
    const token = makeCloudToken();
    fs.writeFileSync(path.join(project, 'pushed.env'), `JIRA_API_TOKEN=${token}\n`);
    git('add', 'pushed.env');
    git('commit', '-q', '--no-verify', '-m', 'leak');
    fs.rmSync(path.join(project, 'pushed.env'));
    git('commit', '-q', '--no-verify', '-am', 'removed again');
    const to = git('rev-parse', 'HEAD').trim();
    const push = (fromRef: string) =>
      spawnSync(
        'pre-commit',
        ['try-repo', repo, 'jira-token-guard-pre-push', '--hook-stage', 'push', '--from-ref', fromRef, '--to-ref', to],
        {
          cwd: project,
          env,
          encoding: 'utf8',
        },
      );
    const leak = push(from);
    assert.notStrictEqual(leak.status, 0, leak.stdout + leak.stderr);
    assert.match(leak.stdout + leak.stderr, /pushed\.env:1:16 atlassian-api-token high .* in commit /);
    assert.ok(!(leak.stdout + leak.stderr).includes(token));
    const clean = push(git('rev-parse', 'HEAD~1').trim());
    assert.strictEqual(clean.status, 0, clean.stdout + clean.stderr);
  });
});
