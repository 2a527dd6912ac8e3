import * as assert from 'assert';
import { startSandbox } from '../../../src/sandbox/main';
import type { SandboxHandle } from '../../../src/sandbox/types';
import { ada, call, userByName } from './sandboxClient';

const DAY = 86_400_000;

suite('sandbox: daily quota', () => {
  let h: SandboxHandle;
  // 2024-05-07 22:00 UTC: the reset of the docs' example (1715126400) is two hours away.
  const start = Date.UTC(2024, 4, 7, 22, 0, 0);
  setup(async () => {
    h = await startSandbox({ dailyLimit: 3, clock: { now: () => start } });
  });
  teardown(() => h.close());

  const steps = () => call(h, `/api/v1/quantity/${ada(h).userId}/stepCount?pageSize=1`, { token: ada(h).pat });

  test('Remaining counts down, then 429 with Retry-After until 00:00 UTC, then resets', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await steps();
      assert.strictEqual(res.status, 200);
      remaining.push(res.headers.get('x-ratelimit-remaining')!);
      assert.strictEqual(res.json<{ limit: Record<string, number> }>().limit['X-RateLimit-Reset'], 1715126400);
    }
    assert.deepStrictEqual(remaining, ['2', '1', '0']);
    const refused = await steps();
    assert.strictEqual(refused.status, 429);
    assert.strictEqual(refused.headers.get('retry-after'), String(2 * 3600));
    assert.strictEqual(refused.headers.get('x-ratelimit-remaining'), '0');
    assert.strictEqual(refused.headers.get('x-ratelimit-reset'), '1715126400');
    const body = refused.json<{ error: string; error_description: string; limit: Record<string, number> }>();
    assert.strictEqual(body.error, 'rate_limit_exceeded');
    assert.match(body.error_description, /2024-05-08T00:00:00Z/);
    assert.deepStrictEqual(body.limit, {
      'X-RateLimit-Limit': 3,
      'X-RateLimit-Remaining': 0,
      'X-RateLimit-Reset': 1715126400,
    });
    h.clock.advance(2 * 3600_000 - 1000);
    assert.strictEqual((await steps()).status, 429);
    assert.strictEqual((await steps()).headers.get('retry-after'), '1');
    h.clock.advance(1000);
    const after = await steps();
    assert.strictEqual(after.status, 200);
    assert.strictEqual(after.headers.get('x-ratelimit-remaining'), '2');
    assert.strictEqual(after.headers.get('x-ratelimit-reset'), String(1715126400 + 86400));
  });

  test('only quantity and sleep spend the quota; other routes keep working and report it', async () => {
    for (let i = 0; i < 3; i++) await call(h, `/api/v1/sleep/${ada(h).userId}?pageSize=1`, { token: ada(h).pat });
    assert.strictEqual((await steps()).status, 429);
    for (const route of [
      `profile/${ada(h).userId}`,
      `workout/user/${ada(h).userId}`,
      `labs/user/${ada(h).userId}`,
      `supplements/${ada(h).userId}`,
      `medications/${ada(h).userId}`,
    ]) {
      const res = await call(h, `/api/v1/${route}`, { token: ada(h).pat });
      assert.strictEqual(res.status, 200, route);
      assert.strictEqual(res.headers.get('x-ratelimit-remaining'), '0', route);
    }
  });

  test('the quota is per user', async () => {
    for (let i = 0; i < 3; i++) await steps();
    const empty = userByName(h, 'Empty');
    const res = await call(h, `/api/v1/quantity/${empty.userId}/stepCount`, { token: empty.pat });
    assert.strictEqual(res.status, 200);
    assert.strictEqual(h.quotaUsed(ada(h).userId), 3);
    assert.strictEqual(h.quotaUsed(empty.userId), 1);
  });

  test('clock.set jumps; dataset dates stay those of the start day', async () => {
    h.clock.set(start + 3 * DAY);
    assert.strictEqual(h.clock.now(), start + 3 * DAY);
    const res = await steps();
    const latest = res.json<{ data: { start_date: string }[] }>().data[0]!.start_date;
    assert.strictEqual(latest, '2024-05-06T23:00:00Z', "data ends at the start of the sandbox's first UTC day");
  });
});
