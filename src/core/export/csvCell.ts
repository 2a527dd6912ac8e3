import type { CellValue } from './flatten';

const NEEDS_WORK = /^[=+\-@\t\r]|[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV cell (RFC 4180): text with a comma, quote or line break is quoted, `null` and non-finite
 * numbers are empty. Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR at
 * the start) gets a leading `'` unless `escapeFormulas` is false (OWASP "CSV injection"); numbers
 * are never touched.
 * @see https://www.rfc-editor.org/rfc/rfc4180
 */
export function csvCell(value: CellValue, escapeFormulas = true): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = value;
  if (!NEEDS_WORK.test(text)) return text;
  if (escapeFormulas && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
