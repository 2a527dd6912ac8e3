/**
 * The Chart tab: a quantity result aggregated over time (day, week or month) from the whole result,
 * computed by the host and drawn by the chart renderer. Shown again when the result grows.
 */
import type { HostMessage } from '../shared/protocol';
import { renderTimeSeriesChart, type ChartHandle } from './chart/timeSeriesChart';
import { el, setText } from './dom';

export type ChartBucketChoice = 'day' | 'week' | 'month';

export class ChartView {
  readonly element: HTMLDivElement;
  private readonly _bucket: HTMLSelectElement;
  private readonly _note: HTMLSpanElement;
  private readonly _canvas: HTMLDivElement;
  private _handle: ChartHandle | undefined;
  private _request: number | undefined;
  /** The result the chart on screen was drawn from (with its record count). */
  private _drawn: string | undefined;
  /** The result grew while a chart was being computed: ask again once it arrives (one request at a time). */
  private _stale = false;

  constructor(private readonly _ask: (bucket: ChartBucketChoice) => number, private readonly _title: () => string) {
    this._bucket = el('select', { attrs: { id: 'chart-bucket', 'aria-label': 'Bucket' } }, [
      el('option', { text: 'By day', attrs: { value: 'day' } }),
      el('option', { text: 'By week', attrs: { value: 'week' } }),
      el('option', { text: 'By month', attrs: { value: 'month' } }),
    ]);
    this._bucket.value = 'week';
    this._bucket.addEventListener('change', () => this.request());
    this._note = el('span', { className: 'chart-note', attrs: { id: 'chart-note', 'aria-live': 'polite' } });
    this._canvas = el('div', { className: 'chart-canvas', attrs: { id: 'chart-canvas' } });
    this.element = el('div', { className: 'chart-view' }, [el('div', { className: 'chart-toolbar' }, [this._bucket, this._note]), this._canvas]);
  }

  /** Asks for the chart unless the one on screen is of this very result state. */
  show(resultKey: string): void {
    if (this._drawn === resultKey) return;
    this._drawn = resultKey;
    if (this._request !== undefined) this._stale = true;
    else this.request();
  }

  request(): void {
    const bucket = this._bucket.value as ChartBucketChoice;
    setText(this._note, 'Aggregating the whole result…');
    this._request = this._ask(bucket);
  }

  onResult(msg: HostMessage<'chart/result'>): void {
    if (msg.requestId !== this._request) return;
    this._request = undefined;
    if (this._stale) {
      this._stale = false;
      this.request();
    }
    this._handle?.dispose();
    this._handle = undefined;
    this._canvas.replaceChildren();
    if (msg.error) {
      setText(this._note, msg.error);
      return;
    }
    const records = msg.count.reduce((a, b) => a + b, 0);
    setText(this._note, `${msg.aggregation === 'sum' ? 'Sum' : 'Average and range'} of ${records.toLocaleString()} records in ${msg.bucketStart.length.toLocaleString()} ${msg.bucket}s${msg.skippedRecords ? ` (${msg.skippedRecords.toLocaleString()} without a value or time left out)` : ''}`);
    this._handle = renderTimeSeriesChart(this._canvas, msg, { unit: msg.unit, aggregation: msg.aggregation, bucket: msg.bucket, title: this._title() });
  }

  clear(): void {
    this._handle?.dispose();
    this._handle = undefined;
    this._canvas.replaceChildren();
    this._drawn = undefined;
    this._request = undefined;
    this._stale = false;
    setText(this._note, '');
  }
}
