/**
 * Hostile JSON for the depth tests: records nested far deeper than any recursive walk survives,
 * written as text (building them as objects and stringifying would itself overflow the stack).
 */

/** `{"k":{"k":…{"k":leaf}…}}` with `depth` objects. */
export function nestedObjectText(depth: number, key = 'k', leafJson = '"bottom"'): string {
  return `${`{${JSON.stringify(key)}:`.repeat(depth)}${leafJson}${'}'.repeat(depth)}`;
}

/** `[[…[leaf]…]]` with `depth` arrays. */
export function nestedArrayText(depth: number, leafJson = '1'): string {
  return `${'['.repeat(depth)}${leafJson}${']'.repeat(depth)}`;
}

/** A quantity record whose unknown `extra` field holds `nestedJson`. */
export function quantityRecordWith(nestedJson: string, minute = 0): string {
  const at = new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString().replace('.000', '');
  return `{"value":${60 + minute},"unit":"count/min","start_date":"${at}","end_date":"${at}","extra":${nestedJson}}`;
}

/** A page envelope around record texts, as the API sends it; `nextPage` (a path and query) means more pages. */
export function pageText(recordTexts: readonly string[], page = 1, nextPage: string | null = null): string {
  const pagination = { current_page: page, has_more: nextPage !== null, next_page: nextPage, prev_page: null };
  const limit = {
    'X-RateLimit-Limit': 10_000,
    'X-RateLimit-Remaining': 9_990,
    'X-RateLimit-Reset': Math.floor(Date.UTC(2030, 0, 1) / 1000),
  };
  return `{"pagination":${JSON.stringify(pagination)},"limit":${JSON.stringify(limit)},"data":[${recordTexts.join(',')}]}`;
}
