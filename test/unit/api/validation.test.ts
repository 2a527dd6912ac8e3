import * as assert from 'assert';
import { ApiError } from '../../../src/core/api/errors';
import { tokenResponseSchema, refreshResponseSchema } from '../../../src/core/api/schemas';
import { checkEnvelope, formatPath, formatWarning } from '../../../src/core/api/validation';

const USER = '123e4567-e89b-12d3-a456-426614174000';
const page = (data: unknown[], extra: Record<string, unknown> = {}) => ({
  pagination: { current_page: 1, has_more: false, next_page: null, prev_page: null },
  limit: { 'X-RateLimit-Limit': 10000, 'X-RateLimit-Remaining': 9991, 'X-RateLimit-Reset': 1715126400 },
  data,
  ...extra,
});

suite('response schemas and drift warnings', () => {
  test('the documented examples validate cleanly', () => {
    const labs = {
      pagination: { current_page: 1, has_more: true, next_page: `/api/labs/user/${USER}?page=2`, prev_page: null },
      data: [
        {
          display_name: 'ALT',
          fhir_id: 'id1h3Z62DlZuq9Z8I4s9rA',
          user_id: USER,
          loinc: '1742-6',
          unit_string: 'U/L',
          value: 22,
          lab_metric: 'serumALT',
          sample_type: 'http://loinc.org',
          date: '2022-01-01T09:15:00+00:00',
        },
      ],
    };
    assert.deepStrictEqual(checkEnvelope('labs', true, labs).warnings, []);
    const profile = {
      limit: { 'X-RateLimit-Limit': 1000, 'X-RateLimit-Remaining': 999, 'X-RateLimit-Reset': 1715126400 },
      data: {
        user_id: USER,
        created_at: '2022-01-01T00:00:00Z',
        home_timezone: 'America/New_York',
        scopes: ['profile', 'sleep'],
        height_cm: 180,
      },
    };
    const checked = checkEnvelope('profile', false, profile);
    assert.deepStrictEqual(checked.warnings, []);
    assert.strictEqual((checked.data as Record<string, unknown>).height_cm, 180, 'additional fields are kept');
    const medications = page([
      {
        id: '2e49c0c7-eb90-4d5c-8d86-5b6bee1e352c',
        details: { name: 'TADALAFIL', active_ingredient: 'TADALAFIL' },
        logs: [{ id: '971e5bb6-d733-4b47-9dc6-c0e7347c0dd9', created_at: '2024-05-01T08:00:00Z', dose: '5 mg' }],
      },
    ]);
    assert.deepStrictEqual(checkEnvelope('medications', true, medications).warnings, []);
  });

  test('format drift is reported with its path; the same drift on many records is one warning with a count', () => {
    const records = Array.from({ length: 500 }, () => ({ value: 1, unit: 'count', start_date: '2024-01-01 10:00' }));
    const warnings = checkEnvelope('quantity', true, page(records)).warnings;
    assert.deepStrictEqual(warnings.map(formatWarning), [
      'data[0].start_date: expected an ISO 8601 date-time with a zone (×500)',
    ]);
  });

  test('null arrays, strings for numbers, bad limit values and missing fields are warnings, not failures', () => {
    const body = page(
      [
        {
          display_name: 'ALT',
          fhir_id: 'x',
          user_id: 'not-a-uuid',
          loinc: '1',
          unit_string: 'U/L',
          value: '22',
          lab_metric: 'serumALT',
          sample_type: 's',
          date: '2022-01-01T09:15:00+00:00',
        },
      ],
      { limit: { 'X-RateLimit-Limit': 10000, 'X-RateLimit-Remaining': -1, 'X-RateLimit-Reset': 1 } },
    );
    const lines = checkEnvelope('labs', true, body).warnings.map(formatWarning);
    assert.ok(lines.includes('data[0].user_id: expected a UUID'), lines.join('\n'));
    assert.ok(lines.includes('data[0].value: expected number, got string'), lines.join('\n'));
    assert.ok(
      lines.some((l) => l.startsWith('limit["X-RateLimit-Remaining"]')),
      lines.join('\n'),
    );
    const missing = checkEnvelope(
      'sleep',
      true,
      page([{ id: USER, start_date: '2024-01-01T00:00:00Z', stages: null }]),
    ).warnings.map(formatWarning);
    assert.ok(missing.includes('data[0].end_date: missing (expected string)'), missing.join('\n'));
    assert.ok(missing.includes('data[0].stages: expected array, got null'), missing.join('\n'));
  });

  test('unusable bodies are schema errors', () => {
    for (const [body, paginated] of [
      [null, true],
      ['text', true],
      [[], true],
      [{ pagination: {} }, true],
      [{ data: {} }, true],
      [{ data: [] }, false],
    ] as const) {
      assert.throws(
        () => checkEnvelope(paginated ? 'quantity' : 'profile', paginated, body),
        (e: unknown) => e instanceof ApiError && e.code === 'schema',
      );
    }
  });

  test('the warning list is bounded even when everything drifts differently', () => {
    const records = Array.from({ length: 200 }, (_, i) => ({ [`k${i}`]: 1 }));
    const warnings = checkEnvelope('quantity', true, page(records)).warnings;
    assert.ok(warnings.length <= 50);
  });

  test('JSON paths quote keys that are not identifiers', () => {
    assert.strictEqual(formatPath('data', [3, 'value']), 'data[3].value');
    assert.strictEqual(formatPath('limit', ['X-RateLimit-Limit']), 'limit["X-RateLimit-Limit"]');
    assert.strictEqual(formatPath('data', [0, 'a b', '__proto__']), 'data[0]["a b"].__proto__');
  });

  test('token responses: documented shapes pass, missing tokens fail, extras are kept', () => {
    const parsed = tokenResponseSchema.parse({ access_token: 'a', refresh_token: 'r', user_id: USER, extra: 1 });
    assert.strictEqual((parsed as Record<string, unknown>).extra, 1);
    assert.ok(!tokenResponseSchema.safeParse({ access_token: 'a' }).success);
    assert.ok(refreshResponseSchema.safeParse({ access_token: 'a', expires_in: 3600 }).success);
    assert.strictEqual(refreshResponseSchema.parse({ access_token: 'a', expires_in: '3600' }).expires_in, 3600);
    assert.ok(!refreshResponseSchema.safeParse({ access_token: 'a', expires_in: 'soon' }).success);
    assert.ok(!refreshResponseSchema.safeParse({ access_token: 'a', expires_in: -1 }).success);
  });
});
