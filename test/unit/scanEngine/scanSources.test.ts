// The parts the editor's Scan Workspace takes from the command line's scan for folders on disk: git's
// listing without blocking (and killed on cancel), a scan that stops between files when cancelled, and
// each file's findings handed over for the Problems panel.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { gitListedFiles, gitListedFilesAsync } from '../../../src/scanEngine/walker';
import { diskSource, scanSources } from '../../../src/scanEngine/scanSources';
import { treeSources } from '../../../src/scanEngine/treeScan';
import { byteKernels } from '../../../src/core/scanner/kernels/byteKernels';
import { makeCloudToken } from '../../support/tokens';
import { git, removeTempDirs, tempDir, writeTree } from '../cli/cliTestSupport';

describe("the editor's disk scan, from the CLI's parts", function () {
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

  it("a cancelled scan stops between files; each scanned file's findings are handed over", async () => {
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

  it("leaves no file's content in the kernels' memory, which outlives the scan in an extension host", async () => {
    const token = makeCloudToken();
    const root = writeTree(tempDir(), { 'a.env': `JIRA_API_TOKEN=${token}\n`, 'b.js': 'x'.repeat(5000) });
    const outcome = await scanSources(
      ['a.env', 'b.js'].map((name) => diskSource(name, path.join(root, name), false)),
      { maxFileBytes: 1024 * 1024 },
    );
    assert.strictEqual(outcome.findings.length, 1);
    const memory = byteKernels().textBuffer(1024 * 1024 + 1);
    assert.strictEqual(Buffer.from(memory.buffer, memory.byteOffset, memory.byteLength).indexOf(token), -1, 'the token is not left behind');
    assert.ok(
      memory.every((byte) => byte === 0),
      'every byte read is zeroed',
    );
  });

  it("files.exclude lines apply to git's listing and to the walk alike", async () => {
    const root = tempDir();
    writeTree(root, { 'a.js': '1\n', 'gen/b.js': '2\n', 'c.tmp': '3\n' });
    const list = async (gitListed?: string[]) => {
      const out: string[] = [];
      for await (const batch of treeSources(root, '', { excludePatterns: '/gen\n/**/*.tmp', useGit: false, gitListed }, () => undefined))
        out.push(...batch.map((s) => s.file));
      return out.sort();
    };
    assert.deepStrictEqual(await list(), ['a.js']);
    assert.deepStrictEqual(await list(['a.js', 'gen/b.js', 'c.tmp']), ['a.js']);
  });

  describe('gives the event loop its turns (an extension host must keep answering)', () => {
    /** Counts turns of the event loop (one setImmediate per turn) while `work` runs. */
    async function countingTurns<T>(work: (turn: () => number) => Promise<T>): Promise<T> {
      let turns = 0;
      let running = true;
      const tick = () => {
        turns++;
        if (running) setImmediate(tick);
      };
      setImmediate(tick);
      try {
        return await work(() => turns);
      } finally {
        running = false;
      }
    }

    it('every worker waits for the same turn: no file is scanned in a turn that is over its slice', async () => {
      const root = tempDir();
      const files: Record<string, string> = {};
      for (let i = 0; i < 40; i++) files[`f${i}.js`] = `const x = ${i};\n`;
      writeTree(root, files);
      const sources = Object.keys(files).map((f) => diskSource(f, path.join(root, f), false));
      const perTurn = new Map<number, number>();
      await countingTurns((turn) =>
        scanSources(sources, {
          maxFileBytes: 1024 * 1024,
          // Every slice is over at once: one file per turn, whatever the number of workers.
          yieldEveryMs: 0,
          onFileFindings: () => perTurn.set(turn(), (perTurn.get(turn()) ?? 0) + 1),
        }),
      );
      assert.strictEqual(
        [...perTurn.values()].reduce((a, b) => a + b, 0),
        40,
      );
      assert.ok(Math.max(...perTurn.values()) <= 1, `files scanned in one turn: ${JSON.stringify([...perTurn])}`);
    });

    it('a file larger than a chunk gives a turn between chunks, and still finds a token across a boundary', async () => {
      const root = tempDir();
      const chunk = 64 * 1024;
      const token = makeCloudToken();
      const filler = 'x'.repeat(99) + '\n';
      const body = filler.repeat(Math.ceil((chunk * 8) / filler.length));
      // The token straddles the third chunk's start.
      const at = chunk * 3 - 100;
      fs.writeFileSync(path.join(root, 'big.txt'), `${body.slice(0, at)}\njira_token = "${token}"\n${body.slice(at)}`);
      const turns: number[] = [];
      const outcome = await countingTurns(async (turn) => {
        const start = turn();
        const result = await scanSources([diskSource('big.txt', path.join(root, 'big.txt'), false)], {
          maxFileBytes: 16 * chunk,
          chunkBytes: chunk,
          yieldEveryMs: 0,
        });
        turns.push(turn() - start);
        return result;
      });
      assert.strictEqual(outcome.findings.length, 1);
      assert.strictEqual(outcome.findings[0].line, body.slice(0, at).split('\n').length + 1);
      assert.ok(turns[0] >= 7, `turns during a file of 8 chunks or more: ${turns[0]}`);
    });

    it('a long git listing is filtered in batches, with turns between them', async () => {
      const root = tempDir();
      const listed = Array.from({ length: 5000 }, (_, i) => `d${i % 50}/f${i}.js`);
      const batches: number[] = [];
      const turnsSeen = await countingTurns(async (turn) => {
        const start = turn();
        for await (const batch of treeSources(
          root,
          '',
          { gitListed: listed, excludePatterns: '/**/*.tmp', yieldEveryMs: 0 },
          () => undefined,
        ))
          batches.push(batch.length);
        return turn() - start;
      });
      assert.strictEqual(
        batches.reduce((a, b) => a + b, 0),
        5000,
      );
      assert.ok(batches.length > 1 && turnsSeen >= batches.length - 1, `${batches.length} batches, ${turnsSeen} turns`);
    });
  });
});
