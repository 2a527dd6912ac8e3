import * as assert from 'assert';
import { parseCellOutput, type CellOutput } from '../../../src/core/notebook/cellOutput';
import { cellOutputText } from '../../../src/core/notebook/outputText';

const OUTPUT: CellOutput = {
  route: 'workout',
  account: 'Hostile',
  status: 200,
  ranAt: '2024-01-08T00:00:00.000Z',
  records: [
    { note: 'ok', href: 'https://x.test/?access_token=sbx_at_0123456789abcdef' },
    { header: 'Bearer eyJhbGciOiJIUzI1NiJ9.abc' },
  ],
  recordCount: 2,
};

suite('Notebook cell outputs', () => {
  test('read back as written', () => {
    const clean: CellOutput = { ...OUTPUT, records: [{ value: 1 }], note: 'Complete: 1 page.' };
    assert.deepStrictEqual(parseCellOutput(cellOutputText(clean)), clean);
  });

  test('carry no credential-shaped text, even when a record holds one', () => {
    const text = cellOutputText(OUTPUT);
    assert.ok(!text.includes('sbx_at_0123456789abcdef'), text);
    assert.ok(!text.includes('eyJhbGciOiJIUzI1NiJ9'), text);
    assert.ok(parseCellOutput(text), 'still an output');
  });

  test('anything else is not an output', () => {
    for (const text of ['', 'null', '[]', '{"route":"x"}', '{"token":"x"}'])
      assert.strictEqual(parseCellOutput(text), undefined, text);
  });
});
