/**
 * JSON values of any nesting depth. `JSON.parse` builds a record nested 100,000 levels deep without
 * complaint, but `JSON.stringify` recurses on the native stack and throws "Maximum call stack size
 * exceeded" from about 10,000 levels, and so does any recursive walk. A hostile or broken server
 * decides the depth, so the data path uses these instead: native speed for ordinary records, an
 * explicit stack (heap memory, bounded only by the record's size) for deep ones.
 */

/**
 * Depth beyond which a record is reported as deeply nested (a schema warning): the webview's tree
 * (`MAX_DEPTH` in jsonTreeModel.ts, which cannot import this) shows "nested too deeply" there
 * instead of containers. The text, the raw view and exports keep every level.
 */
export const MAX_SHOWN_DEPTH = 100;

interface Frame {
  readonly container: object;
  /** Own enumerable keys of an object; undefined for an array. */
  readonly keys: readonly string[] | undefined;
  index: number;
  /** An object member was written (the next one needs a comma). */
  wrote: boolean;
}

/** `toJSON` as `JSON.stringify` applies it (parsed JSON has none; a Date or a class might). */
function jsonValue(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  return value;
}

/** A scalar's JSON text, or undefined for the values `JSON.stringify` leaves out. */
function scalarJson(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    default:
      return undefined;
  }
}

/** `JSON.stringify(value)` computed with an explicit stack: the same text, at any depth. */
export function stringifyWithoutRecursion(root: unknown): string | undefined {
  const parts: string[] = [];
  const stack: Frame[] = [];
  const open = new Set<object>();
  const write = (value: unknown): void => {
    if (value !== null && typeof value === 'object') {
      if (open.has(value)) throw new TypeError('Converting circular structure to JSON');
      open.add(value);
      const keys = Array.isArray(value) ? undefined : Object.keys(value);
      parts.push(keys ? '{' : '[');
      stack.push({ container: value, keys, index: 0, wrote: false });
      return;
    }
    parts.push(scalarJson(value) ?? 'null');
  };

  const first = jsonValue(root, '');
  if (first === null || typeof first !== 'object') return scalarJson(first);
  write(first);
  for (let frame = stack[stack.length - 1]; frame !== undefined; frame = stack[stack.length - 1]) {
    const { container, keys } = frame;
    if (keys === undefined) {
      const items = container as readonly unknown[];
      if (frame.index >= items.length) {
        parts.push(']');
        stack.pop();
        open.delete(container);
        continue;
      }
      const i = frame.index++;
      if (i > 0) parts.push(',');
      write(jsonValue(items[i], String(i)));
    } else {
      const key = keys[frame.index];
      if (key === undefined) {
        parts.push('}');
        stack.pop();
        open.delete(container);
        continue;
      }
      frame.index++;
      const value = jsonValue((container as Record<string, unknown>)[key], key);
      if ((value === null || typeof value !== 'object') && scalarJson(value) === undefined) continue;
      parts.push(`${frame.wrote ? ',' : ''}${JSON.stringify(key)}:`);
      frame.wrote = true;
      write(value);
    }
  }
  return parts.join('');
}

/**
 * `JSON.stringify(value)` that works at any nesting depth: the native one first (fast, and all an
 * ordinary record needs), the explicit-stack one when the native one ran out of stack.
 */
export function stringifyJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    return stringifyWithoutRecursion(value);
  }
}

/** True when containers in `value` are nested more than `limit` levels deep (the value itself is level 1). */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const current = values.pop() as object;
    const depth = depths.pop() as number;
    if (depth > limit) return true;
    if (Array.isArray(current)) {
      for (const item of current) {
        if (item !== null && typeof item === 'object') {
          values.push(item as object);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key in current) {
        const item = (current as Record<string, unknown>)[key];
        if (item !== null && typeof item === 'object') {
          values.push(item);
          depths.push(depth + 1);
        }
      }
    }
  }
  return false;
}
