import {
  DATE_PATTERN,
  DATE_TIME_PATTERN,
  NUMERIC_PATTERN,
  type StringForm,
  type StringSummary,
  type TypeSummary,
} from './typeSummary';

/**
 * Turns a TypeSummary into TypeScript and zod source. Both printers walk the same TypeNode tree, so
 * the type and the schema always say the same thing. Nothing from the records is printed but keys
 * and enumeration members (units, stage names, sources): no measured values.
 */

export type TypeNode =
  | { readonly kind: 'unknown' | 'null' | 'boolean' }
  | { readonly kind: 'number'; readonly integer: boolean }
  | { readonly kind: 'string'; readonly form: StringForm }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'array'; readonly element: TypeNode }
  | { readonly kind: 'object'; readonly fields: readonly FieldNode[] }
  | { readonly kind: 'map'; readonly value: TypeNode }
  | { readonly kind: 'union'; readonly members: readonly TypeNode[] };

export interface FieldNode {
  readonly key: string;
  readonly optional: boolean;
  readonly type: TypeNode;
}

const FORM_PATTERNS: Record<Exclude<StringForm, 'text'>, { pattern: RegExp; note: string }> = {
  'date-time': { pattern: DATE_TIME_PATTERN, note: 'ISO 8601 date-time' },
  date: { pattern: DATE_PATTERN, note: 'calendar date, YYYY-MM-DD' },
  numeric: { pattern: NUMERIC_PATTERN, note: 'a number sent as a string' },
};

/** Strings become an enumeration when few distinct values each come back more than once. */
function isEnumeration(strings: StringSummary): strings is StringSummary & { distinct: Set<string> } {
  return strings.distinct !== undefined && strings.distinct.size > 0 && strings.count >= 2 * strings.distinct.size;
}

export function toTypeNode(summary: TypeSummary): TypeNode {
  const members: TypeNode[] = [];
  if (summary.objects) {
    const { objects } = summary;
    if (objects.mapValues) {
      members.push({ kind: 'map', value: toTypeNode(objects.mapValues) });
    } else {
      const fields = [...objects.fields].map(([key, field]) => ({
        key,
        optional: field.count < objects.count,
        type: toTypeNode(field),
      }));
      members.push({ kind: 'object', fields });
    }
  }
  if (summary.arrays) members.push({ kind: 'array', element: toTypeNode(summary.arrays.elements) });
  if (summary.strings) {
    const { strings } = summary;
    members.push(
      isEnumeration(strings)
        ? { kind: 'enum', values: [...strings.distinct].sort() }
        : { kind: 'string', form: strings.form },
    );
  }
  if (summary.numbers > 0) members.push({ kind: 'number', integer: summary.integersOnly });
  if (summary.booleans > 0) members.push({ kind: 'boolean' });
  if (summary.nulls > 0) members.push({ kind: 'null' });
  if (members.length === 0) return { kind: 'unknown' };
  return members.length === 1 ? (members[0] as TypeNode) : { kind: 'union', members };
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function indent(depth: number): string {
  return '  '.repeat(depth);
}

export function printTypeScript(node: TypeNode, depth = 0): string {
  switch (node.kind) {
    case 'unknown':
    case 'null':
    case 'boolean':
    case 'number':
      return node.kind;
    case 'string':
      return node.form === 'text' ? 'string' : `string /* ${FORM_PATTERNS[node.form].note} */`;
    case 'enum':
      return node.values.map((v) => JSON.stringify(v)).join(' | ');
    case 'array': {
      return `Array<${printTypeScript(node.element, depth)}>`;
    }
    case 'map':
      return `Record<string, ${printTypeScript(node.value, depth)}>`;
    case 'union':
      return node.members.map((m) => printTypeScript(m, depth)).join(' | ');
    case 'object': {
      if (node.fields.length === 0) return 'Record<string, never>';
      const lines = node.fields.map((field) => {
        const key = IDENTIFIER.test(field.key) ? field.key : JSON.stringify(field.key);
        // `| undefined` as zod's parse output says it, so the schema's output fits the type under exactOptionalPropertyTypes.
        const type = printTypeScript(field.type, depth + 1);
        return `${indent(depth + 1)}${key}${field.optional ? `?: ${type} | undefined` : `: ${type}`};`;
      });
      return `{\n${lines.join('\n')}\n${indent(depth)}}`;
    }
  }
}

/** Key text for an object literal: quoted, and computed for `__proto__`, which a plain key would not define. */
function objectLiteralKey(key: string): string {
  return key === '__proto__' ? `[${JSON.stringify(key)}]` : JSON.stringify(key);
}

/**
 * zod reads a missing key through the prototype, so a record without `toString` would be checked
 * against Object.prototype.toString; an optional field with such a name also accepts that member.
 */
function printZodField(field: FieldNode, depth: number): string {
  const schema = printZod(field.type, depth);
  if (!field.optional) return schema;
  if (!(field.key in Object.prototype)) return `${schema}.optional()`;
  const inherited = `Reflect.get(Object.prototype, ${JSON.stringify(field.key)})`;
  return `z.union([${schema}, z.custom<undefined>((value) => value === ${inherited})]).optional()`;
}

export function printZod(node: TypeNode, depth = 0): string {
  switch (node.kind) {
    case 'unknown':
      return 'z.unknown()';
    case 'null':
      return 'z.null()';
    case 'boolean':
      return 'z.boolean()';
    case 'number':
      return node.integer ? 'z.number().int()' : 'z.number()';
    case 'string':
      return node.form === 'text' ? 'z.string()' : `z.string().regex(/${FORM_PATTERNS[node.form].pattern.source}/)`;
    case 'enum':
      return `z.enum([${node.values.map((v) => JSON.stringify(v)).join(', ')}])`;
    case 'array':
      return `z.array(${printZod(node.element, depth)})`;
    case 'map':
      return `z.record(z.string(), ${printZod(node.value, depth)})`;
    case 'union': {
      const nonNull = node.members.filter((m) => m.kind !== 'null');
      const nullable = nonNull.length < node.members.length;
      const inner =
        nonNull.length === 1
          ? printZod(nonNull[0] as TypeNode, depth)
          : `z.union([${nonNull.map((m) => printZod(m, depth)).join(', ')}])`;
      return nullable ? `${inner}.nullable()` : inner;
    }
    case 'object': {
      if (node.fields.length === 0) return 'z.object({})';
      const lines = node.fields.map(
        (field) => `${indent(depth + 1)}${objectLiteralKey(field.key)}: ${printZodField(field, depth + 1)},`,
      );
      return `z.object({\n${lines.join('\n')}\n${indent(depth)}})`;
    }
  }
}

export interface GeneratedTypesOptions {
  /** A TypeScript identifier for the record type, e.g. `HeartRateRecord`. */
  readonly typeName: string;
  /** What the records came from, e.g. `GET /api/quantity?type=heartRate`. Must hold no secret. */
  readonly source: string;
  readonly recordCount: number;
}

/** A TypeScript module with the record type and its zod schema. */
export function generateTypesModule(summary: TypeSummary, options: GeneratedTypesOptions): string {
  const node = toTypeNode(summary);
  const name = options.typeName;
  return [
    `// Inferred by OneTwentyOne API Explorer from ${options.recordCount.toLocaleString('en-US')} records of`,
    `// ${options.source}. Field names and enumerations only: no measured values.`,
    `import { z } from 'zod';`,
    '',
    `export type ${name} = ${printTypeScript(node)};`,
    '',
    `export const ${name}Schema = ${printZod(node)};`,
    '',
  ].join('\n');
}

/** `heartRate` → `HeartRateRecord`; anything that is not a letter or digit is dropped. */
export function recordTypeName(...parts: readonly string[]): string {
  const words = parts
    .join(' ')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  const name = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(name) ? `${name}Record` : `Api${name}Record`;
}
