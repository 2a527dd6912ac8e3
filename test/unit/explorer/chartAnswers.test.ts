import * as assert from 'assert';
import type { PageResult } from '../../../src/core/api/apiClient';
import type { QuerySpec } from '../../../src/core/routes';
import { hostToWebview } from '../../../src/shared/protocol';
import { answerQuantityChart, HypnogramAnswers } from '../../../src/vscode/explorer/chartAnswers';
import { QueryResult } from '../../../src/vscode/explorer/queryResult';
import { exportStages, exportTime } from '../support/exportRecords';

/** The Chart tab's answers to export-style records: the record's own terms first, and the note says what it did. */

const HOUR = 3_600_000;

function resultOf(query: QuerySpec, data: unknown[]): QueryResult {
  const page = { route: query.route, status: 200, durationMs: 1, bytes: 0, url: '/', data, warnings: [], attempts: 1 };
  return new QueryResult(7, query, page satisfies PageResult, 'account');
}

suite('explorer: chart answers for records the way the API may send them', () => {
  test("a quantity chart takes the record's calculation_type and unit ahead of the catalogue's", async () => {
    const day = Date.UTC(2022, 0, 19);
    const records = [62, 58, 60, 55].map((value, i) => ({
      value: String(value),
      unit: 'beats/min',
      start: exportTime(day + Math.floor(i / 2) * 24 * HOUR + (i % 2) * HOUR),
      end: exportTime(day + Math.floor(i / 2) * 24 * HOUR + (i % 2) * HOUR + 60_000),
      calculation_type: 'MIN',
    }));
    const result = resultOf({ route: 'quantity', metric: 'heartRate', params: {} }, records);
    const answer = await answerQuantityChart(result, 1, 7, 'day');
    assert.deepStrictEqual(
      [answer.aggregation, answer.unit, answer.value, answer.error],
      ['min', 'beats/min', [58, 55], null],
    );
    assert.ok(hostToWebview.safeParse({ type: 'chart/result', ...answer }).success);
  });

  test('a sleep night logged by phone and watch: one source drawn, and the note says which', async () => {
    const bed = Date.UTC(2022, 0, 18, 23);
    const seg = exportStages(bed, HOUR);
    const night = {
      time_in_bed_start: exportTime(bed),
      time_in_bed_end: exportTime(bed + 8 * HOUR),
      timezone: 'America/New_York',
      stages: [
        seg('IN_BED', 0, 8, 'PHONE'),
        seg('LIGHT', 0, 5, 'WATCH'),
        seg('DEEP', 5, 7, 'WATCH'),
        seg('REM', 7, 7.5, 'WATCH'),
        seg('SNOOZE', 7.5, 8, 'WATCH'),
      ],
    };
    const result = resultOf({ route: 'sleep', params: { include_stages: true } }, [night]);
    const answer = await new HypnogramAnswers().answer(result, 2, 7, null);
    assert.strictEqual(answer.error, null);
    assert.deepStrictEqual(answer.stage, ['asleepCore', 'asleepDeep', 'asleepREM', 'SNOOZE']);
    assert.deepStrictEqual(answer.notes, [
      'Stages from WATCH; PHONE logged the same night and is left out, so no time is counted twice.',
      'Not understood: stage "SNOOZE" (1×); the rest is shown.',
    ]);
    assert.ok(hostToWebview.safeParse({ type: 'hypnogram/result', ...answer }).success);
  });
});
