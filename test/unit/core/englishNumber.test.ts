import * as assert from 'assert';
import * as fc from 'fast-check';
import { ENGLISH } from '../../../src/core/localizable';

suite('core: English numbers in messages', () => {
  test("read as toLocaleString('en-US') reads them: whole numbers of every size and sign, and fractions", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer(),
          fc.maxSafeInteger(),
          fc.maxSafeInteger().map((n) => -n),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
        ),
        (value) => assert.strictEqual(ENGLISH.number(value), value.toLocaleString('en-US')),
      ),
      { numRuns: 2_000 },
    );
    assert.strictEqual(ENGLISH.number(10_000), '10,000');
    assert.strictEqual(ENGLISH.number(-1_234_567), '-1,234,567');
  });
});
