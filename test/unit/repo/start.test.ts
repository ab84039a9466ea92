// `npm start` (scripts/start.js) on a shared machine: its VS Code Server asks for a connection token, which is
// printed in the URL and kept in a file only the user can read, and its sample folder is a fresh private
// folder of the user. The server is really started (the oldest host, run by this Node, about 2-4 s once
// installed) with the arguments start.js gives it, and a request without the token is refused.
import * as assert from 'assert';
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain scripts, loaded as start.js runs them
const start = require(path.join(REPO, 'scripts', 'start.js')) as {
  sampleWorkspace(): string;
  connectionToken(dataDir: string): { token: string; tokenFile: string; serverArgs: string[] };
  workbenchUrl(port: number, token: string, workspace: string): string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain scripts, loaded as start.js runs them
const serverInstall = require(path.join(REPO, 'scripts', 'test-host', 'server-install.js')) as {
  ensureServerInstalled(host: unknown): { vscodeDir: string; nodePath: string; serverArgs: string[] };
  SERVER_HOSTS: Record<string, unknown>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain scripts, loaded as start.js runs them
const testHost = require(path.join(REPO, 'scripts', 'test-host', 'server.js')) as {
  startServer(
    vscodeDir: string,
    dataDir: string,
    env: NodeJS.ProcessEnv,
    port: number,
    extraArgs: string[],
    nodePath: string,
  ): Promise<{ server: ChildProcess; port: number }>;
};

function get(url: string, headers: http.OutgoingHttpHeaders = {}): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => (res.resume(), resolve(res))).on('error', reject);
  });
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('npm start (scripts/start.js)', function () {
  // A server that is not installed yet is installed first (from npm, cached in .vscode-test).
  this.timeout(300_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-start-test-'));
  const made: string[] = [];
  after(() => {
    for (const dir of [work, ...made]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('makes the sample folder fresh for each start, in the temporary folder, readable by the user alone', () => {
    const first = start.sampleWorkspace();
    const second = start.sampleWorkspace();
    made.push(first, second);
    assert.notStrictEqual(first, second);
    for (const dir of [first, second]) {
      assert.strictEqual(path.dirname(dir), os.tmpdir());
      assert.strictEqual(mode(dir), 0o700);
      assert.strictEqual(fs.statSync(dir).uid, process.getuid?.());
      assert.ok(fs.existsSync(path.join(dir, '.env')), 'with the sample .env the guard flags');
    }
  });

  it('starts the server behind a connection token kept in a 0600 file, printed in the URL; without it the server refuses', async () => {
    const dataDir = path.join(work, 'data');
    const { token, tokenFile, serverArgs } = start.connectionToken(dataDir);
    assert.match(token, /^[0-9a-f]{48}$/);
    assert.strictEqual(mode(tokenFile), 0o600);
    assert.strictEqual(mode(dataDir), 0o700);
    assert.strictEqual(fs.readFileSync(tokenFile, 'utf8'), token);
    assert.deepStrictEqual(serverArgs, ['--connection-token-file', tokenFile]);
    assert.ok(!serverArgs.some((a) => a.includes(token)), 'the token is not on the command line');

    const host = serverInstall.ensureServerInstalled(serverInstall.SERVER_HOSTS.oldest);
    const { server, port } = await testHost.startServer(
      host.vscodeDir,
      dataDir,
      process.env,
      0,
      [...host.serverArgs, ...serverArgs],
      host.nodePath,
    );
    try {
      const started = server.spawnargs;
      assert.ok(!started.includes('--without-connection-token'), started.join(' '));
      assert.ok(started.includes('--connection-token-file'), started.join(' '));
      const url = start.workbenchUrl(port, token, path.join(work, 'workspace'));
      assert.strictEqual(new URL(url).searchParams.get('tkn'), token);
      assert.strictEqual(new URL(url).hostname, '127.0.0.1');
      assert.strictEqual((await get(`http://127.0.0.1:${port}/`)).statusCode, 403);
      assert.strictEqual((await get(`http://127.0.0.1:${port}/?tkn=${'0'.repeat(48)}`)).statusCode, 403);
      // The printed URL is let in: the server keeps the token in a cookie and sends the browser on without it.
      const admitted = await get(url);
      assert.strictEqual(admitted.statusCode, 302);
      const cookie = (admitted.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
      assert.ok(cookie.includes(token));
      assert.ok(!String(admitted.headers.location).includes(token), 'the token leaves the address bar');
      assert.strictEqual((await get(new URL(String(admitted.headers.location), url).href, { cookie })).statusCode, 200);
    } finally {
      server.kill();
    }
  });
});
