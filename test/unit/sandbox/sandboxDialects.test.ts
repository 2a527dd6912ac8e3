import * as assert from 'assert';
import {
  dialectByName,
  parseCliArgs,
  startSandbox,
  type SandboxHandle,
  type SandboxOptions,
} from '../../../src/sandbox/main';
import { resolveDialect } from '../../../src/vscode/sandbox/sandboxSettings';
import { ada, call, consent, postJson, type Reply } from './sandboxClient';

/** Each dialect over real HTTP: the variant it serves, and that the rest stays as in the standard one. */

const DAY_MS = 86_400_000;
/** Postgres's text form of a UTC timestamp, as 121 Health's export prints it. */
const EXPORT_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+00$/;

/** The last two whole days of data (it ends at 00:00 UTC of the day the sandbox started). */
function lastTwoDays(): string {
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  return `startDate=${day(today - 2 * DAY_MS)}&endDate=${day(today - DAY_MS)}`;
}

async function withDialect(
  dialect: SandboxOptions['dialect'],
  use: (h: SandboxHandle, get: (path: string) => Promise<Reply>) => Promise<void>,
): Promise<void> {
  const h = await startSandbox({ port: 0, dialect });
  try {
    await use(h, (path) => call(h, path, { token: ada(h).pat }));
  } finally {
    await h.close();
  }
}

interface Envelope {
  pagination: Record<string, unknown>;
  limit?: Record<string, number>;
  data: Record<string, unknown>[];
}

suite('sandbox: dialects', function () {
  this.timeout(30_000);

  test('the CLI takes --dialect NAME (or =NAME) and refuses an unknown one; the setting falls back to standard', () => {
    assert.deepStrictEqual(parseCliArgs(['--dialect', 'export']), {
      port: 0,
      dailyLimit: undefined,
      latencyMs: 0,
      json: false,
      dialect: 'export',
    });
    assert.strictEqual(parseCliArgs(['--dialect=lean-paging']).dialect, 'lean-paging');
    assert.throws(() => parseCliArgs(['--dialect', 'gRPC']), /--dialect must be one of standard, export, form-only/);
    assert.throws(() => parseCliArgs(['--dialect']), /Usage/);
    assert.strictEqual(resolveDialect('form-only'), 'form-only');
    for (const bad of [undefined, '', 'Export', 3]) assert.strictEqual(resolveDialect(bad), 'standard');
  });

  test('the handle names its dialect; standard is the default', async () => {
    await withDialect(undefined, async (h) => assert.strictEqual(h.dialect, 'standard'));
    await withDialect('per-route-limits', async (h) => assert.strictEqual(h.dialect, 'per-route-limits'));
  });

  suite('export', () => {
    test('sleep sessions: time_in_bed_*, "+00" timestamps, a record timezone; overlapping PHONE and WATCH stages; metrics in long form', async () => {
      await withDialect('export', async (h, get) => {
        const body = (
          await get(`/api/v1/sleep/${ada(h).userId}?pageSize=5&include_stages=true&include_metrics=true`)
        ).json<Envelope>();
        assert.strictEqual(body.data.length, 5);
        for (const session of body.data) {
          assert.deepStrictEqual(Object.keys(session), [
            'id',
            'user_id',
            'time_in_bed_start',
            'time_in_bed_end',
            'created_at',
            'timezone',
            'in_healthkit',
            'log_method',
            'stages',
            'metrics',
          ]);
          assert.strictEqual(session.user_id, ada(h).userId);
          assert.strictEqual(session.timezone, 'America/New_York');
          for (const key of ['time_in_bed_start', 'time_in_bed_end', 'created_at'])
            assert.match(String(session[key]), EXPORT_TIME, key);
          const stages = session.stages as { start: string; end: string; stage: string; log_method: string }[];
          for (const s of stages) {
            assert.match(s.start, EXPORT_TIME);
            assert.match(s.end, EXPORT_TIME);
          }
          assert.deepStrictEqual([...new Set(stages.map((s) => s.stage))].sort(), [
            'ASLEEP_UNSPECIFIED',
            'AWAKE',
            'DEEP',
            'IN_BED',
            'LIGHT',
            'REM',
          ]);
          const time = (t: string): number => Date.parse(t.replace(' ', 'T').replace('+00', 'Z'));
          const inBed = stages.find((s) => s.stage === 'IN_BED' && s.log_method === 'PHONE');
          assert.ok(inBed);
          assert.strictEqual(inBed.start, session.time_in_bed_start);
          const watch = stages.filter((s) => s.log_method === 'WATCH');
          assert.ok(watch.length > 5);
          assert.ok(
            watch.every((w) => time(w.start) >= time(inBed.start) && time(w.end) <= time(inBed.end)),
            'every watch segment lies inside the phone in-bed segment',
          );
          const metrics = session.metrics as { sleep_metric: string; value: number }[];
          assert.deepStrictEqual(
            metrics.map((m) => m.sleep_metric),
            [
              'timeNightInBed',
              'timeNightAsleep',
              'timeNightDeep',
              'sleepLatency',
              'sleepEfficiency',
              'sleepWakeups',
              'wakeupsOver15Minutes',
            ],
          );
          const metric = (name: string): number => metrics.find((m) => m.sleep_metric === name)?.value ?? NaN;
          const inBedMinutes =
            (time(String(session.time_in_bed_end)) - time(String(session.time_in_bed_start))) / 60_000;
          assert.strictEqual(metric('timeNightInBed'), inBedMinutes);
          const asleepMinutes = watch
            .filter((w) => w.stage !== 'AWAKE')
            .reduce((sum, w) => sum + (time(w.end) - time(w.start)) / 60_000, 0);
          assert.strictEqual(metric('timeNightAsleep'), asleepMinutes);
          assert.strictEqual(metric('sleepEfficiency'), Math.round((asleepMinutes / inBedMinutes) * 1000) / 10);
        }
        const plain = (await get(`/api/v1/sleep/${ada(h).userId}?pageSize=1`)).json<Envelope>();
        assert.ok(!('stages' in plain.data[0]!) && !('metrics' in plain.data[0]!));
      });
    });

    test('quantity values carry their own unit, calculation_type and timezone, with start/end as "+00" timestamps; the records are the standard ones', async () => {
      const standard = await startSandbox({ port: 0 });
      try {
        await withDialect('export', async (h, get) => {
          const uid = ada(h).userId;
          const expectations: [string, string, string][] = [
            ['stepCount', 'CUMULATIVE', 'count'],
            ['heartRate', 'DISCRETE', 'count/min'],
            ['restingHeartRate', 'MIN', 'count/min'],
            ['distanceWalkingRunning', 'CUMULATIVE', 'km'],
            ['vo2Max', 'DISCRETE', 'ml/(kg*min)'],
          ];
          for (const [metric, kind, unit] of expectations) {
            const path = `/api/v1/quantity/${uid}/${metric}?${lastTwoDays()}&pageSize=3`;
            const ours = (await get(path)).json<Envelope>();
            const theirs = (await call(standard, path, { token: ada(standard).pat })).json<Envelope>();
            assert.deepStrictEqual(ours.pagination, theirs.pagination, metric);
            assert.strictEqual(ours.data.length, theirs.data.length);
            ours.data.forEach((record, i) => {
              const was = theirs.data[i]!;
              assert.deepStrictEqual(Object.keys(record), [
                'value',
                'unit',
                'start',
                'end',
                'calculation_type',
                'timezone',
              ]);
              assert.strictEqual(record.calculation_type, kind, metric);
              assert.strictEqual(record.unit, unit, metric);
              assert.strictEqual(record.timezone, 'America/New_York');
              assert.match(String(record.start), EXPORT_TIME);
              assert.strictEqual(
                Date.parse(String(record.start).replace(' ', 'T').replace('+00', 'Z')),
                Date.parse(String(was.start_date)),
              );
              const factor = unit === 'km' ? 0.001 : 1;
              assert.ok(Math.abs(Number(record.value) - Number(was.value) * factor) < 1e-3, metric);
            });
          }
        });
      } finally {
        await standard.close();
      }
    });
  });

  suite('form-only', () => {
    const form = (fields: Record<string, string>): RequestInit => ({
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });

    test('a JSON body is not read: 400 naming every missing parameter, no RFC 6749 error, and the code stays usable for the form body', async () => {
      await withDialect('form-only', async (h) => {
        const redirectUri = 'http://127.0.0.1:53123/callback';
        const code = (await consent(h, { redirectUri })).location?.searchParams.get('code') ?? assert.fail('no code');
        const fields = {
          code,
          client_id: h.demoClient.clientId,
          client_secret: h.demoClient.clientSecret,
          redirect_uri: redirectUri,
        };
        const json = await postJson(h, '/api/token', fields);
        assert.strictEqual(json.status, 400);
        assert.deepStrictEqual(json.json(), {
          message: 'Missing required parameters: client_id, client_secret, code, redirect_uri',
        });
        const ok = await call(h, '/api/token', form(fields));
        assert.strictEqual(ok.status, 200);
        const tokens = ok.json<{ access_token: string; refresh_token: string }>();
        assert.deepStrictEqual(Object.keys(tokens), ['access_token', 'refresh_token']);

        const refreshFields = {
          refresh_token: tokens.refresh_token,
          client_id: h.demoClient.clientId,
          client_secret: h.demoClient.clientSecret,
          user_id: ada(h).userId,
        };
        const refreshed = await call(h, '/api/refresh', form({ ...refreshFields, grant_type: 'refresh_token' }));
        assert.strictEqual(refreshed.status, 200);
        assert.strictEqual(refreshed.json().expires_in, 3600);
        const data = await call(h, `/api/v1/profile/${ada(h).userId}`, {
          token: refreshed.json<{ access_token: string }>().access_token,
        });
        assert.strictEqual(data.status, 200);
      });
    });

    test('a wrong secret is a 401 with only a message; other refusals are {"message"} too; secrets in the query are still refused', async () => {
      await withDialect('form-only', async (h) => {
        const wrong = await call(
          h,
          '/api/refresh',
          form({ refresh_token: 'x', client_id: h.demoClient.clientId, client_secret: 'nope', user_id: ada(h).userId }),
        );
        assert.strictEqual(wrong.status, 401);
        assert.deepStrictEqual(wrong.json(), { message: 'Unknown client or wrong client secret' });
        const unknown = await call(
          h,
          '/api/refresh',
          form({
            refresh_token: 'sbx_rt_unknown',
            client_id: h.demoClient.clientId,
            client_secret: h.demoClient.clientSecret,
            user_id: ada(h).userId,
          }),
        );
        assert.strictEqual(unknown.status, 400);
        assert.deepStrictEqual(Object.keys(unknown.json()), ['message']);
        const inQuery = await call(h, `/api/refresh?refresh_token=sbx_rt_x`, form({}));
        assert.strictEqual(inQuery.status, 400);
        assert.match(String(inQuery.json().message), /accepted only in the POST body/);
        assert.ok(!inQuery.text.includes('sbx_rt_x'));
      });
    });
  });

  suite('lean-paging', () => {
    test('absent links are left out, present ones are absolute, and every third page says has_more without a link', async () => {
      await withDialect('lean-paging', async (h, get) => {
        const base = `/api/v1/quantity/${ada(h).userId}/stepCount?${lastTwoDays()}`;
        const pages: Record<string, unknown>[] = [];
        for (let page = 1; page <= 5; page++)
          pages.push((await get(`${base}&page=${page}&pageSize=10`)).json<Envelope>().pagination);
        const link = (page: number): string => `${h.baseUrl}${base}&page=${page}&pageSize=10`;
        assert.deepStrictEqual(pages[0], { current_page: 1, has_more: true, next_page: link(2) });
        assert.deepStrictEqual(pages[1], { current_page: 2, has_more: true, next_page: link(3), prev_page: link(1) });
        assert.deepStrictEqual(pages[2], { current_page: 3, has_more: true, prev_page: link(2) });
        assert.deepStrictEqual(pages[3], { current_page: 4, has_more: true, next_page: link(5), prev_page: link(3) });
        assert.deepStrictEqual(pages[4], { current_page: 5, has_more: false, prev_page: link(4) });
      });
    });
  });

  suite('per-route-limits', () => {
    test("profile counts against its own 1,000, workout and supplements against their own; labs has none; quantity's daily quota is untouched by them", async () => {
      await withDialect('per-route-limits', async (h, get) => {
        const uid = ada(h).userId;
        const profile = async (): Promise<Record<string, number> | undefined> =>
          (await get(`/api/v1/profile/${uid}`)).json<Envelope>().limit;
        assert.deepStrictEqual(
          [(await profile())?.['X-RateLimit-Limit'], (await profile())?.['X-RateLimit-Remaining']],
          [1000, 998],
        );
        const workout = (await get(`/api/v1/workout/user/${uid}?pageSize=1`)).json<Envelope>().limit;
        assert.deepStrictEqual([workout?.['X-RateLimit-Limit'], workout?.['X-RateLimit-Remaining']], [10_000, 9_999]);
        const supplements = (await get(`/api/v1/supplements/${uid}?pageSize=1`)).json<Envelope>().limit;
        assert.strictEqual(supplements?.['X-RateLimit-Remaining'], 9_999);
        const labs = await get(`/api/v1/labs/user/${uid}?pageSize=1`);
        assert.ok(!('limit' in labs.json()));
        const quantity = (await get(`/api/v1/quantity/${uid}/stepCount?pageSize=1`)).json<Envelope>().limit;
        assert.deepStrictEqual([quantity?.['X-RateLimit-Limit'], quantity?.['X-RateLimit-Remaining']], [10_000, 9_999]);
        assert.strictEqual(h.quotaUsed(uid), 1);
      });
    });

    test('a spent route budget is a 429 for that route only', async () => {
      const tight = { ...dialectByName('per-route-limits'), routeLimits: { profile: 2 } };
      await withDialect(tight, async (h, get) => {
        const uid = ada(h).userId;
        assert.strictEqual((await get(`/api/v1/profile/${uid}`)).status, 200);
        assert.strictEqual((await get(`/api/v1/profile/${uid}`)).status, 200);
        const refused = await get(`/api/v1/profile/${uid}`);
        assert.strictEqual(refused.status, 429);
        assert.ok(Number(refused.headers.get('retry-after')) >= 1);
        assert.strictEqual(refused.json<{ limit: Record<string, number> }>().limit['X-RateLimit-Limit'], 2);
        assert.strictEqual((await get(`/api/v1/quantity/${uid}/stepCount?pageSize=1`)).status, 200);
        assert.strictEqual((await get(`/api/v1/workout/user/${uid}?pageSize=1`)).status, 200);
      });
    });
  });
});
