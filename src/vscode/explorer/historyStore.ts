/**
 * Request history and saved queries, persisted in globalState. Only the request's shape is kept:
 * route, metric, parameters, which account, and the outcome (status, count, duration). Never a token,
 * never response data. What is read back is zod-checked (the schemas are built on first use:
 * docs/performance.md, B11); anything else is dropped.
 */
import * as z from 'zod/mini';
import type { QuerySpec } from '../../core/routes';
import { lazySchema } from '../../core/routes/lazySchema';
import { querySpecSchema } from '../../core/routes/request';

export const MAX_HISTORY = 100;
export const MAX_SAVED = 200;

const historyEntrySchema = lazySchema(() =>
  z.strictObject({
    id: z.string().check(z.maxLength(64)),
    time: z.number(),
    query: querySpecSchema,
    accountId: z.optional(z.string().check(z.maxLength(300))),
    accountLabel: z.optional(z.string().check(z.maxLength(300))),
    status: z.nullable(z.number().check(z.int())),
    recordCount: z.nullable(z.number().check(z.int(), z.nonnegative())),
    durationMs: z.nullable(z.number().check(z.nonnegative())),
    errorCode: z.optional(z.string().check(z.maxLength(64))),
  }),
);
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

const savedQuerySchema = lazySchema(() =>
  z.strictObject({
    id: z.string().check(z.maxLength(64)),
    name: z.string().check(z.minLength(1), z.maxLength(100)),
    query: querySpecSchema,
    accountId: z.optional(z.string().check(z.maxLength(300))),
  }),
);
export type SavedQuery = z.infer<typeof savedQuerySchema>;

/** The part of vscode.Memento this needs (so the store is testable in plain Node). */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const HISTORY_KEY = 'onetwentyone.explorer.history.v1';
const SAVED_KEY = 'onetwentyone.explorer.saved.v1';

function readList<T>(store: KeyValueStore, key: string, schema: z.ZodMiniType<T>): T[] {
  const raw = store.get<unknown>(key);
  if (!Array.isArray(raw)) return [];
  const out: T[] = [];
  for (const item of raw) {
    const parsed = schema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

export class HistoryStore {
  private readonly _listeners = new Set<() => void>();
  private _counter = 0;

  constructor(
    private readonly _store: KeyValueStore,
    private readonly _now: () => number = Date.now,
  ) {}

  onDidChange(listener: () => void): { dispose(): void } {
    this._listeners.add(listener);
    return { dispose: () => this._listeners.delete(listener) };
  }

  history(): HistoryEntry[] {
    return readList(this._store, HISTORY_KEY, historyEntrySchema);
  }

  saved(): SavedQuery[] {
    return readList(this._store, SAVED_KEY, savedQuerySchema);
  }

  async add(entry: Omit<HistoryEntry, 'id' | 'time'>): Promise<HistoryEntry> {
    // Re-parse what goes in: a stray field (say a token) must never reach globalState.
    const full = historyEntrySchema.parse({ ...sanitize(entry), id: this._id(), time: this._now() });
    await this._store.update(HISTORY_KEY, [full, ...this.history()].slice(0, MAX_HISTORY));
    this._fire();
    return full;
  }

  async clear(): Promise<void> {
    await this._store.update(HISTORY_KEY, []);
    this._fire();
  }

  async save(name: string, query: QuerySpec, accountId?: string): Promise<SavedQuery> {
    const item = savedQuerySchema.parse({ id: this._id(), name, query, ...(accountId ? { accountId } : {}) });
    await this._store.update(SAVED_KEY, [item, ...this.saved()].slice(0, MAX_SAVED));
    this._fire();
    return item;
  }

  async removeSaved(id: string): Promise<void> {
    await this._store.update(
      SAVED_KEY,
      this.saved().filter((s) => s.id !== id),
    );
    this._fire();
  }

  private _id(): string {
    return `${this._now().toString(36)}-${(this._counter++).toString(36)}`;
  }

  private _fire(): void {
    for (const l of this._listeners) l();
  }
}

function sanitize(entry: Omit<HistoryEntry, 'id' | 'time'>): Omit<HistoryEntry, 'id' | 'time'> {
  const out: Omit<HistoryEntry, 'id' | 'time'> = {
    query: entry.query,
    status: entry.status,
    recordCount: entry.recordCount,
    durationMs: entry.durationMs,
  };
  if (entry.accountId) out.accountId = entry.accountId;
  if (entry.accountLabel) out.accountLabel = entry.accountLabel;
  if (entry.errorCode) out.errorCode = entry.errorCode;
  return out;
}
