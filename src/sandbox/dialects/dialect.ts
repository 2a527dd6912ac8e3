import type { RouteId } from '../../core/routes';
import type { UserDataset } from '../data/dataset';
import type { HttpError } from '../errors';
import type { DialectName } from './names';

/** How `pagination` links are written. */
export interface PagingStyle {
  /** A link that does not exist is left out instead of sent as `null`. */
  readonly omitAbsentLinks: boolean;
  /** Links carry the origin the request was addressed to instead of being relative paths. */
  readonly absoluteLinks: boolean;
  /** Whether page `page`, with more records after it, still leaves `next_page` out. */
  nextLinkDropped(page: number): boolean;
}

/** How the token routes read their parameters and word their refusals. */
export interface TokenStyle {
  /**
   * `any`: a JSON or form body, plus the non-secret parameters of the query string; `form`: only a
   * form-encoded body, in which every parameter of the route is required.
   */
  readonly reads: 'any' | 'form';
  /** The JSON body of a refusal. */
  errorBody(error: HttpError): string;
}

/**
 * One coherent variant of the API, consulted only where variants differ: pagination links, the
 * token routes, the budgets beside the daily quota, and the shape of the records.
 */
export interface SandboxDialect {
  readonly name: DialectName;
  /** One line for the CLI summary and the docs. */
  readonly summary: string;
  readonly paging: PagingStyle;
  readonly token: TokenStyle;
  /**
   * Routes that spend a daily budget of their own (requests per user per UTC day). Quantity and
   * sleep always share the daily quota; a route not named here spends nothing.
   */
  readonly routeLimits: Readonly<Partial<Record<RouteId, number>>>;
  /** A user's records as this dialect shapes them, from the standard dataset. */
  records(standard: UserDataset): UserDataset;
}
