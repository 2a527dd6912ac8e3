import type { Clause, ComparisonOperator, Literal } from './queryParser';
import { readTimestampText } from './recordReading';

/**
 * Evaluates parsed filter clauses against one parsed record (the path for records outside the
 * columnar shape). Walks with an explicit stack, so hostile nesting cannot overflow the call stack.
 */

const DAY_MS = 86_400_000;

function hasOwn(value: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

export function valueAtPath(record: unknown, path: readonly string[]): unknown {
  let current = record;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current) || !hasOwn(current, key))
      return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function compareOrdered(operator: ComparisonOperator, a: number | string, b: number | string): boolean {
  switch (operator) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '~':
      return false;
  }
}

/** True when a date instant `ms` satisfies `operator` against a date literal (`= day` is the whole UTC day). */
function compareDate(operator: ComparisonOperator, ms: number, literalMs: number, dateOnly: boolean): boolean {
  if (dateOnly && (operator === '=' || operator === '!=')) {
    const inDay = ms >= literalMs && ms < literalMs + DAY_MS;
    return operator === '=' ? inDay : !inDay;
  }
  return compareOrdered(operator, ms, literalMs);
}

export function matchesCondition(value: unknown, operator: ComparisonOperator, literal: Literal): boolean {
  switch (literal.type) {
    case 'null':
      return operator === '=' ? value === null : value !== null;
    case 'boolean':
      return operator === '=' ? value === literal.value : value !== literal.value;
    case 'number':
      if (typeof value !== 'number') return operator === '!=';
      return compareOrdered(operator, value, literal.value);
    case 'string': {
      if (operator === '~') {
        const needle = literal.value.toLowerCase();
        return (typeof value === 'string' || typeof value === 'number') && String(value).toLowerCase().includes(needle);
      }
      if (typeof value !== 'string') return operator === '!=';
      if (literal.dateMs !== undefined) {
        // Against a date, only dates compare, read as the chart and hypnogram read them (a time
        // without a zone is UTC, `+00` is understood); any other text is simply "not equal".
        const ms = readTimestampText(value);
        return ms !== undefined
          ? compareDate(operator, ms, literal.dateMs, literal.dateOnly === true)
          : operator === '!=';
      }
      return compareOrdered(operator, value, literal.value);
    }
  }
}

/** True when any string or number anywhere in `record` contains `lowerText` (already lower-cased). */
function containsText(record: unknown, lowerText: string): boolean {
  const stack: unknown[] = [record];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (value.toLowerCase().includes(lowerText)) return true;
    } else if (typeof value === 'number') {
      if (String(value).includes(lowerText)) return true;
    } else if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (typeof value === 'object' && value !== null) {
      for (const key in value) if (hasOwn(value, key)) stack.push((value as Record<string, unknown>)[key]);
    }
  }
  return false;
}

export function matchesRecord(record: unknown, clauses: readonly Clause[]): boolean {
  for (const clause of clauses) {
    const ok =
      clause.kind === 'text'
        ? containsText(record, clause.text.toLowerCase())
        : matchesCondition(valueAtPath(record, clause.path), clause.operator, clause.literal);
    if (!ok) return false;
  }
  return true;
}
