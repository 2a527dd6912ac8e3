import * as assert from 'assert';
import { exportTimestamp } from '../../../src/sandbox/dialects/exportRecords';
import { SummaryAccumulator } from '../../../src/vscode/lm/summaryBuckets';

const DAY0 = Date.parse('2024-01-01T00:00:00Z');
const HOUR_MS = 3_600_000;

suite('Language-model summary: records the way the API may send them', () => {
  test('export-shaped records (start/end, "+00" times) and numbers sent as text are summed like standard ones', () => {
    const standard = new SummaryAccumulator('day', DAY0);
    const exported = new SummaryAccumulator('day', DAY0);
    for (let hour = 0; hour < 48; hour++) {
      const at = DAY0 + hour * HOUR_MS + 30 * 60_000;
      const value = hour % 7;
      standard.addRecord({ value, start_date: new Date(at).toISOString() });
      exported.addRecord({
        value: hour % 2 === 0 ? value : String(value),
        unit: 'count',
        start: exportTimestamp(at),
        end: exportTimestamp(at + HOUR_MS),
        calculation_type: 'CUMULATIVE',
      });
    }
    assert.strictEqual(exported.skipped, 0);
    assert.deepStrictEqual(exported.buckets(), standard.buckets());
    assert.deepStrictEqual(
      exported.buckets().map((b) => b.start),
      ['2024-01-01', '2024-01-02'],
    );
  });

  test('a record with no readable time or value is skipped and counted', () => {
    const acc = new SummaryAccumulator('all', DAY0);
    acc.addRecord({ value: 3, start: 'yesterday' });
    acc.addRecord({ value: 'three', start: '2024-01-01 10:00:00+00' });
    acc.addRecord({ value: 4, time_in_bed_start: '2024-01-01 23:00:00+00' });
    assert.deepStrictEqual([acc.records, acc.skipped], [3, 2]);
    assert.strictEqual(acc.buckets()[0]?.sum, 4);
  });
});
