// action.yml, the composite action: its inputs reach the shell only through environment variables, and its
// scan step, run here with bash as the runner would, writes SARIF and records the exit status for the
// upload and failure steps. (GitHub's runner itself cannot run here; the YAML is read with Debian's
// python3-yaml, which pre-commit brings.)
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fingerprintOf } from '../../../src/core/tokens/tokenShapes';
import { makeCloudToken } from '../../support/tokens';
import { REPO, ensureCliBuilt, git, removeTempDirs, tempDir, writeTree } from '../cli/cliTestSupport';

/** What the action runs: the command line the repository carries built (test/unit/repo/committedCli.test.ts keeps it fresh). */
const COMMITTED_CLI = path.join(REPO, 'bin', 'cli.js');

interface Step {
  name: string;
  id?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  if?: string;
  with?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default: string }>;
  runs: { using: string; steps: Step[] };
}

function readActionOutputs(): unknown {
  const json = execFileSync(
    '/usr/bin/python3',
    ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))["outputs"]))', path.join(REPO, 'action.yml')],
    { encoding: 'utf8' },
  );
  return JSON.parse(json);
}

function readAction(): Action {
  const json = execFileSync(
    '/usr/bin/python3',
    ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', path.join(REPO, 'action.yml')],
    { encoding: 'utf8' },
  );
  return JSON.parse(json) as Action;
}

describe('GitHub action (action.yml)', function () {
  this.timeout(30_000);
  const action = readAction();
  const scanStep = action.runs.steps.find((s) => s.id === 'scan')!;
  before(ensureCliBuilt);
  after(removeTempDirs);

  /**
   * The scan step's script under bash, with the step's environment resolved as the runner would. `event`:
   * the runner's GITHUB_EVENT_NAME, and the payload it writes to GITHUB_EVENT_PATH.
   */
  function runScanStep(
    inputs: Record<string, string>,
    event?: { name: string; payload?: unknown },
  ): { status: number | null; output: string; stdout: string; stderr: string } {
    const work = tempDir('jtg-action-');
    const outputFile = path.join(work, 'github-output');
    fs.writeFileSync(outputFile, '');
    const values: Record<string, string> = {
      ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default])),
      ...inputs,
    };
    const env: Record<string, string> = {};
    for (const [name, expression] of Object.entries(scanStep.env ?? {})) {
      env[name] = expression
        .replace(/\$\{\{ inputs\.([\w-]+) \}\}/g, (_, input: string) => values[input])
        .replace('${{ github.action_path }}/bin/cli.js', COMMITTED_CLI);
    }
    const runner: Record<string, string> = { GITHUB_OUTPUT: outputFile, RUNNER_TEMP: work };
    if (event) {
      runner.GITHUB_EVENT_NAME = event.name;
      runner.GITHUB_EVENT_PATH = path.join(work, 'event.json');
      fs.writeFileSync(runner.GITHUB_EVENT_PATH, JSON.stringify(event.payload ?? {}));
    }
    const result = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', scanStep.run!], {
      cwd: inputs.cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, GIT_CONFIG_NOSYSTEM: '1', ...env, ...runner },
      encoding: 'utf8',
    });
    return { status: result.status, output: fs.readFileSync(outputFile, 'utf8'), stdout: result.stdout, stderr: result.stderr };
  }

  /** The summary step after a scan in `cwd`: its output lines and the job summary it wrote. */
  function runReportStep(cwd: string): { status: number | null; output: string; summary: string; stderr: string } {
    const step = action.runs.steps.find((s) => s.id === 'report')!;
    const work = tempDir('jtg-action-');
    const outputFile = path.join(work, 'github-output');
    const summaryFile = path.join(work, 'summary.md');
    fs.writeFileSync(outputFile, '');
    const result = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', step.run!], {
      cwd,
      env: {
        PATH: process.env.PATH,
        JTG_SARIF: action.inputs['sarif-file'].default,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
      },
      encoding: 'utf8',
    });
    const summary = fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, 'utf8') : '';
    return { status: result.status, output: fs.readFileSync(outputFile, 'utf8'), summary, stderr: result.stderr };
  }

  it('is a composite action whose scripts never paste an input or expression into the shell', () => {
    assert.strictEqual(action.runs.using, 'composite');
    for (const step of action.runs.steps) {
      if (step.run === undefined) continue;
      assert.strictEqual(step.shell, 'bash', step.name);
      assert.ok(!step.run.includes('${{'), `${step.name}: expressions go through env`);
    }
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
    assert.ok(upload && upload.with?.sarif_file === '${{ inputs.sarif-file }}');
  });

  it('builds nothing and installs nothing: runs bin/cli.js, uploads with upload-sarif@v4, outputs findings and sarif', () => {
    const scripts = action.runs.steps.map((s) => s.run ?? '').join('\n');
    assert.doesNotMatch(scripts, /\bnpm\b|esbuild/);
    assert.strictEqual(scanStep.env?.JTG_CLI, '${{ github.action_path }}/bin/cli.js');
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
    assert.strictEqual(upload?.uses, 'github/codeql-action/upload-sarif@v4');
    const outputs = (readActionOutputs() ?? {}) as Record<string, { value: string }>;
    assert.strictEqual(outputs.findings?.value, '${{ steps.report.outputs.findings }}');
    assert.strictEqual(outputs.sarif?.value, '${{ inputs.sarif-file }}');
  });

  it('writes a job summary (rule, file, line, commit, fingerprint; never the token) and the findings output', () => {
    const token = makeCloudToken();
    const repo = tempDir();
    git(repo, 'init', '-q');
    writeTree(repo, { 'src/a|b.js': `const JIRA_API_TOKEN = "${token}";\n` });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'leak');
    assert.strictEqual(runScanStep({ cwd: repo, history: 'true' }).output, 'exit-code=1\n');
    const report = runReportStep(repo);
    assert.strictEqual(report.status, 0, report.stderr);
    assert.strictEqual(report.output, 'findings=1\n');
    const commit = git(repo, 'rev-parse', 'HEAD').trim();
    assert.match(report.summary, /^### Jira Token Guard: 1 finding\n\n\| Rule \| File \| Line \| Commit \| Fingerprint \|\n/);
    assert.ok(
      report.summary.includes(`| atlassian-api-token | src/a\\|b.js | 1 | ${commit.slice(0, 12)} | ${fingerprintOf(token)} |`),
      report.summary,
    );
    assert.ok(!report.summary.includes(token.slice(0, 12)) && !report.summary.includes(token.slice(-4)), 'not even the masked token');
    const clean = writeTree(tempDir(), { 'a.txt': 'nothing\n' });
    runScanStep({ cwd: clean });
    const none = runReportStep(clean);
    assert.strictEqual(none.output, 'findings=0\n');
    assert.strictEqual(none.summary, '### Jira Token Guard: no leaked Jira tokens\n');
  });

  it('scans the files, writes SARIF and records exit code 1 without failing before the upload', () => {
    const token = makeCloudToken();
    const tree = writeTree(tempDir(), { 'src/a.js': `const JIRA_API_TOKEN = "${token}";\n` });
    const result = runScanStep({ cwd: tree });
    assert.strictEqual(result.status, 0, result.stderr);
    assert.strictEqual(result.output, 'exit-code=1\n');
    const sarif = JSON.parse(fs.readFileSync(path.join(tree, 'jira-token-guard.sarif'), 'utf8'));
    assert.deepStrictEqual(
      sarif.runs[0].results.map(
        (r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) =>
          r.locations[0].physicalLocation.artifactLocation.uri,
      ),
      ['src/a.js'],
    );
    assert.ok(!fs.readFileSync(path.join(tree, 'jira-token-guard.sarif'), 'utf8').includes(token));
  });

  it('scans history on request, with a range, and treats hostile inputs as values', () => {
    const token = makeCloudToken();
    const repo = tempDir();
    git(repo, 'init', '-q');
    writeTree(repo, { 'a.env': `JIRA_API_TOKEN=${token}\n` });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'leak');
    writeTree(repo, { 'a.env': 'JIRA_API_TOKEN=\n' });
    git(repo, 'commit', '-q', '-am', 'fix');
    const history = runScanStep({ cwd: repo, history: 'true' });
    assert.strictEqual(history.output, 'exit-code=1\n', history.stderr);
    const sarif = JSON.parse(fs.readFileSync(path.join(repo, 'jira-token-guard.sarif'), 'utf8'));
    assert.strictEqual(sarif.runs[0].results[0].properties.commit, git(repo, 'rev-parse', 'HEAD~1').trim());
    assert.strictEqual(runScanStep({ cwd: repo, history: 'true', range: 'HEAD~1..HEAD' }).output, 'exit-code=0\n');

    const hostile = runScanStep({ cwd: repo, history: 'true', range: '$(touch pwned)', path: '--output=pwned2' });
    assert.strictEqual(hostile.status, 2);
    assert.strictEqual(hostile.output, 'exit-code=2\n');
    assert.ok(!fs.existsSync(path.join(repo, 'pwned')) && !fs.existsSync(path.join(repo, 'pwned2')));
  });

  describe('on a pull request, the head cannot accept its own token', () => {
    const t = { accepted: makeCloudToken(), baselined: makeCloudToken(), commented: makeCloudToken(), listedByHead: makeCloudToken() };
    const baseline = (entries: Array<[string, string]>) =>
      JSON.stringify({
        jiraTokenGuardBaseline: 1,
        findings: entries.map(([file, secret]) => ({ fingerprint: fingerprintOf(secret), file })),
      });
    let origin: string;
    let baseSha: string;
    before(() => {
      // The base: one token accepted by the ignore list, one by the baseline.
      origin = tempDir();
      git(origin, 'init', '-q');
      writeTree(origin, {
        'old.env': `JIRA_API_TOKEN=${t.accepted}\n`,
        'legacy.env': `JIRA_API_TOKEN=${t.baselined}\n`,
        '.jira-token-guard-ignore': `${fingerprintOf(t.accepted)}\n`,
        'baseline.json': baseline([['legacy.env', t.baselined]]),
      });
      git(origin, 'add', '-A');
      git(origin, 'commit', '-q', '-m', 'base');
      baseSha = git(origin, 'rev-parse', 'HEAD').trim();
      // The head: a token with an ignore comment and its fingerprint in the ignore list, another in the baseline.
      writeTree(origin, {
        'a.js': `// jira-token-guard:ignore\nconst JIRA_API_TOKEN = "${t.commented}";\n`,
        'b.env': `JIRA_API_TOKEN=${t.listedByHead}\n`,
        '.jira-token-guard-ignore': `${fingerprintOf(t.accepted)}\n${fingerprintOf(t.commented)}\n${fingerprintOf(t.listedByHead)}\n`,
        // And a configuration that would exclude both files.
        '.jira-token-guard.json': '{ "exclude": ["a.js", "b.env"] }',
        'baseline.json': baseline([
          ['legacy.env', t.baselined],
          ['b.env', t.listedByHead],
        ]),
      });
      git(origin, 'add', '-A');
      git(origin, 'commit', '-q', '-m', 'head');
    });
    const reported = (dir: string): string[] =>
      (
        JSON.parse(fs.readFileSync(path.join(dir, 'jira-token-guard.sarif'), 'utf8')) as {
          runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }>;
        }
      ).runs[0].results
        .map((r) => r.locations[0].physicalLocation.artifactLocation.uri)
        .sort();
    const pullRequest = (name: string, sha = baseSha) => ({ name, payload: { pull_request: { base: { sha }, head: { sha: 'ignored' } } } });

    for (const name of ['pull_request', 'pull_request_target']) {
      it(`${name}: ignore comments count for nothing; the ignore list, the configuration and the baseline are the base commit's`, () => {
        const result = runScanStep({ cwd: origin, baseline: 'baseline.json' }, pullRequest(name));
        assert.strictEqual(result.status, 0, result.stderr);
        assert.strictEqual(result.output, 'exit-code=1\n', result.stderr);
        assert.deepStrictEqual(reported(origin), ['a.js', 'b.env']);
        assert.match(result.stdout, /ignore comments are off/);
        assert.match(result.stdout, new RegExp(`the ignore list is the base commit's \\(${baseSha}\\)`));
        assert.match(result.stdout, /the baseline is the base commit's/);
        assert.match(result.stdout, /no \.jira-token-guard\.json in the base commit: no configuration \(the pull request's is not read\)/);
      });
    }

    it('a push: the ignore comment, the ignore list and the baseline of the checkout still count', () => {
      const result = runScanStep({ cwd: origin, baseline: 'baseline.json' }, { name: 'push', payload: {} });
      assert.strictEqual(result.output, 'exit-code=0\n', result.stderr);
      assert.deepStrictEqual(reported(origin), []);
    });

    it("pull-request-inline-ignores: true honours ignore comments on a pull request again; the lists stay the base commit's", () => {
      const result = runScanStep(
        { cwd: origin, baseline: 'baseline.json', 'pull-request-inline-ignores': 'true' },
        pullRequest('pull_request'),
      );
      assert.strictEqual(result.output, 'exit-code=1\n', result.stderr);
      assert.deepStrictEqual(reported(origin), ['b.env']);
      assert.doesNotMatch(result.stdout, /ignore comments are off/);
    });

    it('a shallow checkout fetches the base commit; a base that cannot be read means no list and no baseline, said in the log', () => {
      const shallow = path.join(tempDir(), 'checkout');
      git(path.dirname(shallow), 'clone', '-q', '--depth', '1', `file://${origin}`, 'checkout');
      assert.throws(() => git(shallow, 'cat-file', '-e', `${baseSha}^{commit}`), 'the base is not in the clone');
      const fetched = runScanStep({ cwd: shallow, baseline: 'baseline.json' }, pullRequest('pull_request'));
      assert.strictEqual(fetched.output, 'exit-code=1\n', fetched.stderr);
      assert.deepStrictEqual(reported(shallow), ['a.js', 'b.env']);

      const unknown = runScanStep({ cwd: shallow, baseline: 'baseline.json' }, pullRequest('pull_request', 'f'.repeat(40)));
      assert.strictEqual(unknown.output, 'exit-code=1\n', unknown.stderr);
      assert.deepStrictEqual(reported(shallow), ['a.js', 'b.env', 'legacy.env', 'old.env'], "neither the head's lists nor none at all");
      assert.match(
        unknown.stdout,
        /::warning title=Jira Token Guard::The pull request's base commit could not be read: scanning without an ignore list/,
      );
      assert.match(unknown.stdout, /::warning title=Jira Token Guard::The baseline could not be read from the base commit/);
    });

    it("a base commit without an ignore list: none is read, not the head's", () => {
      const repo = tempDir();
      git(repo, 'init', '-q');
      writeTree(repo, { 'README.md': 'x\n' });
      git(repo, 'add', '-A');
      git(repo, 'commit', '-q', '-m', 'base');
      const sha = git(repo, 'rev-parse', 'HEAD').trim();
      writeTree(repo, { 'b.env': `JIRA_API_TOKEN=${t.listedByHead}\n`, '.jira-token-guard-ignore': `${fingerprintOf(t.listedByHead)}\n` });
      const result = runScanStep({ cwd: repo }, pullRequest('pull_request', sha));
      assert.strictEqual(result.output, 'exit-code=1\n', result.stderr);
      assert.deepStrictEqual(reported(repo), ['b.env']);
      assert.match(result.stdout, /the base commit has no \.jira-token-guard-ignore/);
    });
  });
});
