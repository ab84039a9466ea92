// What the command line reads: git's file list inside a work tree, UTF-16 files, and files larger than a
// chunk, streamed with a token straddling the chunk boundary.
import * as assert from 'assert';
import * as fs from 'fs';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { scanText } from '../../../src/core/scanner/byteScan';
import { decodeText } from '../../../src/core/scanner/textDecoding';
import { diskSource, scanSources } from '../../../src/scanEngine/scanSources';
import { fingerprintOf } from '../../../src/core/tokens/tokenShapes';
import { makeCloudToken, makeDataCenterPat } from '../../support/tokens';
import { type JsonReport, ensureCliBuilt, git, removeTempDirs, runCli, tempDir, writeTree } from '../cli/cliTestSupport';

function utf16(text: string, bigEndian: boolean): Buffer {
  const body = Buffer.from(text, 'utf16le');
  if (bigEndian) body.swap16();
  return Buffer.concat([Buffer.from(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]), body]);
}

describe('CLI scan: what it reads', function () {
  this.timeout(60_000);
  before(ensureCliBuilt);
  after(removeTempDirs);

  it('inside a git work tree scans what git lists: tracked files even if ignored, untracked ones unless ignored or excluded', async () => {
    const repo = tempDir();
    git(repo, 'init', '-q');
    const tracked = makeCloudToken();
    const untracked = makeCloudToken();
    writeTree(repo, { 'build/tracked.js': `"${tracked}"\n`, 'gone.js': `"${makeCloudToken()}"\n` });
    git(repo, 'add', '-f', 'build/tracked.js', 'gone.js');
    // Listed by git but not a file to read: deleted from the working tree, a link, a FIFO.
    fs.rmSync(path.join(repo, 'gone.js'));
    fs.symlinkSync('src/new.js', path.join(repo, 'link.js'));
    execFileSync('mkfifo', [path.join(repo, 'pipe')]);
    writeTree(repo, {
      '.gitignore': 'build/\n*.local\n',
      'build/untracked.js': `"${makeCloudToken()}"\n`,
      'secrets.local': `${makeCloudToken()}\n`,
      'excluded.txt': `${makeCloudToken()}\n`,
      'src/new.js': `"${untracked}"\n`,
      'node_modules/dep/x.js': `"${makeCloudToken()}"\n`,
    });
    fs.appendFileSync(path.join(repo, '.git', 'info', 'exclude'), 'excluded.txt\n');
    // A cloned repository's config must not make the scan run a program.
    const marker = path.join(repo, 'fsmonitor-ran');
    const hook = path.join(repo, 'hook.sh');
    fs.writeFileSync(hook, `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
    git(repo, 'config', 'core.fsmonitor', hook);
    const result = await runCli(['scan', repo, '--format', 'json']);
    assert.strictEqual(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.deepStrictEqual(
      report.findings.map((f) => [f.file, f.fingerprint]),
      [
        ['build/tracked.js', fingerprintOf(tracked)],
        ['src/new.js', fingerprintOf(untracked)],
      ],
    );
    assert.ok(!fs.existsSync(marker), 'core.fsmonitor was not run');
    assert.strictEqual(result.stderr, '', 'a deleted file, a link and a FIFO are not read errors');
  });

  it('finds tokens in UTF-16 files with a BOM, with or without --include-binary', async () => {
    const root = tempDir();
    const le = makeCloudToken();
    const be = makeDataCenterPat();
    writeTree(root, {
      'setup.ps1': utf16(`# Jira\r\n$JiraToken = "${le}"\r\n`, false),
      'notes.txt': utf16(`Jira PAT 🔑:\nBearer ${be}\n`, true),
    });
    for (const extra of [[], ['--include-binary']]) {
      const result = await runCli(['scan', root, '--format', 'json', ...extra]);
      const report = JSON.parse(result.stdout) as JsonReport;
      assert.deepStrictEqual(
        report.findings.map((f) => [f.file, f.line, f.column, f.fingerprint]),
        [
          ['notes.txt', 2, 8, fingerprintOf(be)],
          ['setup.ps1', 2, 15, fingerprintOf(le)],
        ],
      );
      assert.strictEqual(report.skippedFiles, 0);
    }
  });

  it('streams a file larger than a chunk and finds a token straddling every chunk boundary, at its line and column', async () => {
    const root = tempDir();
    const chunk = 64 * 1024;
    const parts: string[] = [];
    let length = 0;
    for (let boundary = 1; boundary <= 6; boundary++) {
      const token = makeCloudToken();
      // Multi-byte characters and CRLF before the token; the boundary falls inside it.
      const line = `é中😀\r\nJIRA_API_TOKEN=`;
      const filler = 'x'.repeat(boundary * chunk - length - Buffer.byteLength(line) - 5 - 1) + '\n';
      parts.push(filler, line, token, '\n');
      length += Buffer.byteLength(filler) + Buffer.byteLength(line) + token.length + 1;
    }
    const file = path.join(root, 'big.env');
    fs.writeFileSync(file, parts.join(''));
    const whole = fs.readFileSync(file);
    const expected = scanText(decodeText(whole), { fileName: file });
    assert.strictEqual(expected.length, 6);
    const outcome = await scanSources([diskSource('big.env', file, false)], { maxFileBytes: 1024 * 1024, chunkBytes: chunk });
    assert.deepStrictEqual(
      outcome.findings.map((f) => [f.line, f.column, f.fingerprint]),
      expected.map((f) => [f.line + 1, f.column + 1, f.fingerprint]),
    );
    assert.strictEqual(outcome.scannedBytes, whole.length);
  });

  it('counts the lines of a long stretch between chunks as the whole-file scan does, with \\n, \\r\\n and \\r mixed', async () => {
    const root = tempDir();
    const chunk = 256 * 1024;
    const endings = ['\n', '\r\n', '\r'];
    let seed = 7;
    const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const parts: string[] = [];
    for (let block = 0; block < 7; block++) {
      // Short lines of every ending (many \r\n pairs fall on the edges the scan counts up to), then a token.
      for (let i = 0; i < 30_000; i++) parts.push('é'.repeat(random(3)) + 'x'.repeat(random(8)) + endings[random(3)]);
      parts.push(`JIRA_API_TOKEN=${makeCloudToken()}${endings[random(3)]}`);
    }
    const file = path.join(root, 'lines.env');
    fs.writeFileSync(file, parts.join(''));
    const whole = fs.readFileSync(file);
    assert.ok(whole.length > 4 * chunk);
    const expected = scanText(decodeText(whole), { fileName: file });
    assert.strictEqual(expected.length, 7);
    const outcome = await scanSources([diskSource('lines.env', file, false)], { maxFileBytes: 16 * 1024 * 1024, chunkBytes: chunk });
    assert.deepStrictEqual(
      outcome.findings.map((f) => [f.line, f.column, f.fingerprint]),
      expected.map((f) => [f.line + 1, f.column + 1, f.fingerprint]),
    );
  });

  it('streams a file over 8 MB with a raised --max-file-size, the token across the first chunk boundary', async () => {
    const root = tempDir();
    const token = makeCloudToken();
    const before = `${'// filler line\n'.repeat(Math.floor((8 * 1024 * 1024 - 100) / 15))}`;
    const pad = ' '.repeat(8 * 1024 * 1024 - Buffer.byteLength(before) - 'const t = "'.length - 50);
    fs.writeFileSync(path.join(root, 'huge.js'), `${before}${pad}const t = "${token}";\n${'// more\n'.repeat(200_000)}`);
    const skipped = await runCli(['scan', root, '--format', 'json']);
    assert.strictEqual((JSON.parse(skipped.stdout) as JsonReport).skippedFiles, 1, 'over the default size limit');
    const result = await runCli(['scan', root, '--format', 'json', '--max-file-size', '16m']);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.deepStrictEqual(
      report.findings.map((f) => [f.line, f.fingerprint]),
      [[before.split('\n').length, fingerprintOf(token)]],
    );
  });
});
