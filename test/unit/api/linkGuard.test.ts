import * as assert from 'assert';
import { ApiError } from '../../../src/core/api/errors';
import { resolveNextPageLink } from '../../../src/core/api/linkGuard';

const ORIGIN = 'https://api.onetwentyone.ai';
const USER = '123e4567-e89b-12d3-a456-426614174000';
const PATH = `/api/v1/quantity/${USER}/stepCount`;

function refused(link: unknown): string {
  try {
    resolveNextPageLink(link, ORIGIN, PATH);
  } catch (err) {
    assert.ok(err instanceof ApiError && err.code === 'untrusted_link', String(err));
    return err.message;
  }
  assert.fail(`accepted ${String(link)}`);
}

suite('next_page link guard', () => {
  test('accepts the documented relative form and the same link made absolute', () => {
    const relative = resolveNextPageLink(`${PATH}?startDate=2022-01-01&page=2&pageSize=50`, ORIGIN, PATH);
    assert.strictEqual(relative.url.href, `${ORIGIN}${PATH}?startDate=2022-01-01&page=2&pageSize=50`);
    assert.strictEqual(relative.page, 2);
    assert.strictEqual(resolveNextPageLink(`${ORIGIN}${PATH}?page=3`, ORIGIN, PATH).page, 3);
    assert.strictEqual(resolveNextPageLink(`https://API.OneTwentyOne.ai:443${PATH}?page=4`, ORIGIN, PATH).page, 4);
  });

  test('accepts the documented no-/v1 variant of the same route only', () => {
    const path = `/api/v1/workout/user/${USER}`;
    assert.strictEqual(resolveNextPageLink(`/api/workout/user/${USER}?page=2`, ORIGIN, path).page, 2);
    assert.throws(() => resolveNextPageLink(`/api/labs/user/${USER}?page=2`, ORIGIN, path), ApiError);
  });

  const hostile: Array<[string, unknown]> = [
    ['foreign host', `https://evil.example${PATH}?page=2`],
    ['http downgrade on the same host', `http://api.onetwentyone.ai${PATH}?page=2`],
    ['another port', `https://api.onetwentyone.ai:8443${PATH}?page=2`],
    ['user info', `https://api.onetwentyone.ai@evil.example${PATH}?page=2`],
    ['user info on the right host', `https://user:pw@api.onetwentyone.ai${PATH}?page=2`],
    ['look-alike suffix', `https://api.onetwentyone.ai.evil.example${PATH}?page=2`],
    ['punycode look-alike', `https://api.onetwentyоne.ai${PATH}?page=2`],
    ['protocol-relative', `//evil.example${PATH}?page=2`],
    ['backslash trick', `/\\evil.example${PATH}?page=2`],
    ['backslashes only', `\\\\evil.example${PATH}`],
    ['tab inside', `/api/v1/quan\ttity/${USER}/stepCount?page=2`],
    ['javascript scheme', 'javascript:alert(1)'],
    ['data scheme', 'data:text/plain,hi'],
    ['token route', '/api/token?page=2'],
    ['traversal', `${PATH}/../../../../token?page=2`],
    ['encoded traversal', `/api/v1/quantity/${USER}/%2e%2e/%2e%2e/token?page=2`],
    ['encoded slash', `/api/v1/quantity/${USER}%2fstepCount?page=2`],
    ['other user', `/api/v1/quantity/9b2f6c1e-3d4a-4b5c-8d6e-7f8091a2b3c4/stepCount?page=2`],
    ['other metric', `/api/v1/quantity/${USER}/heartRate?page=2`],
    ['fragment', `${PATH}?page=2#x`],
    ['not a string', 42],
    ['empty', ''],
    ['huge', `${PATH}?x=${'a'.repeat(5000)}`],
  ];
  for (const [name, link] of hostile) {
    test(`refuses: ${name}`, () => {
      const message = refused(link);
      assert.ok(!message.includes('evil.example'), 'the message does not echo the link');
    });
  }

  test('a page parameter that is not a positive integer is not used as a page number', () => {
    assert.strictEqual(resolveNextPageLink(`${PATH}?page=0`, ORIGIN, PATH).page, undefined);
    assert.strictEqual(resolveNextPageLink(`${PATH}?page=1e3`, ORIGIN, PATH).page, undefined);
    assert.strictEqual(resolveNextPageLink(`${PATH}?page=2&page=3`, ORIGIN, PATH).page, undefined);
  });
});
