import type { LeafColumn } from './leafColumn';
import type { Clause, ComparisonOperator } from './queryParser';
import type { RecordShape } from './recordShape';
import { compareOrdered, matchesCondition } from './recordMatcher';
import { formatTime, type TimeLayout } from './timeFormats';

/**
 * Filter clauses compiled against the columns, with the same meaning as `matchesRecord` on the
 * rebuilt record. Numeric and date comparisons on columns without nulls run as compiled loops over
 * the typed arrays, several of them fused into one loop (`fuseScans`); string conditions become a
 * lookup table over the dictionary, evaluated once per distinct string.
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

/** A comparison a scan tests inline: a column without nulls against one value (`in`: the range [a, b)). */
interface NumericCondition {
  readonly data: ArrayLike<number>;
  readonly op: NumericOp;
  readonly a: number;
  readonly b: number;
}

/** Each operator's test of the value `v` (JavaScript text) against the bounds `a<k>`, `b<k>` of condition k. */
const TEST_TEXT: Record<NumericOp, (v: string, k: number) => string> = {
  gt: (v, k) => `${v} > a${k}`,
  ge: (v, k) => `${v} >= a${k}`,
  lt: (v, k) => `${v} < a${k}`,
  le: (v, k) => `${v} <= a${k}`,
  eq: (v, k) => `${v} === a${k}`,
  ne: (v, k) => `${v} !== a${k}`,
  in: (v, k) => `(${v} >= a${k} && ${v} < b${k})`,
};

/** Rows per step of the unrolled loop: the first column's values are read together, then tested. */
const UNROLL = 8;

/** The test of row `row` (text), all conditions, the first on the value `first` already read. */
function rowTest(conditions: readonly NumericCondition[], first: string, row: string): string {
  return conditions.map((c, k) => TEST_TEXT[c.op](k === 0 ? first : `d${k}[${row}]`, k)).join(' && ');
}

/** The scan's body over rows `from…to-1` (or the `input` rows), for parameters named as in `scanFactory`. */
function scanBody(conditions: readonly NumericCondition[]): string {
  const steps = Array.from({ length: UNROLL }, (_, j) => j);
  const reads = steps.map((j) => `v${j} = d0[i + ${j}]`).join(', ');
  const tests = steps.map((j) => `if (${rowTest(conditions, `v${j}`, `i + ${j}`)}) out[n++] = i + ${j};`);
  return `let n = 0;
if (input === null) {
  let i = from;
  for (const last = to - ${UNROLL}; i <= last; i += ${UNROLL}) {
    const ${reads};
    ${tests.join('\n    ')}
  }
  for (; i < to; i++) if (${rowTest(conditions, 'd0[i]', 'i')}) out[n++] = i;
} else {
  for (let k = 0; k < inputCount; k++) {
    const i = input[k];
    if (${rowTest(conditions, 'd0[i]', 'i')}) out[n++] = i;
  }
}
return n;`;
}

/** The scan of one list of columns and operators: `(from, to, input, inputCount, out, a0, b0, a1, b1, …)`. */
type ColumnScan = (...args: unknown[]) => number;
/** Makes a RowFilter from a ColumnScan and the bounds: `(scan, a0, b0, a1, b1, …)`. */
type BoundFilter = (scan: ColumnScan, ...bounds: number[]) => RowFilter;

/** Scans compiled for these very columns (the first column holds those of its result). */
const columnScans = new WeakMap<object, Map<string, ColumnScan>>();
const columnIds = new WeakMap<object, number>();
let nextColumnId = 1;
const boundFilters = new Map<number, BoundFilter>();

function columnId(data: object): number {
  let id = columnIds.get(data);
  if (id === undefined) {
    id = nextColumnId++;
    columnIds.set(data, id);
  }
  return id;
}

/**
 * The loop for these conditions, all required, written out with their operators inline: the same
 * code as a hand-written `for` loop over the typed arrays (docs/performance.md, B9), with no call or
 * `switch` per row. The code is compiled once per list of columns and operators and reused by every
 * later search of them: the columns are then constants of the compiled loop, as they are of a
 * hand-written one, where a loop handed its columns as parameters ran 1.8 × slower. The bounds
 * come in as parameters, so a new value to compare with compiles nothing. The text is built only
 * from TEST_TEXT and indexes, never from a query.
 */
function columnScan(conditions: readonly NumericCondition[]): ColumnScan {
  const first = conditions[0]?.data as object;
  const key = conditions.map((c) => `${columnId(c.data as object)}:${c.op}`).join(',');
  let scans = columnScans.get(first);
  if (!scans) {
    scans = new Map();
    columnScans.set(first, scans);
  }
  let scan = scans.get(key);
  if (!scan) {
    const columns = conditions.map((_, k) => `d${k}`);
    const bounds = conditions.flatMap((_, k) => [`a${k}`, `b${k}`]);
    const make = new Function(
      ...columns,
      `return (from, to, input, inputCount, out, ${bounds.join(', ')}) => {\n${scanBody(conditions)}\n};`,
    ) as (...columns: unknown[]) => ColumnScan;
    scan = make(...conditions.map((c) => c.data));
    scans.set(key, scan);
  }
  return scan;
}

/** Calls a ColumnScan with its bounds by name on each chunk (a call with a spread argument cost a third more per scan). */
function boundFilter(count: number): BoundFilter {
  let bind = boundFilters.get(count);
  if (!bind) {
    const bounds = Array.from({ length: count }, (_, k) => [`a${k}`, `b${k}`]).flat();
    bind = new Function(
      'scan',
      ...bounds,
      `return (from, to, input, inputCount, out) => scan(from, to, input, inputCount, out, ${bounds.join(', ')});`,
    ) as BoundFilter;
    boundFilters.set(count, bind);
  }
  return bind;
}

/** The conditions behind the filters that are a plain scan (see `fuseScans`). */
const scanConditions = new WeakMap<RowFilter, readonly NumericCondition[]>();

function scanFilter(conditions: readonly NumericCondition[]): RowFilter {
  const filter = boundFilter(conditions.length)(columnScan(conditions), ...conditions.flatMap((c) => [c.a, c.b]));
  scanConditions.set(filter, conditions);
  return filter;
}

/**
 * Merges the plain scans among `filters` (comparisons on columns without nulls) into one loop that
 * tests every condition per row, in the filters' order, where the first of them stood: one pass over
 * the rows instead of a pass and then a second over the candidates it left.
 */
export function fuseScans(filters: readonly RowFilter[]): RowFilter[] {
  const first = filters.findIndex((f) => scanConditions.has(f));
  const scans = filters.filter((f) => scanConditions.has(f));
  if (scans.length < 2) return [...filters];
  const fused = scanFilter(scans.flatMap((f) => scanConditions.get(f) ?? []));
  const rest = filters.filter((f) => !scanConditions.has(f));
  return [...rest.slice(0, first), fused, ...rest.slice(first)];
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

function numericFilter(leaf: LeafColumn, op: NumericOp, a: number, b: number, nullResult: boolean): RowFilter {
  const data = leaf.numbers.data;
  const nulls = leaf.nulls;
  if (!nulls) return scanFilter([{ data, op, a, b }]);
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
