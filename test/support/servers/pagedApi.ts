import type { IncomingMessage, ServerResponse } from 'http';
import type { TestHandler } from './testServer';

/**
 * A paginated list route with switches for crafted `next_page` links and a daily budget (see
 * docs/reliability.md, "Responses and paging" and "Rate limits and quota"). Records are tiny; tests
 * care about the links.
 */
export interface PagedApiOptions {
  readonly totalPages: number;
  readonly pageSize?: number;
  /** The `next_page` value of `page` (default: the same path with `page=page+1`); null ends the chain. */
  readonly link?: (page: number, req: IncomingMessage) => string | null | undefined;
  /** `has_more` of `page` (default: page < totalPages). */
  readonly hasMore?: (page: number) => unknown;
  /** Daily requests left before the first one; decremented per request. Absent: no limit object. */
  readonly remaining?: number;
  readonly latencyMs?: number;
  /** Rewrites the body of `page` before it is sent (to break it). */
  readonly rewriteBody?: (page: number, body: string) => string;
}

export interface PagedApi {
  readonly handler: TestHandler;
  /** Page numbers requested, in arrival order. */
  readonly pagesRequested: number[];
}

export function pagedApi(options: PagedApiOptions): PagedApi {
  const pagesRequested: number[] = [];
  let remaining = options.remaining;
  const pageSize = options.pageSize ?? 3;
  const handler: TestHandler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const page = Number(url.searchParams.get('page') ?? '1');
    pagesRequested.push(page);
    if (remaining !== undefined) remaining = Math.max(0, remaining - 1);
    const hasMore = options.hasMore ? options.hasMore(page) : page < options.totalPages;
    const defaultNext = (): string => {
      const next = new URL(url.href);
      next.searchParams.set('page', String(page + 1));
      return `${next.pathname}${next.search}`;
    };
    const next = options.link ? options.link(page, req) : hasMore ? defaultNext() : null;
    const data =
      page <= options.totalPages
        ? Array.from({ length: pageSize }, (_, i) => ({
            value: page * 1000 + i,
            unit: 'count',
            start_date: '2024-01-01T00:00:00Z',
          }))
        : [];
    const json = JSON.stringify({
      pagination: { current_page: page, has_more: hasMore, next_page: next ?? null, prev_page: null },
      ...(remaining !== undefined
        ? {
            limit: {
              'X-RateLimit-Limit': 10000,
              'X-RateLimit-Remaining': remaining,
              'X-RateLimit-Reset': Math.floor(Date.now() / 1000) + 3600,
            },
          }
        : {}),
      data,
    });
    const body = options.rewriteBody ? options.rewriteBody(page, json) : json;
    const send = (): void => {
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    };
    if (options.latencyMs) setTimeout(send, options.latencyMs);
    else send();
  };
  return { handler, pagesRequested };
}
