import * as assert from 'assert';
import { METRICS } from '../../../src/core/routes';
import { startSandbox } from '../../../src/sandbox/main';
import type { SandboxHandle } from '../../../src/sandbox/types';
import { ada, call, userByName } from './sandboxClient';

interface Envelope {
  pagination: { current_page: number; has_more: boolean; next_page: string | null; prev_page: string | null };
  limit?: Record<string, number>;
  data: Record<string, unknown>[];
}

suite('sandbox: data routes', () => {
  let h: SandboxHandle;
  let pat: string;
  let uid: string;
  const get = (path: string, token = pat) => call(h, path, { token });

  suiteSetup(async () => {
    h = await startSandbox({ port: 0 });
    pat = ada(h).pat;
    uid = ada(h).userId;
  });
  suiteTeardown(() => h.close());

  test('the quickstart call answers the documented envelope, keys in documented order', async () => {
    const res = await get(`/api/v1/quantity/${uid}/stepCount`);
    assert.strictEqual(res.status, 200);
    assert.strictEqual(res.headers.get('content-type'), 'application/json; charset=utf-8');
    const body = res.json<Envelope>();
    assert.deepStrictEqual(Object.keys(body), ['pagination', 'limit', 'data']);
    assert.deepStrictEqual(Object.keys(body.pagination), ['current_page', 'has_more', 'next_page', 'prev_page']);
    assert.deepStrictEqual(Object.keys(body.limit!), [
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
    ]);
    assert.strictEqual(body.data.length, 1000, 'default pageSize is 1000');
    assert.strictEqual(body.pagination.current_page, 1);
    assert.strictEqual(body.pagination.prev_page, null);
    assert.strictEqual(body.pagination.next_page, `/api/v1/quantity/${uid}/stepCount?page=2&pageSize=1000`);
  });

  test("the docs' example requests, verbatim, answer their documented shapes", async () => {
    const example = '123e4567-e89b-12d3-a456-426614174000';
    const quantity = (
      await get(
        `/api/v1/quantity/${example}/appleExerciseTime?startDate=2022-01-01&endDate=2022-01-31&sort=asc&page=1&pageSize=50`,
      )
    ).json<Envelope>();
    assert.strictEqual(quantity.data.length, 50);
    assert.strictEqual(quantity.pagination.has_more, true);
    assert.strictEqual(
      quantity.pagination.next_page,
      `/api/v1/quantity/${example}/appleExerciseTime?startDate=2022-01-01&endDate=2022-01-31&sort=asc&page=2&pageSize=50`,
    );
    assert.strictEqual(quantity.data[0]!.start_date, '2022-01-01T00:00:00Z');
    const sleep = (
      await get(
        `/api/v1/sleep/${example}?startDate=2022-01-01&endDate=2022-01-31&include_stages=true&include_metrics=true&sort=asc`,
      )
    ).json<Envelope>();
    assert.ok(
      sleep.data.length >= 30 && sleep.data.every((s) => Array.isArray(s.stages) && typeof s.metrics === 'object'),
    );
    const pagination = (
      await get(`/api/v1/sleep/${example}?startDate=2024-01-01&endDate=2024-01-10&page=1&pageSize=5`)
    ).json<Envelope>();
    assert.strictEqual(pagination.data.length, 5);
    assert.strictEqual(pagination.pagination.has_more, true);
    const workout = await get(
      `/api/v1/workout/user/${example}?startDate=2022-01-01&endDate=2022-01-31&type=traditionalStrengthTraining&sort=asc&page=1&pageSize=50`,
    );
    assert.strictEqual(workout.status, 200);
    const supplements = (
      await get(
        `/api/v1/supplements/${example}?startDate=2022-01-01&supplementID=326aa713-a248-4c98-9a40-a5f39b25ca94&page=1&pageSize=3`,
      )
    ).json<Envelope>();
    assert.deepStrictEqual(supplements.pagination, {
      current_page: 1,
      has_more: false,
      next_page: null,
      prev_page: null,
    });
    assert.strictEqual((supplements.data[0]!.details as Record<string, string>).name, 'Mega Ubiquinol CoQ10 100 mg');
    const medications = (
      await get(
        `/api/v1/medications/${example}?startDate=2022-01-01&medicationID=2e49c0c7-eb90-4d5c-8d86-5b6bee1e352c&sort=asc&page=1&pageSize=3`,
      )
    ).json<Envelope>();
    assert.deepStrictEqual(medications.data[0]!.details, { name: 'TADALAFIL', active_ingredient: 'TADALAFIL' });
    assert.ok(String((medications.data[0]!.logs as { created_at: string }[])[0]!.created_at) >= '2022-01-01');
    const labs = (
      await get(`/api/v1/labs/user/${example}?startDate=2022-01-01&type=serumALT&sort=asc&page=1&pageSize=3`)
    ).json<Envelope>();
    assert.strictEqual(labs.data.length, 3);
    assert.strictEqual(labs.pagination.has_more, true);
    assert.ok(labs.data.every((l) => l.lab_metric === 'serumALT' && String(l.date) >= '2022-01-01'));
  });

  test('rate-limit values are in the body and in X-RateLimit-* headers, Reset on 00:00 UTC', async () => {
    const res = await get(`/api/v1/quantity/${uid}/heartRate?pageSize=1`);
    const { limit } = res.json<Envelope>();
    assert.strictEqual(res.headers.get('x-ratelimit-limit'), String(limit!['X-RateLimit-Limit']));
    assert.strictEqual(res.headers.get('x-ratelimit-remaining'), String(limit!['X-RateLimit-Remaining']));
    assert.strictEqual(res.headers.get('x-ratelimit-reset'), String(limit!['X-RateLimit-Reset']));
    assert.strictEqual(limit!['X-RateLimit-Reset']! % 86400, 0);
    assert.ok(limit!['X-RateLimit-Reset']! * 1000 > h.clock.now());
  });

  test('default sort is desc (newest first); asc reverses it', async () => {
    const desc = (await get(`/api/v1/quantity/${uid}/bodyMass?pageSize=5`)).json<Envelope>().data;
    const asc = (await get(`/api/v1/quantity/${uid}/bodyMass?pageSize=5&sort=asc`)).json<Envelope>().data;
    const times = (d: Record<string, unknown>[]) => d.map((r) => Date.parse(String(r.start_date)));
    assert.deepStrictEqual(
      times(desc),
      [...times(desc)].sort((a, b) => b - a),
    );
    assert.deepStrictEqual(
      times(asc),
      [...times(asc)].sort((a, b) => a - b),
    );
    assert.ok(times(desc)[0]! > times(asc)[0]!);
  });

  test('quantity records carry value, unit, start_date, end_date with the metric unit', async () => {
    for (const m of METRICS) {
      const res = await get(`/api/v1/quantity/${uid}/${m.name}?pageSize=2`);
      assert.strictEqual(res.status, 200, m.name);
      const [r] = res.json<Envelope>().data;
      assert.ok(r, `${m.name} has data`);
      assert.deepStrictEqual(Object.keys(r), ['value', 'unit', 'start_date', 'end_date']);
      assert.strictEqual(r.unit, m.unit);
      assert.strictEqual(typeof r.value, 'number');
      assert.match(String(r.start_date), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    }
  });

  test('date range: date-only endDate includes the whole day, startDate from its midnight', async () => {
    const res = await get(`/api/v1/quantity/${uid}/stepCount?startDate=${day(-10)}&endDate=${day(-10)}&pageSize=100`);
    const data = res.json<Envelope>().data;
    assert.strictEqual(data.length, 24, 'hourly steps: 24 samples in one day');
    assert.ok(data.every((r) => String(r.start_date).startsWith(day(-10))));
    const dt = await get(
      `/api/v1/quantity/${uid}/stepCount?startDate=${day(-10)}T05:00:00Z&endDate=${day(-10)}T07:00:00%2B00:00&sort=asc`,
    );
    assert.deepStrictEqual(
      dt.json<Envelope>().data.map((r) => String(r.start_date).slice(11, 13)),
      ['05', '06', '07'],
    );
    const offset = await get(
      `/api/v1/quantity/${uid}/stepCount?startDate=${day(-10)}T05:00:00-02:00&endDate=${day(-10)}T05:00:00-02:00`,
    );
    assert.strictEqual(offset.json<Envelope>().data[0]!.start_date, `${day(-10)}T07:00:00Z`);
  });

  test('paging: next_page links walk the whole range with no gap or overlap; prev_page steps back', async () => {
    const seen: string[] = [];
    let path: string | null =
      `/api/v1/quantity/${uid}/stepCount?startDate=${day(-3)}&endDate=${day(-2)}&sort=asc&pageSize=7`;
    let pages = 0;
    while (path) {
      const body: Envelope = (await get(path)).json<Envelope>();
      pages++;
      if (pages > 1) assert.ok(body.pagination.prev_page?.includes(`page=${pages - 1}`));
      seen.push(...body.data.map((r) => String(r.start_date)));
      assert.strictEqual(body.pagination.has_more, body.pagination.next_page !== null);
      path = body.pagination.next_page;
    }
    assert.strictEqual(seen.length, 48);
    assert.strictEqual(new Set(seen).size, 48);
    assert.deepStrictEqual(seen, [...seen].sort());
    assert.strictEqual(pages, 7);
  });

  test('a page past the end is empty with has_more false', async () => {
    const body = (await get(`/api/v1/quantity/${uid}/vo2Max?page=999&pageSize=1000`)).json<Envelope>();
    assert.deepStrictEqual(body.data, []);
    assert.strictEqual(body.pagination.has_more, false);
    assert.strictEqual(body.pagination.next_page, null);
    assert.ok(body.pagination.prev_page?.includes('page=998'));
  });

  test('pageSize limits: 1 and 10,000 accepted', async () => {
    assert.strictEqual((await get(`/api/v1/quantity/${uid}/heartRate?pageSize=1`)).json<Envelope>().data.length, 1);
    assert.strictEqual(
      (await get(`/api/v1/quantity/${uid}/heartRate?pageSize=10000`)).json<Envelope>().data.length,
      10000,
    );
  });

  const badRequests: [string, string, string][] = [
    ['user id not a UUID', '/api/v1/quantity/not-a-uuid/stepCount', 'user_id'],
    ['unknown metric', '/api/v1/quantity/{uid}/stepCounts', 'metric'],
    ['bad startDate', '/api/v1/quantity/{uid}/stepCount?startDate=2022-13-01', 'startDate'],
    ['impossible date', '/api/v1/quantity/{uid}/stepCount?endDate=2022-02-30', 'endDate'],
    ['not a date', '/api/v1/sleep/{uid}?startDate=yesterday', 'startDate'],
    ['start after end', '/api/v1/sleep/{uid}?startDate=2022-02-01&endDate=2022-01-01', 'endDate'],
    ['bad sort', '/api/v1/quantity/{uid}/stepCount?sort=DESC', 'sort'],
    ['page 0', '/api/v1/quantity/{uid}/stepCount?page=0', 'page'],
    ['page -1', '/api/v1/quantity/{uid}/stepCount?page=-1', 'page'],
    ['page 1.5', '/api/v1/quantity/{uid}/stepCount?page=1.5', 'page'],
    ['empty page', '/api/v1/quantity/{uid}/stepCount?page=', 'page'],
    ['pageSize 0', '/api/v1/quantity/{uid}/stepCount?pageSize=0', 'pageSize'],
    ['pageSize 10001', '/api/v1/quantity/{uid}/stepCount?pageSize=10001', 'pageSize'],
    ['pageSize 1e6', '/api/v1/quantity/{uid}/stepCount?pageSize=1e6', 'pageSize'],
    ['repeated page', '/api/v1/quantity/{uid}/stepCount?page=1&page=2', 'page'],
    ['bad include_stages', '/api/v1/sleep/{uid}?include_stages=yes', 'include_stages'],
    ['unknown workout type', '/api/v1/workout/user/{uid}?type=jogging', 'type'],
    ['unknown lab metric', '/api/v1/labs/user/{uid}?type=serumXYZ', 'type'],
    ['supplementID not a UUID', '/api/v1/supplements/{uid}?supplementID=42', 'supplementID'],
    ['medicationID not a UUID', '/api/v1/medications/{uid}?medicationID=x', 'medicationID'],
  ];
  for (const [name, template, parameter] of badRequests) {
    test(`400 with a clear JSON body: ${name}`, async () => {
      const res = await get(template.replace('{uid}', uid));
      assert.strictEqual(res.status, 400);
      assert.strictEqual(res.headers.get('content-type'), 'application/json; charset=utf-8');
      const body = res.json<{ error: string; error_description: string; parameter: string }>();
      assert.strictEqual(body.error, 'invalid_request');
      assert.strictEqual(body.parameter, parameter);
      assert.ok(body.error_description.includes(parameter === 'metric' ? 'metric' : parameter), body.error_description);
    });
  }

  test('bad requests do not spend the quota', async () => {
    const before = h.quotaUsed(uid);
    await get(`/api/v1/quantity/${uid}/stepCount?pageSize=0`);
    assert.strictEqual(h.quotaUsed(uid), before);
  });

  test('401: no credentials → challenge without error code (RFC 6750, section 3.1)', async () => {
    const res = await call(h, `/api/v1/quantity/${uid}/stepCount`);
    assert.strictEqual(res.status, 401);
    assert.strictEqual(res.headers.get('www-authenticate'), 'Bearer realm="OneTwentyOne"');
    const basic = await call(h, `/api/v1/quantity/${uid}/stepCount`, { headers: { Authorization: 'Basic abc' } });
    assert.strictEqual(basic.status, 401);
  });

  test('401 invalid_token for an unknown token, with WWW-Authenticate', async () => {
    const res = await get(`/api/v1/quantity/${uid}/stepCount`, 'sbx_pat_nope');
    assert.strictEqual(res.status, 401);
    assert.match(res.headers.get('www-authenticate')!, /^Bearer realm="OneTwentyOne", error="invalid_token"/);
    assert.strictEqual(res.json().error, 'invalid_token');
    assert.ok(!res.text.includes('sbx_pat_nope'), 'the token is never echoed');
  });

  test('404 for unknown routes, unknown users, and a trailing slash', async () => {
    for (const path of ['/api/v1/nothing', '/api/v2/sleep/' + uid, `/api/v1/sleep/${uid}/`, '/favicon.ico']) {
      const res = await get(path);
      assert.strictEqual(res.status, 404, path);
      assert.strictEqual(res.json().error, 'not_found');
    }
    const res = await get('/api/v1/sleep/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
    assert.strictEqual(res.status, 404);
  });

  test('403 forbidden when a token reads another user', async () => {
    const res = await get(`/api/v1/profile/${userByName(h, 'Empty').userId}`);
    assert.strictEqual(res.status, 403);
    assert.strictEqual(res.json().error, 'forbidden');
  });

  test('405 for non-GET data requests', async () => {
    const res = await call(h, `/api/v1/profile/${uid}`, { method: 'POST', token: pat });
    assert.strictEqual(res.status, 405);
    assert.strictEqual(res.headers.get('allow'), 'GET');
  });

  test('profile: limit and data object (no pagination), scopes of the token', async () => {
    const body = (await get(`/api/v1/profile/${uid}`)).json<{ limit: unknown; data: Record<string, unknown> }>();
    assert.deepStrictEqual(Object.keys(body), ['limit', 'data']);
    assert.strictEqual(body.data.user_id, uid);
    assert.match(String(body.data.created_at), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.strictEqual(body.data.home_timezone, 'America/New_York');
    assert.deepStrictEqual(body.data.scopes, ['quantity', 'sleep', 'workout', 'profile']);
  });

  test('sleep: stages and metrics only when asked; HealthKit stage names; stages inside the session', async () => {
    const plain = (await get(`/api/v1/sleep/${uid}?pageSize=3`)).json<Envelope>().data;
    assert.ok(plain.every((s) => !('stages' in s) && !('metrics' in s)));
    const full = (
      await get(`/api/v1/sleep/${uid}?pageSize=30&include_stages=true&include_metrics=true`)
    ).json<Envelope>().data;
    assert.strictEqual(full.length, 30);
    for (const s of full) {
      const stages = s.stages as { stage: string; start_date: string; end_date: string }[];
      assert.ok(stages.length > 4);
      assert.ok(stages.every((st) => ['awake', 'asleepCore', 'asleepDeep', 'asleepREM'].includes(st.stage)));
      assert.strictEqual(stages[0]!.start_date, s.start_date);
      assert.strictEqual(stages.at(-1)!.end_date, s.end_date);
      assert.strictEqual(typeof (s.metrics as Record<string, unknown>).heart_rate_average, 'number');
      assert.ok((s.time_asleep as number) < (s.time_in_bed as number));
    }
    const falseFlags = (await get(`/api/v1/sleep/${uid}?pageSize=1&include_stages=false`)).json<Envelope>().data;
    assert.ok(!('stages' in falseFlags[0]!));
  });

  test('workout: documented example query, type filter, /api/workout alias from the docs next_page', async () => {
    const res = await get(`/api/v1/workout/user/${uid}?type=traditionalStrengthTraining&sort=asc&page=1&pageSize=50`);
    const body = res.json<Envelope>();
    assert.ok(body.data.length > 0);
    assert.ok(body.data.every((w) => w.type === 'traditionalStrengthTraining'));
    assert.ok(Object.keys(body.data[0]!).includes('duration'));
    const alias = await get(`/api/workout/user/${uid}?type=traditionalStrengthTraining&sort=asc&page=1&pageSize=50`);
    assert.strictEqual(alias.text.length > 0 && alias.status, 200);
  });

  test('labs: the documented record shape, no limit object in the body, date= alias', async () => {
    const res = await get(`/api/v1/labs/user/${uid}?type=serumALT&sort=asc&page=1&pageSize=3`);
    const body = res.json<Envelope>();
    assert.deepStrictEqual(Object.keys(body), ['pagination', 'data']);
    assert.ok(res.headers.get('x-ratelimit-limit'));
    const r = body.data[0]!;
    assert.deepStrictEqual(Object.keys(r), [
      'display_name',
      'fhir_id',
      'user_id',
      'loinc',
      'unit_string',
      'value',
      'lab_metric',
      'sample_type',
      'date',
    ]);
    assert.strictEqual(r.loinc, '1742-6');
    assert.strictEqual(r.unit_string, 'U/L');
    assert.strictEqual(r.sample_type, 'http://loinc.org');
    assert.match(String(r.date), /\+00:00$/);
    const alias = (
      await get(`/api/labs/user/${uid}?date=${day(-100)}&type=serumALT&page=1&pageSize=3`)
    ).json<Envelope>();
    assert.ok(alias.data.every((l) => String(l.date) >= day(-100)));
  });

  test('supplements and medications: documented ids, details, logs filtered by startDate', async () => {
    const sup = (
      await get(`/api/v1/supplements/${uid}?supplementID=326aa713-a248-4c98-9a40-a5f39b25ca94&page=1&pageSize=3`)
    ).json<Envelope>();
    assert.strictEqual(sup.data.length, 1);
    const details = sup.data[0]!.details as Record<string, unknown>;
    assert.deepStrictEqual(Object.keys(details), ['brand', 'servings', 'id', 'name', 'upc']);
    assert.strictEqual(typeof details.servings, 'string');
    const med = (await get(`/api/v1/medications/${uid}?startDate=${day(-30)}&sort=asc`)).json<Envelope>();
    assert.ok(med.data.length >= 1);
    for (const m of med.data) {
      const logs = m.logs as { id: string; created_at: string }[];
      assert.ok(logs.every((l) => l.created_at >= day(-30)));
      assert.deepStrictEqual(
        logs.map((l) => l.created_at),
        logs.map((l) => l.created_at).sort(),
      );
    }
  });

  test('five-year user: 2,629,800 per-minute samples; the last page is as cheap as the first', async () => {
    const five = userByName(h, 'Five-year heart rate');
    const first = (await get(`/api/v1/quantity/${five.userId}/heartRate?pageSize=10000`, five.pat)).json<Envelope>();
    assert.strictEqual(first.data.length, 10000);
    const last = (
      await get(`/api/v1/quantity/${five.userId}/heartRate?pageSize=10000&page=263`, five.pat)
    ).json<Envelope>();
    assert.strictEqual(last.data.length, 2_629_800 - 262 * 10000);
    assert.strictEqual(last.pagination.has_more, false);
    const t0 = Date.parse(String(last.data.at(-1)!.start_date));
    const t1 = Date.parse(String(first.data[0]!.start_date));
    assert.strictEqual((t1 - t0) / 60000 + 1, 2_629_800);
  });

  test('hostile user: payloads arrive intact as JSON strings', async () => {
    const hostile = userByName(h, 'Hostile strings');
    const res = await get(`/api/v1/quantity/${hostile.userId}/heartRate?pageSize=100`, hostile.pat);
    assert.strictEqual(res.status, 200);
    assert.ok(res.text.includes('<img src=x onerror='));
    assert.ok(res.text.includes('\\u202e') || res.text.includes('\u202E'));
    const body = res.json<Envelope>();
    assert.ok(body.data.some((r) => typeof r.note === 'string' && r.note.length >= 200_000));
    assert.ok(res.text.includes('"__proto__"'));
    assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
    const profile = await get(`/api/v1/profile/${hostile.userId}`, hostile.pat);
    assert.strictEqual(profile.status, 200);
    profile.json();
  });

  test('empty user: every list route answers an empty page', async () => {
    const empty = userByName(h, 'Empty');
    for (const path of [
      `quantity/${empty.userId}/stepCount`,
      `sleep/${empty.userId}`,
      `workout/user/${empty.userId}`,
      `supplements/${empty.userId}`,
      `medications/${empty.userId}`,
      `labs/user/${empty.userId}`,
    ]) {
      const body = (await get(`/api/v1/${path}`, empty.pat)).json<Envelope>();
      assert.deepStrictEqual(body.data, [], path);
      assert.strictEqual(body.pagination.has_more, false);
    }
  });

  test('data is deterministic: two sandboxes serve the same bytes', async () => {
    const other = await startSandbox({ clock: { now: () => h.clock.now() } });
    try {
      const path = `/api/v1/sleep/${uid}?pageSize=50&include_stages=true`;
      const a = (await get(path)).json<Envelope>().data;
      const b = (await call(other, path, { token: pat })).json<Envelope>().data;
      assert.deepStrictEqual(a, b);
    } finally {
      await other.close();
    }
  });

  test('every route answers valid JSON for every user, with every option', async () => {
    for (const user of h.users) {
      for (const route of [
        `quantity/${user.userId}/heartRate`,
        `quantity/${user.userId}/stepCount`,
        `sleep/${user.userId}?include_stages=true&include_metrics=true`,
        `workout/user/${user.userId}`,
        `profile/${user.userId}`,
        `supplements/${user.userId}`,
        `medications/${user.userId}`,
        `labs/user/${user.userId}`,
      ]) {
        const res = await get(`/api/v1/${route}`, user.pat);
        assert.strictEqual(res.status, 200, `${user.name} ${route}`);
        assert.doesNotThrow(() => res.json(), `${user.name} ${route}`);
      }
    }
  });

  test('malformed percent-encoding is a 400, not a crash', async () => {
    const res = await get(`/api/v1/quantity/${uid}/step%E0%A4%A`);
    assert.strictEqual(res.status, 400);
    const token = await call(h, '/api/token?%E0%A4%A', { method: 'POST' });
    assert.strictEqual(token.status, 400);
    assert.strictEqual(token.json().error, 'invalid_request');
  });

  test('requestLog records method, path without query, status, and never a token', async () => {
    await get(`/api/v1/profile/${uid}?x=1`);
    const entry = h.requestLog.at(-1)!;
    assert.deepStrictEqual(
      { ...entry, time: 0 },
      { method: 'GET', path: `/api/v1/profile/${uid}`, status: 200, authorization: 'present', time: 0 },
    );
    assert.ok(!JSON.stringify(h.requestLog).includes(pat));
  });

  function day(offsetDays: number): string {
    const midnight = Math.floor(h.clock.now() / 86_400_000) * 86_400_000;
    return new Date(midnight + offsetDays * 86_400_000).toISOString().slice(0, 10);
  }
});
