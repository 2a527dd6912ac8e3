import * as assert from 'assert';
import { completionsAt } from '../../../src/core/notebook/completion';
import { parseQueryCell, queryCellText } from '../../../src/core/notebook/queryCell';
import { parseSettings } from '../../../src/core/notebook/settings';
import { planRequest, queryProblems } from '../../../src/core/routes/request';

const VARIABLES = { account: 'Ada (demo)', from: '2024-01-01', to: '2024-01-07' };

suite('Notebook query cells', () => {
  test('a cell with variables is the query the form would send', () => {
    const cell = parseQueryCell(
      'route: quantity\nmetric: stepCount\n# a comment\nstartDate: {{from}}\nendDate: "{{to}}"\npageSize: 100',
      VARIABLES,
    );
    assert.deepStrictEqual(cell.problems, []);
    assert.deepStrictEqual(cell.spec, {
      route: 'quantity',
      metric: 'stepCount',
      params: { startDate: '2024-01-01', endDate: '2024-01-07', pageSize: 100 },
    });
    // No account line: the notebook's {{account}}.
    assert.strictEqual(cell.account, 'Ada (demo)');
    assert.deepStrictEqual(planRequest(cell.spec).problems, []);
  });

  test('an invalid value has the query form’s message, on its own line', () => {
    const text = 'route: sleep\naccount: Bob\ninclude_stages: maybe\npageSize: 20000\nstartDate: 2024-02-30\nbogus: 1';
    const cell = parseQueryCell(text, {});
    assert.strictEqual(cell.spec, undefined);
    assert.strictEqual(cell.account, 'Bob');
    const expected = queryProblems({
      route: 'sleep',
      params: { include_stages: 'maybe', pageSize: 20000, startDate: '2024-02-30', bogus: '1' },
    });
    assert.ok(expected.length >= 4);
    const lines = new Map(text.split('\n').map((l, i) => [l.split(':')[0] ?? '', i]));
    for (const problem of expected)
      assert.ok(
        cell.problems.some((p) => p.message === problem.message && p.line === lines.get(problem.field)),
        `${problem.message} at ${problem.field}: ${JSON.stringify(cell.problems)}`,
      );
  });

  test('a missing route, a metric on the wrong route and an unset variable are told', () => {
    assert.match(parseQueryCell('metric: stepCount', {}).problems[0]?.message ?? '', /^route must be one of/);
    assert.ok(
      parseQueryCell('route: sleep\nmetric: stepCount', {}).problems.some((p) => p.message.includes('takes no metric')),
    );
    const unset = parseQueryCell('route: sleep\nstartDate: {{from}}', {});
    assert.deepStrictEqual(
      unset.problems.map((p) => [p.line, p.field]),
      [[1, 'startDate']],
    );
    assert.match(unset.problems[0]?.message ?? '', /\{\{from\}\} is not set/);
    assert.match(
      parseQueryCell('route: sleep\nstartDate: {{since}}', {}).problems[0]?.message ?? '',
      /not a notebook variable/,
    );
  });

  test('fetch: all asks for every page; another value is told', () => {
    assert.strictEqual(parseQueryCell('route: sleep\nfetch: all', {}).fetchAll, true);
    assert.strictEqual(parseQueryCell('route: sleep\nfetch: page', {}).fetchAll, false);
    assert.strictEqual(parseQueryCell('route: sleep', {}).fetchAll, false);
    const wrong = parseQueryCell('route: sleep\nfetch: everything', {});
    assert.deepStrictEqual(
      wrong.problems.map((p) => [p.line, p.message]),
      [[1, 'fetch must be page or all.']],
    );
    assert.deepStrictEqual(
      completionsAt('route: sleep\nfetch: ', 1, 7, []).map((c) => c.label),
      ['page', 'all'],
    );
  });

  test('queryCellText reads back as the same query', () => {
    const spec = { route: 'sleep' as const, params: { startDate: '2024-01-01', include_stages: true, page: 2 } };
    const cell = parseQueryCell(queryCellText(spec, 'Ada (demo)'), {});
    assert.deepStrictEqual(cell.spec, spec);
    assert.strictEqual(cell.account, 'Ada (demo)');
  });

  test('settings: variables, saveOutputs and their problems', () => {
    const ok = parseSettings('account: Ada (demo)\nfrom: 2024-01-01\nto: 2024-01-07\nsaveOutputs: true');
    assert.deepStrictEqual(ok, { variables: VARIABLES, saveOutputs: true, problems: [] });
    const bad = parseSettings('from: yesterday\nsaveOutputs: yes\ncolour: red\nnonsense');
    assert.strictEqual(bad.saveOutputs, false);
    assert.deepStrictEqual(
      bad.problems.map((p) => p.line),
      [3, 0, 1, 2],
    );
    assert.match(bad.problems[1]?.message ?? '', /^from must be an ISO 8601 date/);
  });

  test('completes keys from the route description and values from its rules', () => {
    const keys = completionsAt('route: sleep\n', 1, 0, []).map((c) => c.label);
    assert.deepStrictEqual(keys, [
      'account',
      'fetch',
      'startDate',
      'endDate',
      'include_stages',
      'include_metrics',
      'sort',
      'page',
      'pageSize',
    ]);
    assert.ok(completionsAt('route: ', 0, 7, []).some((c) => c.label === 'quantity'));
    assert.ok(completionsAt('route: quantity\nmetric: ', 1, 8, []).some((c) => c.label === 'stepCount'));
    assert.deepStrictEqual(
      completionsAt('route: sleep\nsort: ', 1, 6, []).map((c) => c.label),
      ['desc', 'asc'],
    );
    assert.deepStrictEqual(
      completionsAt('route: sleep\naccount: ', 1, 9, ['Ada (demo)']).map((c) => c.label)[0],
      'Ada (demo)',
    );
  });
});
