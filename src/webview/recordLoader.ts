/**
 * Asks the host for the windows of records the tree and table need, and stores them in the result's
 * cache in the task that brings them (RequestClient.send), so they are drawn before anything else runs.
 * The rows are stored as their lines of JSON text: the cache parses each one when it is first read.
 */
import { MAX_ROWS_PER_REQUEST } from '../shared/protocol';
import { splitRowLines } from '../shared/rowLines';
import { showFailure, type RequestClient } from './requestClient';
import type { ResultSession } from './resultSession';

export interface RecordLoaderHost {
  readonly client: RequestClient;
  /** The result on screen, if any. */
  result(): ResultSession | undefined;
  /** Records arrived for the result on screen; `newColumns`: the table gained columns. */
  received(newColumns: boolean): void;
  failed(message: string): void;
}

export class RecordLoader {
  /** Aborted when the result goes away: answers for it are then dropped, never stored. */
  private _requests = new AbortController();

  constructor(private readonly _host: RecordLoaderHost) {}

  /** Asks for the records in [first, end) that are neither here nor on their way. */
  load(first: number, end: number): void {
    const session = this._host.result();
    if (!session || session.summary.dataKind !== 'array') return;
    const { resultId } = session.summary;
    for (const { offset, count } of session.cache.takeMissing(first, end)) {
      this._host.client.send(
        'getRows',
        { resultId, offset, count: Math.min(count, MAX_ROWS_PER_REQUEST) },
        {
          signal: this._requests.signal,
          onReply: (reply) => this._store(reply.resultId, reply.offset, reply.rowLines),
          onFailure: (error) => showFailure(error, (message) => this._host.failed(message)),
        },
      );
    }
  }

  /** The result went away: the answers still on their way for it are dropped. */
  forget(): void {
    this._requests.abort();
    this._requests = new AbortController();
  }

  private _store(resultId: number, offset: number, rowLines: string): void {
    // Looked up now, not when asked: a result that grew since is a new session over the same records.
    const session = this._host.result();
    if (!session || session.summary.resultId !== resultId) return;
    this._host.received(session.receiveRowLines(offset, splitRowLines(rowLines)));
  }
}
