// The repository a scan runs git in is hostile: a clone or a pull request controls .git/config, the files
// it includes, .gitattributes, hooks and submodules, any of which can name a program for git to run. Each
// repository here names programs that only write a marker file, one marker per mechanism; the bundled
// command runs `scan` (git's file listing), `scan --staged` and `scan --history` in it. No marker may be
// written, and the tokens seeded in the repository are still reported wherever git can do its work.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { type AddressInfo } from 'net';
import * as path from 'path';
import { fingerprintOf } from '../../../src/core/tokens/tokenShapes';
import { makeCloudToken } from '../../support/tokens';
import { type CliResult, type JsonReport, ensureCliBuilt, git, removeTempDirs, runCli, tempDir, writeTree } from './cliTestSupport';

/** Every hook githooks(5) names for git 2.39. */
const HOOKS = [
  'applypatch-msg',
  'pre-applypatch',
  'post-applypatch',
  'pre-commit',
  'pre-merge-commit',
  'prepare-commit-msg',
  'commit-msg',
  'post-commit',
  'pre-rebase',
  'post-checkout',
  'post-merge',
  'pre-push',
  'pre-receive',
  'update',
  'proc-receive',
  'post-receive',
  'post-update',
  'reference-transaction',
  'push-to-checkout',
  'pre-auto-gc',
  'post-rewrite',
  'sendemail-validate',
  'fsmonitor-watchman',
  'p4-changelist',
  'p4-prepare-changelist',
  'p4-post-changelist',
  'p4-pre-submit',
  'post-index-change',
];

/** The git commands the scans run. */
const GIT_COMMANDS = ['log', 'show', 'diff', 'ls-files', 'rev-parse'];

const SIGNATURES = {
  openpgp: '-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEEq0Xb\n=Ab1x\n-----END PGP SIGNATURE-----',
  x509: '-----BEGIN SIGNED MESSAGE-----\nMIAGCSqGSIb3DQEHAqCAMIACAQEx\n-----END SIGNED MESSAGE-----',
  ssh: '-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTk=\n-----END SSH SIGNATURE-----',
};

interface Scans {
  folder: CliResult;
  staged: CliResult;
  history: CliResult;
}

/** What a repository's scans should show: the tokens each reports, or that it fails on a missing object. */
interface Expected {
  folder: string[];
  staged: string[] | 'missing';
  history: string[] | 'missing';
}

describe('CLI in a hostile repository: git runs no program the repository names', function () {
  this.timeout(120_000);
  let markers: string;
  let programs: string;
  let server: http.Server;
  const scans = new Map<string, Scans>();
  const expected = new Map<string, Expected>();
  const environments = new Map<string, Record<string, string>>();
  const named = new Map<string, string>();

  /** A "program": a script that writes the marker `name` (git may run it with any arguments, or none). */
  function program(name: string): string {
    const file = path.join(programs, name);
    fs.writeFileSync(file, `#!/bin/sh\necho "$*" > '${path.join(markers, name)}'\nexit 1\n`, { mode: 0o755 });
    return file;
  }

  /** A folder holding every hook, each writing the marker `${prefix}${hook}`. */
  function hooks(dir: string, prefix: string): string {
    fs.mkdirSync(dir, { recursive: true });
    for (const hook of HOOKS) fs.copyFileSync(program(prefix + hook), path.join(dir, hook));
    return dir;
  }

  let template: { dir: string; committed: string; staged: string } | undefined;

  /**
   * A repository with a token committed (app.js) and one staged (staged.js), copied from one made by a clean
   * git; `config` is then appended to .git/config, so that the test's own git never runs the hostile settings.
   */
  function repository(
    name: string,
    options: { config?: string; setup?: (repo: string) => void; env?: Record<string, string> } = {},
  ): string {
    if (!template) {
      template = { dir: tempDir('jtg-hostile-template-'), committed: makeCloudToken(), staged: makeCloudToken() };
      const { dir, committed, staged } = template;
      git(dir, 'init', '-q');
      writeTree(dir, { 'app.js': `const JIRA_API_TOKEN = "${committed}";\n`, 'old.txt': 'first draft\n' });
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', 'one');
      writeTree(dir, { 'old.txt': 'second draft\n' });
      git(dir, 'commit', '-q', '-a', '-m', 'two');
      writeTree(dir, { 'staged.js': `export const token = "${staged}";\n` });
      git(dir, 'add', 'staged.js');
    }
    const repo = tempDir(`jtg-hostile-${name}-`);
    named.set(name, repo);
    fs.cpSync(template.dir, repo, { recursive: true });
    options.setup?.(repo);
    if (options.config) fs.appendFileSync(path.join(repo, '.git', 'config'), options.config);
    expected.set(repo, { folder: [template.committed, template.staged], staged: [template.staged], history: [template.committed] });
    if (options.env) environments.set(repo, options.env);
    return repo;
  }

  /** Deletes a loose object, as a partial clone lacks it. */
  function removeObject(repo: string, revision: string): void {
    const id = git(repo, 'rev-parse', revision).trim();
    fs.rmSync(path.join(repo, '.git', 'objects', id.slice(0, 2), id.slice(2)));
  }

  /** A partial clone whose promisor remotes reach every transport, each through a program of its own. */
  function promisorRemotes(port: number): string {
    return `[core]
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
[protocol "file"]
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
[remote "helper"]
	url = foo://example.invalid/repo
	vcs = /helper
	promisor = true
[remote "proxy"]
	url = git://127.0.0.1:9/repo
	promisor = true
[remote "http"]
	url = http://127.0.0.1:${port}/repo.git
	promisor = true
`;
  }

  before(async () => {
    ensureCliBuilt();
    markers = tempDir('jtg-hostile-markers-');
    programs = tempDir('jtg-hostile-programs-');
    // An HTTP remote that asks for credentials: git would call the credential helper, then askpass.
    server = http.createServer((_request, response) => {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"', 'Content-Length': '0' });
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    /** remote.helper.vcs = /helper: git would start `git-remote-/helper`, a path in the work tree. */
    const helperInWorkTree = (repo: string) => fs.copyFileSync(program('remote-helper'), path.join(repo, 'git-remote-', 'helper'));

    const lazy = repository('lazy-fetch', {
      config: promisorRemotes(port),
      setup: (repo) => {
        fs.mkdirSync(path.join(repo, 'git-remote-'));
        helperInWorkTree(repo);
        removeObject(repo, 'HEAD~1:old.txt');
      },
    });
    expected.get(lazy)!.history = 'missing';
    const lazyStaged = repository('lazy-fetch-staged', {
      config: promisorRemotes(port),
      setup: (repo) => {
        fs.mkdirSync(path.join(repo, 'git-remote-'));
        helperInWorkTree(repo);
        removeObject(repo, ':staged.js');
      },
    });
    expected.get(lazyStaged)!.staged = 'missing';
    // A staged rename: git compares the old blob's content to find it, so the listing itself needs it.
    const lazyRename = repository('lazy-fetch-rename', {
      config: promisorRemotes(port),
      setup: (repo) => {
        fs.mkdirSync(path.join(repo, 'git-remote-'));
        helperInWorkTree(repo);
        git(repo, 'mv', 'old.txt', 'renamed.txt');
        fs.appendFileSync(path.join(repo, 'renamed.txt'), 'third draft\n');
        git(repo, 'add', 'renamed.txt');
        removeObject(repo, 'HEAD:old.txt');
      },
    });
    Object.assign(expected.get(lazyRename)!, { staged: 'missing', history: 'missing' });

    const included = repository('include', {
      config: '[include]\n\tpath = ../hostile.gitconfig\n[includeIf "gitdir:/"]\n\tpath = ../more.gitconfig\n',
      setup: (repo) => {
        writeTree(repo, {
          'hostile.gitconfig': `[remote "origin"]\n\turl = ssh://example.invalid/repo.git\n\tpromisor = true\n[protocol]\n\tallow = always\n[core]\n\tsshCommand = ${program('included-ssh-command')}\n`,
          'more.gitconfig': [
            `[core]\n\tfsmonitor = ${program('included-fsmonitor')}\n\tpager = ${program('included-pager')}`,
            `\thooksPath = ${hooks(path.join(programs, 'included-hooks'), 'included-hook-')}`,
            `[pager]\n\tlog = ${program('included-pager-log')}`,
            `[diff]\n\texternal = ${program('included-external-diff')}\n\tsubmodule = diff`,
            `[log]\n\tshowSignature = true\n[gpg]\n\tprogram = ${program('included-gpg')}\n`,
          ].join('\n'),
        });
        removeObject(repo, ':staged.js');
      },
    });
    expected.get(included)!.staged = 'missing';

    const inData = makeCloudToken();
    const attributes = repository('attributes', {
      config: `[diff "conv"]
	textconv = ${program('textconv')}
	cachetextconv = true
[diff "driver"]
	command = ${program('diff-driver-command')}
[filter "cleaner"]
	clean = ${program('filter-clean')}
	smudge = ${program('filter-smudge')}
	required = true
[filter "proc"]
	process = ${program('filter-process')}
	required = true
`,
      setup: (repo) => {
        writeTree(repo, { 'data.json': `{ "token": "${inData}" }\n` });
        git(repo, 'add', 'data.json');
        git(repo, 'commit', '-q', '-m', 'data', '--', 'data.json');
        // Touched after git saw them: a refresh of the index would read them through the clean filter.
        const later = new Date(Date.now() + 5000);
        for (const file of ['app.js', 'data.json', 'staged.js']) fs.utimesSync(path.join(repo, file), later, later);
        writeTree(repo, { '.gitattributes': '*.js diff=conv filter=cleaner\n*.json diff=driver filter=proc\n' });
      },
    });
    expected.get(attributes)!.folder.push(inData);
    (expected.get(attributes)!.history as string[]).push(inData);

    repository('submodule-diff', {
      config: '[diff]\n\tsubmodule = diff\n',
      setup: (repo) => {
        // Two submodules, each with a diff program of its own: git would run `git diff` inside them.
        for (const sub of ['conv', 'external']) {
          const dir = path.join(repo, sub);
          git(repo, 'init', '-q', sub);
          writeTree(dir, { 'f.txt': 'v1\n' });
          git(dir, 'add', 'f.txt');
          git(dir, 'commit', '-q', '-m', 'v1');
          git(repo, 'update-index', '--add', '--cacheinfo', `160000,${git(dir, 'rev-parse', 'HEAD').trim()},${sub}`);
        }
        git(repo, 'commit', '-q', '-m', 'submodules', '--', 'conv', 'external');
        for (const sub of ['conv', 'external']) {
          const dir = path.join(repo, sub);
          writeTree(dir, { 'f.txt': 'v2\n' });
          git(dir, 'commit', '-q', '-a', '-m', 'v2');
          git(repo, 'update-index', '--cacheinfo', `160000,${git(dir, 'rev-parse', 'HEAD').trim()},${sub}`);
        }
        git(repo, 'commit', '-q', '-m', 'bump', '--', 'conv', 'external');
        writeTree(repo, { 'conv/.gitattributes': '* diff=conv\n' });
        fs.appendFileSync(path.join(repo, 'conv', '.git', 'config'), `[diff "conv"]\n\ttextconv = ${program('submodule-textconv')}\n`);
        fs.appendFileSync(path.join(repo, 'external', '.git', 'config'), `[diff]\n\texternal = ${program('submodule-external-diff')}\n`);
      },
    });

    repository('hooks-path', { config: `[core]\n\thooksPath = ${hooks(path.join(programs, 'hooks'), 'hook-')}\n` });
    // Mechanisms that cannot hide one another share a repository.
    repository('programs', {
      config: `[core]
	fsmonitor = ${program('fsmonitor')}
	pager = ${program('core-pager')}
[pager]
${GIT_COMMANDS.map((command) => `\t${command} = ${program(`pager-${command}`)}\n`).join('')}[diff]
	external = ${program('external-diff')}
[log]
	showSignature = true
[gpg]
	program = ${program('gpg-program')}
[gpg "openpgp"]
	program = ${program('gpg-openpgp-program')}
[gpg "x509"]
	program = ${program('gpg-x509-program')}
[gpg "ssh"]
	program = ${program('gpg-ssh-program')}
	allowedSignersFile = ${path.join(programs, 'allowed-signers')}
`,
      setup: (repo) => {
        fs.writeFileSync(path.join(programs, 'allowed-signers'), '');
        // Commits carrying each kind of signature, on top of the branch, with its tree.
        const tree = git(repo, 'rev-parse', 'HEAD^{tree}').trim();
        let parent = git(repo, 'rev-parse', 'HEAD').trim();
        for (const [kind, signature] of Object.entries(SIGNATURES)) {
          const commit = [
            `tree ${tree}`,
            `parent ${parent}`,
            'author t <t@example.com> 1700000000 +0000',
            'committer t <t@example.com> 1700000000 +0000',
            `gpgsig ${signature.split('\n').join('\n ')}`,
            '',
            `signed (${kind})`,
            '',
          ].join('\n');
          parent = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], {
            cwd: repo,
            input: commit,
            encoding: 'utf8',
          }).trim();
        }
        git(repo, 'update-ref', 'HEAD', parent);
      },
    });
    // Keys no scan command should reach at all, and hooks in the default folder.
    repository('other-keys', {
      config: `[core]
	editor = ${program('core-editor')}
	alternateRefsCommand = ${program('alternate-refs-command')}
[sequence]
	editor = ${program('sequence-editor')}
[uploadpack]
	packObjectsHook = ${program('pack-objects-hook')}
[gc]
	auto = 1
	autoDetach = false
[maintenance]
	auto = true
[alias]
${GIT_COMMANDS.map((command) => `\t${command} = !${program(`alias-${command}`)}\n`).join('')}[trailer "sign"]
	key = Signed-off-by
	cmd = ${program('trailer-cmd')}
	command = ${program('trailer-command')}
[interactive]
	diffFilter = ${program('interactive-diff-filter')}
[merge "m"]
	driver = ${program('merge-driver')}
[gpg "ssh"]
	defaultKeyCommand = ${program('ssh-default-key-command')}
`,
      setup: (repo) => {
        hooks(path.join(repo, '.git', 'hooks'), 'default-hook-');
        writeTree(repo, { '.gitattributes': '* merge=m\n' });
        // Alternates: core.alternateRefsCommand would list their refs.
        const other = tempDir('jtg-hostile-alternate-');
        git(other, 'init', '-q');
        fs.writeFileSync(path.join(repo, '.git', 'objects', 'info', 'alternates'), path.join(other, '.git', 'objects') + '\n');
      },
    });

    // A `git` at the top of the work tree: found through an empty entry of PATH (Windows looks there first).
    repository('git-in-work-tree', {
      setup: (repo) => fs.copyFileSync(program('git-in-work-tree'), path.join(repo, 'git')),
      env: { PATH: `${path.delimiter}${process.env.PATH ?? ''}` },
    });

    // A few repositories at a time: each scan is a process of its own.
    const queue = [...expected.keys()];
    const worker = async () => {
      for (let repo = queue.shift(); repo; repo = queue.shift()) {
        const env = environments.get(repo);
        const [folder, staged, history] = await Promise.all([
          runCli(['scan', '--format', 'json'], { cwd: repo, env }),
          runCli(['scan', '--staged', '--format', 'json'], { cwd: repo, env }),
          runCli(['scan', '--history', '--format', 'json'], { cwd: repo, env }),
        ]);
        scans.set(repo, { folder, staged, history });
      }
    };
    await Promise.all([worker(), worker(), worker()]);
  });

  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
    removeTempDirs();
  });

  function repo(name: string): string {
    const found = named.get(name);
    assert.ok(found, name);
    return found;
  }

  /** No marker of `names` was written, and every scan of `repos` showed what it should. */
  function assertNothingRan(names: string[], ...repos: string[]): void {
    const written = names.filter((name) => fs.existsSync(path.join(markers, name)));
    assert.deepStrictEqual(written, [], `git ran: ${written.join(', ')}`);
    for (const dir of repos) {
      const results = scans.get(dir)!;
      const wanted = expected.get(dir)!;
      for (const kind of ['folder', 'staged', 'history'] as const) {
        const result = results[kind];
        const label = `${path.basename(dir)} ${kind}`;
        const want = wanted[kind];
        if (want === 'missing') {
          assert.strictEqual(result.code, 2, `${label}: ${result.stderr}`);
          assert.match(result.stderr, /objects are missing and git was not allowed to fetch them/, label);
          assert.ok(!/\n\s+at /.test(result.stderr), `${label}: no stack trace`);
          continue;
        }
        assert.strictEqual(result.code, 1, `${label}: ${result.stderr}`);
        const found = new Set((JSON.parse(result.stdout) as JsonReport).findings.map((f) => f.fingerprint));
        for (const token of want) assert.ok(found.has(fingerprintOf(token)), `${label} reports the seeded token`);
      }
    }
  }

  const lazyFetch = () => [repo('lazy-fetch'), repo('lazy-fetch-staged'), repo('lazy-fetch-rename')];

  it('partial clone, lazy fetch over ssh:// with protocol.ssh.allow=always: core.sshCommand never runs', () =>
    assertNothingRan(['ssh-command'], ...lazyFetch()));

  it('partial clone, lazy fetch over ext:: with protocol.ext.allow=always: the command never runs', () =>
    assertNothingRan(['ext-transport'], ...lazyFetch()));

  it('partial clone, lazy fetch over file://: remote.<name>.uploadpack never runs', () =>
    assertNothingRan(['upload-pack'], ...lazyFetch()));

  it('partial clone, lazy fetch through remote.<name>.vcs: the remote helper, a file of the work tree, never runs', () =>
    assertNothingRan(['remote-helper'], ...lazyFetch()));

  it('partial clone, lazy fetch over git://: core.gitProxy never runs', () => assertNothingRan(['git-proxy'], ...lazyFetch()));

  it('partial clone, lazy fetch over http:// answered 401: credential.helper and core.askPass never run', () =>
    assertNothingRan(['credential-helper', 'askpass'], ...lazyFetch()));

  it('a missing object (in history, in the index, behind a staged rename) fails the scan that needs it with a clear message (exit 2); the others still report the tokens', () => {
    assertNothingRan([], ...lazyFetch());
    const { history } = scans.get(repo('lazy-fetch'))!;
    assert.strictEqual(history.stdout, '');
    assert.match(history.stderr, /^jira-token-guard: .*objects are missing and git was not allowed to fetch them/);
    assert.match(
      scans.get(repo('lazy-fetch-staged'))!.staged.stderr,
      /staged\.js: .*objects are missing and git was not allowed to fetch them/,
    );
    assert.match(
      scans.get(repo('lazy-fetch-rename'))!.staged.stderr,
      /^jira-token-guard: git could not list the staged files: .*objects are missing and git was not allowed to fetch them/,
    );
  });

  it('include.path and includeIf: the keys of included files are overridden too (lazy fetch over ssh, fsmonitor, hooks, pager, diff, gpg)', () =>
    assertNothingRan(
      [
        'included-ssh-command',
        'included-fsmonitor',
        'included-pager',
        'included-pager-log',
        'included-external-diff',
        'included-gpg',
        ...HOOKS.map((hook) => `included-hook-${hook}`),
      ],
      repo('include'),
    ));

  it('.gitattributes diff drivers: diff.<driver>.textconv and diff.<driver>.command never run', () =>
    assertNothingRan(['textconv', 'diff-driver-command'], repo('attributes')));

  it('.gitattributes filter drivers: filter.<driver>.clean, .smudge and .process never run', () =>
    assertNothingRan(['filter-clean', 'filter-smudge', 'filter-process'], repo('attributes')));

  it('diff.submodule=diff: git diff never runs in a submodule, whose own textconv driver or diff.external would run', () =>
    assertNothingRan(['submodule-textconv', 'submodule-external-diff'], repo('submodule-diff')));

  it('core.fsmonitor never runs', () => assertNothingRan(['fsmonitor'], repo('programs')));

  it('core.hooksPath holding every hook, and every hook in .git/hooks: none runs', () =>
    assertNothingRan(
      [...HOOKS.map((hook) => `hook-${hook}`), ...HOOKS.map((hook) => `default-hook-${hook}`)],
      repo('hooks-path'),
      repo('other-keys'),
    ));

  it('core.pager and pager.<command> never run', () =>
    assertNothingRan(['core-pager', ...GIT_COMMANDS.map((command) => `pager-${command}`)], repo('programs')));

  it('gpg.program, gpg.<format>.program (openpgp, x509, ssh) never run on signed commits, even with log.showSignature=true', () =>
    assertNothingRan(['gpg-program', 'gpg-openpgp-program', 'gpg-x509-program', 'gpg-ssh-program'], repo('programs')));

  it('diff.external never runs', () => assertNothingRan(['external-diff'], repo('programs')));

  it('editors, aliases of the commands run, core.alternateRefsCommand, packObjectsHook, trailer commands, merge drivers, diffFilter, auto gc and maintenance, gpg.ssh.defaultKeyCommand: none runs', () =>
    assertNothingRan(
      [
        'core-editor',
        'sequence-editor',
        'alternate-refs-command',
        'pack-objects-hook',
        'trailer-cmd',
        'trailer-command',
        'interactive-diff-filter',
        'merge-driver',
        'ssh-default-key-command',
        ...GIT_COMMANDS.map((command) => `alias-${command}`),
      ],
      repo('other-keys'),
    ));

  it('a `git` program committed at the top of the repository never runs in place of git, even when PATH reaches it', () =>
    assertNothingRan(['git-in-work-tree'], repo('git-in-work-tree')));

  it('no marker at all was written, whichever mechanism', () => {
    assert.deepStrictEqual(fs.readdirSync(markers), []);
  });
});
