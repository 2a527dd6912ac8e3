import { z } from 'zod';

/**
 * Field shapes of records: what the explorer expects (read from the record schemas of
 * src/core/api/schemas.ts) and what a response held. Only key names and JSON types leave this
 * module, never a value; a key that looks like data itself (an id, a date, a number, an address)
 * is written `{key}`.
 */

export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

/** A string the schema gives a form: date-times with an offset, UUIDs. */
export type StringFormat = 'date-time' | 'uuid';

export interface ExpectedField {
  readonly types: ReadonlySet<JsonType>;
  readonly required: boolean;
  readonly format?: StringFormat | undefined;
}

/** Path (`stages[].stage`, `metrics.{key}`) to what is expected there. */
export type ExpectedShape = ReadonlyMap<string, ExpectedField>;

/** Path to the types seen there; a string of an expected format is `string` or `string (not <format>)`. */
export type SeenShape = ReadonlyMap<string, ReadonlySet<string>>;

interface ZodDef {
  readonly type: string;
  readonly format?: string;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly in?: z.ZodType;
}

const defOf = (schema: z.ZodType): ZodDef => (schema as unknown as { _zod: { def: ZodDef } })._zod.def;

const FORMATS: Readonly<Record<string, StringFormat>> = { datetime: 'date-time', guid: 'uuid', uuid: 'uuid' };

export function expectedShape(schema: z.ZodType): ExpectedShape {
  const out = new Map<string, { types: Set<JsonType>; required: boolean; format?: StringFormat | undefined }>();
  const add = (path: string, type: JsonType, required: boolean, format?: StringFormat): void => {
    const entry = out.get(path) ?? { types: new Set<JsonType>(), required };
    entry.types.add(type);
    entry.required &&= required;
    if (format) entry.format = format;
    out.set(path, entry);
  };
  const walk = (s: z.ZodType, path: string, required: boolean): void => {
    const def = defOf(s);
    switch (def.type) {
      case 'optional':
        if (def.innerType) walk(def.innerType, path, false);
        return;
      case 'nullable':
        add(path, 'null', required);
        if (def.innerType) walk(def.innerType, path, required);
        return;
      case 'pipe':
        if (def.in) walk(def.in, path, required);
        return;
      case 'union':
        for (const option of def.options ?? []) walk(option, path, required);
        return;
      case 'string':
        add(path, 'string', required, def.format ? FORMATS[def.format] : undefined);
        return;
      case 'number':
      case 'int':
        add(path, 'number', required);
        return;
      case 'boolean':
        add(path, 'boolean', required);
        return;
      case 'array':
        add(path, 'array', required);
        if (def.element) walk(def.element, `${path}[]`, true);
        return;
      case 'record':
        add(path, 'object', required);
        if (def.valueType) walk(def.valueType, `${path}.{key}`, false);
        return;
      case 'object':
        if (path) add(path, 'object', required);
        for (const [key, child] of Object.entries(def.shape ?? {})) walk(child, path ? `${path}.${key}` : key, true);
        return;
      default:
        // Anything else (refinements, literals) is not a shape the report compares.
        return;
    }
  };
  walk(schema, '', true);
  return out;
}

const dateTimeWithOffset = z.iso.datetime({ offset: true });
const uuid = z.guid();

/** Whether a key could be a value (an id, a date, a number, an e-mail address) rather than a field name. */
function looksLikeData(key: string): boolean {
  return (
    key.length > 48 ||
    /^\d/.test(key) ||
    /@/.test(key) ||
    /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(key) ||
    !/^[A-Za-z_][A-Za-z0-9_ -]*$/.test(key)
  );
}

function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' ? type : 'object';
}

/** The shapes of `records` (each a JSON value), labelled against `expected` where it names a format. */
export function seenShape(records: readonly unknown[], expected: ExpectedShape): SeenShape {
  const out = new Map<string, Set<string>>();
  const note = (path: string, label: string): void => {
    const labels = out.get(path) ?? new Set<string>();
    labels.add(label);
    out.set(path, labels);
  };
  const walk = (value: unknown, path: string, depth: number): void => {
    const type = jsonTypeOf(value);
    if (path) {
      const format = expected.get(path)?.format;
      const formOk =
        type !== 'string' || !format || (format === 'date-time' ? dateTimeWithOffset : uuid).safeParse(value).success;
      note(path, formOk ? type : `string (not ${format})`);
    }
    if (depth > 6) return;
    if (type === 'array') {
      for (const item of value as unknown[]) walk(item, `${path}[]`, depth + 1);
    } else if (type === 'object') {
      const dynamic = expected.has(`${path}.{key}`);
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        const name = dynamic || looksLikeData(key) ? '{key}' : key;
        walk(child, path ? `${path}.${name}` : name, depth + 1);
      }
    }
  };
  for (const record of records) walk(record, '', 0);
  return out;
}

export type FieldStatus = 'as expected' | 'differs' | 'missing' | 'not sent' | 'not expected';

export interface FieldRow {
  readonly path: string;
  readonly expected: string;
  readonly seen: string;
  readonly status: FieldStatus;
}

function describeExpected(field: ExpectedField): string {
  return [...field.types].map((t) => (t === 'string' && field.format ? `string (${field.format})` : t)).join(' or ');
}

/** One row per field expected or seen; `missing` only for a required field no record held. */
export function compareShapes(expected: ExpectedShape, seen: SeenShape, recordCount: number): FieldRow[] {
  const paths = [...new Set([...expected.keys(), ...seen.keys()])].sort();
  return paths.map((path): FieldRow => {
    const want = expected.get(path);
    const got = seen.get(path);
    const seenText = got ? [...got].join(' or ') : '—';
    if (!want) return { path, expected: '—', seen: seenText, status: 'not expected' };
    if (!got) {
      // A field inside an object or list is missing only where that object or list was sent (not null).
      const parentSeen =
        !path.includes('.') && !path.includes('[]')
          ? recordCount > 0
          : (seen.get(parentOf(path))?.has(path.endsWith('[]') ? 'array' : 'object') ?? false);
      return {
        path,
        expected: describeExpected(want),
        seen: seenText,
        status: want.required && parentSeen ? 'missing' : 'not sent',
      };
    }
    const fits = [...got].every((label) => want.types.has(label as JsonType));
    return { path, expected: describeExpected(want), seen: seenText, status: fits ? 'as expected' : 'differs' };
  });
}

function parentOf(path: string): string {
  return path.replace(/(\[\]|\.[^.[\]]+)$/, '');
}
