import { redactSecrets } from '../../core/api/errors';

/**
 * Bounds what a tool hands a model: strings cut short, nesting cut deep, records dropped once the
 * text would pass its size cap, and anything that looks like a credential redacted. The caps are
 * stated in the result, so the model knows what it did not get.
 */

/** Largest text (characters) of the records in one result. */
export const RESULT_CHAR_CAP = 60_000;
/** Longest string value passed on whole. */
export const STRING_CAP = 500;
/** Deepest nesting passed on whole. */
export const DEPTH_CAP = 8;

function bounded(value: unknown, depth: number): unknown {
  if (typeof value === 'string')
    return value.length > STRING_CAP ? `${value.slice(0, STRING_CAP)}…[cut: ${value.length} characters]` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= DEPTH_CAP) return `[nested deeper than ${DEPTH_CAP} levels: left out]`;
  if (Array.isArray(value)) return value.map((v) => bounded(v, depth + 1));
  // fromEntries defines own properties, so a "__proto__" key stays a key and never becomes a prototype.
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.slice(0, STRING_CAP), bounded(v, depth + 1)]));
}

export interface BoundedRecords {
  /** JSON array text of the records kept. */
  readonly json: string;
  readonly kept: number;
  readonly dropped: number;
}

const SEPARATOR = ',\n';

/** The records as JSON, whole records only, within `RESULT_CHAR_CAP`. */
export function boundedRecords(records: readonly unknown[]): BoundedRecords {
  const parts: string[] = [];
  let size = 2;
  for (const record of records) {
    const text = JSON.stringify(bounded(record, 1)) ?? 'null';
    const added = text.length + (parts.length ? SEPARATOR.length : 0);
    if (size + added > RESULT_CHAR_CAP) break;
    parts.push(text);
    size += added;
  }
  return { json: `[${parts.join(SEPARATOR)}]`, kept: parts.length, dropped: records.length - parts.length };
}

/** A single object (the profile), bounded the same way. */
export function boundedObject(value: unknown): string {
  const text = JSON.stringify(bounded(value, 1), null, 1) ?? 'null';
  return text.length > RESULT_CHAR_CAP
    ? `${text.slice(0, RESULT_CHAR_CAP)}…[cut at ${RESULT_CHAR_CAP} characters]`
    : text;
}

/** The last line of defence: nothing that looks like a token leaves in a tool result. */
export function scrubbed(text: string): string {
  return redactSecrets(text);
}
