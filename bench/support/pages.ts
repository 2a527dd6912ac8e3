/**
 * Deterministic quantity pages in the sandbox's record shape, about 0.85 MB per 10,000 records
 * (docs/performance.md, "How the benchmarks work"), built with string templates like the sandbox does.
 */

export const BENCH_USER = '5e1f0c4a-2b7d-4c8e-9a31-6f5d2e8b7a10';
export const BENCH_PATH = `/api/v1/quantity/${BENCH_USER}/heartRate`;
export const PAGE_SIZE = 10_000;
export const FIVE_YEAR_PAGES = 263;

const START = Date.UTC(2021, 0, 1);

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

/** The `data` array text of page `page` (1-based). */
export function dataText(page: number, pageSize = PAGE_SIZE): string {
  const parts: string[] = new Array(pageSize);
  const first = (page - 1) * pageSize;
  for (let i = 0; i < pageSize; i++) {
    const n = first + i;
    const t = START + n * 60_000;
    const at = iso(t);
    parts[i] =
      `{"value":${56 + ((n * 7919) % 97)},"unit":"count/min","start_date":"${at}","end_date":"${at}","source":"Apple Watch"}`;
  }
  return `[${parts.join(',')}]`;
}

export function envelopeText(page: number, totalPages: number, data: string, remaining = 9_000): string {
  const more = page < totalPages;
  const next = more ? `"${BENCH_PATH}?pageSize=${PAGE_SIZE}&page=${page + 1}"` : 'null';
  const prev = page > 1 ? `"${BENCH_PATH}?pageSize=${PAGE_SIZE}&page=${page - 1}"` : 'null';
  return (
    `{"pagination":{"current_page":${page},"has_more":${more},"next_page":${next},"prev_page":${prev}},` +
    `"limit":{"X-RateLimit-Limit":10000,"X-RateLimit-Remaining":${remaining},"X-RateLimit-Reset":${Math.floor(Date.now() / 86_400_000 + 1) * 86_400}},` +
    `"data":${data}}`
  );
}

export function pageText(page: number, totalPages = FIVE_YEAR_PAGES): string {
  return envelopeText(page, totalPages, dataText(page));
}
