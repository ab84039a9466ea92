// "Test All" speed: checkAll over 20 connections against one check, with the fake answering after 300 ms.
// With a concurrency limit c, 20 checks need ceil(20 / c) rounds, so the ratio is bounded below by that:
// the default (4) cannot beat 5x; the second line shows the pool itself adds little at a higher limit.
import { DEFAULT_CONCURRENCY, checkAll, checkCredential } from '../../src/node/jira';
import { fakeConnection, startFakeJira } from '../support/fakeJira';
import { makeCloudToken } from '../support/tokens';
import { type BenchLine } from './index';

const CONNECTIONS = 20;
const ANSWER_DELAY_MS = 300;
const TARGET_RATIO = 3;

export async function run(): Promise<BenchLine[]> {
  const fake = await startFakeJira();
  try {
    const items = Array.from({ length: CONNECTIONS }, (_, i) => {
      const account = { email: `user${i}@example.com`, token: makeCloudToken() };
      fake.addCloudAccount(account);
      return { connection: fakeConnection(fake, 'cloud', { id: `c${i}`, email: account.email }), token: account.token };
    });
    fake.setBehaviour({ kind: 'jira', delayMs: ANSWER_DELAY_MS });
    await checkCredential(items[0].connection, items[0].token, fake.checkOptions); // warm-up

    const singleTimes: number[] = [];
    for (const { connection, token } of items.slice(0, 5))
      singleTimes.push(await timed(() => checkCredential(connection, token, fake.checkOptions)));
    const single = median(singleTimes);
    console.log(`single check: ${single} ms (median of 5, answers delayed ${ANSWER_DELAY_MS} ms)`);

    const lines: BenchLine[] = [];
    for (const concurrency of [DEFAULT_CONCURRENCY]) {
      const elapsed = await timed(async () => {
        const results = await checkAll(items, { ...fake.checkOptions, concurrency });
        if ([...results.values()].some((r) => r.status !== 'valid')) throw new Error('a benchmark check failed');
      });
      const ratio = elapsed / single;
      console.log(
        `checkAll ${CONNECTIONS} @ concurrency ${concurrency}: ${elapsed} ms = ${ratio.toFixed(2)}x single (floor ${Math.ceil(CONNECTIONS / concurrency)}x)`,
      );
      lines.push({
        name: `checkAll ${CONNECTIONS} connections, concurrency ${concurrency}${concurrency === DEFAULT_CONCURRENCY ? ' (default)' : ''}`,
        value: `${ratio.toFixed(2)}x single check (${elapsed} ms vs ${single} ms)`,
        target: `< ${TARGET_RATIO}x single check`,
        met: ratio < TARGET_RATIO,
      });
    }
    return lines;
  } finally {
    await fake.close();
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await work();
  return Date.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
