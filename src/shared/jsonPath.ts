/** JSON paths as segment lists, and their display form `data[3].value` (the form schema warnings use). */

export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatJsonPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    // A first key of exactly `$` would read as the root path, so it takes the bracket form.
    else if (IDENTIFIER.test(s) && (out || s !== '$')) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out || '$';
}

/** Parses the display form back into segments; undefined when it is not a path this module wrote. */
export function parseJsonPath(text: string): PathSegment[] | undefined {
  if (text === '$') return [];
  const segments: PathSegment[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '[') {
      if (text[i + 1] === '"') {
        // A JSON string literal: find its closing quote, skipping escapes.
        let j = i + 2;
        while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
        if (text[j + 1] !== ']') return undefined;
        try {
          segments.push(JSON.parse(text.slice(i + 1, j + 1)) as string);
        } catch {
          return undefined;
        }
        i = j + 2;
      } else {
        const close = text.indexOf(']', i);
        const n = Number(text.slice(i + 1, close));
        if (close < 0 || !Number.isInteger(n) || n < 0) return undefined;
        segments.push(n);
        i = close + 1;
      }
    } else {
      if (text[i] === '.') {
        if (!segments.length) return undefined;
        i++;
      }
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i));
      if (!m) return undefined;
      segments.push(m[0]);
      i += m[0].length;
    }
  }
  return segments;
}

/** A stable map key for a path (JSON Pointer escaping, RFC 6901), cheap to build per child. */
export function childKey(parentKey: string, segment: PathSegment): string {
  const s = typeof segment === 'number' ? String(segment) : segment.replace(/~/g, '~0').replace(/\//g, '~1');
  return `${parentKey}/${s}`;
}

export function pathKey(segments: readonly PathSegment[]): string {
  let key = '';
  for (const s of segments) key = childKey(key, s);
  return key;
}
