import * as assert from 'assert';
import type { Environment } from '../../../src/core/environment';
import type { Account } from '../../../src/vscode/auth/accountsContract';
import { chooseAccount, accountHandles } from '../../../src/vscode/lm/accountRefs';
import { ConsentLedger } from '../../../src/vscode/lm/consent';
import { boundedObject, boundedRecords, RESULT_CHAR_CAP } from '../../../src/vscode/lm/resultText';
import { SummaryAccumulator } from '../../../src/vscode/lm/summaryBuckets';
import { checkQueryInput, checkSummaryInput } from '../../../src/vscode/lm/toolInputs';

const sandboxEnv: Environment = { kind: 'sandbox', origin: 'http://127.0.0.1:4000' };
const productionEnv: Environment = { kind: 'production', origin: 'https://api.onetwentyone.ai' };

function account(id: string, label: string, environment: Environment = sandboxEnv): Account {
  return {
    id,
    userId: '123e4567-e89b-12d3-a456-426614174000',
    kind: 'pat',
    label,
    environment,
    scopes: [],
    scopesSeen: [],
    status: 'valid',
  };
}

/** The id of the account a call would use, or its refusal. */
function chosen(...args: Parameters<typeof chooseAccount>): string {
  const choice = chooseAccount(...args);
  return 'account' in choice ? choice.account.id : choice.problem;
}

suite('language-model tools: inputs, accounts, consent, caps and buckets', () => {
  test('a query input is checked by its route’s schema, and pageSize by the record cap', () => {
    const ok = checkQueryInput({ route: 'quantity', metric: 'stepCount', startDate: '2024-01-01', pageSize: 100 });
    assert.ok('ok' in ok, JSON.stringify(ok));
    assert.deepStrictEqual(ok.ok.query, {
      route: 'quantity',
      metric: 'stepCount',
      params: { startDate: '2024-01-01', pageSize: 100 },
    });
    const refused = checkQueryInput({ route: 'sleep', metric: 'stepCount', pageSize: 101, page: 0, extra: 1 });
    assert.ok('problems' in refused);
    const text = refused.problems.join('\n');
    for (const name of ['metric', 'pageSize', 'page', 'extra']) assert.match(text, new RegExp(`Parameter "${name}"`));
    assert.ok('problems' in checkQueryInput('quantity'));
    assert.ok('problems' in checkQueryInput({ route: 'nope' }));
  });

  test('a summary needs a metric and both dates, and a bucket that keeps within 400 buckets', () => {
    assert.ok('ok' in checkSummaryInput({ metric: 'stepCount', startDate: '2024-01-01', endDate: '2024-12-31' }));
    const days = checkSummaryInput({
      metric: 'stepCount',
      startDate: '2023-01-01',
      endDate: '2024-12-31',
      bucket: 'day',
    });
    assert.ok('problems' in days && /"bucket"/.test(days.problems.join()));
    const missing = checkSummaryInput({ metric: 'stepCount' });
    assert.ok(
      'problems' in missing && /"startDate"/.test(missing.problems.join()) && /"endDate"/.test(missing.problems.join()),
    );
    const budget = checkSummaryInput({
      metric: 'stepCount',
      startDate: '2024-01-01',
      endDate: '2024-01-02',
      maxRequests: 0,
    });
    assert.ok('problems' in budget && /"maxRequests"/.test(budget.problems.join()));
  });

  test('accounts are named by label, made unique by environment, and never by ID', () => {
    const a = account('sandbox|a', 'Ada');
    const b = account('production|b', 'Ada', productionEnv);
    const c = account('sandbox|c', 'Grace');
    assert.deepStrictEqual([...accountHandles([a, b, c]).keys()].sort(), [
      'Ada (production)',
      'Ada (sandbox)',
      'Grace',
    ]);
    assert.strictEqual(chosen('grace', [a, b, c], undefined), 'sandbox|c');
    assert.strictEqual(chosen('ada (production)', [a, b, c], undefined), 'production|b');
    const ambiguous = chooseAccount('Ada', [a, b, c], undefined);
    assert.ok('problem' in ambiguous && ambiguous.problem.includes('"Ada (sandbox)"'));
    assert.strictEqual(chosen(undefined, [a, b, c], c), 'sandbox|c');
    assert.ok('problem' in chooseAccount(undefined, [a, b], undefined));
    assert.ok('problem' in chooseAccount(undefined, [], undefined));
    // Two sandboxes, one label each: the server tells them apart.
    const other = account('sandbox2|a', 'Ada', { kind: 'sandbox', origin: 'http://127.0.0.1:5000' });
    assert.deepStrictEqual([...accountHandles([a, other]).keys()].sort(), [
      'Ada (http://127.0.0.1:4000)',
      'Ada (http://127.0.0.1:5000)',
    ]);
  });

  test('a plan runs only once per offer, and only within the offer’s life', () => {
    let now = 0;
    const ledger = new ConsentLedger(() => now);
    assert.strictEqual(ledger.take('plan'), undefined);
    ledger.offer('plan', 'asked');
    assert.strictEqual(ledger.take('other'), undefined);
    assert.strictEqual(ledger.take('plan'), 'asked');
    assert.strictEqual(ledger.take('plan'), undefined);
    ledger.offer('plan', 'asked again');
    now += 31 * 60_000;
    assert.strictEqual(ledger.take('plan'), undefined);
  });

  test('records are cut to whole records within the size cap, long strings and deep nesting cut', () => {
    const big = Array.from({ length: 500 }, (_, i) => ({ i, text: 'x'.repeat(400) }));
    const bounded = boundedRecords(big);
    assert.ok(bounded.json.length <= RESULT_CHAR_CAP);
    assert.strictEqual(bounded.kept + bounded.dropped, 500);
    assert.ok(bounded.dropped > 0);
    assert.strictEqual((JSON.parse(bounded.json) as unknown[]).length, bounded.kept);
    let nested: unknown = 'bottom';
    for (let i = 0; i < 50; i++) nested = { nested };
    const text = boundedObject({ bio: 'y'.repeat(10_000), nested, ['__proto__']: { polluted: true } });
    assert.match(text, /\[cut: 10000 characters\]/);
    assert.match(text, /nested deeper than 8 levels/);
    assert.match(text, /"__proto__"/);
    assert.strictEqual(({} as { polluted?: boolean }).polluted, undefined);
  });

  test('weekly buckets start on Monday (UTC) and hold count, sum, min, max and mean', () => {
    const acc = new SummaryAccumulator('week', Date.parse('2024-01-01T00:00:00Z'));
    for (const [date, value] of [
      ['2024-01-01T10:00:00Z', 2],
      ['2024-01-07T23:59:00Z', 4],
      ['2024-01-08T00:00:00Z', 10],
    ] as const)
      acc.addRecord({ value, start_date: date });
    acc.addRecord({ value: 'NaN', start_date: '2024-01-02T00:00:00Z' });
    assert.deepStrictEqual(acc.buckets(), [
      { start: '2024-01-01', count: 2, sum: 6, min: 2, max: 4, mean: 3 },
      { start: '2024-01-08', count: 1, sum: 10, min: 10, max: 10, mean: 10 },
    ]);
    assert.deepStrictEqual([acc.records, acc.skipped], [4, 1]);
  });
});
