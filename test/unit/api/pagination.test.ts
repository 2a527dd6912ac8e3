import * as assert from 'assert';
import { peekHasMore } from '../../../src/core/api/apiClient';
import { paginate, type PaginateOptions, type PaginationOutcome } from '../../../src/core/api/pagination';
import { json } from '../../support/servers/faults';
import { pagedApi, type PagedApiOptions } from '../../support/servers/pagedApi';
import { testServersPerTest } from '../support/localApi';
import { CANARY, OTHER_USER, USER } from './helpers';

const QUANTITY_PATH = `/api/v1/quantity/${USER}/heartRate`;

suite('pagination over real HTTP', () => {
  const servers = testServersPerTest({ deadlineMs: 5000 });

  async function collect(
    api: PagedApiOptions,
    options: PaginateOptions = {},
    params = { userId: USER, metric: 'heartRate', query: { pageSize: 3 } },
  ): Promise<{ pages: number[]; outcome: PaginationOutcome; requested: number[] }> {
    const paged = pagedApi(api);
    servers.server.handle(paged.handler);
    const run = paginate(servers.client, 'quantity', params, options);
    const pages: number[] = [];
    for await (const page of run) pages.push(page.pagination?.current_page ?? -1);
    return { pages, outcome: await run.outcome, requested: paged.pagesRequested };
  }

  test('chunked pages: the outcome counts records as they are taken, also after the iteration ended', async () => {
    servers.server.handle(pagedApi({ totalPages: 4 }).handler);
    const run = paginate(
      servers.client,
      'quantity',
      { userId: USER, metric: 'heartRate', query: { pageSize: 3 } },
      { recordsInChunks: true },
    );
    const pages = [];
    for await (const page of run) pages.push(page);
    const outcome = await run.outcome;
    assert.strictEqual(outcome.reason, 'complete');
    assert.strictEqual(outcome.records, 0, 'nothing taken yet');
    let taken = 0;
    for (const page of pages) {
      assert.ok(page.records, 'each page came in chunks');
      while (!page.records.done) taken += page.records.take().length;
    }
    assert.strictEqual(taken, 12);
    assert.strictEqual(outcome.records, 12);
    assert.match(outcome.message, /4 pages, 12 records/);
  });

  test('follows next_page to the end, in order, and reports complete', async () => {
    const { pages, outcome } = await collect({ totalPages: 5 });
    assert.deepStrictEqual(pages, [1, 2, 3, 4, 5]);
    assert.strictEqual(outcome.reason, 'complete');
    assert.strictEqual(outcome.partial, false);
    assert.strictEqual(outcome.records, 15);
    assert.strictEqual(outcome.requests, 5);
  });

  test('bounded concurrency: pages by number, delivered in order, at most c−1 extra requests', async () => {
    const { pages, outcome, requested } = await collect({ totalPages: 12, latencyMs: 15 }, { concurrency: 4 });
    assert.deepStrictEqual(
      pages,
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    assert.strictEqual(outcome.reason, 'complete');
    assert.ok(requested.length <= 12 + 3, `requested ${requested.length}`);
    assert.strictEqual(new Set(requested).size, requested.length, 'no page asked twice');
  });

  test('an answered page frees its place on the network at once: a paused consumer has c + 2 pages fetched ahead, no more', async () => {
    const paged = pagedApi({ totalPages: 20, latencyMs: 5 });
    servers.server.handle(paged.handler);
    const iterator = paginate(
      servers.client,
      'quantity',
      { userId: USER, metric: 'heartRate', query: { pageSize: 3 } },
      { concurrency: 3 },
    )[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    // Page 2 is delivered and the consumer pauses: pages 3 … 2 + (3 − 1) + 2 get fetched, then it stops.
    const settledAt = Date.now();
    while (Date.now() - settledAt < 400) await new Promise((r) => setTimeout(r, 20));
    assert.deepStrictEqual(
      [...paged.pagesRequested].sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6],
    );
    await iterator.return?.(undefined);
  });

  test('a foreign next_page gives only its page number; the foreign server never receives anything', async () => {
    const { pages, outcome } = await collect(
      { totalPages: 3, link: (page) => `${servers.foreign.origin}${QUANTITY_PATH}?page=${page + 1}&pageSize=3` },
      { concurrency: 3 },
    );
    assert.deepStrictEqual(pages, [1, 2, 3]);
    assert.strictEqual(outcome.reason, 'complete');
    assert.strictEqual(outcome.partial, false);
    assert.strictEqual(servers.foreign.requests.length, 0);
    assert.ok(!outcome.message.includes(CANARY));
  });

  test('user info, //host, backslashes, other routes, traversal and other users are refused', async () => {
    const port = new URL(servers.server.origin).port;
    const links = [
      `http://x@127.0.0.1:${port}${QUANTITY_PATH}?page=2`,
      `http://127.0.0.1:${port}@127.0.0.1:${servers.foreign.port}${QUANTITY_PATH}?page=2`,
      `//127.0.0.1:${servers.foreign.port}${QUANTITY_PATH}?page=2`,
      `\\\\127.0.0.1:${servers.foreign.port}${QUANTITY_PATH}?page=2`,
      `/\\127.0.0.1:${servers.foreign.port}${QUANTITY_PATH}?page=2`,
      '/api/token?page=2',
      `${QUANTITY_PATH}/../../../token?page=2`,
      `/api/v1/quantity/${USER}/heartRate/%2e%2e/stepCount?page=2`,
      `/api/v1/quantity/${OTHER_USER}/heartRate?page=2`,
      `/api/v1/quantity/${USER}/stepCount?page=2`,
    ];
    for (const link of links) {
      const { pages, outcome } = await collect({ totalPages: 3, link: () => link });
      assert.deepStrictEqual(pages, [1], link);
      assert.strictEqual(outcome.error?.code, 'untrusted_link', `${link}: ${outcome.message}`);
    }
    assert.strictEqual(servers.foreign.requests.length, 0);
    assert.ok(
      servers.server.requests.every((r) => r.url.startsWith(`${QUANTITY_PATH}?`)),
      'only the route itself was requested',
    );
  });

  test('a cycle back to page 1 stops with an error and no further requests', async () => {
    const { pages, outcome, requested } = await collect({
      totalPages: 10,
      link: (page) => `${QUANTITY_PATH}?page=${page === 3 ? 1 : page + 1}&pageSize=3`,
    });
    assert.deepStrictEqual(pages, [1, 2, 3]);
    assert.strictEqual(outcome.error?.code, 'pagination_loop');
    assert.deepStrictEqual(requested, [1, 2, 3]);
  });

  test('a next_page that repeats the current page stops', async () => {
    const { pages, outcome } = await collect(
      { totalPages: 10, link: (page) => `${QUANTITY_PATH}?page=${page}&pageSize=3` },
      { concurrency: 3 },
    );
    assert.deepStrictEqual(pages, [1]);
    assert.strictEqual(outcome.error?.code, 'pagination_loop');
  });

  test('a link without page numbers that repeats itself stops', async () => {
    const { pages, outcome } = await collect({ totalPages: 10, link: () => `${QUANTITY_PATH}?cursor=abc` });
    // The fake server reports current_page 1 when no page number is given.
    assert.deepStrictEqual(pages, [1, 1]);
    assert.strictEqual(outcome.error?.code, 'pagination_loop');
  });

  test('has_more forever hits the page cap, labelled partial', async () => {
    const { pages, outcome, requested } = await collect(
      { totalPages: 1000, hasMore: () => true },
      { maxPages: 5, concurrency: 3 },
    );
    assert.deepStrictEqual(pages, [1, 2, 3, 4, 5]);
    assert.strictEqual(outcome.reason, 'page_cap');
    assert.strictEqual(outcome.partial, true);
    assert.strictEqual(requested.length, 5, 'no request past the cap');
    assert.match(outcome.message, /5 pages/);
  });

  test('has_more true with next_page null goes on by page number', async () => {
    const { pages, outcome } = await collect({ totalPages: 5, link: () => null });
    assert.deepStrictEqual(pages, [1, 2, 3, 4, 5]);
    assert.strictEqual(outcome.reason, 'complete');
    assert.strictEqual(outcome.partial, false);
  });

  test('record cap stops the run', async () => {
    const { pages, outcome } = await collect({ totalPages: 10 }, { maxRecords: 7 });
    assert.deepStrictEqual(pages, [1, 2, 3]);
    assert.strictEqual(outcome.reason, 'record_cap');
    assert.strictEqual(outcome.partial, true);
  });

  test('with 3 requests left today, the run stops before spending the quota', async () => {
    const { pages, outcome, requested } = await collect({ totalPages: 50, remaining: 4 }, { concurrency: 2 });
    assert.strictEqual(outcome.reason, 'quota');
    assert.strictEqual(outcome.partial, true);
    assert.ok(requested.length <= 4, `requested ${requested.length}`);
    assert.strictEqual(pages.length, requested.length);
  });

  test('the quota reserve is left unspent', async () => {
    const { requested, outcome } = await collect({ totalPages: 50, remaining: 10 }, { quotaReserve: 5 });
    assert.strictEqual(outcome.reason, 'quota');
    assert.ok(requested.length <= 6, `requested ${requested.length}`);
  });

  test('the consumer stopping early aborts the run and reports cancelled', async () => {
    const paged = pagedApi({ totalPages: 20, latencyMs: 10 });
    servers.server.handle(paged.handler);
    const run = paginate(servers.client, 'quantity', { userId: USER, metric: 'heartRate' }, { concurrency: 3 });
    let seen = 0;
    for await (const _page of run) {
      if (++seen === 2) break;
    }
    const outcome = await run.outcome;
    assert.strictEqual(outcome.reason, 'cancelled');
    assert.strictEqual(outcome.partial, true);
    assert.strictEqual(outcome.pages, 2);
    // The two delivered, and at most the window ahead of the second: c − 1 on the network plus 2 held.
    assert.ok(paged.pagesRequested.length <= 2 + (3 - 1) + 2, `requested ${paged.pagesRequested.length}`);
  });

  test('aborting the signal mid-run stops further requests', async () => {
    const paged = pagedApi({ totalPages: 20, latencyMs: 10 });
    servers.server.handle(paged.handler);
    const controller = new AbortController();
    const run = paginate(
      servers.client,
      'quantity',
      { userId: USER, metric: 'heartRate' },
      { signal: controller.signal, concurrency: 2 },
    );
    let seen = 0;
    for await (const _page of run) {
      if (++seen === 3) controller.abort();
    }
    const outcome = await run.outcome;
    assert.strictEqual(outcome.reason, 'cancelled');
    const count = paged.pagesRequested.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.strictEqual(paged.pagesRequested.length, count);
  });

  test('the documented workout link without /v1 is followed on the canonical route', async () => {
    const paged = pagedApi({
      totalPages: 2,
      link: (page) => (page < 2 ? `/api/workout/user/${USER}?type=running&page=2&pageSize=3` : null),
    });
    servers.server.handle(paged.handler);
    const run = paginate(servers.client, 'workout', { userId: USER, query: { type: 'running', pageSize: 3 } });
    let count = 0;
    for await (const _page of run) count++;
    assert.strictEqual(count, 2);
    assert.strictEqual((await run.outcome).reason, 'complete');
    assert.strictEqual(servers.server.requests[1]?.url, `/api/v1/workout/user/${USER}?type=running&page=2&pageSize=3`);
  });

  test('a non-paginated route yields one page and completes', async () => {
    servers.server.handle(
      json(200, { data: { user_id: USER, created_at: '2022-01-01T00:00:00Z', home_timezone: 'UTC', scopes: [] } }),
    );
    const run = paginate(servers.client, 'profile', { userId: USER });
    let count = 0;
    for await (const _page of run) count++;
    assert.strictEqual(count, 1);
    assert.strictEqual((await run.outcome).reason, 'complete');
  });
});

suite('peekHasMore: has_more from the head of an envelope, unparsed', () => {
  test('reads true and false where the pagination block comes first', () => {
    assert.strictEqual(
      peekHasMore(Buffer.from('{"pagination":{"current_page":1,"has_more":true,"next_page":"/x?page=2"},"data":[]}')),
      true,
    );
    assert.strictEqual(peekHasMore(Buffer.from('{"pagination":{"has_more" : false},"data":[1,2]}')), false);
  });

  test('unknown when it is missing, not a boolean, or only deep in the body', () => {
    assert.strictEqual(peekHasMore(Buffer.from('{"data":[],"pagination":null}')), undefined);
    assert.strictEqual(peekHasMore(Buffer.from('{"pagination":{"has_more":"yes"}}')), undefined);
    const deep = Buffer.from(`{"data":[${'{"value":1},'.repeat(200)}{"value":2}],"pagination":{"has_more":false}}`);
    assert.strictEqual(peekHasMore(deep), undefined, 'only the first kilobyte is read');
  });
});
