import { QueryError } from '../../core/dataset/queryParser';
import { searchResult } from '../../core/dataset/search';
import { MAX_SEARCH_HITS_SENT, type RequestPayload } from '../../shared/protocol';
import type { Replier } from './messageDispatcher';
import type { QueryResult } from './queryResult';
import { l10n } from '../l10n';

export function resultGone(): string {
  return l10n.t('That response is no longer available; send the request again.');
}

/** The dataset search over the panel's whole result: one at a time, its hits kept for "jump to hit". */
export class ResultSearch {
  private _search: { resultId: number; controller: AbortController; hits: Int32Array | undefined } | undefined;

  /** The last complete search's hit rows. */
  get hits(): Int32Array | undefined {
    return this._search?.hits;
  }

  /** Stops the search in progress and forgets the last one's hits (the result they index went). */
  clear(): void {
    this._search?.controller.abort();
    this._search = undefined;
  }

  async search(
    result: QueryResult | undefined,
    { resultId, text }: RequestPayload<'search'>,
    reply: Replier<'search'>,
  ): Promise<void> {
    this._search?.controller.abort();
    const store = result?.resultId === resultId ? result.store : undefined;
    if (!store) return reply.fail(resultGone());
    const controller = new AbortController();
    const search: { resultId: number; controller: AbortController; hits: Int32Array | undefined } = {
      resultId,
      controller,
      hits: undefined,
    };
    this._search = search;
    const post = (done: boolean, total: number, scannedRows: number, hits: Int32Array, error: string | null): void => {
      // A newer search replaced this one: its answers would only confuse the webview.
      if (this._search !== search) return;
      reply.send({
        resultId,
        done,
        total,
        scannedRows,
        firstHits: Array.from(hits.subarray(0, MAX_SEARCH_HITS_SENT)),
        error,
      });
    };
    try {
      const outcome = await searchResult(store, text, {
        signal: controller.signal,
        onFirstHits: (hits) => post(false, hits.length, 0, hits, null),
      });
      if (!outcome.complete) return;
      search.hits = outcome.hits;
      post(true, outcome.hits.length, outcome.scannedRows, outcome.hits, null);
    } catch (err) {
      if (err instanceof QueryError) return post(true, 0, 0, new Int32Array(0), err.message.slice(0, 2000));
      if (controller.signal.aborted) return;
      throw err;
    }
  }

  /** The row of hit number `hitIndex` of the last search, also beyond the first hits sent. */
  hit({ resultId, hitIndex }: RequestPayload<'getHit'>, reply: Replier<'getHit'>): void {
    const hits = this._search?.resultId === resultId ? this._search.hits : undefined;
    const row = hits && hitIndex < hits.length ? hits[hitIndex] : undefined;
    if (row === undefined) return reply.fail(l10n.t('That search result is no longer available; search again.'));
    reply.send({ resultId, hitIndex, row });
  }
}
