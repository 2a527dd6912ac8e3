import * as assert from 'assert';
import type { Hypnogram } from '../../../src/core/dataset/hypnogram';
import { hypnogramSession, segmentsOfSession } from '../../../src/core/dataset/hypnogramSession';

suite('dataset/hypnogramSession', () => {
  const at = (h: number): number => Date.UTC(2024, 2, 4) + h * 3_600_000;
  const segment = (stage: string, from: number, to: number) => ({ stage, level: 0, start: at(from), end: at(to) });
  const segments = [
    segment('awake', -30, -29),
    segment('inBed', 22, 22.5),
    segment('asleepCore', 22.5, 24),
    segment('asleepDeep', 24, 25),
    segment('asleepREM', 25, 26),
    segment('awake', 40, 41),
  ];
  const hypnogram: Hypnogram = {
    sessions: [
      { start: at(-30), end: at(-29), row: 0, sources: [] },
      { start: at(22), end: at(26), row: 1, sources: [] },
      { start: at(40), end: at(41), row: 2, sources: [] },
    ],
    segments,
    sessionsWithoutStages: 0,
    notUnderstood: [],
  };

  test('a session gets only its own segments, in time order', () => {
    const own = segmentsOfSession(segments, { start: at(22), end: at(26) });
    assert.deepStrictEqual(
      own.map((s) => s.stage),
      ['inBed', 'asleepCore', 'asleepDeep', 'asleepREM'],
    );
  });

  test('a segment sticking out of its session still belongs to it; one only touching it does not', () => {
    const own = segmentsOfSession(segments, { start: at(23), end: at(24) });
    assert.deepStrictEqual(
      own.map((s) => s.stage),
      ['asleepCore'],
    );
  });

  test('null asks for the latest session; indexes are clamped', () => {
    assert.strictEqual(hypnogramSession(hypnogram, null)?.index, 2);
    assert.strictEqual(hypnogramSession(hypnogram, 99)?.index, 2);
    assert.strictEqual(hypnogramSession(hypnogram, -3)?.index, 0);
    const middle = hypnogramSession(hypnogram, 1)!;
    assert.deepStrictEqual([middle.count, middle.row, middle.start, middle.end], [3, 1, at(22), at(26)]);
    assert.strictEqual(middle.segments.length, 4);
  });

  test('no sessions: nothing to show', () => {
    assert.strictEqual(
      hypnogramSession({ sessions: [], segments: [], sessionsWithoutStages: 2, notUnderstood: [] }, null),
      undefined,
    );
  });
});
