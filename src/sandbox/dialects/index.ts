import type { SandboxDialect } from './dialect';
import { EXPORT } from './export';
import { FORM_ONLY } from './formOnly';
import { LEAN_PAGING } from './leanPaging';
import type { DialectName } from './names';
import { PER_ROUTE_LIMITS } from './perRouteLimits';
import { STANDARD } from './standard';

export type { PagingStyle, SandboxDialect, TokenStyle } from './dialect';
export { DEFAULT_DIALECT, DIALECT_NAMES, isDialectName, type DialectName } from './names';

const DIALECTS: Readonly<Record<DialectName, SandboxDialect>> = {
  standard: STANDARD,
  export: EXPORT,
  'form-only': FORM_ONLY,
  'lean-paging': LEAN_PAGING,
  'per-route-limits': PER_ROUTE_LIMITS,
};

export function dialectByName(name: DialectName): SandboxDialect {
  return DIALECTS[name];
}
