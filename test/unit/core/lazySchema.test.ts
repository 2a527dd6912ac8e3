import * as assert from 'assert';
import * as z from 'zod/mini';
import { lazySchema } from '../../../src/core/routes/lazySchema';

suite('core: schemas built on first use (docs/performance.md, B11)', () => {
  test('nothing is built until the schema is used, then once', () => {
    let builds = 0;
    const schema = lazySchema(() => {
      builds++;
      return z.string().check(z.minLength(2));
    });
    assert.strictEqual(builds, 0);
    assert.strictEqual(schema.safeParse('ab').success, true);
    assert.strictEqual(schema.safeParse('a').success, false);
    assert.strictEqual(builds, 1);
  });

  test('inside other schemas it checks as the schema itself does, issues and paths alike', () => {
    const inner = z.pipe(
      z.string(),
      z.transform((s: string) => s.toLowerCase()),
    );
    const lazy = lazySchema(() => inner);
    const outer = (id: typeof inner) => z.strictObject({ id: z.optional(id), list: z.array(id) });
    for (const value of [{ id: 'AB', list: ['C'] }, { list: [1] }, { id: 2, list: [], extra: true }]) {
      const direct = outer(inner).safeParse(value);
      const viaLazy = outer(lazy).safeParse(value);
      assert.deepStrictEqual(viaLazy.data, direct.data);
      assert.deepStrictEqual(
        viaLazy.error?.issues.map((i) => [i.code, i.path]),
        direct.error?.issues.map((i) => [i.code, i.path]),
      );
    }
  });
});
