import * as assert from 'assert';
import { scanListHead } from '../../../src/core/api/envelopeScan';
import { ApiError } from '../../../src/core/api/errors';
import { RecordChunks } from '../../../src/core/api/recordChunks';
import { formatWarning } from '../../../src/core/api/validation';

const PAGINATION = {
  current_page: 2,
  has_more: true,
  next_page: '/api/v1/quantity/u/heartRate?page=3',
  prev_page: null,
};
const LIMIT = { 'X-RateLimit-Limit': 10000, 'X-RateLimit-Remaining': 9000, 'X-RateLimit-Reset': 1 };

/** The chunks of `body`, or undefined when the head scan declined it. */
function chunksOf(body: string | Buffer, chunkBytes: number): RecordChunks | undefined {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const head = scanListHead(bytes);
  if (!head) return undefined;
  return new RecordChunks(bytes, head, 'quantity', '/q', chunkBytes);
}

/** Takes every chunk; each is non-empty, and nothing comes after the end. */
function takeAll(chunks: RecordChunks): unknown[] {
  const records: unknown[] = [];
  while (!chunks.done) {
    const taken = chunks.take();
    assert.ok(taken.length > 0 || chunks.done, 'a chunk before the end holds records');
    records.push(...taken);
  }
  assert.deepStrictEqual(chunks.take(), [], 'nothing after the end');
  assert.strictEqual(chunks.count, records.length);
  return records;
}

/** What the chunks must reproduce: JSON.parse of the whole body. */
function assertSameAsWholeParse(text: string, chunkBytes: number): void {
  const whole = JSON.parse(text) as { data: unknown[]; pagination: unknown };
  const chunks = chunksOf(text, chunkBytes);
  assert.ok(chunks, `the head scan declined ${text.slice(0, 80)}`);
  assert.deepStrictEqual(takeAll(chunks), whole.data);
}

/** A deterministic generator (mulberry32) so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TRICKY = [
  '"',
  '\\',
  '},{',
  '}, {',
  ']',
  '[',
  '{',
  '}',
  ',',
  ':',
  '\\"',
  'é',
  '心',
  '😀',
  '\n',
  '\u0000',
  ' ',
  'data',
  '"data":[',
];
const pick = (next: () => number): string => TRICKY[Math.floor(next() * TRICKY.length)] ?? '';

function randomValue(next: () => number, depth: number): unknown {
  switch (Math.floor(next() * (depth > 2 ? 5 : 7))) {
    case 0:
      return Math.round(next() * 1e6) / 100 - 5000;
    case 1:
      return next() < 0.5;
    case 2:
      return null;
    case 3:
    case 4:
      return Array.from({ length: Math.floor(next() * 4) }, () => pick(next)).join('');
    case 5:
      return Array.from({ length: Math.floor(next() * 3) }, () => randomValue(next, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(next() * 4) }, (_, i) => [`${pick(next)}${i}`, randomValue(next, depth + 1)]),
      );
  }
}

suite('record chunks: a page parsed about 100 KB at a time (B4 peak heap)', () => {
  test('records equal a whole parse for any chunk size, also when "},{" inside strings misleads the guess', () => {
    const text = JSON.stringify({
      pagination: PAGINATION,
      limit: LIMIT,
      data: Array.from({ length: 40 }, (_, i) => ({
        value: 60 + i,
        unit: 'count/min',
        start_date: `2024-01-01T00:${String(i).padStart(2, '0')}:00Z`,
        source: i % 3 ? 'Watch "7"' : 'a},{b]\\',
      })),
    });
    for (const chunkBytes of [1, 2, 7, 60, 500, 100_000]) assertSameAsWholeParse(text, chunkBytes);
  });

  test('whitespace anywhere JSON allows it, nested records, every kind of element, an empty data array', () => {
    const nested = {
      pagination: PAGINATION,
      data: [
        { id: 'x', stages: [{ stage: 'deep' }, { stage: 'rem', nested: [[], {}, [[1]]] }] },
        'a "string" element',
        12.5e-3,
        -0,
        true,
        false,
        null,
        [],
        {},
      ],
    };
    for (const chunkBytes of [1, 30, 1000]) {
      assertSameAsWholeParse(JSON.stringify(nested), chunkBytes);
      assertSameAsWholeParse(JSON.stringify(nested, null, 2), chunkBytes);
      assertSameAsWholeParse(JSON.stringify(nested, null, '\t').replace(/\n/g, '\r\n'), chunkBytes);
    }
    assertSameAsWholeParse(' \n{ "pagination" : { "has_more" : false } , "data" : [ ] } \n', 5);
    assertSameAsWholeParse('{"pagination":{},"data":[]}', 5);
  });

  test('members after the records are fine unless they repeat data, pagination or limit', () => {
    assertSameAsWholeParse(
      JSON.stringify({ pagination: PAGINATION, data: [{ v: 1 }, { v: 2 }], note: 'x', extra: [{ a: '},{' }] }),
      3,
    );
    const repeats = [
      `{"pagination":{"has_more":false},"data":[{"v":1},{"v":2}],"pagination":{"has_more":true},"x":[]}`,
      `{"pagination":{"has_more":false},"limit":{"X-RateLimit-Remaining":5},"data":[1,2],"limit":{"X-RateLimit-Remaining":4},"x":[]}`,
      `{"pagination":{},"data":[{"v":1}],"data":[{"v":2}]}`,
      `{"pagination":{},"data":[{"v":1}],"d\\u0061ta":[3]}`,
      // Repeated as what the check would expect, or different only in ways JSON.stringify hides.
      `{"pagination":{},"data":[{"a":1}],"data":[]}`,
      `{"pagination":{},"data":[{"a":1}],"d\\u0061ta":[ ]}`,
      `{"pagination":{"next_page":null},"data":[{}],"pagination":{"next_page":1e400},"x":[]}`,
      `{"pagination":{"a":0},"data":[{"a":1}],"pagination":{"a":-0},"z":[]}`,
      `{"pagination":{},"data":[{"a":1}],"pagination":${'['.repeat(5000)}${']'.repeat(5000)},"z":[]}`,
      // Not JSON after the records.
      `{"pagination":{},"data":[{"a":1}],}`.replace(',}', ',"x":[]]}'),
      `{"pagination":{},"data":[{"a":1}] x ]}`,
    ];
    for (const text of repeats) {
      for (const chunkBytes of [1, 100_000]) {
        const chunks = chunksOf(text, chunkBytes);
        assert.ok(chunks, text);
        assert.throws(
          () => {
            while (!chunks.done) chunks.take();
          },
          (err: unknown) => err instanceof ApiError && err.code === 'invalid_response',
          text.slice(0, 100),
        );
        assert.throws(
          () => chunks.take(),
          (err: unknown) => err instanceof ApiError,
          'a failed page keeps failing',
        );
        assert.strictEqual(chunks.done, false);
        assert.strictEqual((chunks as unknown as { body: Buffer }).body.length, 0, 'and lets its bytes go');
      }
    }
  });

  test('random records with quotes, backslashes, brackets and multi-byte text split correctly (seeded)', () => {
    // Keys without escapes (a key with one is declined on purpose) and none the envelope uses.
    const plainKeys = TRICKY.filter((key) => JSON.stringify(key) === `"${key}"` && key !== 'data');
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const data = Array.from({ length: 1 + Math.floor(next() * 30) }, () => randomValue(next, 0));
      const body: Record<string, unknown> = {
        pagination: randomValue(next, 1),
        [plainKeys[seed % plainKeys.length] ?? 'meta']: randomValue(next, 1),
        data,
      };
      if (seed % 4 === 0) body.tail = randomValue(next, 1);
      const text = JSON.stringify(body, null, seed % 3 === 0 ? 1 : undefined);
      try {
        // A body that does not end in `]}` is left to a whole parse.
        if (!/\]\s*\}\s*$/.test(text)) assert.strictEqual(scanListHead(Buffer.from(text)), undefined);
        else assertSameAsWholeParse(text, 1 + Math.floor(next() * 200));
      } catch (err) {
        assert.fail(`seed ${seed}: ${(err as Error).message}`);
      }
    }
  });

  test('bodies the head scan is not sure of are left to a whole parse', () => {
    const declined = [
      '[{"pagination":{},"data":[]}]', // not an object
      '{"pagination":{}}', // no data
      '{"data":[1],"pagination":{}}', // data before pagination
      '{"limit":{},"data":[1]}', // no pagination
      '{"pagination":{},"data":{"value":1}}', // not an array
      '{"pagination":{},"d\\u0061ta":[1]}', // an escaped key that means data
      '{"pagination":{},"data":[1]} x', // bytes after the object
      '{"pagination":{},"data":[{"a":"b"}', // truncated
      '{"pagination":{"a":"b},"data":[]}', // a string runs over the key
      '\ufeff{"pagination":{},"data":[]}', // a byte-order mark
      '',
    ];
    for (const text of declined) assert.strictEqual(scanListHead(Buffer.from(text, 'utf8')), undefined, text);
  });

  test('records that are not JSON, or not UTF-8, fail when taken, with an error that does not quote them', () => {
    const broken = [
      '{"pagination":{},"data":[{"value":1},{"value":1.2.3,"secret":"s3cr3t"},{"value":3}]}',
      '{"pagination":{},"data":[1 2]}', // a missing comma: one odd value to the cut, refused by JSON.parse
      '{"pagination":{},"data":[1,]}',
      '{"pagination":{},"data":[,1]}',
      '{"pagination":{},"data":[{"a":1},{"c": ]}',
      '{"pagination":{},"data":[{"a":1}}]}',
    ];
    for (const text of broken) {
      for (const chunkBytes of [1, 100_000]) {
        const chunks = chunksOf(text, chunkBytes);
        assert.ok(chunks, `the head is sound: ${text}`);
        assert.throws(
          () => {
            while (!chunks.done) chunks.take();
          },
          (err: unknown) =>
            err instanceof ApiError && err.code === 'invalid_response' && !err.message.includes('s3cr3t'),
          text,
        );
      }
    }
    const bad = Buffer.concat([
      Buffer.from('{"pagination":{},"data":[{"source":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}]}'),
    ]);
    const chunks = chunksOf(bad, 1);
    assert.ok(chunks);
    assert.throws(
      () => chunks.take(),
      (err: unknown) => err instanceof ApiError && err.code === 'invalid_response' && /UTF-8/.test(err.message),
    );
  });

  test('schema drift is checked in every chunk and reported with the index on the whole page', () => {
    const data = Array.from({ length: 3000 }, (_, i) => ({
      value: i === 2500 ? '72' : 72,
      start_date: i >= 1200 && i < 1300 ? '2024-01-01 10:00' : '2024-01-01T10:00:00Z',
    }));
    const chunks = chunksOf(JSON.stringify({ pagination: PAGINATION, data }), 10_000);
    assert.ok(chunks);
    const records = takeAll(chunks);
    assert.deepStrictEqual(chunks.warnings().map(formatWarning).sort(), [
      'data[1200].start_date: expected an ISO 8601 date-time with a zone (×100)',
      'data[2500].value: expected number, got string',
    ]);
    assert.strictEqual((records[2500] as { value: unknown }).value, '72', 'values are kept as sent');
  });

  test('a "},{" far past the target is not guessed at: chunks stay near their size', () => {
    // Records separated by "},\n{", which no guess matches, except the last two: a guess there
    // would be proved right, and would parse the whole page as one chunk.
    const data = Array.from({ length: 2_000 }, (_, i) => ({ value: i, note: 'x' }));
    const whole = JSON.stringify({ pagination: PAGINATION, data });
    const last = whole.lastIndexOf('},{"value"');
    const text = whole.slice(0, last).replace(/\},\{"value"/g, '},\n{"value"') + whole.slice(last);
    const chunks = chunksOf(text, 2_000);
    assert.ok(chunks);
    let largest = 0;
    const records: unknown[] = [];
    while (!chunks.done) {
      const taken = chunks.take();
      largest = Math.max(largest, Buffer.byteLength(JSON.stringify(taken)));
      records.push(...taken);
    }
    assert.deepStrictEqual(records, data);
    assert.ok(largest < 4_000, `largest chunk ${largest} bytes`);
  });

  test("a chunk of a 1 MB page stays under V8's large-object size, and the bytes are let go at the end", () => {
    const data = Array.from({ length: 10_000 }, (_, i) => ({
      value: 60 + (i % 50),
      unit: 'count/min',
      start_date: '2024-01-01T10:00:00Z',
      end_date: '2024-01-01T10:01:00Z',
      source: 'Apple Watch',
    }));
    const chunks = chunksOf(JSON.stringify({ pagination: PAGINATION, limit: LIMIT, data }), 100_000);
    assert.ok(chunks);
    let largest = 0;
    let taken = 0;
    while (!chunks.done) {
      const records = chunks.take();
      largest = Math.max(largest, Buffer.byteLength(JSON.stringify(records)));
      taken += records.length;
    }
    assert.strictEqual(taken, 10_000);
    assert.ok(largest < 128 * 1024, `largest chunk ${largest} bytes`);
    assert.strictEqual((chunks as unknown as { body: Buffer }).body.length, 0);
  });
});
