// src/scanEngine/git.ts starts every git, and each of its layers holds on its own: refusing every transport (by the
// environment, and by protocol.*.allow on the command line) stops a partial clone's lazy fetch on a git that
// ignores GIT_NO_LAZY_FETCH, and the program keys' values start nothing even where a transport is allowed.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { type AddressInfo } from 'net';
import * as path from 'path';
import { findOnPath, gitArgs, gitEnvironment, missingObjects } from '../../../src/scanEngine/git';
import { REPO, git, removeTempDirs, tempDir, writeTree } from '../cli/cliTestSupport';

/** `-c protocol.…=never`, either half. */
function isProtocolKey(arg: string, next: string | undefined): boolean {
  return arg.startsWith('protocol.') || (arg === '-c' && next !== undefined && next.startsWith('protocol.'));
}

describe('git, hardened in one place', function () {
  this.timeout(30_000);
  after(removeTempDirs);

  it('no file of src/ but src/scanEngine/git.ts starts a program; child_process is loaded only there, and lazily', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts')) files.push(full);
      }
    };
    walk(path.join(REPO, 'src'));
    const starters: string[] = [];
    for (const file of files) {
      const relative = path.relative(REPO, file).split(path.sep).join('/');
      const text = fs.readFileSync(file, 'utf8');
      if (relative === 'src/scanEngine/git.ts' || relative === 'src/scanEngine/childProcess.ts') continue;
      if (/child_process|childProcess|\b(spawn|spawnSync|execFile|execFileSync|execSync|fork)\s*\(|['"`]git['"`]\s*,/.test(text))
        starters.push(relative);
    }
    assert.deepStrictEqual(starters, []);
    const git = fs.readFileSync(path.join(REPO, 'src', 'scanEngine', 'git.ts'), 'utf8');
    assert.ok(!/^import (?!type)[^\n]*'child_process'/m.test(git), 'git.ts imports child_process for its types only');
  });

  it('the environment names no program and no other repository; --staged alone keeps the hook repository', () => {
    const base = {
      PATH: '/bin',
      GIT_DIR: '/elsewhere/.git',
      GIT_INDEX_FILE: '/elsewhere/index',
      GIT_SSH: '/x',
      GIT_EXTERNAL_DIFF: '/x',
      GIT_PAGER: 'less',
    };
    const env = gitEnvironment({}, base);
    assert.strictEqual(env.GIT_DIR, undefined);
    assert.strictEqual(env.GIT_INDEX_FILE, undefined);
    assert.strictEqual(env.GIT_SSH, undefined);
    assert.strictEqual(env.GIT_EXTERNAL_DIFF, undefined);
    assert.strictEqual(env.GIT_PAGER, 'cat');
    assert.strictEqual(env.GIT_NO_LAZY_FETCH, '1');
    assert.strictEqual(env.GIT_ALLOW_PROTOCOL, '');
    assert.strictEqual(env.GIT_TERMINAL_PROMPT, '0');
    assert.strictEqual(env.PATH, '/bin');
    const staged = gitEnvironment({ repositoryFromEnvironment: true }, base);
    assert.strictEqual(staged.GIT_INDEX_FILE, '/elsewhere/index');
    assert.strictEqual(staged.GIT_SSH, undefined);
    assert.ok(gitArgs(['log']).join(' ').endsWith('--no-pager log'));
  });

  it('git is looked for in the absolute folders of PATH only, never in the working folder', () => {
    const dir = tempDir();
    const bin = path.join(dir, 'bin');
    writeTree(dir, { git: '#!/bin/sh\n', 'bin/git': '#!/bin/sh\n', 'plain/git': 'not executable\n' });
    fs.chmodSync(path.join(dir, 'git'), 0o755);
    fs.chmodSync(path.join(bin, 'git'), 0o755);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const list = ['', '.', 'bin', path.join(dir, 'plain'), bin].join(path.delimiter);
      assert.strictEqual(findOnPath(list, ['git']), path.join(bin, 'git'));
      assert.strictEqual(findOnPath(['', '.'].join(path.delimiter), ['git']), undefined);
    } finally {
      process.chdir(cwd);
    }
  });

  describe('a partial clone missing a blob, whose promisor remotes name programs', () => {
    let repo: string;
    let markers: string;
    let server: http.Server;

    const program = (name: string) => {
      const file = path.join(markers, `${name}.sh`);
      fs.writeFileSync(file, `#!/bin/sh\necho "$*" > '${path.join(markers, name)}'\nexit 1\n`, { mode: 0o755 });
      return file;
    };
    const written = () => fs.readdirSync(markers).filter((name) => !name.endsWith('.sh'));

    before(async () => {
      server = http.createServer((_request, response) => {
        response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"', 'Content-Length': '0' });
        response.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      repo = tempDir('jtg-git-layers-');
      markers = tempDir('jtg-git-markers-');
      git(repo, 'init', '-q');
      writeTree(repo, { 'a.txt': 'first\n' });
      git(repo, 'add', 'a.txt');
      git(repo, 'commit', '-q', '-m', 'one');
      writeTree(repo, { 'a.txt': 'second\n' });
      git(repo, 'commit', '-q', '-a', '-m', 'two');
      const id = git(repo, 'rev-parse', 'HEAD~1:a.txt').trim();
      fs.rmSync(path.join(repo, '.git', 'objects', id.slice(0, 2), id.slice(2)));
      fs.appendFileSync(
        path.join(repo, '.git', 'config'),
        `[core]
	repositoryformatversion = 1
	sshCommand = ${program('ssh-command')}
	gitProxy = ${program('git-proxy')}
	askPass = ${program('askpass')}
[extensions]
	partialClone = ssh
[protocol]
	allow = always
[protocol "ssh"]
	allow = always
[protocol "ext"]
	allow = always
[credential]
	helper = ${program('credential-helper')}
[remote "ssh"]
	url = ssh://example.invalid/repo.git
	promisor = true
[remote "ext"]
	url = ext::${program('ext-transport')} %S repo
	promisor = true
[remote "file"]
	url = file:///nonexistent/repo.git
	uploadpack = ${program('upload-pack')}
	promisor = true
[remote "proxy"]
	url = git://127.0.0.1:9/repo
	promisor = true
[remote "http"]
	url = http://127.0.0.1:${(server.address() as AddressInfo).port}/repo.git
	promisor = true
`,
      );
    });
    after(async () => {
      await new Promise((resolve) => server.close(resolve));
    });
    afterEach(() => {
      for (const name of written()) fs.rmSync(path.join(markers, name));
    });

    /** Not spawnSync: the HTTP remote answers from this process. */
    function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stderr: string }> {
      return new Promise((resolve, reject) => {
        const child = spawn('git', args, { cwd: repo, env, stdio: ['ignore', 'ignore', 'pipe'] });
        const stderr: Buffer[] = [];
        child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        child.on('error', reject);
        child.on('close', (status) => resolve({ status, stderr: Buffer.concat(stderr).toString('utf8') }));
      });
    }

    /** `git log -p` in the repository with the hardening, less what `drop` names. */
    function log(drop: { env?: string[]; protocolKeys?: boolean }) {
      const env = gitEnvironment();
      for (const name of drop.env ?? []) delete env[name];
      return run(
        gitArgs(['log', '-p', '--all']).filter((arg, i, all) => !drop.protocolKeys || !isProtocolKey(arg, all[i + 1])),
        env,
      );
    }

    it('the layers together: git fails on the missing blob and says so, and runs nothing', async () => {
      const result = await log({});
      assert.notStrictEqual(result.status, 0);
      assert.ok(missingObjects(result.stderr), result.stderr);
      assert.deepStrictEqual(written(), []);
    });

    it('without GIT_NO_LAZY_FETCH (git before 2.44): protocol.*.allow=never alone refuses every transport', async () => {
      const result = await log({ env: ['GIT_NO_LAZY_FETCH', 'GIT_ALLOW_PROTOCOL'] });
      assert.notStrictEqual(result.status, 0);
      assert.match(result.stderr, /transport '\w+' not allowed/);
      assert.ok(missingObjects(result.stderr));
      assert.deepStrictEqual(written(), []);
    });

    it('without GIT_NO_LAZY_FETCH: an empty GIT_ALLOW_PROTOCOL alone refuses every transport', async () => {
      const result = await log({ env: ['GIT_NO_LAZY_FETCH'], protocolKeys: true });
      assert.notStrictEqual(result.status, 0);
      assert.ok(missingObjects(result.stderr));
      assert.deepStrictEqual(written(), []);
    });

    it('with every transport allowed, the values set for ssh, the proxy, credentials and askpass start nothing', async () => {
      // The ext:: and file:// remotes name their programs in the URL and in remote.<name>.uploadpack: only
      // refusing the transport stops those, so they are set aside here.
      for (const remote of ['ext', 'file']) git(repo, 'config', '--rename-section', `remote.${remote}`, `aside.${remote}`);
      try {
        const result = await log({ env: ['GIT_NO_LAZY_FETCH', 'GIT_ALLOW_PROTOCOL'], protocolKeys: true });
        assert.notStrictEqual(result.status, 0);
        assert.match(result.stderr, /could not read Username|terminal prompts disabled/, 'the HTTP remote was asked');
        assert.deepStrictEqual(written(), []);
      } finally {
        for (const remote of ['ext', 'file']) git(repo, 'config', '--rename-section', `aside.${remote}`, `remote.${remote}`);
      }
    });

    it('the repository really is dangerous: plain git runs every one of those programs', async () => {
      const env: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
      delete env.GIT_ASKPASS;
      delete env.SSH_ASKPASS;
      const result = await run(['log', '-p', '--all'], env);
      assert.notStrictEqual(result.status, 0);
      assert.deepStrictEqual(written().sort(), [
        'askpass',
        'credential-helper',
        'ext-transport',
        'git-proxy',
        'ssh-command',
        'upload-pack',
      ]);
    });
  });
});
