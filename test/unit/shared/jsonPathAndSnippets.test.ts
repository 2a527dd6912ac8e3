import * as assert from 'assert';
import { execFileSync } from 'child_process';
import fc from 'fast-check';
import { formatJsonPath, parseJsonPath, pathKey } from '../../../src/shared/jsonPath';
import { toCurl, toFetch } from '../../../src/shared/requestSnippets';

suite('shared/jsonPath', () => {
  test('formats paths the way schema warnings name them', () => {
    assert.strictEqual(formatJsonPath(['data', 3, 'value']), 'data[3].value');
    assert.strictEqual(formatJsonPath(['limit', 'X-RateLimit-Remaining']), 'limit["X-RateLimit-Remaining"]');
    assert.strictEqual(formatJsonPath([]), '$');
  });

  test('a first key of exactly $ is not mistaken for the root', () => {
    assert.strictEqual(formatJsonPath(['$']), '["$"]');
    assert.deepStrictEqual(parseJsonPath(formatJsonPath(['$'])), ['$']);
    assert.deepStrictEqual(parseJsonPath(formatJsonPath(['$', 'a'])), ['$', 'a']);
  });

  test('parse inverts format for any segments', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.nat())), (segments) => {
        assert.deepStrictEqual(parseJsonPath(formatJsonPath(segments)), segments);
      }),
      { numRuns: 500 },
    );
  });

  test('path keys are distinct for distinct paths', () => {
    assert.notStrictEqual(pathKey(['a/b']), pathKey(['a', 'b']));
    assert.notStrictEqual(pathKey(['~1']), pathKey(['/']));
  });
});

suite('shared/requestSnippets', () => {
  const url = 'http://127.0.0.1:4010/api/v1/quantity/u/heartRate?startDate=2024-01-01&page=1';

  test('curl without a token reads it from the environment', () => {
    const curl = toCurl(url);
    assert.ok(curl.includes('$ONETWENTYONE_TOKEN'));
    assert.ok(!/Bearer [A-Za-z0-9]/.test(curl));
  });

  test('curl quotes hostile text so the shell sees it as one word', () => {
    const token = `a'b"c$(touch /tmp/pwned)`;
    const curl = toCurl(url, token);
    // Ask a real shell for the words it would pass to curl.
    const words = execFileSync('bash', [
      '-c',
      `set -- ${curl.replace(/^curl /, '').replace(/\\\n/g, ' ')}; printf '%s\\0' "$@"`,
    ])
      .toString()
      .split('\0');
    assert.ok(words.includes(`Authorization: Bearer ${token}`), JSON.stringify(words));
    assert.ok(words.includes(url));
  });

  test('fetch without a token reads process.env, with a token embeds it as a string literal', () => {
    assert.ok(toFetch(url).includes('process.env.ONETWENTYONE_TOKEN'));
    const withToken = toFetch(url, 'tok"\n`${x}');
    assert.ok(withToken.includes(JSON.stringify('Bearer tok"\n`${x}')));
  });
});
