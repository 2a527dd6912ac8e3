import * as assert from 'assert';
import { Throttle } from '../../../src/vscode/util/throttle';

/** The quota event's throttle: at once when quiet, then once per interval, the last call never lost. */

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

suite('explorer: Throttle', () => {
  test('a burst of calls runs once at once and once at the end of the interval', async () => {
    let runs = 0;
    const throttle = new Throttle(() => runs++, 100);
    for (let i = 0; i < 50; i++) throttle.call();
    assert.strictEqual(runs, 1, 'the first call runs at once');
    await sleep(300);
    assert.strictEqual(runs, 2, 'the calls after it run once, at the end of the interval');
    throttle.call();
    assert.strictEqual(runs, 3, 'quiet for an interval: at once again');
    throttle.dispose();
  });

  test('disposed with a call waiting, it does not run', async () => {
    let runs = 0;
    const throttle = new Throttle(() => runs++, 100);
    throttle.call();
    throttle.call();
    throttle.dispose();
    await sleep(250);
    assert.strictEqual(runs, 1);
  });
});
