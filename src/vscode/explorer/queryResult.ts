/**
 * One response held by the host for a panel: the records in a compact ResultStore (never sent whole),
 * the envelope without `data`, and the raw text for the raw view. No vscode import: unit-testable.
 * The server decides how deep its JSON nests, so values are turned into text with `stringifyJson`,
 * never a recursive `JSON.stringify`.
 */
import type { PageResult } from '../../core/api/apiClient';
import { warningText } from '../../core/api/validation';
import { stringifyJson } from '../../core/dataset/deepJson';
import type { FetchedPage, PageWarning, PageWhere } from '../../core/dataset/fetchAll';
import { ResultStore } from '../../core/dataset/resultStore';
import { searchResponse, type SearchResult } from '../../shared/jsonSearch';
import type { FetchStatus, FindHit, ResponseSummary } from '../../shared/protocol';
import { MAX_MESSAGE_CHARS } from '../../shared/protocol';
import { rowLinesWindow, type RowLinesWindow } from '../../shared/rowLines';
import type { QuerySpec } from '../../core/routes';
import { formatCount, l10n } from '../l10n';
import { catalogueText } from '../catalogueL10n';

/** Largest envelope (with a profile's object inlined) sent in the summary. */
const MAX_ENVELOPE_CHARS = 100_000;
/** Warnings in a summary (the protocol's limit). */
const MAX_WARNINGS = 500;

type SummaryWarning = ResponseSummary['warnings'][number];

function summaryWarning(path: string, message: string, count: number): SummaryWarning {
  return {
    path: path.slice(0, 2000),
    message: (count > 1 ? l10n.t('{0} ({1} records)', message, formatCount(count)) : message).slice(0, 2000),
  };
}

/** A drift's words in the user's language (a server's or zod's own words stay as they came). */
function warningMessage(warning: PageWarning): string {
  return catalogueText(warningText(warning.message));
}

/** A drift of a page "Fetch All Pages" stored, with how many records showed it and where it was first seen. */
function fetchedWarningMessage(message: string, count: number, page: number | undefined): string {
  if (count > 1)
    return page === undefined
      ? l10n.t('{0} ({1} records, first in a later page)', message, formatCount(count))
      : l10n.t('{0} ({1} records, first on page {2})', message, formatCount(count), formatCount(page));
  return page === undefined
    ? l10n.t('{0} (in a later page)', message)
    : l10n.t('{0} (on page {1})', message, formatCount(page));
}
export const MAX_FIND_HITS = 1000;

export class QueryResult {
  private readonly _summary: ResponseSummary;
  private readonly _store: ResultStore | undefined;
  /** The first page without its records (they are in the store): what "Fetch All Pages" continues from. */
  readonly firstPage: FetchedPage;
  /** Set once "Fetch All Pages" started on this result. */
  fetch: FetchStatus | undefined;
  private readonly _envelope: Record<string, unknown>;

  /** The body as received, for the raw view; the parsed records live only in the compact store. */
  private readonly _rawText: string | undefined;
  /** Drift in the pages "Fetch All Pages" added: one entry per path shape and message, counts summed. */
  private readonly _fetchedWarnings = new Map<
    string,
    { path: string; message: string; count: number; page: number | undefined }
  >();

  constructor(
    readonly resultId: number,
    readonly query: QuerySpec,
    page: PageResult,
    readonly accountId: string,
    spillDirectory?: string,
  ) {
    this._rawText = page.rawText;
    this.firstPage = {
      data: [],
      bytes: 0,
      ...(page.pagination ? { pagination: page.pagination } : {}),
      ...(page.rateLimit ? { rateLimit: page.rateLimit } : {}),
    };
    const storeOptions = spillDirectory ? { spillDirectory } : {};
    const data = page.data;
    const envelope: Record<string, unknown> = {};
    if (page.pagination !== undefined) envelope.pagination = page.pagination;
    if (page.limit !== undefined) envelope.limit = page.limit;
    let dataKind: ResponseSummary['dataKind'] = 'none';
    let recordCount = 0;
    if (Array.isArray(data)) {
      this._store = new ResultStore(storeOptions);
      this._store.append(data, page.bytes);
      dataKind = 'array';
      recordCount = data.length;
    } else if (data !== undefined) {
      const inline = stringifyJson({ ...envelope, data }) ?? '';
      if (inline.length <= MAX_ENVELOPE_CHARS) {
        envelope.data = data;
        dataKind = 'object';
        recordCount = 1;
      } else {
        // Too big to inline (a hostile profile): served like a one-record list.
        this._store = new ResultStore(storeOptions);
        this._store.append([data]);
        dataKind = 'array';
        recordCount = 1;
      }
    }
    this._envelope = envelope;
    let envelopeJson = stringifyJson(dataKind === 'object' ? envelope : withoutData(envelope)) ?? '{}';
    if (envelopeJson.length > MAX_ENVELOPE_CHARS) {
      // A hostile or broken envelope (a megabyte of `pagination`) is not shown in the tree; the raw view has it.
      envelopeJson = JSON.stringify({
        note: l10n.t('The envelope is {0} characters long: see the raw view.', formatCount(envelopeJson.length)),
      });
    }
    const p = page.pagination;
    this._summary = {
      resultId,
      query,
      url: page.url,
      status: page.status,
      durationMs: page.durationMs,
      bytes: page.bytes,
      envelopeJson,
      dataKind,
      recordCount,
      pagination: p
        ? { currentPage: p.current_page ?? null, hasMore: Boolean(p.has_more), hasPrev: (p.current_page ?? 1) > 1 }
        : null,
      warnings: page.warnings.slice(0, MAX_WARNINGS).map((w) => summaryWarning(w.path, warningMessage(w), w.count)),
      receivedAt: Date.now(),
      ...(page.headers ? { headers: page.headers.map(([name, value]) => [name, value] as [string, string]) } : {}),
    };
  }

  /**
   * The summary with the current record count (the store grows while "Fetch All Pages" runs) and
   * the drift found in the pages it added after the first page's.
   */
  get summary(): ResponseSummary {
    const count = this._store?.count;
    const countChanged = count !== undefined && count !== this._summary.recordCount;
    if (!countChanged && this._fetchedWarnings.size === 0) return this._summary;
    const fetched = [...this._fetchedWarnings.values()].map((w) =>
      summaryWarning(w.path, fetchedWarningMessage(w.message, w.count, w.page), 1),
    );
    return {
      ...this._summary,
      ...(countChanged ? { recordCount: count } : {}),
      ...(fetched.length ? { warnings: [...this._summary.warnings, ...fetched].slice(0, MAX_WARNINGS) } : {}),
    };
  }

  /**
   * Adds the drift of a page "Fetch All Pages" stored. A record's path is rebased onto the whole
   * result (`data[3]` of a page whose first record is row 20,000 becomes `data[20003]`), so the
   * Warnings tab leads to it. The same drift on many pages is one warning, where it was first seen,
   * with the records of all of them counted.
   */
  addFetchedWarnings(warnings: readonly PageWarning[], where: PageWhere): void {
    for (const warning of warnings) {
      const key = `${warning.path.replace(/\[\d+\]/g, '[*]')}|${warning.message}`;
      const existing = this._fetchedWarnings.get(key);
      if (existing) existing.count += warning.count;
      else if (this._fetchedWarnings.size < MAX_WARNINGS) {
        const path = warning.path.replace(
          /^data\[(\d+)\]/,
          (_, index: string) => `data[${Number(index) + where.firstRow}]`,
        );
        this._fetchedWarnings.set(key, {
          path,
          message: warningMessage(warning),
          count: warning.count,
          page: where.page,
        });
      }
    }
  }

  get recordCount(): number {
    return this._store?.count ?? this._summary.recordCount;
  }

  /** The compact record store (undefined for a profile's object or an empty response). */
  get store(): ResultStore | undefined {
    return this._store;
  }

  /**
   * The first page's shape for `planFetchAll`, which reads only its length and first and last
   * records: a sparse array of the stored page length, so page 1 is not kept as objects.
   */
  planningPage(): FetchedPage {
    const store = this._store;
    const records: unknown[] = [];
    if (store && store.count > 0) {
      records.length = store.count;
      records[0] = store.getRecord(0);
      records[store.count - 1] = store.getRecord(store.count - 1);
    }
    return { ...this.firstPage, data: records };
  }

  /** A window of records as row lines, at most MAX_MESSAGE_CHARS. */
  rows(offset: number, count: number): RowLinesWindow {
    if (!this._store) return { offset, count: 0, lines: '' };
    return rowLinesWindow(this._store, Math.min(offset, this._store.count), count, MAX_MESSAGE_CHARS - 64);
  }

  raw(): { text: string; totalChars: number; truncated: boolean } {
    const text = this.fullRaw();
    const limit = MAX_MESSAGE_CHARS - 1024;
    return {
      text: text.length > limit ? text.slice(0, limit) : text,
      totalChars: text.length,
      truncated: text.length > limit,
    };
  }

  /** The whole raw text (for "Open in editor"). */
  fullRaw(): string {
    if (this._rawText !== undefined) return this._rawText;
    if (!this._store) return stringifyJson(this._envelope) ?? '{}';
    const envelope = stringifyJson(withoutData(this._envelope)) ?? '{}';
    return `${envelope.slice(0, -1)}${envelope.length > 2 ? ',' : ''}"data":${this._store.getRows(0, this._store.count, Number.MAX_SAFE_INTEGER).json}}`;
  }

  find(text: string, caseSensitive: boolean): SearchResult & { hits: FindHit[] } {
    const store = this._store;
    const records: Iterable<unknown> = store
      ? {
          *[Symbol.iterator]() {
            for (let i = 0; i < store.count; i++) yield store.getRecord(i);
          },
        }
      : [];
    const envelope = this._summary.dataKind === 'object' ? this._envelope : withoutData(this._envelope);
    const result = searchResponse(envelope, records, text, { caseSensitive, maxHits: MAX_FIND_HITS });
    // A key longer than the protocol allows cannot be revealed; leave such hits out of the list.
    return {
      ...result,
      hits: result.hits.filter((h) => h.path.every((s) => typeof s === 'number' || s.length <= 1000)),
    };
  }

  dispose(): void {
    this._store?.dispose();
  }
}

function withoutData(envelope: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const k of Object.keys(envelope)) if (k !== 'data') copy[k] = envelope[k];
  return copy;
}
