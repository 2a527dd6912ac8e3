import * as assert from 'assert';
import { planFetchAll } from '../../../src/core/dataset/fetchAll';
import { parseQuery } from '../../../src/core/dataset/queryParser';
import { matchesCondition, matchesRecord } from '../../../src/core/dataset/recordMatcher';
import { readTime, readTimestampText, recordTime } from '../../../src/core/dataset/recordReading';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { searchResult } from '../../../src/core/dataset/search';

const AT = Date.UTC(2022, 0, 19, 7, 53);
const HOUR_MS = 3_600_000;

/** The same instant written the ways records may write it. */
const SPELLINGS = [
  '2022-01-19 07:53:00+00',
  '2022-01-19T07:53:00+00',
  '2022-01-19T07:53:00+0000',
  '2022-01-19T02:53:00-05',
  '2022-01-19T07:53:00',
  '2022-01-19 07:53',
  '2022-01-19T07:53:00.000Z',
];

function dateLiteral(text: string) {
  const clause = parseQuery(`t >= ${text}`).clauses[0];
  assert.ok(clause?.kind === 'condition' && clause.literal.type === 'string' && clause.literal.dateMs !== undefined);
  return clause.literal;
}

/** A record shaped like 121 Health's data export, `hours` after AT. */
function exportQuantity(hours: number) {
  const start = new Date(AT + hours * HOUR_MS).toISOString().slice(0, 19).replace('T', ' ');
  return {
    value: 100 + hours,
    unit: 'count',
    start: `${start}+00`,
    end: `${start}+00`,
    calculation_type: 'CUMULATIVE',
  };
}

suite('Timestamps: a filter, fetch-all planning and the charts read a time one way', () => {
  test('every spelling is the same instant, for readTime and for a filter', () => {
    for (const text of SPELLINGS) {
      assert.strictEqual(readTimestampText(text), AT, text);
      assert.strictEqual(readTime(text), AT, text);
    }
  });

  test('a filter compares "+00", zoneless and space-separated timestamps with a date as the chart does', () => {
    const atOrAfter = dateLiteral('2022-01-19T07:53');
    const sameDay = parseQuery('t = 2022-01-19').clauses[0];
    assert.ok(sameDay?.kind === 'condition');
    for (const text of SPELLINGS) {
      assert.strictEqual(matchesCondition(text, '>=', atOrAfter), true, `${text} >= 2022-01-19T07:53`);
      assert.strictEqual(matchesCondition(text, '<', atOrAfter), false, `${text} < 2022-01-19T07:53`);
      assert.strictEqual(matchesCondition(text, '=', sameDay.literal), true, `${text} = 2022-01-19`);
    }
    // A time without a zone is UTC on every machine, not the machine's local time.
    assert.strictEqual(matchesCondition('2022-01-19T07:52:59', '<', atOrAfter), true);
    assert.strictEqual(matchesCondition('2022-01-19T07:53:01', '<', atOrAfter), false);
  });

  test('text that is no timestamp (a bare number, words) is only "not equal" to a date', () => {
    const atOrAfter = dateLiteral('2022-01-19');
    for (const text of ['1642578780', 'soon', 'Jan 19 2022']) {
      assert.strictEqual(readTimestampText(text), undefined, text);
      assert.strictEqual(matchesCondition(text, '>=', atOrAfter), false, text);
      assert.strictEqual(matchesCondition(text, '!=', atOrAfter), true, text);
    }
  });

  test('a search over export-style records by time finds the same rows on the columnar path and record by record', async () => {
    const records = Array.from({ length: 48 }, (_, i) => exportQuantity(i));
    const store = new ResultStore();
    try {
      store.append(records);
      const query = 'start >= 2022-01-20T07:53 and start < 2022-01-20T12:00';
      const outcome = await searchResult(store, query);
      // Hours 24 to 28 after AT (07:53, 08:53, …, 11:53 on the 20th).
      assert.deepStrictEqual(Array.from(outcome.hits), [24, 25, 26, 27, 28]);
      const parsed = parseQuery(query);
      assert.deepStrictEqual(
        records.flatMap((r, i) => (matchesRecord(r, parsed.clauses) ? [i] : [])),
        [24, 25, 26, 27, 28],
      );
    } finally {
      store.dispose();
    }
  });

  test('recordTime reads the start of every record variant', () => {
    const variants: [string, unknown][] = [
      ['start_date', { start_date: '2022-01-19T07:53:00Z', end_date: '2022-01-19T08:53:00Z' }],
      ['startDate', { startDate: '2022-01-19T07:53:00Z' }],
      ['start/end with +00', { start: '2022-01-19 07:53:00+00', end: '2022-01-19 08:53:00+00' }],
      ['time_in_bed_*', { time_in_bed_start: '2022-01-19 07:53:00+00', time_in_bed_end: '2022-01-19 15:00:00+00' }],
      ['zoneless', { start_date: '2022-01-19T07:53:00' }],
      ['epoch seconds', { timestamp: AT / 1000 }],
      ['created_at', { created_at: '2022-01-19T07:53:00+00:00' }],
      ['an unreadable start, then a readable time', { start_date: 'n/a', created_at: '2022-01-19 07:53:00+00' }],
    ];
    for (const [what, record] of variants) assert.strictEqual(recordTime(record), AT, what);
    assert.strictEqual(recordTime({ value: 1 }), undefined);
    assert.strictEqual(recordTime('2022-01-19'), undefined);
  });

  test('fetch-all planning estimates export-style pages by their time span', () => {
    // Newest first, one record an hour: a page of 24 covers a day; 10 more days to the start date.
    const records = Array.from({ length: 24 }, (_, i) => exportQuantity(-i));
    const startDate = new Date(AT - 23 * HOUR_MS - 10 * 24 * HOUR_MS).toISOString().slice(0, 10);
    const plan = planFetchAll(
      { data: records, bytes: 0, pagination: { has_more: true, current_page: 1 } },
      { startDate, sort: 'desc' },
      0,
    );
    assert.strictEqual(plan.basis, 'time-span', plan.summary);
    assert.ok(plan.remainingRequests !== undefined && plan.remainingRequests >= 10 && plan.remainingRequests <= 12);
  });
});
