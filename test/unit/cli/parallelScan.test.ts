// The command line's folder scan on two threads: the same findings, counts and errors as one thread,
// whichever thread takes which file, and a worker that dies makes the scan incomplete, never silent.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { scanSourcesInParallel } from '../../../src/cli/parallelScan';
import { ScanCounters, ScanOutcome, scanSources } from '../../../src/cli/scanSources';
import { treeSources } from '../../../src/cli/treeScan';
import { makeCloudToken, makeDataCenterPat, makeLegacyCloudToken } from '../../support/tokens';
import { CLI, ensureCliBuilt, removeTempDirs, runCli, tempDir, writeTree } from './cliTestSupport';

describe('folder scans on two threads', function () {
  this.timeout(60_000);
  before(ensureCliBuilt);
  after(removeTempDirs);

  /** 1,200 files in 40 folders: tokens in some, binaries, a file over the limit, multi-byte text. */
  function tree(): string {
    const files: Record<string, string | Uint8Array> = {};
    for (let i = 0; i < 1200; i++) {
      const dir = `pkg${i % 40}/lib`;
      if (i % 97 === 0) files[`${dir}/f${i}.env`] = `# é ü 日本\nJIRA_API_TOKEN=${makeCloudToken()}\n`;
      else if (i % 131 === 0) files[`${dir}/f${i}.py`] = `jira_token = "${makeLegacyCloudToken()}"\nauth = "Bearer ${makeDataCenterPat()}"\n`;
      else if (i % 151 === 0) files[`${dir}/f${i}.bin`] = new Uint8Array([0, 1, 2, 3, 0, 5]);
      else files[`${dir}/f${i}.js`] = `export const value${i} = ${i};\n`.repeat(1 + (i % 7));
    }
    files['big/huge.txt'] = 'x'.repeat(64 * 1024);
    return writeTree(tempDir(), files);
  }

  const settings = { maxFileBytes: 32 * 1024 };
  const without = (outcome: ScanOutcome) => ({ ...outcome, durationMs: 0 });

  it('gives what one thread gives, whichever thread takes which file', async () => {
    const root = tree();
    const single = await scanSources(treeSources(root, '', { useGit: false }, () => undefined), settings);
    let byWorker = 0;
    const counters: ScanCounters = { scannedFiles: 0, skippedFiles: 0, scannedBytes: 0 };
    const parallel = await scanSourcesInParallel(treeSources(root, '', { useGit: false }, () => undefined), settings, counters, { workerScript: CLI, workerAfterFiles: 1 });
    assert.deepStrictEqual(without(parallel), without(single));
    assert.strictEqual(counters.scannedFiles, single.scannedFiles);
    assert.ok(single.findings.length >= 20, `${single.findings.length} findings`);
    assert.ok(single.skippedFiles >= 8, `${single.skippedFiles} skipped`);
    // The worker's side alone: every file of the chunks it is sent (all but those before it started).
    const workerOnly = await scanSourcesInParallel(treeSources(root, '', { useGit: false }, () => undefined), settings, { scannedFiles: 0, skippedFiles: 0, scannedBytes: 0 }, {
      workerScript: CLI,
      workerAfterFiles: 1,
      mainThreadScans: false,
      onWorkerScanned: (files) => (byWorker += files),
    });
    assert.deepStrictEqual(without(workerOnly), without(single));
    assert.ok(byWorker >= 1200 - 256, `the worker scanned ${byWorker} files`);
  });

  it('`scan` on a large folder reports the same with and without the second thread', async () => {
    const root = tree();
    const two = await runCli(['scan', root, '--format', 'json', '--max-file-size', '32k'], { env: { JTG_SCAN_WORKER_AFTER_FILES: '1' } });
    const one = await runCli(['scan', root, '--format', 'json', '--max-file-size', '32k'], { env: { JTG_SCAN_WORKER_AFTER_FILES: '0' } });
    assert.strictEqual(two.code, 1, two.stderr);
    assert.strictEqual(one.code, 1, one.stderr);
    const report = (stdout: string) => ({ ...JSON.parse(stdout), durationMs: 0 });
    assert.deepStrictEqual(report(two.stdout), report(one.stdout));
  });

  it('a worker that cannot run makes the scan incomplete (an error), never a quiet pass', async () => {
    const root = tree();
    const broken = path.join(tempDir(), 'broken.js');
    fs.writeFileSync(broken, 'process.exit(3);\n');
    const outcome = await scanSourcesInParallel(treeSources(root, '', { useGit: false }, () => undefined), settings, { scannedFiles: 0, skippedFiles: 0, scannedBytes: 0 }, {
      workerScript: broken,
      workerAfterFiles: 1,
    });
    assert.ok(outcome.errors.some((e) => /scan thread stopped/.test(e)), outcome.errors.join('\n'));
  });
});
