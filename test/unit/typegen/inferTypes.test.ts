import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { transformSync } from 'esbuild';
import { z } from 'zod';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { generateTypesModule, printZod, recordTypeName, toTypeNode } from '../../../src/core/typegen/emitTypes';
import { summarizeStore } from '../../../src/core/typegen/summarizeStore';
import { addValue, emptySummary, type TypeSummary } from '../../../src/core/typegen/typeSummary';

/** The zod schema the generated source describes, built by evaluating that very source (as TypeScript). */
function schemaFromSource(summary: TypeSummary): z.ZodType {
  const { code } = transformSync(`return (${printZod(toTypeNode(summary))});`, { loader: 'ts' });
  return new Function('z', code)(z) as z.ZodType;
}

function summaryOf(values: readonly unknown[]): TypeSummary {
  const summary = emptySummary();
  for (const value of values) addValue(summary, value);
  return summary;
}

async function storeSummary(records: readonly unknown[]): Promise<TypeSummary> {
  const store = new ResultStore();
  try {
    store.append(records);
    return await summarizeStore(store);
  } finally {
    store.dispose();
  }
}

const sleepLike = fc.record(
  {
    id: fc.uuid(),
    start: fc
      .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')),
    value: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null)),
    stage: fc.constantFrom('LIGHT', 'DEEP', 'REM', 'AWAKE'),
    unit: fc.constantFrom('count/min', 'min'),
    source: fc.option(fc.record({ name: fc.string(), bundle: fc.string() }), { nil: undefined }),
    amount: fc.oneof(fc.integer({ min: 0, max: 999 }).map(String), fc.constant('12.5')),
  },
  { requiredKeys: ['id', 'start', 'stage'] },
);

suite('Types inferred from a result', () => {
  test('accept every record they were inferred from, for any JSON records', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 40 }), (records) => {
        const schema = schemaFromSource(summaryOf(records));
        for (const record of records) assert.ok(schema.safeParse(record).success, JSON.stringify(record));
      }),
      { numRuns: 300 },
    );
  });

  test('accept every record of a result store, columns and irregular records alike', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof({ weight: 4, arbitrary: sleepLike }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) }),
          {
            maxLength: 60,
          },
        ),
        async (records) => {
          const schema = schemaFromSource(await storeSummary(records));
          for (const record of records) assert.ok(schema.safeParse(record).success, JSON.stringify(record));
        },
      ),
      { numRuns: 150 },
    );
  });

  test('reject records of another shape', async () => {
    const records = [
      { start: '2024-01-01T00:00:00Z', value: 61, stage: 'DEEP' },
      { start: '2024-01-01T00:01:00Z', value: 62, stage: 'REM' },
      { start: '2024-01-01T00:02:00Z', value: 63, stage: 'DEEP' },
      { start: '2024-01-01T00:03:00Z', value: 64, stage: 'REM' },
    ];
    const schema = schemaFromSource(await storeSummary(records));
    assert.ok(
      !schema.safeParse({ start: 'yesterday', value: 1, stage: 'DEEP' }).success,
      'a start that is no date-time',
    );
    assert.ok(
      !schema.safeParse({ start: '2024-01-01T00:00:00Z', value: '1', stage: 'DEEP' }).success,
      'a string value',
    );
    assert.ok(!schema.safeParse({ start: '2024-01-01T00:00:00Z', value: 1, stage: 'NAP' }).success, 'an unseen stage');
    assert.ok(!schema.safeParse({ value: 1, stage: 'DEEP' }).success, 'a missing required field');
  });

  test('say what the records have in common: optional fields, nulls, enumerations, dates and numeric strings', async () => {
    const records = [
      { start: '2022-01-19 07:53:00+00', unit: 'min', amount: '12', value: 1.5, note: 'a' },
      { start: '2022-01-19 08:53:00+00', unit: 'min', amount: '13.5', value: null },
      { start: '2022-01-19 09:53:00+00', unit: '%', amount: '14', value: 2 },
      { start: '2022-01-19 10:53:00+00', unit: '%', amount: '15', value: 3, note: 'b' },
    ];
    const module = generateTypesModule(await storeSummary(records), {
      typeName: recordTypeName('sleep'),
      source: 'GET /api/sleep',
      recordCount: records.length,
    });
    assert.match(module, /export type SleepRecord = \{/);
    assert.match(module, /start: string \/\* ISO 8601 date-time \*\//);
    assert.match(module, /unit: "%" \| "min";/);
    assert.match(module, /amount: string \/\* a number sent as a string \*\//);
    assert.match(module, /value: number \| null;/);
    assert.match(module, /note\?: string \| undefined;/);
    assert.match(module, /"note": z\.string\(\)\.optional\(\),/);
    assert.match(module, /"value": z\.number\(\)\.nullable\(\),/);
    assert.doesNotMatch(module, /"a"|"b"/, 'free text values never appear in the generated source');
  });

  test('accept records with a key named __proto__, printed as a computed key so it stays a field', () => {
    const records = [JSON.parse('{"__proto__": 1}'), JSON.parse('{"__proto__": 2}')] as unknown[];
    assert.match(printZod(toTypeNode(summaryOf(records))), /\["__proto__"\]: z\.number\(\)\.int\(\)/);
    const schema = schemaFromSource(summaryOf(records));
    for (const record of records) assert.ok(schema.safeParse(record).success);
  });

  test('accept a record without an optional key that Object.prototype has (zod reads missing keys through the prototype)', () => {
    const records: unknown[] = [JSON.parse('{"toString": false}'), {}, JSON.parse('{"constructor": "x"}')];
    const schema = schemaFromSource(summaryOf(records));
    for (const record of records) assert.ok(schema.safeParse(record).success, JSON.stringify(record));
    assert.ok(!schema.safeParse({ toString: 'no' }).success, 'a present value still has to be of its type');
  });

  test('name record types after the route and metric', () => {
    assert.equal(recordTypeName('quantity', 'heartRate'), 'QuantityHeartRateRecord');
    assert.equal(recordTypeName('3d'), 'Api3dRecord');
  });
});
