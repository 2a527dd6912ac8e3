import type { SandboxDialect } from './dialect';
import { STANDARD } from './standard';

/** Every third page says `has_more: true` but carries no `next_page`. */
const DROPPED_EVERY = 3;

/**
 * Pagination as the pagination page's text describes it rather than as its examples show it: a
 * link that does not exist is left out, links are absolute URLs, and some pages say there is more
 * without linking to it.
 */
export const LEAN_PAGING: SandboxDialect = {
  ...STANDARD,
  name: 'lean-paging',
  summary: 'pagination links omitted when absent, absolute when present, and missing on every third page',
  paging: {
    omitAbsentLinks: true,
    absoluteLinks: true,
    nextLinkDropped: (page) => page % DROPPED_EVERY === 0,
  },
};
