import * as assert from 'assert';
import * as fc from 'fast-check';
import {
  MARKDOWN_SEPARATOR,
  parseNotebook,
  serializeNotebook,
  type FileCell,
  type NotebookFile,
} from '../../../src/core/notebook/notebookFile';

const textLine = fc.stringMatching(/^[^\n\r]{0,30}$/);
const lines = (min: number) => fc.array(textLine, { minLength: min, maxLength: 6 });

/** A line the file format reads as structure: never inside a Markdown cell of a valid notebook. */
function structural(line: string): boolean {
  return /^`{3,}onetwentyone(-output)?[ \t]*$/.test(line) || line === MARKDOWN_SEPARATOR;
}

const markdownCell = lines(1)
  .map((ls) => ls.join('\n').trim())
  .filter((text) => text !== '' && !text.split('\n').some(structural))
  .map((text): FileCell => ({ kind: 'markdown', text }));

const queryText = fc.oneof(
  lines(0).map((ls) => ls.join('\n')),
  fc.constantFrom('route: quantity\nmetric: stepCount', '```\nnested\n```', '````', 'startDate: {{from}}'),
);
const queryCell = (saveOutputs: boolean) =>
  fc
    .record({
      text: queryText,
      output: saveOutputs ? fc.option(queryText, { nil: undefined }) : fc.constant(undefined),
    })
    .map(({ text, output }): FileCell => ({ kind: 'query', text, ...(output !== undefined ? { output } : {}) }));

const settingsText = (saveOutputs: boolean) =>
  fc
    .record({ account: fc.option(fc.constantFrom('Ada (demo)', '{{x}}'), { nil: undefined }), comment: textLine })
    .map(({ account, comment }) =>
      [
        ...(account !== undefined ? [`account: ${account}`] : []),
        ...(saveOutputs ? ['saveOutputs: true'] : []),
        ...(comment.trim() === '---' ? [] : [`# ${comment}`]),
      ].join('\n'),
    );

/** A notebook the format can hold: saved outputs only when its settings say so. */
const validNotebook: fc.Arbitrary<NotebookFile> = fc.boolean().chain((saveOutputs) =>
  fc
    .record({
      settings: saveOutputs ? settingsText(true) : fc.option(settingsText(false), { nil: undefined }),
      cells: fc.array(fc.oneof(markdownCell, queryCell(saveOutputs)), { maxLength: 8 }),
    })
    // Without front matter, a first line "---" would open one.
    .filter(({ settings, cells }) => settings !== undefined || !cells[0]?.text.startsWith('---'))
    .map(({ settings, cells }) => ({ ...(settings !== undefined ? { settings } : {}), cells })),
);

suite('Notebook file format', () => {
  test('parse(serialize(notebook)) is the notebook, with no problems', () => {
    fc.assert(
      fc.property(validNotebook, (notebook) => {
        const text = serializeNotebook(notebook);
        const parsed = parseNotebook(text);
        assert.deepStrictEqual(parsed.notebook, notebook, text);
        assert.deepStrictEqual(parsed.problems, []);
        // And the text is stable: writing what was read gives the same file.
        assert.strictEqual(serializeNotebook(parsed.notebook), text);
      }),
      { numRuns: 300 },
    );
  });

  test('writes no outputs unless the settings say saveOutputs: true', () => {
    const cells: FileCell[] = [{ kind: 'query', text: 'route: profile', output: '{"records":[1]}' }];
    for (const settings of [undefined, '', 'saveOutputs: false', 'saveOutputs: yes']) {
      const text = serializeNotebook({ ...(settings !== undefined ? { settings } : {}), cells });
      assert.ok(!text.includes('onetwentyone-output'), `${settings}: ${text}`);
      assert.ok(!text.includes('records'), text);
    }
    const saved = serializeNotebook({ settings: 'saveOutputs: true', cells });
    assert.deepStrictEqual(parseNotebook(saved).notebook.cells, cells);
  });

  test('reads a hand-written file: front matter, Markdown, query cells, CRLF line ends', () => {
    const text = [
      '---',
      'account: Ada (demo)',
      'from: 2024-01-01',
      '---',
      '# Steps',
      '',
      'Some words.',
      '',
      '```onetwentyone',
      'route: quantity',
      'metric: stepCount',
      '```',
      'After.',
    ].join('\r\n');
    const { notebook, problems } = parseNotebook(text);
    assert.deepStrictEqual(problems, []);
    assert.strictEqual(notebook.settings, 'account: Ada (demo)\nfrom: 2024-01-01');
    assert.deepStrictEqual(notebook.cells, [
      { kind: 'markdown', text: '# Steps\n\nSome words.' },
      { kind: 'query', text: 'route: quantity\nmetric: stepCount' },
      { kind: 'markdown', text: 'After.' },
    ]);
  });

  test('never loses text of a broken file: unclosed fences and front matter, stray outputs', () => {
    const cases = [
      '---\naccount: x\n# no end\n',
      'intro\n```onetwentyone\nroute: quantity\nmetric: [oops',
      '```onetwentyone-output\n{"a":1}\n```\n',
      '```onetwentyone\nroute: profile\n```\n```onetwentyone-output\n{"a":1}',
    ];
    for (const text of cases) {
      const { notebook, problems } = parseNotebook(text);
      assert.ok(problems.length > 0, `a problem for ${JSON.stringify(text)}`);
      const kept = [
        notebook.settings ?? '',
        ...notebook.cells.flatMap((c) => [c.text, c.kind === 'query' ? (c.output ?? '') : '']),
      ].join('\n');
      for (const line of text.split('\n').filter((l) => l.trim() !== '' && !/^(```|---$)/.test(l)))
        assert.ok(kept.includes(line), `${JSON.stringify(line)} kept from ${JSON.stringify(text)}`);
    }
  });

  test('lines of a query cell that start with backticks get a longer fence', () => {
    const notebook: NotebookFile = { cells: [{ kind: 'query', text: '```onetwentyone\n````' }] };
    const text = serializeNotebook(notebook);
    assert.ok(text.startsWith('`````onetwentyone\n'), text);
    assert.deepStrictEqual(parseNotebook(text).notebook, notebook);
  });
});
