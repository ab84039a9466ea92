// action.yml, the composite action: its inputs reach the shell only through environment variables, and its
// scan step, run here with bash as the runner would, writes SARIF and records the exit status for the
// upload and failure steps. (GitHub's runner itself cannot run here; the YAML is read with Debian's
// python3-yaml, which pre-commit brings.)
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeCloudToken } from '../support/tokens';
import { CLI, REPO, ensureCliBuilt, git, removeTempDirs, tempDir, writeTree } from './cli/cliTestSupport';

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

  /** The scan step's script under bash, with the step's environment resolved as the runner would. */
  function runScanStep(inputs: Record<string, string>): { status: number | null; output: string; stderr: string } {
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
        .replace('${{ github.action_path }}/dist/cli.js', CLI);
    }
    const result = spawnSync('bash', ['-e', '-c', scanStep.run!], {
      cwd: inputs.cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, GITHUB_OUTPUT: outputFile },
      encoding: 'utf8',
    });
    return { status: result.status, output: fs.readFileSync(outputFile, 'utf8'), stderr: result.stderr };
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
});
