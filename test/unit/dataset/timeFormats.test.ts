import * as assert from 'assert';
import fc from 'fast-check';
import {
  detectTimeLayout,
  encodeTime,
  formatTime,
  parseDateLiteral,
  readTimestampMs,
  type TimeLayout,
} from '../../../src/core/dataset/timeFormats';

const layouts: [string, TimeLayout, (ms: number) => string][] = [
  ['secondsZ', { kind: 'secondsZ' }, (ms) => new Date(ms).toISOString().slice(0, 19) + 'Z'],
  ['millisZ', { kind: 'millisZ' }, (ms) => new Date(ms).toISOString()],
  [
    'secondsOffset -05:00',
    { kind: 'secondsOffset', suffix: '-05:00', offsetMs: -5 * 3600_000 },
    (ms) => new Date(ms - 5 * 3600_000).toISOString().slice(0, 19) + '-05:00',
  ],
  ['date', { kind: 'date' }, (ms) => new Date(ms).toISOString().slice(0, 10)],
];

suite('dataset: timestamp layouts', () => {
  for (const [name, layout, reference] of layouts) {
    test(`${name}: text → ms → text is exact (property, against Date)`, () => {
      const min = Date.UTC(1000, 0, 2);
      const max = Date.UTC(9999, 11, 30);
      fc.assert(
        fc.property(fc.integer({ min, max }), (raw) => {
          const ms =
            layout.kind === 'date'
              ? Math.floor(raw / 86_400_000) * 86_400_000
              : layout.kind === 'millisZ'
                ? raw
                : Math.floor(raw / 1000) * 1000;
          const text = reference(ms);
          assert.strictEqual(encodeTime(layout, text), ms, text);
          assert.strictEqual(formatTime(layout, ms), text);
          assert.deepStrictEqual(detectTimeLayout(text), layout);
        }),
        { numRuns: 2000 },
      );
    });
  }

  test('impossible or foreign texts are not timestamps', () => {
    for (const text of [
      '2023-02-29T00:00:00Z',
      '2024-02-30',
      '2024-13-01T00:00:00Z',
      '2024-01-01T24:00:00Z',
      '2024-01-01T10:60:00Z',
      '2024-01-01 10:00:00Z',
      '2024-01-01T10:00:00z',
      '0999-01-01',
      '+02024-01-01T00:00:00Z',
      '2024-01-01T00:00:00.1Z',
      'yesterday',
    ]) {
      assert.strictEqual(detectTimeLayout(text), undefined, text);
    }
    assert.strictEqual(encodeTime({ kind: 'secondsZ' }, '2024-01-01T00:00:00.000Z'), undefined);
    assert.strictEqual(
      encodeTime({ kind: 'secondsOffset', suffix: '+00:00', offsetMs: 0 }, '2024-01-01T00:00:00+01:00'),
      undefined,
    );
    assert.strictEqual(encodeTime({ kind: 'date' }, '2024-0a-01'), undefined);
  });

  test('date literals of the filter language read as UTC', () => {
    assert.strictEqual(parseDateLiteral('2024-01-01'), Date.UTC(2024, 0, 1));
    assert.strictEqual(parseDateLiteral('2024-01-01T10:30'), Date.UTC(2024, 0, 1, 10, 30));
    assert.strictEqual(parseDateLiteral('2024-01-01T10:30:00+02:00'), Date.UTC(2024, 0, 1, 8, 30));
    assert.strictEqual(parseDateLiteral('count/min'), undefined);
    assert.strictEqual(parseDateLiteral('2024-13-45'), undefined);
  });

  test('timestamps the API may send read like Date.parse reads their ISO form (property)', () => {
    /** Each zone form with the same offset in the form Date.parse reads everywhere; no zone means UTC. */
    const isoZone: Record<string, string> = {
      Z: 'Z',
      '+00': '+00:00',
      '+0000': '+00:00',
      '+00:00': '+00:00',
      '-05': '-05:00',
      '+0530': '+05:30',
      '-03:30': '-03:30',
      '': 'Z',
    };
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9000, 0, 1) }),
        fc.constantFrom('T', ' '),
        fc.constantFrom(0, 1, 2, 3, 6),
        fc.constantFrom(...Object.keys(isoZone)),
        (ms, separator, fraction, zone) => {
          const iso = new Date(ms).toISOString();
          const text =
            iso.slice(0, 10) +
            separator +
            iso.slice(11, 19) +
            (fraction ? '.' + iso.slice(20, 23).padEnd(fraction, '7').slice(0, fraction) : '') +
            zone;
          const expected = Date.parse(
            text.slice(0, 10) + 'T' + text.slice(11, text.length - zone.length) + (isoZone[zone] ?? '?'),
          );
          assert.strictEqual(readTimestampMs(text), expected, text);
        },
      ),
    );
    assert.strictEqual(readTimestampMs('2022-01-19 07:53+00'), Date.UTC(2022, 0, 19, 7, 53));
    assert.strictEqual(readTimestampMs('2022-01-19'), Date.UTC(2022, 0, 19));
    for (const bad of [
      '2022-01-19 07:53:00+0',
      '2022-01-19 07:53:00+00:0',
      '2022-01-19 25:00:00Z',
      '2022-01-19T07:53:00.Z',
      '2022-02-30',
      '2022-01-19 07:53:00 UTC',
      '19.01.2022 07:53',
      '',
    ])
      assert.strictEqual(readTimestampMs(bad), undefined, bad);
  });
});
