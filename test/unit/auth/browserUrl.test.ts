import * as assert from 'assert';
import { avoidWebPortMapping } from '../../../src/vscode/auth/browserUrl';

suite('auth: authorize URL opened from browser-based VS Code', () => {
  test('a loopback origin with a port is spelled LOCALHOST, path and query unchanged', () => {
    const url =
      'http://127.0.0.1:4010/authorize?response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A5%2Fcallback&state=abc';
    const opened = avoidWebPortMapping(url);
    assert.strictEqual(
      opened,
      'http://LOCALHOST:4010/authorize?response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A5%2Fcallback&state=abc',
    );
    // What the browser then requests: the same address and query.
    const normalised = new URL(opened);
    assert.strictEqual(normalised.host, 'localhost:4010');
    assert.strictEqual(normalised.search, new URL(url).search);
    assert.strictEqual(
      avoidWebPortMapping('http://localhost:4010/authorize?x=1'),
      'http://LOCALHOST:4010/authorize?x=1',
    );
  });

  test('other origins are left alone', () => {
    for (const url of [
      'https://api.onetwentyone.ai/authorize?state=1',
      'http://127.0.0.1/authorize',
      'https://staging.example.com:8443/authorize?a=b',
    ]) {
      assert.strictEqual(avoidWebPortMapping(url), url);
    }
  });
});
