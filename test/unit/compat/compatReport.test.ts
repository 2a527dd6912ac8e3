import * as assert from 'assert';
import { compatibilityReport, linkForm, routeFindings, type RouteProbe } from '../../../src/core/compat/compatReport';
import { expectedShape } from '../../../src/core/compat/fieldShapes';
import { sleepRecordSchema } from '../../../src/core/api/schemas';

const ORIGIN = 'https://api.example.test';
const USER = '6f1c2b9e-4a4e-4d7b-9a51-0c4f3b2a1d10';
const LIMIT = { 'X-RateLimit-Limit': 10000, 'X-RateLimit-Remaining': 9999, 'X-RateLimit-Reset': 1800000000 };

const quantityAsDocumented: RouteProbe = {
  route: 'quantity',
  status: 200,
  headers: { 'x-ratelimit-remaining': '9999', 'content-type': 'application/json' },
  body: {
    data: [{ value: 8123, unit: 'count', start_date: '2026-01-02T00:00:00Z', end_date: '2026-01-02T01:00:00Z' }],
    pagination: {
      current_page: 1,
      has_more: true,
      next_page: `${ORIGIN}/api/v1/quantity/x/stepCount?page=2`,
      prev_page: null,
    },
    limit: LIMIT,
  },
};

/** Lean paging, a numeric string value and a timestamp with a short offset and a space. */
const quantityLean: RouteProbe = {
  route: 'quantity',
  status: 200,
  headers: {},
  body: {
    data: [{ value: '8123', unit: 'count', start_date: '2022-01-19 07:53:00+00', device_id: USER }],
    pagination: { current_page: 1, has_more: true },
    limit: { ...LIMIT, 'X-RateLimit-Remaining': '9999' },
  },
};

suite('Compatibility report: shapes against what the explorer expects', () => {
  test('an answer as documented raises nothing', () => {
    const findings = routeFindings(quantityAsDocumented, ORIGIN);
    assert.deepStrictEqual(findings.flags, []);
    assert.match(findings.pagination ?? '', /next_page absolute URL, same origin; prev_page null/);
    assert.match(findings.rateLimit, /x-ratelimit-remaining \(integer\)/);
    assert.strictEqual(findings.fields.find((r) => r.path === 'value')?.status, 'as expected');
  });

  test('lean paging, a string value and a short-offset timestamp are each flagged', () => {
    const flags = routeFindings(quantityLean, ORIGIN).flags.join('\n');
    assert.match(flags, /value: expected number, seen string/);
    assert.match(flags, /start_date: expected string \(date-time\), seen string \(not date-time\)/);
    assert.match(flags, /has_more is true with next_page omitted/);
    assert.match(flags, /next_page is omitted rather than null/);
    assert.match(flags, /limit\.X-RateLimit-Remaining is string, expected number/);
  });

  test('links are described by their form, never shown', () => {
    assert.strictEqual(linkForm('/api/v1/sleep/x?page=2', ORIGIN), 'relative path');
    assert.strictEqual(linkForm('http://api.example.test/x?page=2', ORIGIN), 'absolute URL, another origin or scheme');
    assert.strictEqual(linkForm(null, ORIGIN), 'null');
    assert.strictEqual(linkForm(undefined, ORIGIN), 'omitted');
  });

  test('a required field no record held is missing; an export-style name is not expected', () => {
    const findings = routeFindings(
      {
        route: 'sleep',
        status: 200,
        headers: {},
        body: {
          data: [{ id: USER, time_in_bed_start: '2022-01-19 07:53:00+00', time_in_bed_end: '2022-01-19 08:53:00+00' }],
          pagination: { current_page: 1, has_more: false, next_page: null, prev_page: null },
        },
      },
      ORIGIN,
    );
    const row = (path: string) => findings.fields.find((r) => r.path === path)?.status;
    assert.strictEqual(row('start_date'), 'missing');
    assert.strictEqual(row('time_in_bed_start'), 'not expected');
    assert.strictEqual(row('stages'), 'not sent', 'optional fields are not flagged');
    assert.match(findings.rateLimit, /no `limit` object/);
  });

  test('the fields of a nullable object sent as null are not missing; sent as an object, they are', () => {
    const workout = (distance: unknown): RouteProbe => ({
      route: 'workout',
      status: 200,
      headers: {},
      body: {
        data: [{ id: USER, start_date: '2026-01-02T00:00:00Z', end_date: '2026-01-02T01:00:00Z', distance }],
        pagination: { current_page: 1, has_more: false, next_page: null, prev_page: null },
      },
    });
    const status = (distance: unknown, path: string) =>
      routeFindings(workout(distance), ORIGIN).fields.find((r) => r.path === path)?.status;
    assert.strictEqual(status(null, 'distance'), 'as expected');
    assert.strictEqual(status(null, 'distance.unit'), 'not sent');
    assert.strictEqual(status({ value: 5 }, 'distance.unit'), 'missing');
  });

  test('the schema of a route is read as the explorer checks it', () => {
    const shape = expectedShape(sleepRecordSchema);
    assert.deepStrictEqual([...(shape.get('stages[].stage')?.types ?? [])], ['string']);
    assert.strictEqual(shape.get('start_date')?.format, 'date-time');
    assert.strictEqual(shape.get('time_in_bed')?.required, false);
    assert.ok(shape.has('metrics.{key}'));
  });

  test('the Markdown holds no value, user id or link of the answers', () => {
    const report = compatibilityReport({
      environment: 'custom',
      origin: ORIGIN,
      accountKind: 'oauth',
      tokenBodyEncoding: 'form',
      probes: [
        quantityAsDocumented,
        quantityLean,
        {
          route: 'profile',
          status: 200,
          headers: {},
          body: { data: { user_id: USER, [USER]: 1, home_timezone: 'Europe/Berlin' } },
        },
        { route: 'labs', status: 403, headers: {}, failure: 'forbidden' },
      ],
    });
    for (const secret of [USER, '8123', 'Europe/Berlin', 'page=2', '9999', '2022-01-19']) {
      assert.ok(!report.includes(secret), `the report holds ${secret}`);
    }
    assert.match(report, /Token request body: form-encoded/);
    assert.match(report, /\| `\{key\}` \| — \| number \| not expected \|/);
    assert.match(report, /## Labs/);
  });
});
