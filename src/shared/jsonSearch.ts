/**
 * Find within a response: matches keys and primitive values (as text) of records, without recursion,
 * so a record nested 10,000 deep cannot overflow the stack (docs/reliability.md, "Untrusted input").
 */
import type { PathSegment } from './jsonPath';

export interface SearchHit {
  /** Record index, or -1 for the envelope. */
  readonly record: number;
  readonly path: PathSegment[];
}

export interface SearchOptions {
  readonly caseSensitive: boolean;
  /** Hits returned; counting goes on past it. */
  readonly maxHits: number;
  /** Deeper values are not searched (they are not rendered either). */
  readonly maxDepth?: number;
}

/** Stands for "this key matched" on the stack, so hits keep document order. */
const KEY_HIT = Symbol('keyHit');

export class JsonMatcher {
  private readonly _needle: string;

  constructor(
    text: string,
    private readonly _caseSensitive: boolean,
  ) {
    this._needle = _caseSensitive ? text : text.toLowerCase();
  }

  matches(text: string): boolean {
    return (this._caseSensitive ? text : text.toLowerCase()).includes(this._needle);
  }

  /** Calls `onHit` with each matching path inside `value` (keys match at their own path). */
  scan(value: unknown, maxDepth: number, onHit: (path: PathSegment[]) => void): void {
    const stack: { value: unknown; path: PathSegment[] }[] = [{ value, path: [] }];
    while (stack.length) {
      const item = stack.pop()!;
      const v = item.value;
      if (v === KEY_HIT) {
        onHit(item.path);
        continue;
      }
      if (v === null || typeof v !== 'object') {
        if (this.matches(v === null ? 'null' : String(v))) onHit(item.path);
        continue;
      }
      if (item.path.length >= maxDepth) continue;
      // Children are pushed in reverse so hits come out in document order.
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...item.path, i] });
      } else {
        const keys = Object.keys(v);
        for (let i = keys.length - 1; i >= 0; i--) {
          const k = keys[i]!;
          const child = (v as Record<string, unknown>)[k];
          const path = [...item.path, k];
          const keyHit = this.matches(k);
          if (keyHit && (child === null || typeof child !== 'object')) {
            // One hit per row: a key and its value on the same row count once.
            stack.push({ value: KEY_HIT, path });
          } else {
            stack.push({ value: child, path });
            if (keyHit) stack.push({ value: KEY_HIT, path });
          }
        }
      }
    }
  }
}

export interface SearchResult {
  hits: SearchHit[];
  total: number;
  capped: boolean;
}

/** Searches the envelope (minus data) and then every record in order. */
export function searchResponse(
  envelope: unknown,
  records: Iterable<unknown>,
  text: string,
  options: SearchOptions,
): SearchResult {
  const matcher = new JsonMatcher(text, options.caseSensitive);
  const maxDepth = options.maxDepth ?? 100;
  const hits: SearchHit[] = [];
  let total = 0;
  const collect = (record: number) => (path: PathSegment[]) => {
    total++;
    if (hits.length < options.maxHits) hits.push({ record, path });
  };
  matcher.scan(envelope, maxDepth, collect(-1));
  let index = 0;
  for (const r of records) matcher.scan(r, maxDepth, collect(index++));
  return { hits, total, capped: total > hits.length };
}
