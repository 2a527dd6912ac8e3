import * as assert from 'assert';
import { awaitTurn, waitingForTurn } from '../../../src/core/eventLoopTurns';

function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    /* the heavy step */
  }
}

suite('core/eventLoopTurns', () => {
  test('heavy steps waiting together run one per turn: a timer gets in between', async () => {
    const order: string[] = [];
    await Promise.all(
      ['A', 'B', 'C'].map(async (name, i) => {
        await awaitTurn();
        // Due by the time A is done: the next turn's timers phase runs it, before B's step.
        if (i === 0) setTimeout(() => order.push('timer'), 0);
        busy(15);
        order.push(name);
      }),
    );
    // Plain setImmediate would run A, B and C in one check phase, before the timer.
    assert.deepStrictEqual(order, ['A', 'timer', 'B', 'C']);
    assert.strictEqual(waitingForTurn(), 0);
  });

  test('first come, first served', async () => {
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map(async (i) => {
        await awaitTurn();
        order.push(i);
      }),
    );
    assert.deepStrictEqual(order, [0, 1, 2, 3, 4]);
  });

  test('steps asking to go first are served before the others, each in order', async () => {
    const order: string[] = [];
    await Promise.all([
      awaitTurn().then(() => order.push('n1')),
      awaitTurn().then(() => order.push('n2')),
      awaitTurn('first').then(() => order.push('f1')),
      awaitTurn('first').then(() => order.push('f2')),
    ]);
    assert.deepStrictEqual(order, ['f1', 'f2', 'n1', 'n2']);
  });
});
