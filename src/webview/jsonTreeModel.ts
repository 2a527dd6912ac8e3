/**
 * The flattened, virtualizable JSON tree: maps a row index to a node and back without building a row
 * per node. Containers count their visible rows (cached until the next expand or collapse); the `data`
 * list of a response is a VirtualList whose records arrive in windows, so a 2.63 M-record result costs
 * no more than a 10-record one until records are expanded. No recursion over data, so a record nested
 * thousands deep cannot overflow the stack (docs/reliability.md, "Untrusted input"): lookups walk down
 * the path; counts recurse only through expanded nodes, at most MAX_DEPTH deep.
 */
import { childKey, type PathSegment } from '../shared/jsonPath';

export const MAX_DEPTH = 100;

/** A list whose items may not be loaded yet (`get` returns undefined). */
export interface VirtualList {
  readonly length: number;
  get(index: number): unknown;
}

export type RowKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null' | 'pending' | 'tooDeep';

export interface TreeRow {
  readonly segments: PathSegment[];
  readonly key: string;
  readonly depth: number;
  readonly label: PathSegment;
  readonly kind: RowKind;
  /** The primitive value, or the container itself (for its preview). */
  readonly value: unknown;
  readonly childCount: number;
  readonly expandable: boolean;
  readonly expanded: boolean;
  /** 1-based place among its siblings, and how many siblings there are (for aria-posinset and aria-setsize). */
  readonly position: number;
  readonly siblings: number;
}

interface NodeRef {
  readonly value: unknown;
  readonly virtual: VirtualList | undefined;
}

export function kindOf(value: unknown, depth: number): RowKind {
  if (value === undefined) return 'pending';
  if (value === null) return 'null';
  if (Array.isArray(value)) return depth >= MAX_DEPTH ? 'tooDeep' : 'array';
  switch (typeof value) {
    case 'object':
      return depth >= MAX_DEPTH ? 'tooDeep' : 'object';
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'null';
  }
}

function keysOf(value: unknown): string[] | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : undefined;
}

export class JsonTreeModel {
  /** Expanded nodes: path key → path. */
  private readonly _expanded = new Map<string, PathSegment[]>();
  /** Expanded indices of the virtual list, sorted, with their values pinned while expanded. */
  private _expandedItems: number[] = [];
  private readonly _pinned = new Map<number, unknown>();
  private readonly _countCache = new Map<string, number>();
  private readonly _prefixCache = new Map<string, Float64Array>();
  private readonly _virtualKey: string | undefined;

  /**
   * @param _root the response envelope (an object); `virtualAt` names its member that is the
   * virtual record list (`data`), which must not be present in `_root` itself.
   */
  constructor(
    private readonly _root: Record<string, unknown>,
    private readonly _virtualAt?: string,
    private readonly _virtual?: VirtualList,
  ) {
    this._virtualKey = _virtualAt !== undefined ? childKey('', _virtualAt) : undefined;
  }

  get rowCount(): number {
    return this._count({ value: this._root, virtual: undefined }, '', -1, true) - 1;
  }

  isExpanded(key: string): boolean {
    return this._expanded.has(key);
  }

  /** The expanded paths, parents before children (to persist and restore). */
  expandedPaths(): PathSegment[][] {
    return [...this._expanded.values()].sort((a, b) => a.length - b.length);
  }

  /** Expands or collapses the node at `segments`; returns false when it is not expandable. */
  setExpanded(segments: readonly PathSegment[], expanded: boolean): boolean {
    const node = this._resolve(segments);
    if (!node) return false;
    const kind = node.virtual ? 'array' : kindOf(node.value, segments.length - 1);
    if (kind !== 'object' && kind !== 'array') return false;
    let key = '';
    for (const s of segments) key = childKey(key, s);
    if (expanded === this._expanded.has(key)) return true;
    if (expanded) this._expanded.set(key, [...segments]);
    else this._expanded.delete(key);
    if (this._isVirtualItem(segments)) {
      const index = segments[1] as number;
      if (expanded) {
        this._pinned.set(index, node.value);
        this._expandedItems.push(index);
        this._expandedItems.sort((a, b) => a - b);
      } else {
        this._pinned.delete(index);
        this._expandedItems = this._expandedItems.filter((i) => i !== index);
      }
    }
    this._countCache.clear();
    this._prefixCache.clear();
    return true;
  }

  toggle(segments: readonly PathSegment[]): boolean {
    let key = '';
    for (const s of segments) key = childKey(key, s);
    return this.setExpanded(segments, !this._expanded.has(key));
  }

  /** Expands every ancestor of `segments` so it becomes visible; returns its row index. */
  reveal(segments: readonly PathSegment[]): number | undefined {
    for (let i = 1; i < segments.length; i++) {
      if (!this.setExpanded(segments.slice(0, i), true)) return undefined;
    }
    return this.indexOf(segments);
  }

  /** Row index of a visible node, or undefined when it is hidden or does not exist. */
  indexOf(segments: readonly PathSegment[]): number | undefined {
    let node: NodeRef = { value: this._root, virtual: undefined };
    let key = '';
    let index = -1;
    for (let d = 0; d < segments.length; d++) {
      if (d > 0 && !this._expanded.has(key)) return undefined;
      const seg = segments[d]!;
      if (node.virtual) {
        if (typeof seg !== 'number' || seg < 0 || seg >= node.virtual.length) return undefined;
        index += 1 + seg;
        for (const e of this._expandedItems) {
          if (e >= seg) break;
          index += this._itemCount(e) - 1;
        }
      } else {
        const position = this._childPosition(node.value, seg);
        if (position === undefined) return undefined;
        index += 1 + this._prefix(node, key, d - 1)[position]!;
      }
      const next = this._child(node, key, seg, d);
      if (!next) return undefined;
      node = next;
      key = childKey(key, seg);
    }
    return index;
  }

  rowAt(index: number): TreeRow | undefined {
    if (index < 0 || index >= this.rowCount) return undefined;
    let node: NodeRef = { value: this._root, virtual: undefined };
    let key = '';
    const segments: PathSegment[] = [];
    let r = index;
    for (;;) {
      const depth = segments.length;
      let seg: PathSegment;
      let within: number;
      let siblings: number;
      let position: number;
      if (node.virtual) {
        siblings = node.virtual.length;
        let extras = 0;
        let found: { item: number; within: number } | undefined;
        for (const e of this._expandedItems) {
          const pos = e + extras;
          if (r < pos) break;
          const extra = this._itemCount(e) - 1;
          if (r <= pos + extra) {
            found = { item: e, within: r - pos };
            break;
          }
          extras += extra;
        }
        seg = found ? found.item : r - extras;
        within = found ? found.within : 0;
        position = seg + 1;
      } else {
        const prefix = this._prefix(node, key, depth - 1);
        siblings = prefix.length - 1;
        let lo = 0;
        let hi = prefix.length - 2;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (prefix[mid]! <= r) lo = mid;
          else hi = mid - 1;
        }
        const keys = keysOf(node.value);
        seg = keys ? (lo < keys.length ? keys[lo]! : this._virtualAt!) : lo;
        within = r - prefix[lo]!;
        position = lo + 1;
      }
      const child = this._child(node, key, seg, depth)!;
      segments.push(seg);
      const childKeyStr = childKey(key, seg);
      if (within === 0) return { ...this._row(child, childKeyStr, segments, seg), position, siblings };
      node = child;
      key = childKeyStr;
      r = within - 1;
    }
  }

  /** Rows [first, end) in order. */
  rows(first: number, end: number): TreeRow[] {
    const out: TreeRow[] = [];
    for (let i = first; i < end; i++) {
      const row = this.rowAt(i);
      if (!row) break;
      out.push(row);
    }
    return out;
  }

  /** Row index of the parent of the row at `index`, or undefined at the top level. */
  parentIndex(row: TreeRow): number | undefined {
    return row.segments.length > 1 ? this.indexOf(row.segments.slice(0, -1)) : undefined;
  }

  private _isVirtualItem(segments: readonly PathSegment[]): boolean {
    return (
      this._virtual !== undefined &&
      segments.length === 2 &&
      segments[0] === this._virtualAt &&
      typeof segments[1] === 'number'
    );
  }

  private _row(
    node: NodeRef,
    key: string,
    segments: PathSegment[],
    label: PathSegment,
  ): Omit<TreeRow, 'position' | 'siblings'> {
    const depth = segments.length - 1;
    const kind: RowKind = node.virtual ? 'array' : kindOf(node.value, depth);
    const childCount = node.virtual
      ? node.virtual.length
      : kind === 'array'
        ? (node.value as unknown[]).length
        : kind === 'object'
          ? keysOf(node.value)!.length
          : 0;
    const expandable = (kind === 'array' || kind === 'object') && childCount > 0;
    return {
      segments: [...segments],
      key,
      depth,
      label,
      kind,
      value: node.value,
      childCount,
      expandable,
      expanded: expandable && this._expanded.has(key),
    };
  }

  private _resolve(segments: readonly PathSegment[]): NodeRef | undefined {
    let node: NodeRef = { value: this._root, virtual: undefined };
    let key = '';
    for (let d = 0; d < segments.length; d++) {
      const next = this._child(node, key, segments[d]!, d);
      if (!next) return undefined;
      key = childKey(key, segments[d]!);
      node = next;
    }
    return node;
  }

  private _child(node: NodeRef, key: string, seg: PathSegment, depth: number): NodeRef | undefined {
    if (node.virtual) {
      if (typeof seg !== 'number' || seg < 0 || seg >= node.virtual.length) return undefined;
      const pinned = this._pinned.get(seg);
      return { value: pinned !== undefined ? pinned : node.virtual.get(seg), virtual: undefined };
    }
    if (depth === 0 && key === '' && this._virtual && seg === this._virtualAt)
      return { value: undefined, virtual: this._virtual };
    const v = node.value;
    if (Array.isArray(v))
      return typeof seg === 'number' && seg >= 0 && seg < v.length ? { value: v[seg], virtual: undefined } : undefined;
    if (
      v !== null &&
      typeof v === 'object' &&
      typeof seg === 'string' &&
      Object.prototype.hasOwnProperty.call(v, seg)
    ) {
      return { value: (v as Record<string, unknown>)[seg], virtual: undefined };
    }
    return undefined;
  }

  private _childPosition(value: unknown, seg: PathSegment): number | undefined {
    if (value === this._root && this._virtual && seg === this._virtualAt) return Object.keys(this._root).length;
    if (Array.isArray(value)) return typeof seg === 'number' && seg < value.length ? seg : undefined;
    const keys = keysOf(value);
    if (!keys || typeof seg !== 'string') return undefined;
    const i = keys.indexOf(seg);
    return i < 0 ? undefined : i;
  }

  private _itemCount(index: number): number {
    const key = childKey(this._virtualKey!, index);
    return this._count({ value: this._pinned.get(index), virtual: undefined }, key, 1, false);
  }

  /** Visible rows of a node including its own row. `depth` is the node's depth (root: -1). */
  private _count(node: NodeRef, key: string, depth: number, isRoot = false): number {
    if (!isRoot && !this._expanded.has(key)) return 1;
    const cached = this._countCache.get(key);
    if (cached !== undefined) return cached;
    let total = 1;
    if (node.virtual) {
      total += node.virtual.length;
      for (const e of this._expandedItems) total += this._itemCount(e) - 1;
    } else {
      const kind = isRoot ? 'object' : kindOf(node.value, depth);
      if (kind === 'object' || kind === 'array') {
        const prefix = this._prefix(node, key, depth);
        total += prefix[prefix.length - 1]!;
      }
    }
    this._countCache.set(key, total);
    return total;
  }

  /** prefix[i] = visible rows of children 0..i-1 of a materialized container (plus the virtual list at the root). */
  private _prefix(node: NodeRef, key: string, depth: number): Float64Array {
    const cached = this._prefixCache.get(key);
    if (cached) return cached;
    const v = node.value;
    let prefix: Float64Array;
    if (Array.isArray(v)) {
      prefix = new Float64Array(v.length + 1);
      for (let i = 0; i < v.length; i++)
        prefix[i + 1] = prefix[i]! + this._count({ value: v[i], virtual: undefined }, childKey(key, i), depth + 1);
    } else {
      const keys = keysOf(v) ?? [];
      const withVirtual = key === '' && this._virtual !== undefined;
      prefix = new Float64Array(keys.length + (withVirtual ? 1 : 0) + 1);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        prefix[i + 1] =
          prefix[i]! +
          this._count({ value: (v as Record<string, unknown>)[k], virtual: undefined }, childKey(key, k), depth + 1);
      }
      if (withVirtual) {
        prefix[keys.length + 1] =
          prefix[keys.length]! + this._count({ value: undefined, virtual: this._virtual }, this._virtualKey!, 0);
      }
    }
    this._prefixCache.set(key, prefix);
    return prefix;
  }
}
