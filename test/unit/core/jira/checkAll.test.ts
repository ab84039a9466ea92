import * as assert from 'assert';
import { type CheckResult } from '../../../../src/core/connections/connection';
import { checkAll, DEFAULT_CONCURRENCY } from '../../../../src/node/jira';
import { type FakeJira, fakeConnection, startFakeJira } from '../../../support/fakeJira';
import { makeCloudToken } from '../../../support/tokens';

describe('jira checkAll', () => {
  let fake: FakeJira;
  const accounts = Array.from({ length: 16 }, (_, i) => ({ email: `user${i}@example.com`, token: makeCloudToken() }));

  before(async () => {
    fake = await startFakeJira();
    for (const account of accounts) fake.addCloudAccount(account);
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  /**
   * The server holds every answer until `batch` requests are held at once, then lets them all go, batch after
   * batch; returns how many each release let go. A client over its limit has more held at once than it may.
   */
  async function releaseInBatches(batches: number[]): Promise<number[]> {
    const released: number[] = [];
    for (const batch of batches) {
      await fake.waitForHeld(batch);
      // Let requests already on their way arrive (event-loop turns, not a clock), so one over the limit shows.
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
      released.push(fake.release());
    }
    return released;
  }

  const items = (count = 10) =>
    accounts
      .slice(0, count)
      .map((a, i) => ({ connection: fakeConnection(fake, 'cloud', { id: `c${i}`, email: a.email }), token: a.token }));

  it('checks everything, never more than the limit at once, and reports each verdict', async () => {
    fake.setBehaviour({ kind: 'jira', held: true });
    const reported: string[] = [];
    const pending = checkAll(items(), { ...fake.checkOptions, concurrency: 3, onResult: (id) => reported.push(id) });
    assert.deepStrictEqual(await releaseInBatches([3, 3, 3, 1]), [3, 3, 3, 1], 'three at once (one request per check), never a fourth');
    const results = await pending;
    assert.strictEqual(results.size, 10);
    assert.ok([...results.values()].every((r) => r.status === 'valid'));
    assert.deepStrictEqual(
      [...reported].sort(),
      items()
        .map((i) => i.connection.id)
        .sort(),
    );
    assert.strictEqual(fake.peakConcurrentRequests, 3);
  });

  it('uses DEFAULT_CONCURRENCY at once by default', async () => {
    fake.setBehaviour({ kind: 'jira', held: true });
    const pending = checkAll(items(DEFAULT_CONCURRENCY + 3), fake.checkOptions);
    assert.deepStrictEqual(await releaseInBatches([DEFAULT_CONCURRENCY, 3]), [DEFAULT_CONCURRENCY, 3]);
    assert.strictEqual((await pending).size, DEFAULT_CONCURRENCY + 3);
    assert.strictEqual(fake.peakConcurrentRequests, DEFAULT_CONCURRENCY);
  });

  it('keys results by connection id, failures included', async () => {
    const list = items();
    list[2] = { ...list[2], token: makeCloudToken() };
    const results = await checkAll(list, fake.checkOptions);
    assert.strictEqual(results.get('c2')?.status, 'invalid');
    assert.strictEqual(results.get('c3')?.status, 'valid');
  });

  it('stops starting checks and returns promptly when cancelled', async () => {
    fake.setBehaviour({ kind: 'jira', held: true });
    const controller = new AbortController();
    const reported: CheckResult[] = [];
    // A timeout far beyond the test's own: only the cancellation can end these checks.
    const pending = checkAll(items(), {
      ...fake.checkOptions,
      timeoutMs: 3_600_000,
      concurrency: 2,
      signal: controller.signal,
      onResult: (_, r) => reported.push(r),
    });
    await fake.waitForHeld(2);
    controller.abort();
    const results = await pending;
    assert.strictEqual(fake.heldRequests, 2, 'returned while the server still held both requests');
    assert.strictEqual(results.size, 0);
    assert.strictEqual(reported.length, 0);
    assert.strictEqual(fake.requests.length, 2, 'no check starts after cancellation');
  });

  it('resolves at once for an empty list', async () => {
    assert.strictEqual((await checkAll([])).size, 0);
  });
});
