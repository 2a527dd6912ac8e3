import * as assert from 'assert';
import type { PageResult } from '../../../src/core/api/apiClient';
import { paginate } from '../../../src/core/api/pagination';
import { checkEnvelope, DEEP_RECORD_MESSAGE, warningText } from '../../../src/core/api/validation';
import { renderText } from '../../../src/core/localizable';
import { QueryResult } from '../../../src/vscode/explorer/queryResult';
import { pseudo, PSEUDO_WORDING } from '../support/pseudoWording';
import { pagedApi } from '../../support/servers/pagedApi';
import { testServersPerTest } from '../support/localApi';
import { USER } from './helpers';

/**
 * The warnings the API client adds to a result (schema drift, paging fallbacks) are written once, in
 * English, from marked templates; the host finds a warning's template again and words it for the
 * Warnings tab.
 */

suite('api: warnings in the user language', () => {
  const servers = testServersPerTest({ deadlineMs: 5000 });

  test('schema drift: English as before, worded whole from its template with the schema names filled in', () => {
    const deep: Record<string, unknown> = {};
    let inner = deep;
    for (let i = 0; i < 120; i++) inner = inner.next = {} as Record<string, unknown>;
    const nested = checkEnvelope('sleep', false, { data: deep }).warnings.find((w) => w.path === 'data');
    assert.strictEqual(
      nested?.message,
      'the record is nested deeper than 100 levels: the tree stops there ("nested too deeply"); the raw view and exports keep all of it',
    );
    assert.strictEqual(nested.message, DEEP_RECORD_MESSAGE);
    assert.strictEqual(
      renderText(warningText(nested.message), PSEUDO_WORDING),
      pseudo(
        'the record is nested deeper than {0} levels: the tree stops there ("nested too deeply"); the raw view and exports keep all of it',
        '100',
      ),
    );

    const paged = checkEnvelope('quantity', true, {
      data: [],
      pagination: { current_page: 1, has_more: 'yes', next_page: null, prev_page: null },
    });
    const drift = paged.warnings.find((w) => w.path === 'pagination.has_more');
    assert.strictEqual(drift?.message, 'expected boolean, got string');
    assert.strictEqual(renderText(warningText(drift.message)), drift.message);
    assert.strictEqual(
      renderText(warningText(drift.message), PSEUDO_WORDING),
      pseudo('expected {0}, got {1}', 'boolean', 'string'),
    );
    // A format without values is worded whole, not as "expected {0}" with English inside.
    assert.strictEqual(renderText(warningText('expected a UUID'), PSEUDO_WORDING), pseudo('expected a UUID'));
    assert.strictEqual(renderText(warningText('expected email'), PSEUDO_WORDING), pseudo('expected {0}', 'email'));
    // Words no template wrote (zod's own) stay as they came.
    assert.strictEqual(renderText(warningText('Invalid input'), PSEUDO_WORDING), 'untranslated: Invalid input');
  });

  test("a paging fallback's warning is worded whole", async () => {
    servers.server.handle(pagedApi({ totalPages: 2, link: () => null }).handler);
    const run = paginate(servers.client, 'quantity', {
      userId: USER,
      metric: 'heartRate',
      query: { startDate: '2024-01-01', pageSize: 3 },
    });
    const pages: PageResult[] = [];
    for await (const page of run) pages.push(page);
    const fallback = pages.flatMap((p) => p.warnings).find((w) => w.path === 'pagination.next_page');
    const sentence =
      "has_more is true but next_page is empty: the next pages were asked for by number, with this query's own parameters.";
    assert.strictEqual(fallback?.message, sentence);
    assert.strictEqual(renderText(warningText(fallback.message), PSEUDO_WORDING), pseudo(sentence));
  });

  test("the host words a warning's count in the display language's numbers", () => {
    const page = {
      route: 'quantity',
      status: 200,
      durationMs: 1,
      bytes: 10,
      attempts: 1,
      url: 'http://127.0.0.1:1/api/v1/quantity/u/heartRate',
      data: [{ value: 1 }],
      pagination: { current_page: 1, has_more: true, next_page: null, prev_page: null },
      warnings: [{ path: 'data[0].unit', message: 'expected string, got number', count: 1_200 }],
    } as unknown as PageResult;
    const result = new QueryResult(1, { route: 'quantity', metric: 'heartRate', params: {} }, page, 'acc');
    assert.deepStrictEqual(result.summary.warnings, [
      { path: 'data[0].unit', message: 'expected string, got number (1,200 records)' },
    ]);
    result.dispose();
  });
});
