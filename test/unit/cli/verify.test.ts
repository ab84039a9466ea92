// `scan --verify` against the fake Jira on 127.0.0.1: a live PAT, a revoked PAT, a Cloud token whose site is not
// Atlassian's (unknown, nothing sent), a PAT without --verify-host (unknown, nothing sent), --only-live, 429s.
import * as assert from 'assert';
import { type FakeJira, startFakeJira } from '../../support/fakeJira';
import { makeCloudToken, makeDataCenterPat } from '../../support/tokens';
import { assertNoSecret, ensureCliBuilt, removeTempDirs, runCli, tempDir, writeTree } from './cliTestSupport';

interface Verified {
  findings: Array<{ file: string; ruleId: string; verification?: { status: string; reason: string } }>;
}

describe('CLI scan --verify', function () {
  this.timeout(30_000);
  let fake: FakeJira;
  const live = makeDataCenterPat();
  const revoked = makeDataCenterPat();
  const cloud = makeCloudToken();
  let root: string;

  before(async () => {
    ensureCliBuilt();
    fake = await startFakeJira();
    fake.addDataCenterUser({ contextPath: '/jira', username: 'ci-bot', pat: live });
    fake.addDataCenterUser({ contextPath: '/jira', username: 'old-bot', pat: revoked, revoked: true });
    root = writeTree(tempDir(), {
      'live.env': `JIRA_URL=${fake.url}/jira\nJIRA_PAT=${live}\n`,
      'revoked.env': `JIRA_PAT=${revoked}\n`,
      // A Cloud token next to a site that is not Atlassian's (the fake itself): never sent there.
      'cloud.env': `JIRA_URL=${fake.url}\nJIRA_EMAIL=dev@example.com\nJIRA_API_TOKEN=${cloud}\n`,
    });
  });
  beforeEach(() => fake.reset());
  after(async () => {
    await fake.close();
    removeTempDirs();
  });

  const statusOf = (report: Verified) =>
    Object.fromEntries(report.findings.map((f) => [f.file, f.verification?.status ?? 'none'])) as Record<string, string>;

  it("live PAT, revoked PAT, and a Cloud token whose site is not Atlassian's: live, dead, unknown, nothing sent for the last", async () => {
    const result = await runCli(['scan', root, '--verify', '--verify-host', `${fake.url}/jira`, '--format', 'json']);
    assert.strictEqual(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as Verified;
    assert.deepStrictEqual(statusOf(report), { 'cloud.env': 'unknown', 'live.env': 'live', 'revoked.env': 'dead' });
    const cloudFinding = report.findings.find((f) => f.file === 'cloud.env')!;
    assert.match(cloudFinding.verification!.reason, /not sent: .*atlassian\.net.*not Atlassian's/);
    const sent = fake.requests.map((r) => r.authorization ?? '');
    assert.ok(sent.length >= 2, 'the PATs were sent to the host given');
    assert.ok(!sent.some((a) => a.startsWith('Basic ')), 'no Cloud token (Basic email:token) reached the fake');
    assertNoSecret([result.stdout, result.stderr], [live, revoked, cloud]);

    const text = await runCli(['scan', root, '--verify', '--verify-host', `${fake.url}/jira`]);
    assert.match(text.stdout, /^live\.env:2:\d+ jira-dc-pat .* fingerprint [0-9a-f]{64} \[live: 127\.0\.0\.1:\d+ accepted it\]$/m);
    const sarif = await runCli(['scan', root, '--verify', '--verify-host', `${fake.url}/jira`, '--format', 'sarif']);
    const results = (
      JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ properties?: { verification?: { status: string } } }> }> }
    ).runs[0].results;
    assert.deepStrictEqual(results.map((r) => r.properties?.verification?.status).sort(), ['dead', 'live', 'unknown']);
    assertNoSecret([text.stdout, sarif.stdout], [live, revoked, cloud]);
  });

  it('a PAT goes only to the hosts given: without --verify-host (or verifyHosts) it is unknown and nothing is sent', async () => {
    const result = await runCli(['scan', root, '--verify', '--format', 'json']);
    const report = JSON.parse(result.stdout) as Verified;
    assert.deepStrictEqual(statusOf(report), { 'cloud.env': 'unknown', 'live.env': 'unknown', 'revoked.env': 'unknown' });
    assert.strictEqual(fake.requests.length, 0, 'nothing was sent, though live.env names the fake');
    // The configuration's verifyHosts count as --verify-host does.
    const configured = writeTree(tempDir(), {
      '.jira-token-guard.json': JSON.stringify({ verifyHosts: [`${fake.url}/jira`] }),
      'a.env': `JIRA_PAT=${live}\n`,
    });
    const viaConfig = JSON.parse((await runCli(['scan', configured, '--verify', '--format', 'json'])).stdout) as Verified;
    assert.deepStrictEqual(statusOf(viaConfig), { 'a.env': 'live' });
  });

  it('--only-live reports (and fails on) live findings only', async () => {
    const only = await runCli(['scan', root, '--verify', '--only-live', '--verify-host', `${fake.url}/jira`, '--format', 'json']);
    assert.strictEqual(only.code, 1);
    assert.deepStrictEqual(statusOf(JSON.parse(only.stdout) as Verified), { 'live.env': 'live' });
    const none = await runCli(['scan', root, '--verify', '--only-live', '--format', 'json']);
    assert.strictEqual(none.code, 0, 'nothing live: a pass');
    assert.strictEqual((await runCli(['scan', root, '--only-live'])).code, 2, '--only-live needs --verify');
  });

  it('honours a 429: waits Retry-After, asks again, then says it was rate-limited', async () => {
    const single = writeTree(tempDir(), { 'a.env': `JIRA_PAT=${live}\n` });
    fake.setBehaviour({ kind: 'rate-limited', retryAfter: '1' });
    const started = Date.now();
    const result = await runCli(['scan', single, '--verify', '--verify-host', `${fake.url}/jira`, '--format', 'json']);
    const report = JSON.parse(result.stdout) as Verified;
    assert.strictEqual(report.findings[0].verification?.status, 'unknown');
    assert.match(report.findings[0].verification.reason, /no clear answer/);
    assert.strictEqual(fake.requests.length, 3, 'one request and two retries');
    assert.ok(Date.now() - started >= 2000, 'each retry waited the second Retry-After asked for');
  });
});
