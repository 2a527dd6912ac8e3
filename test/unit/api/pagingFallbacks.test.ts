import * as assert from 'assert';
import type { PageResult } from '../../../src/core/api/apiClient';
import type { HttpTransport } from '../../../src/core/api/httpTypes';
import { paginate, type PaginateOptions, type PaginationOutcome } from '../../../src/core/api/pagination';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/main';
import { json } from '../../support/servers/faults';
import { pagedApi, type PagedApiOptions } from '../../support/servers/pagedApi';
import { startTestServer, type TestServer } from '../../support/servers/testServer';
import { localTransport, patClient, sandboxUser, testServersPerTest } from '../support/localApi';
import { CANARY, USER } from './helpers';

const QUANTITY_PATH = `/api/v1/quantity/${USER}/heartRate`;
const QUERY = { userId: USER, metric: 'heartRate', query: { startDate: '2024-01-01', pageSize: 3 } };

/** The warnings the run attached about its `next_page` fallbacks, across all pages. */
function fallbackWarnings(pages: readonly PageResult[]): string[] {
  return pages.flatMap((p) => p.warnings.filter((w) => w.path === 'pagination.next_page').map((w) => w.message));
}

suite('paging fallbacks: unusable next_page links', () => {
  const servers = testServersPerTest({ deadlineMs: 5000 });

  async function collect(
    api: PagedApiOptions,
    options: PaginateOptions = {},
  ): Promise<{ pages: PageResult[]; numbers: number[]; outcome: PaginationOutcome }> {
    servers.server.handle(pagedApi(api).handler);
    const run = paginate(servers.client, 'quantity', QUERY, options);
    const pages: PageResult[] = [];
    for await (const page of run) pages.push(page);
    return { pages, numbers: pages.map((p) => p.pagination?.current_page ?? -1), outcome: await run.outcome };
  }

  test("has_more with next_page null goes on by page number, with the query's own parameters, and warns once", async () => {
    const { pages, numbers, outcome } = await collect({ totalPages: 4, link: () => null }, { concurrency: 2 });
    assert.deepStrictEqual(numbers, [1, 2, 3, 4]);
    assert.strictEqual(outcome.reason, 'complete', outcome.message);
    assert.strictEqual(outcome.partial, false);
    // Page 5 may be asked for ahead, as past any last page.
    const asked = servers.server.requests
      .map((r) => r.url)
      .slice(0, 4)
      .sort();
    assert.deepStrictEqual(
      asked,
      [1, 2, 3, 4].map((n) => `${QUANTITY_PATH}?startDate=2024-01-01&page=${n}&pageSize=3`),
    );
    const warnings = fallbackWarnings(pages);
    assert.strictEqual(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0] ?? '', /next_page is empty/);
  });

  test('has_more with no next_page key at all goes on the same way', async () => {
    const { pages, numbers, outcome } = await collect({
      totalPages: 3,
      link: () => null,
      rewriteBody: (_page, body) => body.replace('"next_page":null,', ''),
    });
    assert.deepStrictEqual(numbers, [1, 2, 3]);
    assert.strictEqual(outcome.reason, 'complete', outcome.message);
    assert.strictEqual(fallbackWarnings(pages).length, 1);
  });

  test('an absolute next_page on another origin gives only its page number; the foreign server receives nothing', async () => {
    const { pages, numbers, outcome } = await collect(
      {
        totalPages: 4,
        link: (page) => `${servers.foreign.origin}${QUANTITY_PATH}?page=${page + 1}&pageSize=3&startDate=1999-01-01`,
      },
      { concurrency: 3 },
    );
    assert.deepStrictEqual(numbers, [1, 2, 3, 4]);
    assert.strictEqual(outcome.reason, 'complete', outcome.message);
    assert.strictEqual(servers.foreign.requests.length, 0);
    assert.ok(
      servers.server.requests.every(
        (r) => r.url.startsWith(`${QUANTITY_PATH}?startDate=2024-01-01&`) && r.authorization === `Bearer ${CANARY}`,
      ),
      'rebuilt from our own query, on our origin',
    );
    const warnings = fallbackWarnings(pages);
    assert.strictEqual(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0] ?? '', /another origin or scheme/);
    assert.ok(!warnings[0]?.includes(String(servers.foreign.port)));
  });

  test('another scheme on the same host gives only its page number too; each kind of fallback warns once', async () => {
    const port = new URL(servers.server.origin).port;
    const { pages, numbers, outcome } = await collect({
      totalPages: 5,
      link: (page) => (page % 2 ? `https://127.0.0.1:${port}${QUANTITY_PATH}?page=${page + 1}` : null),
    });
    assert.deepStrictEqual(numbers, [1, 2, 3, 4, 5]);
    assert.strictEqual(outcome.reason, 'complete', outcome.message);
    assert.strictEqual(fallbackWarnings(pages).length, 2);
  });

  test('a foreign link without a page number goes on with the next page', async () => {
    const { numbers, outcome } = await collect({
      totalPages: 3,
      link: () => `${servers.foreign.origin}${QUANTITY_PATH}?cursor=abc`,
    });
    assert.deepStrictEqual(numbers, [1, 2, 3]);
    assert.strictEqual(outcome.reason, 'complete', outcome.message);
    assert.strictEqual(servers.foreign.requests.length, 0);
  });

  test('a foreign link back to page 1 or the same page is still a loop', async () => {
    for (const target of [() => 1, (page: number) => page]) {
      const { numbers, outcome } = await collect({
        totalPages: 10,
        link: (page) => `${servers.foreign.origin}${QUANTITY_PATH}?page=${page === 2 ? target(page) : page + 1}`,
      });
      assert.deepStrictEqual(numbers, [1, 2]);
      assert.strictEqual(outcome.error?.code, 'pagination_loop');
    }
    assert.strictEqual(servers.foreign.requests.length, 0);
  });

  test('a foreign link to another user or route, or with user info, is still refused', async () => {
    const links = [
      `${servers.foreign.origin}/api/v1/quantity/9b2f6c1e-3d4a-4b5c-8d6e-7f8091a2b3c4/heartRate?page=2`,
      `${servers.foreign.origin}/api/token?page=2`,
      `http://user:pass@127.0.0.1:${servers.foreign.port}${QUANTITY_PATH}?page=2`,
      `ftp://127.0.0.1:${servers.foreign.port}${QUANTITY_PATH}?page=2`,
    ];
    for (const link of links) {
      const { numbers, outcome } = await collect({ totalPages: 3, link: () => link });
      assert.deepStrictEqual(numbers, [1], link);
      assert.strictEqual(outcome.error?.code, 'untrusted_link', link);
    }
    assert.strictEqual(servers.foreign.requests.length, 0);
  });
});

suite("paging fallbacks against the sandbox's next_page faults", () => {
  let sandbox: SandboxHandle;
  let foreign: TestServer;
  let transport: HttpTransport;
  let user: { userId: string; pat: string };

  suiteSetup(async () => {
    sandbox = await startSandbox({ port: 0 });
    foreign = await startTestServer(json(200, { data: [] }));
    user = sandboxUser(sandbox, 'ada');
  });
  suiteTeardown(async () => {
    await foreign.close();
    await sandbox.close();
  });
  setup(() => {
    transport = localTransport(sandbox.baseUrl, { deadlineMs: 10_000 });
  });
  teardown(async () => {
    sandbox.setFaults(undefined);
    await transport.close();
  });

  async function pagesWith(fault: 'foreign' | 'missing'): Promise<{ pages: PageResult[]; outcome: PaginationOutcome }> {
    sandbox.setFaults({ nextPage: fault, foreignOrigin: foreign.origin });
    const client = patClient(transport, user.pat);
    // The fault says has_more on every page, so the page cap ends the run.
    const run = paginate(
      client,
      'quantity',
      { userId: user.userId, metric: 'heartRate', query: { pageSize: 10 } },
      { maxPages: 4, concurrency: 2 },
    );
    const pages: PageResult[] = [];
    for await (const page of run) pages.push(page);
    return { pages, outcome: await run.outcome };
  }

  for (const fault of ['foreign', 'missing'] as const) {
    test(`${fault}: the pages come in by number from the sandbox, with one warning`, async () => {
      const { pages, outcome } = await pagesWith(fault);
      assert.deepStrictEqual(
        pages.map((p) => p.pagination?.current_page),
        [1, 2, 3, 4],
      );
      assert.strictEqual(outcome.reason, 'page_cap', outcome.message);
      const starts = pages.flatMap((p) => (p.data as { start_date: string }[]).map((r) => r.start_date));
      assert.strictEqual(new Set(starts).size, 40, 'four different pages of ten');
      assert.strictEqual(fallbackWarnings(pages).length, 1);
      assert.strictEqual(foreign.requests.length, 0);
    });
  }
});
