import * as assert from 'assert';
import { progressIncrement } from '../../../../src/core/findings/scanSummary';

describe('workspace scan progress', () => {
  it('reports each share once, so the increments add up to 100%', () => {
    const total = 1234;
    let reported = 0;
    let sum = 0;
    for (let done = 1; done <= total; done++) {
      if (done % 50 !== 0 && done !== total) continue;
      sum += progressIncrement(reported, done, total);
      reported = done;
    }
    assert.ok(Math.abs(sum - 100) < 1e-9, String(sum));
    assert.strictEqual(progressIncrement(0, 50, 200), 25);
    assert.strictEqual(progressIncrement(150, 200, 200), 25);
  });

  it('reports nothing for an empty workspace', () => {
    assert.strictEqual(progressIncrement(0, 0, 0), 0);
  });
});
