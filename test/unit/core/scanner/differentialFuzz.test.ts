// The differential fuzzer (test/fuzz/differential.ts) in the unit suite: a few seconds from a fresh seed
// (printed on a divergence, with the minimised document), and proof that it catches issue 25's two faults
// when the byte scan's test seam puts them back. `npm run fuzz -- --seconds N` runs it longer.
import * as assert from 'assert';
import { fuzz } from '../../../fuzz/differential';

const SECONDS = Number(process.env.JTG_FUZZ_SECONDS ?? 3);

describe('scanner: differential fuzzing, folder scan against string scan', function () {
  this.timeout(120_000);

  it(`finds no divergence in ${SECONDS} s of generated documents`, async () => {
    const seed = Number(process.env.JTG_FUZZ_SEED ?? Math.floor(Math.random() * 0x100000000));
    const deadline = Date.now() + SECONDS * 1000;
    const run = await fuzz(seed, () => Date.now() >= deadline);
    assert.ok(run.documents > 50, `only ${run.documents} documents`);
    assert.strictEqual(run.failure, undefined, `seed ${seed}: ${run.failure}`);
  });

  for (const [fault, what] of [
    ['findingsStartAtAnchor', 'a BBDC- token alone on its line (the finding starts before its anchor)'],
    ['patRunsOf44Only', 'a PAT at the end of a longer run (only runs of exactly 44 were candidates)'],
  ] as const) {
    it(`catches ${what} when it is put back`, async () => {
      const run = await fuzz(1, (documents) => documents >= 3000, { [fault]: true });
      assert.ok(run.failure, `${fault}: no divergence in ${run.documents} documents`);
      assert.match(run.failure, fault === 'patRunsOf44Only' ? /jira-dc-pat/ : /bitbucket-dc-http-token/);
    });
  }
});
