// The parts the editor's Scan Workspace takes from the command line's scan for folders on disk: git's
// listing without blocking (and killed on cancel), a scan that stops between files when cancelled, and
// each file's findings handed over for the Problems panel.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { gitListedFiles, gitListedFilesAsync } from '../../../src/cli/walker';
import { diskSource, scanSources } from '../../../src/cli/scanSources';
import { treeSources } from '../../../src/cli/treeScan';
import { makeCloudToken } from '../../support/tokens';
import { git, removeTempDirs, tempDir, writeTree } from './cliTestSupport';

describe('the editor\'s disk scan, from the CLI\'s parts', function () {
  this.timeout(30_000);
  after(removeTempDirs);

  it('git lists the same files asynchronously, never runs core.fsmonitor, and an aborted listing is undefined', async () => {
    const repo = tempDir();
    git(repo, 'init', '-q');
    writeTree(repo, { '.gitignore': '*.local\n', 'a.js': '1\n', 'b.local': '2\n', 'src/c.ts': '3\n' });
    git(repo, 'add', 'a.js');
    const marker = path.join(repo, 'fsmonitor-ran');
    const hook = path.join(repo, 'hook.sh');
    fs.writeFileSync(hook, `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
    git(repo, 'config', 'core.fsmonitor', hook);
    const listed = await gitListedFilesAsync(repo);
    assert.deepStrictEqual(listed?.sort(), gitListedFiles(repo)?.sort());
    assert.deepStrictEqual(listed, ['.gitignore', 'a.js', 'hook.sh', 'src/c.ts']);
    assert.ok(!fs.existsSync(marker), 'core.fsmonitor was not run');
    const aborted = new AbortController();
    aborted.abort();
    assert.strictEqual(await gitListedFilesAsync(repo, aborted.signal), undefined);
    assert.strictEqual(await gitListedFilesAsync('/'), undefined, 'outside any work tree git is not started');
  });

  it('a cancelled scan stops between files; each scanned file\'s findings are handed over', async () => {
    const root = tempDir();
    const files: Record<string, string> = {};
    for (let i = 0; i < 50; i++) files[`f${i}.js`] = `const jiraToken = "${makeCloudToken()}";\n`;
    writeTree(root, files);
    const handed: string[] = [];
    let cancelled = false;
    const sources = Object.keys(files).map((f) => diskSource(f, path.join(root, f), false));
    const outcome = await scanSources(sources, {
      maxFileBytes: 1024 * 1024,
      cancelled: () => cancelled,
      onFileFindings: (source, findings) => {
        handed.push(`${source.file}:${findings.length}`);
        if (handed.length === 10) cancelled = true;
      },
    });
    assert.ok(outcome.scannedFiles >= 10 && outcome.scannedFiles < 50, `${outcome.scannedFiles} files scanned`);
    assert.strictEqual(handed.length, outcome.scannedFiles);
    assert.ok(handed.every((h) => h.endsWith(':1')));
  });

  it('files.exclude lines apply to git\'s listing and to the walk alike', async () => {
    const root = tempDir();
    writeTree(root, { 'a.js': '1\n', 'gen/b.js': '2\n', 'c.tmp': '3\n' });
    const list = async (gitListed?: string[]) => {
      const out: string[] = [];
      for await (const batch of treeSources(root, '', { excludePatterns: '/gen\n/**/*.tmp', useGit: false, gitListed }, () => undefined)) out.push(...batch.map((s) => s.file));
      return out.sort();
    };
    assert.deepStrictEqual(await list(), ['a.js']);
    assert.deepStrictEqual(await list(['a.js', 'gen/b.js', 'c.tmp']), ['a.js']);
  });
});
