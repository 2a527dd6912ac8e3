import * as assert from 'assert';
import type { QuerySpec } from '../../../src/core/routes';
import { planRequest, queryProblems, requestPath } from '../../../src/core/routes/request';
import { defaultQuery, describeQuery, presetRange } from '../../../src/shared/query';

const buildRequestPath = (query: QuerySpec, userId: string) => requestPath(planRequest(query, userId).target);

const USER = '123e4567-e89b-12d3-a456-426614174000';

suite('shared/query', () => {
  test('defaults to the last 7 days, first page', () => {
    const q = defaultQuery('quantity', new Date(2024, 0, 31));
    assert.deepStrictEqual(q, {
      route: 'quantity',
      metric: 'stepCount',
      params: { startDate: '2024-01-25', endDate: '2024-01-31', page: 1, pageSize: 1000 },
    });
    assert.deepStrictEqual(defaultQuery('profile', new Date(2024, 0, 31)), { route: 'profile', params: {} });
  });

  test('presets end today and cross month and year boundaries', () => {
    assert.deepStrictEqual(presetRange('30d', new Date(2024, 0, 10)), {
      startDate: '2023-12-12',
      endDate: '2024-01-10',
    });
    assert.deepStrictEqual(presetRange('7d', new Date(2024, 1, 29)), {
      startDate: '2024-02-23',
      endDate: '2024-02-29',
    });
    assert.deepStrictEqual(presetRange('all', new Date(2024, 1, 29)), {});
  });

  test('builds the path as the API documents it, in parameter order', () => {
    const q: QuerySpec = {
      route: 'quantity',
      metric: 'appleExerciseTime',
      params: { pageSize: 50, startDate: '2022-01-01', endDate: '2022-01-31', sort: 'asc', page: 1 },
    };
    assert.strictEqual(
      buildRequestPath(q, USER),
      `/api/v1/quantity/${USER}/appleExerciseTime?startDate=2022-01-01&endDate=2022-01-31&sort=asc&page=1&pageSize=50`,
    );
    assert.strictEqual(
      buildRequestPath({ route: 'sleep', params: { include_stages: true, include_metrics: false } }, USER),
      `/api/v1/sleep/${USER}?include_stages=true&include_metrics=false`,
    );
    assert.strictEqual(buildRequestPath({ route: 'workout', params: {} }, USER), `/api/v1/workout/user/${USER}`);
  });

  const problems: [string, QuerySpec, string][] = [
    ['missing metric', { route: 'quantity', params: {} }, 'metric'],
    ['bad metric', { route: 'quantity', metric: 'Heart Rate', params: {} }, 'metric'],
    ['impossible date', { route: 'sleep', params: { startDate: '2024-02-30' } }, 'startDate'],
    ['reversed range', { route: 'sleep', params: { startDate: '2024-02-03', endDate: '2024-02-01' } }, 'endDate'],
    ['page 0', { route: 'sleep', params: { page: 0 } }, 'page'],
    ['page size 10,001', { route: 'sleep', params: { pageSize: 10_001 } }, 'pageSize'],
    ['fractional page size', { route: 'sleep', params: { pageSize: 1.5 } }, 'pageSize'],
    ['a param the route lacks', { route: 'supplements', params: { endDate: '2024-01-01' } }, 'endDate'],
    ['a non-UUID medication', { route: 'medications', params: { medicationID: 'x' } }, 'medicationID'],
  ];
  for (const [name, q, field] of problems) {
    test(`reports ${name}`, () =>
      assert.ok(
        queryProblems(q).some((p) => p.field === field),
        JSON.stringify(queryProblems(q)),
      ));
  }

  test('accepts a valid query and date-times with offsets', () => {
    assert.deepStrictEqual(
      queryProblems({
        route: 'quantity',
        metric: 'heartRate',
        params: {
          startDate: '2024-01-01T00:00:00Z',
          endDate: '2024-01-02T10:00:00+02:00',
          sort: 'desc',
          page: 2,
          pageSize: 10_000,
        },
      }),
      [],
    );
  });

  test('describes a query in one line', () => {
    assert.strictEqual(
      describeQuery({
        route: 'quantity',
        metric: 'heartRate',
        params: { startDate: '2024-01-01', endDate: '2024-01-07', page: 2 },
      }),
      'quantity/heartRate 2024-01-01…2024-01-07 p2',
    );
  });
});
