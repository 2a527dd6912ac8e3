import * as assert from 'assert';
import { scanListEnvelope } from '../../../src/core/api/envelopeScan';
import { ApiError } from '../../../src/core/api/errors';
import { RecordChunks } from '../../../src/core/api/recordChunks';
import { formatWarning } from '../../../src/core/api/validation';

/** Every record of `body`, taken `chunk` at a time, or undefined when the scan declined the body. */
function takeAll(body: Buffer, chunk: number, route: 'quantity' | 'sleep' = 'quantity'): { records: unknown[]; envelope: unknown; chunks: RecordChunks } | undefined {
  const layout = scanListEnvelope(body);
  if (!layout) return undefined;
  const chunks = new RecordChunks(body, layout, route, '/q');
  const records: unknown[] = [];
  assert.strictEqual(chunks.remaining, chunks.count);
  while (chunks.remaining > 0) {
    const taken = chunks.take(chunk);
    assert.ok(taken.length > 0 && taken.length <= chunk);
    records.push(...taken);
  }
  assert.deepStrictEqual(chunks.take(chunk), [], 'nothing after the end');
  return { records, envelope: JSON.parse(layout.envelope.toString('utf8')), chunks };
}

/** What the scan and the chunks must reproduce: JSON.parse of the whole body. */
function assertSameAsWholeParse(text: string, chunk: number): void {
  const body = Buffer.from(text, 'utf8');
  const whole = JSON.parse(text) as { data: unknown[] };
  const taken = takeAll(body, chunk);
  assert.ok(taken, `the scan declined ${text.slice(0, 80)}`);
  assert.deepStrictEqual(taken.records, whole.data);
  assert.deepStrictEqual(taken.envelope, { ...whole, data: [] });
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

const TRICKY = ['"', '\\', '},{', ']', '[', '{', '}', ',', ':', '\\"', 'é', '心', '😀', '\n', '\u0000', ' ', 'data', '"data":['];

function randomValue(next: () => number, depth: number): unknown {
  const kind = Math.floor(next() * (depth > 2 ? 5 : 7));
  switch (kind) {
    case 0: return Math.round(next() * 1e6) / 100 - 5000;
    case 1: return next() < 0.5;
    case 2: return null;
    case 3:
    case 4: return Array.from({ length: Math.floor(next() * 4) }, () => TRICKY[Math.floor(next() * TRICKY.length)]).join('');
    case 5: return Array.from({ length: Math.floor(next() * 3) }, () => randomValue(next, depth + 1));
    default: return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, (_, i) => [`${TRICKY[Math.floor(next() * TRICKY.length)]}${i}`, randomValue(next, depth + 1)]));
  }
}

suite('record chunks: a page parsed a few records at a time (B4 peak heap)', () => {
  test('records and envelope equal a whole parse, for any chunk size', () => {
    const text = JSON.stringify({
      pagination: { current_page: 2, has_more: true, next_page: '/api/v1/quantity/u/heartRate?page=3', prev_page: null },
      data: Array.from({ length: 25 }, (_, i) => ({ value: 60 + i, unit: 'count/min', start_date: `2024-01-01T00:${String(i).padStart(2, '0')}:00Z`, source: i % 2 ? 'Watch "7"' : 'a},{b]\\' })),
      limit: { 'X-RateLimit-Limit': 10000, 'X-RateLimit-Remaining': 9000, 'X-RateLimit-Reset': 1 },
    });
    for (const chunk of [1, 2, 7, 25, 1000]) assertSameAsWholeParse(text, chunk);
  });

  test('whitespace anywhere JSON allows it, nested records, every kind of element, an empty data array', () => {
    const nested = { data: [{ id: 'x', stages: [{ stage: 'deep' }, { stage: 'rem', nested: [[], {}, [[1]]] }] }, 'a "string" element', 12.5e-3, -0, true, false, null, [], {}] };
    assertSameAsWholeParse(JSON.stringify(nested, null, 2), 3);
    assertSameAsWholeParse(JSON.stringify(nested, null, '\t').replace(/\n/g, '\r\n'), 1);
    assertSameAsWholeParse(' \n{ "data" : [ ] , "pagination" : { "has_more" : false } } \n', 5);
    assertSameAsWholeParse('{"data":[]}', 5);
  });

  test('random records with quotes, backslashes, brackets and multi-byte text split correctly (seeded)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = random(seed);
      const data = Array.from({ length: 1 + Math.floor(next() * 30) }, () => randomValue(next, 0));
      // Top-level keys without escapes (a key with one is declined on purpose, tested below).
      const plainKeys = TRICKY.filter((key) => JSON.stringify(key) === `"${key}"`);
      const body = { [plainKeys[seed % plainKeys.length]]: randomValue(next, 1), data, tail: randomValue(next, 1) };
      const text = JSON.stringify(body, null, seed % 3 === 0 ? 1 : undefined);
      try {
        assertSameAsWholeParse(text, 1 + Math.floor(next() * 5));
      } catch (err) {
        assert.fail(`seed ${seed}: ${(err as Error).message}`);
      }
    }
  });

  test('bodies the scan is not sure of are left to a whole parse', () => {
    const declined = [
      '[{"data":[]}]', // not an object
      '{"pagination":{}}', // no data
      '{"data":[1],"data":[2]}', // data twice: JSON.parse keeps the last
      '{"data":{"value":1}}', // not an array
      '{"d\\u0061ta":[1]}', // an escaped key that means data
      '{"data":[1]} x', // bytes after the object
      '{"data":[1,],}', // a trailing comma
      '{"data":[,1]}', // a leading comma
      '{"data":[1,,2]}',
      '{"data":[{"a":1}}', // a brace closes the array
      '{"data":[{"a":"b"}', // truncated
      '{"data":["unterminated]}',
      '\ufeff{"data":[]}', // a byte-order mark
      '',
    ];
    for (const text of declined) assert.strictEqual(scanListEnvelope(Buffer.from(text, 'utf8')), undefined, text);
  });

  test('a record that is not JSON, or not UTF-8, fails when taken, with an error that does not quote it', () => {
    const layout = scanListEnvelope(Buffer.from('{"data":[{"value":1},{"value":1.2.3,"secret":"s3cr3t"},{"value":3}]}'));
    assert.ok(layout, 'the structure is sound, so the scan accepts it');
    const body = Buffer.from('{"data":[{"value":1},{"value":1.2.3,"secret":"s3cr3t"},{"value":3}]}');
    const chunks = new RecordChunks(body, layout, 'quantity', '/api/v1/quantity/{user}/{metric}');
    assert.throws(() => chunks.take(10), (err: unknown) => err instanceof ApiError && err.code === 'invalid_response' && !err.message.includes('s3cr3t'));

    // A missing comma is one odd value to the scan, and JSON.parse refuses it.
    const missingComma = Buffer.from('{"data":[1 2]}');
    const missingLayout = scanListEnvelope(missingComma);
    assert.ok(missingLayout);
    assert.throws(() => new RecordChunks(missingComma, missingLayout, 'quantity', '/q').take(5), (err: unknown) => err instanceof ApiError && err.code === 'invalid_response');

    const bad = Buffer.concat([Buffer.from('{"data":[{"source":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}]}')]);
    const badLayout = scanListEnvelope(bad);
    assert.ok(badLayout);
    assert.throws(() => new RecordChunks(bad, badLayout, 'quantity', '/q').take(1), (err: unknown) => err instanceof ApiError && err.code === 'invalid_response' && /UTF-8/.test(err.message));
  });

  test('schema drift is checked in every chunk and reported with the index on the whole page', () => {
    const data = Array.from({ length: 3000 }, (_, i) => ({ value: i === 2500 ? '72' : 72, start_date: i >= 1200 && i < 1300 ? '2024-01-01 10:00' : '2024-01-01T10:00:00Z' }));
    const taken = takeAll(Buffer.from(JSON.stringify({ data })), 1000);
    assert.ok(taken);
    assert.deepStrictEqual(taken.chunks.warnings().map(formatWarning).sort(), [
      'data[1200].start_date: expected an ISO 8601 date-time with a zone (×100)',
      'data[2500].value: expected number, got string',
    ]);
    assert.strictEqual((taken.records[2500] as { value: unknown }).value, '72', 'values are kept as sent');
  });
});
