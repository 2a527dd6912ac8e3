import * as assert from 'assert';
import * as fc from 'fast-check';
import { isApiError } from '../../../src/core/api/errors';
import { buildRouteRequest, requestUrl } from '../../../src/core/api/params';
import { METRICS, ROUTES, type QuerySpec } from '../../../src/core/routes';
import { planRequest, queryProblems, requestPath } from '../../../src/core/routes/request';
import { webviewToHost } from '../../../src/shared/protocol';

const USER = '123E4567-E89B-12D3-A456-426614174000';
const ORIGIN = 'https://api.example.test';

/** The three judges of one query: the form's check, the webview protocol and the request builder. */
function verdicts(spec: QuerySpec) {
  const form = planRequest(spec).problems.length === 0;
  const checks = queryProblems(spec).length === 0;
  const protocol = webviewToHost.safeParse({ type: 'runQuery', requestId: 1, form: { query: spec } }).success;
  let sent: string | undefined;
  try {
    const built = buildRouteRequest(spec.route, { userId: USER, metric: spec.metric, query: spec.params });
    sent = requestUrl(ORIGIN, built).href;
  } catch (error) {
    assert.ok(isApiError(error) && error.code === 'invalid_params', String(error));
  }
  return { form, checks, protocol, sent };
}

function assertAgree(spec: QuerySpec): void {
  const { form, checks, protocol, sent } = verdicts(spec);
  const label = JSON.stringify(spec);
  assert.strictEqual(checks, form, `form check vs problems: ${label}`);
  assert.strictEqual(protocol, form, `protocol vs form check: ${label}`);
  assert.strictEqual(sent !== undefined, form, `request builder vs form check: ${label}`);
  if (sent !== undefined) {
    // What the panel shows is what the client sends: the same builder, to the byte.
    assert.strictEqual(requestUrl(ORIGIN, planRequest(spec, USER).target).href, sent, label);
    assert.strictEqual(`${ORIGIN}${requestPath(planRequest(spec, USER).target)}`, sent, label);
  }
}

const dates = fc.oneof(
  fc.constantFrom('2024-01-31', '2024-02-29', '2023-02-29', '2024-13-01', '2024-01-01T08:00', '2024-01-01T25:00Z'),
  fc.constantFrom('2024-01-02T01:00+05:00', '2024-01-02T01:00+0500', '2024-01-01T21:00:00.123456789Z', '01/02/2024'),
  fc
    .date({ min: new Date('1990-01-01'), max: new Date('2040-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.string({ maxLength: 30 }),
);
const names = fc.oneof(
  fc.constantFrom('traditionalStrengthTraining', 'serumALT', 'a'.repeat(128), 'a'.repeat(129), '<script>', '_x', ''),
  fc.string({ maxLength: 140 }),
);
const ids = fc.oneof(
  fc.uuid(),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.string({ maxLength: 40 }),
);
const counts = fc.oneof(fc.integer({ min: -2, max: 10_002 }), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER));
const values: Record<string, fc.Arbitrary<unknown>> = {
  startDate: dates,
  endDate: dates,
  sort: fc.constantFrom('asc', 'desc', 'up', 'ASC', ''),
  page: counts,
  pageSize: counts,
  include_stages: fc.oneof(fc.boolean(), fc.constantFrom('true', 1)),
  include_metrics: fc.oneof(fc.boolean(), fc.constantFrom('false', 0)),
  type: names,
  supplementID: ids,
  medicationID: ids,
};
const anyValue = fc.oneof(...Object.values(values));

/** A query of a known route: mostly its own parameters, sometimes another route's, values good and bad. */
const specs: fc.Arbitrary<QuerySpec> = fc
  .record({
    route: fc.constantFrom(...ROUTES),
    metric: fc.option(fc.oneof(fc.constantFrom(...METRICS.map((m) => m.name)), fc.string({ maxLength: 70 })), {
      nil: undefined,
    }),
    params: fc.dictionary(fc.constantFrom(...Object.keys(values)), anyValue, { maxKeys: 5 }),
  })
  .chain(({ route, metric, params }) =>
    fc
      .record(Object.fromEntries(route.params.map((p) => [p.name, values[p.name] ?? anyValue])), {
        requiredKeys: [],
      })
      .map((own) => ({ route, metric, params, own })),
  )
  .chain(({ route, metric, params, own }) =>
    fc.boolean().map((foreign): QuerySpec => ({
      route: route.id,
      ...(metric !== undefined ? { metric } : {}),
      params: foreign ? { ...own, ...params } : own,
    })),
  );

suite('routes: one description, every check derived from it', () => {
  test('the form check, the protocol and the request builder agree on every query, and show what they send', () => {
    fc.assert(fc.property(specs, assertAgree), { numRuns: 3000 });
  });

  test('the documented example requests are accepted and sent as documented', () => {
    const spec: QuerySpec = {
      route: 'quantity',
      metric: 'appleExerciseTime',
      params: { startDate: '2022-01-01', endDate: '2022-01-31', sort: 'asc', page: 1, pageSize: 50 },
    };
    assertAgree(spec);
    assert.strictEqual(
      verdicts(spec).sent,
      `${ORIGIN}/api/v1/quantity/${USER.toLowerCase()}/appleExerciseTime?startDate=2022-01-01&endDate=2022-01-31&sort=asc&page=1&pageSize=50`,
    );
  });

  const decided: [string, QuerySpec, boolean][] = [
    // ISO 8601 allows an offset with or without its colon, and a time without a zone.
    ['an offset without a colon', { route: 'sleep', params: { startDate: '2024-01-02T01:00+0500' } }, true],
    ['a local date-time', { route: 'sleep', params: { endDate: '2024-01-02T01:00' } }, true],
    ['an offset of 24 hours', { route: 'sleep', params: { startDate: '2024-01-02T01:00+24:00' } }, false],
    // Start and end are compared as instants: the later calendar day can be the earlier instant.
    [
      'a range in order as instants though not as text',
      { route: 'sleep', params: { startDate: '2024-01-02T01:00+05:00', endDate: '2024-01-01T21:00Z' } },
      true,
    ],
    [
      'a range backwards as instants',
      { route: 'sleep', params: { startDate: '2024-01-01T22:00Z', endDate: '2024-01-01T21:00Z' } },
      false,
    ],
    // A date alone as the end means that whole day, as the sandbox reads it.
    [
      'a timed start on the end day',
      { route: 'sleep', params: { startDate: '2024-01-01T10:00Z', endDate: '2024-01-01' } },
      true,
    ],
    ['a type of 128 characters', { route: 'workout', params: { type: `a${'b'.repeat(127)}` } }, true],
    ['a type of 129 characters', { route: 'labs', params: { type: `a${'b'.repeat(128)}` } }, false],
    ['page 2,000,000 (page size 1 over years of data)', { route: 'sleep', params: { page: 2_000_000 } }, true],
    ['a metric on a route without one', { route: 'sleep', metric: 'heartRate', params: {} }, false],
    ['quantity without a metric', { route: 'quantity', params: {} }, false],
    [
      'endDate on supplements (not documented there)',
      { route: 'supplements', params: { endDate: '2024-01-01' } },
      false,
    ],
  ];
  for (const [name, spec, ok] of decided) {
    test(`${ok ? 'accepts' : 'refuses'} ${name}, in every check alike`, () => {
      assertAgree(spec);
      assert.strictEqual(verdicts(spec).form, ok, JSON.stringify(queryProblems(spec)));
    });
  }

  test('an upper-case UUID is shown as it is sent: lower-case', () => {
    const spec: QuerySpec = {
      route: 'medications',
      params: { medicationID: '2E49C0C7-EB90-4D5C-8D86-5B6BEE1E352C' },
    };
    assertAgree(spec);
    assert.strictEqual(
      requestPath(planRequest(spec, USER).target),
      `/api/v1/medications/${USER.toLowerCase()}?medicationID=2e49c0c7-eb90-4d5c-8d86-5b6bee1e352c`,
    );
  });

  test('each problem names its field, for the form and for the error message', () => {
    const problems = queryProblems({ route: 'labs', params: { pageSize: 0, endDate: '2024-01-01' } });
    const byField = (x: readonly string[], y: readonly string[]) => (x[0] ?? '').localeCompare(y[0] ?? '');
    assert.deepStrictEqual(problems.map((p) => [p.field, p.message, p.fieldMessage]).sort(byField), [
      [
        'endDate',
        'Unknown parameter "endDate" for Labs (allowed: startDate, type, sort, page, pageSize).',
        'Labs does not take endDate.',
      ],
      ['pageSize', 'pageSize must be a whole number from 1 to 10,000.', 'Must be a whole number from 1 to 10,000.'],
    ]);
  });

  test('without a user the preview keeps the placeholder; a bad user is a problem only when there is one', () => {
    const spec: QuerySpec = { route: 'profile', params: {} };
    assert.strictEqual(requestPath(planRequest(spec).target), '/api/v1/profile/{user_id}');
    assert.deepStrictEqual(planRequest(spec).problems, []);
    assert.deepStrictEqual(
      planRequest(spec, 'not-a-uuid').problems.map((p) => p.field),
      ['userId'],
    );
  });
});
