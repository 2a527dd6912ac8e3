import * as assert from 'node:assert/strict';
import { transformSync } from 'esbuild';
import { z } from 'zod';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { generateTypesModule, printZod, recordTypeName, toTypeNode } from '../../../src/core/typegen/emitTypes';
import { summarizeStore } from '../../../src/core/typegen/summarizeStore';
import { DEMO_USERS } from '../../../src/sandbox/demoAccounts';
import { datasetFor } from '../../../src/sandbox/data/userDatasets';

/**
 * The five-year heart-rate result (2,629,800 records, the sandbox's own series): the types are
 * inferred from the store in one pass over its columns, and the schema accepts every record.
 */
suite('Types inferred from the five-year result', function () {
  this.timeout(180_000);

  test('the schema accepts all 2,629,800 records, and the type names their fields', async () => {
    const user = DEMO_USERS.find((u) => u.kind === 'fiveYearHeartRate');
    assert.ok(user);
    const series = datasetFor(user, Date.UTC(2026, 0, 1)).quantity('heartRate');
    const store = new ResultStore();
    try {
      const chunk: unknown[] = [];
      for (let i = 0; i < series.length; i++) {
        chunk.push(JSON.parse(series.jsonAt(i)));
        if (chunk.length === 10_000 || i === series.length - 1) {
          store.append(chunk);
          chunk.length = 0;
        }
      }
      assert.equal(store.count, 2_629_800);

      const summary = await summarizeStore(store);
      const module = generateTypesModule(summary, {
        typeName: recordTypeName('quantity', 'heartRate'),
        source: 'GET /api/v1/quantity/{user_id}/heartRate',
        recordCount: store.count,
      });
      assert.match(module, /export type QuantityHeartRateRecord = \{/);
      assert.match(module, /start_date: string \/\* ISO 8601 date-time \*\//);
      assert.match(module, /value: number;/);

      const { code } = transformSync(`return (${printZod(toTypeNode(summary))});`, { loader: 'ts' });
      const schema = new Function('z', code)(z) as z.ZodType;
      let rejected = 0;
      for (let i = 0; i < series.length; i++) if (!schema.safeParse(JSON.parse(series.jsonAt(i))).success) rejected++;
      assert.equal(rejected, 0, 'records the schema rejects');
    } finally {
      store.dispose();
    }
  });
});
