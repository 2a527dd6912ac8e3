import * as assert from 'assert';
import { environmentAfterStop, resolveDailyLimit, startedMessage } from '../../../src/vscode/sandbox/sandboxSettings';

suite('sandbox glue: settings', () => {
  test('dailyLimit: whole numbers ≥ 1 are used, anything else falls back to 10,000', () => {
    const table: [unknown, number][] = [
      [1, 1],
      [250, 250],
      [0, 10000],
      [-5, 10000],
      [2.5, 10000],
      ['500', 10000],
      [undefined, 10000],
      [null, 10000],
      [Number.NaN, 10000],
      [1e20, 10000],
    ];
    for (const [raw, expected] of table) assert.strictEqual(resolveDailyLimit(raw), expected, String(raw));
  });

  test('the start message names the URL and the quota', () => {
    assert.strictEqual(
      startedMessage('http://127.0.0.1:4010', 10000),
      'OneTwentyOne sandbox running at http://127.0.0.1:4010 (synthetic users, 10,000 requests per user per day). The explorer now uses it.',
    );
  });

  test('the start message says when onetwentyone.sandbox.url keeps the explorer on another sandbox', () => {
    assert.match(
      startedMessage('http://127.0.0.1:5', 3, ' http://127.0.0.1:4010 '),
      /keeps using http:\/\/127\.0\.0\.1:4010 from the setting onetwentyone\.sandbox\.url/,
    );
    assert.match(startedMessage('http://127.0.0.1:5', 3, ''), /now uses it/);
  });

  test('stop restores the environment only when start set it and the user did not change it since', () => {
    assert.strictEqual(environmentAfterStop('sandbox', 'production', true), 'production');
    assert.strictEqual(environmentAfterStop('sandbox', undefined, true), undefined);
    assert.strictEqual(environmentAfterStop('custom', 'production', true), 'keep');
    assert.strictEqual(environmentAfterStop('sandbox', 'production', false), 'keep');
  });
});
