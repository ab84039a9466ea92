import * as assert from 'assert';
import { CheckResult } from '../../../src/core/connection';
import { checkAll, DEFAULT_CONCURRENCY } from '../../../src/core/jira';
import { FakeJira, fakeConnection, startFakeJira } from '../../support/fakeJira';
import { makeCloudToken } from '../../support/tokens';

describe('jira checkAll', () => {
  let fake: FakeJira;
  const accounts = Array.from({ length: 16 }, (_, i) => ({ email: `user${i}@example.com`, token: makeCloudToken() }));

  before(async () => {
    fake = await startFakeJira();
    for (const account of accounts) fake.addCloudAccount(account);
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  const items = (count = 10) => accounts.slice(0, count).map((a, i) => ({ connection: fakeConnection(fake, 'cloud', { id: `c${i}`, email: a.email }), token: a.token }));

  it('checks everything, never more than the limit at once, and reports each verdict', async () => {
    fake.setBehaviour({ kind: 'jira', delayMs: 40 });
    const reported: string[] = [];
    const results = await checkAll(items(), { ...fake.checkOptions, concurrency: 3, onResult: (id) => reported.push(id) });
    assert.strictEqual(results.size, 10);
    assert.ok([...results.values()].every((r) => r.status === 'valid'));
    assert.deepStrictEqual([...reported].sort(), items().map((i) => i.connection.id).sort());
    assert.strictEqual(fake.peakConcurrentRequests, 3);
  });

  it('uses DEFAULT_CONCURRENCY at once by default', async () => {
    fake.setBehaviour({ kind: 'jira', delayMs: 40 });
    await checkAll(items(DEFAULT_CONCURRENCY + 3), fake.checkOptions);
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
    fake.setBehaviour({ kind: 'hang' });
    const controller = new AbortController();
    const reported: CheckResult[] = [];
    const pending = checkAll(items(), { ...fake.checkOptions, concurrency: 2, signal: controller.signal, onResult: (_, r) => reported.push(r) });
    await fake.waitForRequests(2);
    const started = Date.now();
    controller.abort();
    const results = await pending;
    assert.ok(Date.now() - started < 1000);
    assert.strictEqual(results.size, 0);
    assert.strictEqual(reported.length, 0);
    assert.strictEqual(fake.requests.length, 2, 'no check starts after cancellation');
  });

  it('resolves at once for an empty list', async () => {
    assert.strictEqual((await checkAll([])).size, 0);
  });
});
