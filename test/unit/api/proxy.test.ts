import * as assert from 'assert';
import { matchesNoProxy, resolveProxy } from '../../../src/core/api/proxy';

suite('proxy resolution', () => {
  test('settings win over the environment; empty settings fall back to it', () => {
    assert.deepStrictEqual(
      resolveProxy('https://api.example', { proxyUrl: 'http://corp:3128' }, { HTTPS_PROXY: 'http://env:1' }),
      { kind: 'proxy', proxyUrl: 'http://corp:3128/', strictSSL: true },
    );
    assert.deepStrictEqual(resolveProxy('https://api.example', { proxyUrl: '' }, { HTTPS_PROXY: 'http://env:1' }), {
      kind: 'proxy',
      proxyUrl: 'http://env:1/',
      strictSSL: true,
    });
    assert.deepStrictEqual(resolveProxy('https://api.example', 'env', { https_proxy: 'env:2' }), {
      kind: 'proxy',
      proxyUrl: 'http://env:2/',
      strictSSL: true,
    });
    assert.deepStrictEqual(
      resolveProxy('http://127.0.0.1:9', 'env', { HTTPS_PROXY: 'http://env:1' }),
      { kind: 'direct', strictSSL: true },
      'HTTPS_PROXY is for https targets',
    );
    assert.deepStrictEqual(resolveProxy('https://api.example', undefined, {}), { kind: 'direct', strictSSL: true });
  });

  test('http.proxyStrictSSL false is carried, never assumed', () => {
    assert.strictEqual(
      resolveProxy('https://a.example', { proxyUrl: 'http://p:1', strictSSL: false }, {}).strictSSL,
      false,
    );
    assert.strictEqual(resolveProxy('https://a.example', { proxyUrl: 'http://p:1' }, {}).strictSSL, true);
  });

  test('NO_PROXY and http.noProxy forms', () => {
    const u = new URL('https://api.onetwentyone.ai');
    assert.ok(matchesNoProxy(u, ['*']));
    assert.ok(matchesNoProxy(u, ['onetwentyone.ai']));
    assert.ok(matchesNoProxy(u, ['.onetwentyone.ai']));
    assert.ok(matchesNoProxy(u, ['*.onetwentyone.ai']));
    assert.ok(matchesNoProxy(u, ['api.onetwentyone.ai:443']));
    assert.ok(!matchesNoProxy(u, ['api.onetwentyone.ai:8443']));
    assert.ok(!matchesNoProxy(u, ['twentyone.ai', 'evil.example']));
    assert.ok(matchesNoProxy(new URL('http://[::1]:8080'), ['[::1]']));
    assert.deepStrictEqual(
      resolveProxy('https://api.onetwentyone.ai', { proxyUrl: 'http://p:1', noProxy: ['.onetwentyone.ai'] }, {}),
      { kind: 'direct', strictSSL: true },
    );
    assert.deepStrictEqual(
      resolveProxy('https://api.onetwentyone.ai', 'env', {
        HTTPS_PROXY: 'http://p:1',
        NO_PROXY: 'localhost, .onetwentyone.ai',
      }),
      { kind: 'direct', strictSSL: true },
    );
  });

  test('loopback origins go direct unless proxyLoopback is set', () => {
    assert.deepStrictEqual(resolveProxy('http://127.0.0.1:4010', { proxyUrl: 'http://p:1' }, {}), {
      kind: 'direct',
      strictSSL: true,
    });
    assert.deepStrictEqual(resolveProxy('http://localhost:4010', 'env', { HTTP_PROXY: 'http://p:1' }), {
      kind: 'direct',
      strictSSL: true,
    });
    assert.deepStrictEqual(resolveProxy('http://[::1]:4010', 'env', { HTTP_PROXY: 'http://p:1' }), {
      kind: 'direct',
      strictSSL: true,
    });
    assert.strictEqual(
      resolveProxy('http://127.0.0.1:4010', { proxyUrl: 'http://p:1', proxyLoopback: true }, {}).kind,
      'proxy',
    );
  });

  test('a malformed or unsupported proxy URL is an error, not a silent direct connection', () => {
    assert.throws(() => resolveProxy('https://a.example', { proxyUrl: 'http://[bad' }, {}), /not a valid URL/);
    assert.throws(
      () => resolveProxy('https://a.example', { proxyUrl: 'socks5://p:1' }, {}),
      /Unsupported proxy scheme/,
    );
  });
});
