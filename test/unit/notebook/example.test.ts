import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseNotebook, serializeNotebook } from '../../../src/core/notebook/notebookFile';
import { parseQueryCell } from '../../../src/core/notebook/queryCell';
import { parseSettings } from '../../../src/core/notebook/settings';

const EXAMPLES = path.join(__dirname, '..', '..', '..', '..', 'examples');

suite('The example notebooks', () => {
  const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.121nb'));

  test('exist', () => assert.ok(files.length > 0));

  for (const name of files)
    test(`${name} reads without a problem, every query cell may be sent, and it saves as written`, () => {
      const text = fs.readFileSync(path.join(EXAMPLES, name), 'utf8');
      const { notebook, problems } = parseNotebook(text);
      assert.deepStrictEqual(problems, []);
      const settings = parseSettings(notebook.settings ?? '');
      assert.deepStrictEqual(settings.problems, []);
      const queries = notebook.cells.filter((c) => c.kind === 'query');
      assert.ok(queries.length > 0);
      for (const cell of queries) assert.deepStrictEqual(parseQueryCell(cell.text, settings.variables).problems, []);
      assert.strictEqual(serializeNotebook(notebook), text);
    });
});
