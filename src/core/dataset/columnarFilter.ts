import type { LeafColumn } from './leafColumn';
import type { Clause, ComparisonOperator } from './queryParser';
import type { RecordShape } from './recordShape';
import { compareOrdered, matchesCondition } from './recordMatcher';
import { formatTime, type TimeLayout } from './timeFormats';

/**
 * Filter clauses compiled against the columns, with the same meaning as `matchesRecord` on the
 * rebuilt record. Numeric and date comparisons run as tight loops over the typed arrays; string
 * conditions become a lookup table over the dictionary, evaluated once per distinct string.
 *
 * In the row loops, `!` marks element reads whose index the loop's own bounds keep in range: a
 * `?? fallback` there would cost a compare per row on the search path (docs/performance.md, B9).
 */

/** Writes the rows (from `input[0…inputCount)`, or every row of `from…to-1` when input is null) that pass into `out`; returns how many. */
export type RowFilter = (
  from: number,
  to: number,
  input: Int32Array | null,
  inputCount: number,
  out: Int32Array,
) => number;

type NumericOp = 'gt' | 'ge' | 'lt' | 'le' | 'eq' | 'ne' | 'in';

const DAY_MS = 86_400_000;

function constantFilter(pass: boolean): RowFilter {
  return (from, to, input, inputCount, out) => {
    if (!pass) return 0;
    let n = 0;
    if (input) for (let k = 0; k < inputCount; k++) out[n++] = input[k]!;
    else for (let row = from; row < to; row++) out[n++] = row;
    return n;
  };
}

function predicateFilter(test: (row: number) => boolean): RowFilter {
  return (from, to, input, inputCount, out) => {
    let n = 0;
    if (input) {
      for (let k = 0; k < inputCount; k++) {
        const row = input[k]!;
        if (test(row)) out[n++] = row;
      }
    } else {
      for (let row = from; row < to; row++) if (test(row)) out[n++] = row;
    }
    return n;
  };
}

function numericRangeScan(
  data: ArrayLike<number>,
  op: NumericOp,
  a: number,
  b: number,
  from: number,
  to: number,
  out: Int32Array,
): number {
  let n = 0;
  switch (op) {
    case 'gt':
      for (let i = from; i < to; i++) if (data[i]! > a) out[n++] = i;
      break;
    case 'ge':
      for (let i = from; i < to; i++) if (data[i]! >= a) out[n++] = i;
      break;
    case 'lt':
      for (let i = from; i < to; i++) if (data[i]! < a) out[n++] = i;
      break;
    case 'le':
      for (let i = from; i < to; i++) if (data[i]! <= a) out[n++] = i;
      break;
    case 'eq':
      for (let i = from; i < to; i++) if (data[i]! === a) out[n++] = i;
      break;
    case 'ne':
      for (let i = from; i < to; i++) if (data[i]! !== a) out[n++] = i;
      break;
    case 'in':
      for (let i = from; i < to; i++) {
        const v = data[i]!;
        if (v >= a && v < b) out[n++] = i;
      }
      break;
  }
  return n;
}

function numericTest(op: NumericOp, a: number, b: number): (v: number) => boolean {
  switch (op) {
    case 'gt':
      return (v) => v > a;
    case 'ge':
      return (v) => v >= a;
    case 'lt':
      return (v) => v < a;
    case 'le':
      return (v) => v <= a;
    case 'eq':
      return (v) => v === a;
    case 'ne':
      return (v) => v !== a;
    case 'in':
      return (v) => v >= a && v < b;
  }
}

function numericListScan(
  data: ArrayLike<number>,
  op: NumericOp,
  a: number,
  b: number,
  input: Int32Array,
  count: number,
  out: Int32Array,
): number {
  let n = 0;
  switch (op) {
    case 'gt':
      for (let k = 0; k < count; k++) {
        const i = input[k]!;
        if (data[i]! > a) out[n++] = i;
      }
      break;
    case 'ge':
      for (let k = 0; k < count; k++) {
        const i = input[k]!;
        if (data[i]! >= a) out[n++] = i;
      }
      break;
    case 'lt':
      for (let k = 0; k < count; k++) {
        const i = input[k]!;
        if (data[i]! < a) out[n++] = i;
      }
      break;
    case 'le':
      for (let k = 0; k < count; k++) {
        const i = input[k]!;
        if (data[i]! <= a) out[n++] = i;
      }
      break;
    case 'eq':
      for (let k = 0; k < count; k++) {
        const i = input[k]!;
        if (data[i]! === a) out[n++] = i;
      }
      break;
    case 'ne':
      for (let k = 0; k < count; k++) {
        const i = input[k]!;
        if (data[i]! !== a) out[n++] = i;
      }
      break;
    case 'in':
      for (let k = 0; k < count; k++) {
        const i = input[k]!;
        const v = data[i]!;
        if (v >= a && v < b) out[n++] = i;
      }
      break;
  }
  return n;
}

type RangeScan = typeof numericRangeScan;
type ListScan = typeof numericListScan;
const rangeScans = new Map<unknown, RangeScan>();
const listScans = new Map<unknown, ListScan>();

/**
 * The scan loops, one copy per typed-array kind. A loop that has seen an Int16Array column and an
 * Int32Array one reads elements polymorphically, slower than a loop over one kind
 * (docs/performance.md, B9, on 2.63 M rows: 5.8 → 5.1 ms for one clause, 9.1 → 5.7 ms for two); a copy compiled from the same source
 * per kind keeps each copy's element reads monomorphic. The scans use nothing but their
 * parameters, so their source compiles anywhere (minified or not).
 */
function scansFor(data: ArrayLike<number>): { range: RangeScan; list: ListScan } {
  const kind = (data as { constructor?: unknown }).constructor;
  let range = rangeScans.get(kind);
  let list = listScans.get(kind);
  if (!range || !list) {
    // Copies of our own functions above, never outside text.
    range = new Function(`return ${numericRangeScan.toString()}`)() as RangeScan;
    list = new Function(`return ${numericListScan.toString()}`)() as ListScan;
    rangeScans.set(kind, range);
    listScans.set(kind, list);
  }
  return { range, list };
}

function numericFilter(leaf: LeafColumn, op: NumericOp, a: number, b: number, nullResult: boolean): RowFilter {
  const data = leaf.numbers.data;
  const nulls = leaf.nulls;
  if (!nulls) {
    const scans = scansFor(data);
    return (from, to, input, inputCount, out) =>
      input ? scans.list(data, op, a, b, input, inputCount, out) : scans.range(data, op, a, b, from, to, out);
  }
  const test = numericTest(op, a, b);
  return predicateFilter((row) => (nulls[row] === 1 ? nullResult : test(data[row]!)));
}

function tableFilter(leaf: LeafColumn, table: Uint8Array, nullResult: boolean): RowFilter {
  const data = leaf.numbers.data;
  const nulls = leaf.nulls;
  if (!nulls) {
    return (from, to, input, inputCount, out) => {
      let n = 0;
      if (input) {
        for (let k = 0; k < inputCount; k++) {
          const row = input[k]!;
          if (table[data[row]!] === 1) out[n++] = row;
        }
      } else {
        for (let i = from; i < to; i++) if (table[data[i]!] === 1) out[n++] = i;
      }
      return n;
    };
  }
  return predicateFilter((row) => (nulls[row] === 1 ? nullResult : table[data[row]!] === 1));
}

const NUMERIC_OPS = new Map<ComparisonOperator, NumericOp>([
  ['>', 'gt'],
  ['>=', 'ge'],
  ['<', 'lt'],
  ['<=', 'le'],
  ['=', 'eq'],
]);

/** The scan for an ordering or equality operator; `!=` is the one left (`~` never gets here). */
function operatorToNumeric(operator: ComparisonOperator): NumericOp {
  return NUMERIC_OPS.get(operator) ?? 'ne';
}

function conditionFilter(leaf: LeafColumn, clause: Extract<Clause, { kind: 'condition' }>): RowFilter {
  const { operator, literal } = clause;
  const nullResult = matchesCondition(null, operator, literal);
  const nulls = leaf.nulls;
  const data = leaf.numbers.data;
  switch (leaf.kind) {
    case 'pending':
      return constantFilter(nullResult);
    case 'string':
    case 'boolean': {
      const table =
        leaf.kind === 'string'
          ? Uint8Array.from(leaf.dictionary, (s) => (matchesCondition(s, operator, literal) ? 1 : 0))
          : Uint8Array.of(
              matchesCondition(false, operator, literal) ? 1 : 0,
              matchesCondition(true, operator, literal) ? 1 : 0,
            );
      return tableFilter(leaf, table, nullResult);
    }
    case 'number': {
      if (literal.type === 'number')
        return numericFilter(leaf, operatorToNumeric(operator), literal.value, 0, nullResult);
      if (operator === '~')
        return predicateFilter((row) =>
          nulls?.[row] === 1 ? nullResult : matchesCondition(data[row], operator, literal),
        );
      // Booleans, null and non-contains text never depend on which number is stored.
      const nonNull = matchesCondition(0, operator, literal);
      return nulls ? predicateFilter((row) => (nulls[row] === 1 ? nullResult : nonNull)) : constantFilter(nonNull);
    }
    case 'time': {
      const layout = leaf.timeLayout as TimeLayout;
      const base = leaf.timeBase;
      const unit = leaf.timeUnit;
      const text = (row: number): string => formatTime(layout, base + data[row]! * unit);
      if (literal.type === 'string' && literal.dateMs !== undefined && operator !== '~') {
        const stored = (literal.dateMs - base) / unit;
        if (literal.dateOnly && (operator === '=' || operator === '!=')) {
          const end = (literal.dateMs + DAY_MS - base) / unit;
          if (operator === '=') return numericFilter(leaf, 'in', stored, end, nullResult);
          return predicateFilter((row) =>
            nulls?.[row] === 1 ? nullResult : !(data[row]! >= stored && data[row]! < end),
          );
        }
        return numericFilter(leaf, operatorToNumeric(operator), stored, 0, nullResult);
      }
      if (literal.type === 'string') {
        return predicateFilter((row) =>
          nulls?.[row] === 1
            ? nullResult
            : operator === '~'
              ? text(row).toLowerCase().includes(literal.value.toLowerCase())
              : compareOrdered(operator, text(row), literal.value),
        );
      }
      const nonNull = matchesCondition('', operator, literal);
      return nulls ? predicateFilter((row) => (nulls[row] === 1 ? nullResult : nonNull)) : constantFilter(nonNull);
    }
  }
}

const NUMBER_CHARS = /^[0-9.eE+-]+$/;
const TIMESTAMP_CHARS = /^[0-9tz:.+-]+$/;

/** Text search over the columns: a row passes when any of its string or number values contains the text. */
function textFilter(shape: RecordShape, text: string): RowFilter {
  const needle = text.toLowerCase();
  const tests: ((row: number) => boolean)[] = [];
  for (const leaf of shape.leaves) {
    const data = leaf.numbers.data;
    const nulls = leaf.nulls;
    const notNull = (row: number): boolean => nulls === undefined || nulls[row] === 0;
    if (leaf.kind === 'string') {
      const table = Uint8Array.from(leaf.dictionary, (s) => (s.toLowerCase().includes(needle) ? 1 : 0));
      if (table.includes(1)) tests.push((row) => table[data[row]!] === 1 && notNull(row));
    } else if (leaf.kind === 'number' && NUMBER_CHARS.test(needle)) {
      tests.push((row) => notNull(row) && String(data[row]).includes(needle));
    } else if (leaf.kind === 'time' && TIMESTAMP_CHARS.test(needle)) {
      // Printed timestamps have only upper-case letters (T, Z): compare with the upper-cased needle.
      const layout = leaf.timeLayout as TimeLayout;
      const upper = needle.toUpperCase();
      const { timeBase, timeUnit } = leaf;
      tests.push((row) => notNull(row) && formatTime(layout, timeBase + data[row]! * timeUnit).includes(upper));
    }
  }
  const [only] = tests;
  if (only === undefined) return constantFilter(false);
  if (tests.length === 1) return predicateFilter(only);
  return predicateFilter((row) => {
    for (const test of tests) if (test(row)) return true;
    return false;
  });
}

const SAMPLE_RANGES = 8;
const SAMPLE_ROWS = 512;

/**
 * Orders filters most selective first (measured on a few spread samples of the rows), so the
 * later filters only look at the few rows that are left.
 */
export function orderBySelectivity(filters: RowFilter[], rows: number): RowFilter[] {
  if (filters.length < 2 || rows < SAMPLE_RANGES * SAMPLE_ROWS * 4) return filters;
  const out = new Int32Array(SAMPLE_ROWS);
  const passedInSamples = (filter: RowFilter): number => {
    let n = 0;
    for (let r = 0; r < SAMPLE_RANGES; r++) {
      const from = Math.floor(((rows - SAMPLE_ROWS) * r) / (SAMPLE_RANGES - 1));
      n += filter(from, from + SAMPLE_ROWS, null, 0, out);
    }
    return n;
  };
  return filters
    .map((filter) => ({ filter, n: passedInSamples(filter) }))
    .sort((a, b) => a.n - b.n)
    .map((e) => e.filter);
}

/** Compiles `clauses` (all required) for the columnar rows of `shape`. */
export function compileColumnarFilters(shape: RecordShape | undefined, clauses: readonly Clause[]): RowFilter[] {
  return clauses.map((clause) => {
    if (!shape) return constantFilter(false);
    if (clause.kind === 'text') return textFilter(shape, clause.text);
    const leaf = shape.leafByPath(clause.path);
    // A path that is missing, or names a nested object, has the same value for every row.
    if (!leaf) return constantFilter(matchesCondition(undefined, clause.operator, clause.literal));
    return conditionFilter(leaf, clause);
  });
}
