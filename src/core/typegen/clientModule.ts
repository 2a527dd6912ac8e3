/**
 * "Copy as TypeScript Client": a self-contained module (Node 18+ `fetch`, zod for the records) that
 * runs one query with every page. The access token comes from an environment variable at run time,
 * never from this text; links to another origin are refused and redirects are not followed, so the
 * token goes nowhere but the configured origin; a 429 waits for its `Retry-After` (bounded), and an
 * exhausted daily quota stops with an error that says when it resets.
 */

export interface ClientModuleOptions {
  /** The API origin, e.g. `https://api.onetwentyone.ai`. */
  readonly origin: string;
  /** Path and query of the first page, as the explorer sends it (no token in it). */
  readonly firstPage: string;
  /** From generateTypesModule: imports zod, exports `<typeName>` and `<typeName>Schema`. */
  readonly typesModule: string;
  readonly typeName: string;
  /** Environment variable holding the access token. */
  readonly tokenVariable: string;
}

export const DEFAULT_TOKEN_VARIABLE = 'ONETWENTYONE_TOKEN';

export function generateClientModule(options: ClientModuleOptions): string {
  const origin = new URL(options.origin).origin;
  const name = options.typeName;
  return `${options.typesModule}
/** Where this query goes. The token is read from the environment when the client runs. */
const ORIGIN = ${JSON.stringify(origin)};
const FIRST_PAGE = ${JSON.stringify(options.firstPage)};
const TOKEN_VARIABLE = ${JSON.stringify(options.tokenVariable)};
/** A 429 is retried this many times, each after its Retry-After (at most MAX_WAIT_MS). */
const MAX_RETRIES = 5;
const MAX_WAIT_MS = 60_000;

export class OneTwentyOneError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'OneTwentyOneError';
  }
}

const PageSchema = z.object({
  data: z.unknown(),
  pagination: z
    .object({
      current_page: z.number().optional(),
      has_more: z.boolean(),
      next_page: z.string().nullable().optional(),
    })
    .optional(),
  limit: z.record(z.string(), z.unknown()).optional(),
});

function waitMs(retryAfter: string | null): number | undefined {
  if (retryAfter === null) return undefined;
  const seconds = Number(retryAfter);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
}

/** The next page's URL: a link on this origin, or page + 1 of this request when the link is missing. */
function nextPageUrl(current: URL, link: string | null | undefined, currentPage: number | undefined): URL {
  if (link) {
    const next = new URL(link, ORIGIN);
    if (next.origin !== ORIGIN) throw new OneTwentyOneError(\`next_page points to \${next.origin}, not \${ORIGIN}; stopped so the token stays there\`);
    return next;
  }
  const next = new URL(current);
  next.searchParams.set('page', String((currentPage ?? Number(current.searchParams.get('page') ?? '1')) + 1));
  return next;
}

/** Every record of the query, page after page, each checked against ${name}Schema. */
export async function* fetch${name}s(signal?: AbortSignal): AsyncGenerator<${name}> {
  const token = process.env[TOKEN_VARIABLE];
  if (!token) throw new OneTwentyOneError(\`Set \${TOKEN_VARIABLE} to an access token for \${ORIGIN}.\`);
  let url = new URL(FIRST_PAGE, ORIGIN);
  let retries = 0;
  for (;;) {
    const response = await fetch(url, {
      headers: { Authorization: \`Bearer \${token}\`, Accept: 'application/json' },
      redirect: 'manual',
      signal: signal ?? null,
    });
    if (response.status === 429) {
      const wait = waitMs(response.headers.get('retry-after'));
      if (retries >= MAX_RETRIES || wait === undefined || wait > MAX_WAIT_MS) {
        throw new OneTwentyOneError('The daily request quota is used up' + (wait === undefined ? '.' : \`; it resets in \${Math.ceil(wait / 1000)} s.\`), 429);
      }
      retries++;
      await new Promise((resolve) => setTimeout(resolve, wait));
      continue;
    }
    if (!response.ok) throw new OneTwentyOneError(\`\${url.pathname} answered \${response.status} \${response.statusText}\`, response.status);
    retries = 0;
    const page = PageSchema.parse(await response.json());
    const records: unknown[] = Array.isArray(page.data) ? page.data : [page.data];
    for (const record of records) yield ${name}Schema.parse(record);
    if (!page.pagination?.has_more) return;
    if (page.limit?.['X-RateLimit-Remaining'] === 0) {
      throw new OneTwentyOneError('The daily request quota is used up; the next page was not requested.', 429);
    }
    url = nextPageUrl(url, page.pagination.next_page, page.pagination.current_page);
  }
}

// Run directly (\`npx tsx client.ts\`): prints the records as JSON lines.
if (typeof require !== 'undefined' && require.main === module) {
  void (async () => {
    for await (const record of fetch${name}s()) console.log(JSON.stringify(record));
  })().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
`;
}
