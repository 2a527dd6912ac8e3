/**
 * The sandbox's dialects by name: `standard` (the default, every choice in docs/sandbox.md) and one
 * name per variant the API's documentation also allows (docs/sandbox.md, "Dialects"). Kept free of
 * imports so the extension's settings can offer the names without loading the sandbox.
 */
export const DIALECT_NAMES = ['standard', 'export', 'form-only', 'lean-paging', 'per-route-limits'] as const;

export type DialectName = (typeof DIALECT_NAMES)[number];

export const DEFAULT_DIALECT: DialectName = 'standard';

export function isDialectName(value: unknown): value is DialectName {
  return typeof value === 'string' && (DIALECT_NAMES as readonly string[]).includes(value);
}
