import * as assert from 'assert';
import {
  hostToWebview,
  isReply,
  MAX_ROWS_PER_REQUEST,
  REPLY_TYPES,
  webviewToHost,
  type HostToWebview,
} from '../../../src/shared/protocol';

const goodForm = {
  query: {
    route: 'quantity',
    metric: 'heartRate',
    params: { startDate: '2024-01-01', endDate: '2024-01-07', page: 1, pageSize: 1000 },
  },
  accountId: 'sandbox|x|u',
};

suite('shared/protocol: webview → host', () => {
  const accepted: [string, unknown][] = [
    ['ready', { type: 'ready' }],
    ['runQuery', { type: 'runQuery', requestId: 1, form: goodForm }],
    [
      'runQuery sleep flags',
      {
        type: 'runQuery',
        requestId: 2,
        form: { query: { route: 'sleep', params: { include_stages: true, sort: 'asc' } } },
      },
    ],
    ['cancel', { type: 'cancel', requestId: 3 }],
    ['getRows', { type: 'getRows', requestId: 4, resultId: 1, offset: 0, count: 250 }],
    ['find', { type: 'find', requestId: 5, resultId: 1, text: '<img', caseSensitive: false }],
    ['copyRequest', { type: 'copyRequest', format: 'curl', withToken: false }],
    ['copyText', { type: 'copyText', what: 'path', text: 'data[0].value' }],
  ];
  for (const [name, msg] of accepted) {
    test(`accepts ${name}`, () =>
      assert.ok(webviewToHost.safeParse(msg).success, JSON.stringify(webviewToHost.safeParse(msg).error?.issues)));
  }

  const rejected: [string, unknown][] = [
    ['an unknown command', { type: 'runCommand', command: 'workbench.action.terminal.new' }],
    ['a URL to fetch', { type: 'fetch', url: 'https://evil.example/' }],
    [
      'an extra url field on runQuery',
      { type: 'runQuery', requestId: 1, form: goodForm, url: 'https://evil.example/' },
    ],
    ['a token field', { type: 'runQuery', requestId: 1, form: { ...goodForm, token: 'x' } }],
    [
      'a path-traversal metric',
      { type: 'runQuery', requestId: 1, form: { query: { route: 'quantity', metric: '../../token', params: {} } } },
    ],
    ['an unknown route', { type: 'runQuery', requestId: 1, form: { query: { route: 'admin', params: {} } } }],
    [
      'pageSize above 10,000',
      { type: 'runQuery', requestId: 1, form: { query: { route: 'sleep', params: { pageSize: 10_001 } } } },
    ],
    ['page 0', { type: 'runQuery', requestId: 1, form: { query: { route: 'sleep', params: { page: 0 } } } }],
    [
      'a non-ISO date',
      { type: 'runQuery', requestId: 1, form: { query: { route: 'sleep', params: { startDate: 'yesterday' } } } },
    ],
    [
      'a day the calendar does not have',
      { type: 'runQuery', requestId: 1, form: { query: { route: 'sleep', params: { startDate: '2024-02-30' } } } },
    ],
    [
      'a day the calendar does not have, with a time',
      { type: 'runQuery', requestId: 1, form: { query: { route: 'sleep', params: { endDate: '2023-02-29T08:00Z' } } } },
    ],
    [
      'too many rows at once',
      { type: 'getRows', requestId: 1, resultId: 1, offset: 0, count: MAX_ROWS_PER_REQUEST + 1 },
    ],
    ['a negative offset', { type: 'getRows', requestId: 1, resultId: 1, offset: -1, count: 1 }],
    ['a string requestId', { type: 'cancel', requestId: '1' }],
    ['null', null],
    ['a string', 'ready'],
    ['an array', [{ type: 'ready' }]],
    ['a prototype-polluting payload', JSON.parse('{"type":"ready","__proto__":{"polluted":true}}')],
  ];
  for (const [name, msg] of rejected) {
    test(`rejects ${name}`, () => assert.strictEqual(webviewToHost.safeParse(msg).success, false));
  }
});

suite('shared/protocol: host → webview', () => {
  test('accepts a response summary and rows', () => {
    const summary = {
      resultId: 1,
      query: goodForm.query,
      url: 'http://127.0.0.1:1/api/v1/quantity/u/heartRate',
      status: 200,
      durationMs: 12,
      bytes: 100,
      envelopeJson: '{"pagination":{}}',
      dataKind: 'array',
      recordCount: 2,
      pagination: { currentPage: 1, hasMore: false, hasPrev: false },
      warnings: [{ path: 'data[0].value', message: 'expected number' }],
      receivedAt: 1,
    };
    assert.ok(hostToWebview.safeParse({ type: 'didReceiveResponse', requestId: 1, summary, restored: false }).success);
    assert.ok(
      hostToWebview.safeParse({ type: 'getRows/result', requestId: 1, resultId: 1, offset: 0, rowLines: '' }).success,
    );
  });

  test('rejects a rows payload over one megabyte', () => {
    const rowLines = `${'1\n'.repeat(500_000)}1`;
    assert.strictEqual(
      hostToWebview.safeParse({ type: 'getRows/result', requestId: 1, resultId: 1, offset: 0, rowLines }).success,
      false,
    );
  });

  test('rejects unknown notifications', () => {
    assert.strictEqual(hostToWebview.safeParse({ type: 'didReceiveToken', token: 'x' }).success, false);
  });
});

suite('shared/protocol: requests and replies', () => {
  test('every …/result is the reply of one request, and didFail is a reply too', () => {
    const replies = Object.values(REPLY_TYPES);
    assert.strictEqual(new Set(replies).size, replies.length, 'two requests share a reply type');
    for (const type of replies) assert.ok(type.endsWith('/result'), type);
    assert.strictEqual(isReply({ type: 'didFail', requestId: 3, message: 'x' }), true);
    assert.strictEqual(isReply({ type: 'getHit/result', requestId: 3, resultId: 1, hitIndex: 0, row: 4 }), true);
  });

  test('notifications are not replies, not even those of a query run', () => {
    const notifications: HostToWebview[] = [
      { type: 'didClearResult' },
      { type: 'didStartRequest', requestId: 1, url: 'http://127.0.0.1/x' },
      { type: 'didFailRequest', requestId: 1, code: 'network', message: 'x', status: null },
      { type: 'didChangeQuota', quota: null },
    ];
    for (const n of notifications) assert.strictEqual(isReply(n), false, n.type);
  });

  test('a request may leave out its requestId; a query run may not', () => {
    assert.ok(webviewToHost.safeParse({ type: 'getRaw', resultId: 1 }).success);
    assert.ok(webviewToHost.safeParse({ type: 'getRaw', requestId: 4, resultId: 1 }).success);
    assert.strictEqual(webviewToHost.safeParse({ type: 'getRaw', requestId: -1, resultId: 1 }).success, false);
    assert.strictEqual(webviewToHost.safeParse({ type: 'runQuery', form: goodForm }).success, false);
  });
});
