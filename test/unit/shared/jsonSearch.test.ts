import * as assert from 'assert';
import { searchResponse } from '../../../src/shared/jsonSearch';

suite('shared/jsonSearch', () => {
  const envelope = { pagination: { current_page: 1 }, limit: { 'X-RateLimit-Remaining': 9 } };
  const records = [
    { date: '2024-01-01', value: 72, source: 'Watch' },
    { date: '2024-01-02', value: 180, source: 'watch <img src=x>' },
  ];

  test('finds values and keys in document order, case-insensitive by default', () => {
    const r = searchResponse(envelope, records, 'watch', { caseSensitive: false, maxHits: 10 });
    assert.deepStrictEqual(r.hits, [
      { record: 0, path: ['source'] },
      { record: 1, path: ['source'] },
    ]);
    assert.strictEqual(r.total, 2);
    const keyHit = searchResponse(envelope, records, 'current_', { caseSensitive: false, maxHits: 10 });
    assert.deepStrictEqual(keyHit.hits, [{ record: -1, path: ['pagination', 'current_page'] }]);
  });

  test('case-sensitive search and numbers as text', () => {
    assert.strictEqual(searchResponse(envelope, records, 'Watch', { caseSensitive: true, maxHits: 10 }).total, 1);
    assert.deepStrictEqual(searchResponse(envelope, records, '180', { caseSensitive: false, maxHits: 10 }).hits, [
      { record: 1, path: ['value'] },
    ]);
  });

  test('caps returned hits but keeps counting', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ v: `x${i}` }));
    const r = searchResponse({}, many, 'x', { caseSensitive: false, maxHits: 5 });
    assert.strictEqual(r.hits.length, 5);
    assert.strictEqual(r.total, 50);
    assert.ok(r.capped);
  });

  test('survives nesting 10,000 deep without recursion', () => {
    let deep: unknown = 'needle';
    for (let i = 0; i < 10_000; i++) deep = { n: deep };
    const r = searchResponse({}, [deep], 'needle', { caseSensitive: false, maxHits: 5, maxDepth: 20_000 });
    assert.strictEqual(r.total, 1);
    assert.strictEqual(r.hits[0]!.path.length, 10_000);
  });

  test('a __proto__ key is searched as data and pollutes nothing', () => {
    const rec = JSON.parse('{"__proto__":{"polluted":"yes"}}') as unknown;
    const r = searchResponse({}, [rec], 'yes', { caseSensitive: false, maxHits: 5 });
    assert.deepStrictEqual(r.hits, [{ record: 0, path: ['__proto__', 'polluted'] }]);
    assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
  });
});
