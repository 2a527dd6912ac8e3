import * as assert from 'assert';
import type { CallbackOutcome } from '../../../src/core/auth/authorizationFlows';
import { LoopbackServer } from '../../../src/vscode/auth/loopbackServer';

suite('auth: loopback redirect server (RFC 8252, section 7.3)', () => {
  let server: LoopbackServer;
  let outcome: CallbackOutcome = 'completed';
  const received: URLSearchParams[] = [];

  suiteSetup(async () => {
    server = await LoopbackServer.start((params) => {
      received.push(params);
      return outcome;
    });
  });
  suiteTeardown(() => server.close());

  test('listens on 127.0.0.1 with a /callback redirect URI on its own port', () => {
    assert.match(server.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    assert.ok(server.port > 0);
  });

  for (const [result, status, text] of [
    ['completed', 200, 'You can close this tab'],
    ['failed', 200, 'Return to VS Code'],
    ['ignored', 400, 'does not match'],
  ] as const) {
    test(`a ${result} callback answers ${status} with fixed text and echoes nothing`, async () => {
      outcome = result;
      const response = await fetch(`${server.redirectUri}?code=<script>CODE123</script>&state=S&user_id=U`);
      const body = await response.text();
      assert.strictEqual(response.status, status);
      assert.ok(body.includes(text));
      assert.ok(!body.includes('CODE123') && !body.includes('<script>'));
      assert.strictEqual(response.headers.get('cache-control'), 'no-store');
      assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
      assert.strictEqual(received.at(-1)?.get('code'), '<script>CODE123</script>');
    });
  }

  test('other paths are 404 and never reach the sign-in', async () => {
    const before = received.length;
    const response = await fetch(`http://127.0.0.1:${server.port}/other?code=x&state=y`);
    await response.arrayBuffer();
    assert.strictEqual(response.status, 404);
    assert.strictEqual(received.length, before);
  });
});
