import { throwIfAborted, yieldToEventLoop } from '../dataset/cooperative';
import { LeafColumn } from '../dataset/leafColumn';
import { type ObjectShape } from '../dataset/recordShape';
import { type ResultStore } from '../dataset/resultStore';
import {
  addStrings,
  addValue,
  emptySummary,
  formOf,
  joinForms,
  MAX_ENUM_VALUES,
  mergeSummaries,
  type StringForm,
  type TypeSummary,
} from './typeSummary';

/** Irregular records parsed between two turns of the event loop. */
const RECORDS_PER_SLICE = 2_000;

/**
 * The summary of every record in `store`. Records stored column by column are summarised from the
 * columns (their kinds, null flags and string dictionaries), without rebuilding a single record, so a
 * five-year result takes milliseconds; the irregular rest is parsed one record at a time.
 */
export async function summarizeStore(store: ResultStore, signal?: AbortSignal): Promise<TypeSummary> {
  const columnar = store.columns ? summarizeShape(store.columns.root, store.columnarRecordCount) : emptySummary();
  const irregular = emptySummary();
  const rows = store.fallbackRowIndexes;
  for (let i = 0; i < rows.length; i++) {
    if (i % RECORDS_PER_SLICE === 0 && i > 0) {
      await yieldToEventLoop();
      throwIfAborted(signal);
    }
    addValue(irregular, store.getRecord(rows.data[i] as number));
  }
  return mergeSummaries(columnar, irregular);
}

function summarizeShape(shape: ObjectShape, count: number): TypeSummary {
  const summary = emptySummary();
  if (count === 0) return summary;
  summary.count = count;
  const fields = new Map<string, TypeSummary>();
  shape.keys.forEach((key, i) => {
    const child = shape.children[i] as ObjectShape | LeafColumn;
    fields.set(key, child instanceof LeafColumn ? summarizeLeaf(child, count) : summarizeShape(child, count));
  });
  summary.objects = { count, fields, mapValues: undefined };
  return summary;
}

function summarizeLeaf(leaf: LeafColumn, count: number): TypeSummary {
  const summary = emptySummary();
  let nulls = 0;
  for (let row = 0; row < count; row++) if (leaf.isNull(row)) nulls++;
  const present = leaf.kind === 'pending' ? 0 : count - nulls;
  summary.count = count - present;
  summary.nulls = count - present;
  switch (leaf.kind) {
    case 'number': {
      const data = leaf.numbers.data;
      for (let row = 0; row < count; row++) {
        if (!Number.isSafeInteger(data[row])) {
          summary.integersOnly = false;
          break;
        }
      }
      summary.numbers = present;
      summary.count += present;
      break;
    }
    case 'boolean':
      summary.booleans = present;
      summary.count += present;
      break;
    case 'time':
      addStrings(summary, present, leaf.timeLayout?.kind === 'date' ? 'date' : 'date-time', undefined);
      break;
    case 'string': {
      let form: StringForm | undefined;
      for (const text of leaf.dictionary) form = form === undefined ? formOf(text) : joinForms(form, formOf(text));
      const distinct = leaf.dictionary.length <= MAX_ENUM_VALUES ? leaf.dictionary : undefined;
      addStrings(summary, present, form ?? 'text', distinct);
      break;
    }
    case 'pending':
      break;
  }
  return summary;
}
