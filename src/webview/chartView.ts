/**
 * The Chart tab, drawn from the whole result by what the host computes: a quantity result aggregated
 * over time (day, week or month), or a sleep result's hypnogram, one session at a time. Asked again
 * when the result grows.
 */
import type { RouteId } from '../core/routes';
import type { ReplyOf, RequestPayload } from '../shared/protocol';
import { renderHypnogram, type HypnogramHandle } from './chart/hypnogramChart';
import { renderTimeSeriesChart, type ChartHandle } from './chart/timeSeriesChart';
import { quantitySummary, quantityTable } from './chart/aggregationText';
import { renderChartTable, formatNumber, formatTime, type ChartTableData } from './chart/dataTable';
import { stageLabel } from './chart/hypnogramModel';
import type { Announce } from './announcer';
import { el, setText, textButton } from './dom';
import { t } from './l10n';
import { showFailure, type RequestClient } from './requestClient';

export type ChartBucketChoice = 'day' | 'week' | 'month';

export interface ChartHost {
  readonly client: RequestClient;
  /** Says the chart's note (the panel's live region; the note itself is not one). */
  readonly announce: Announce;
  /** The result on screen, if any. */
  resultId(): number | undefined;
  /** What the result is of, for the chart's accessible title. */
  title(): string;
}

type Mode = 'quantity' | 'sleep';

export class ChartView {
  readonly element: HTMLDivElement;
  private readonly _bucket: HTMLSelectElement;
  private readonly _note: HTMLSpanElement;
  private readonly _canvas: HTMLDivElement;
  private readonly _tableToggle: HTMLButtonElement;
  private readonly _tableHost: HTMLDivElement;
  /** The chart's numbers, kept for the table view. */
  private _tableData: ChartTableData | undefined;
  private _mode: Mode = 'quantity';
  private _handle: ChartHandle | undefined;
  private _hypnogram: HypnogramHandle | undefined;
  /** The hypnogram session on screen, kept while the result grows. */
  private _session: number | null = null;
  /** The chart request on its way, if any (one at a time). */
  private _asking: AbortController | undefined;
  /** The result the chart on screen was drawn from (with its record count). */
  private _drawn: string | undefined;
  /** The result grew while a chart was being computed: ask again once it arrives (one request at a time). */
  private _stale = false;

  constructor(private readonly _host: ChartHost) {
    this._bucket = el('select', { attrs: { id: 'chart-bucket', 'aria-label': t('chart.bucket') } }, [
      el('option', { text: t('chart.byDay'), attrs: { value: 'day' } }),
      el('option', { text: t('chart.byWeek'), attrs: { value: 'week' } }),
      el('option', { text: t('chart.byMonth'), attrs: { value: 'month' } }),
    ]);
    this._bucket.value = 'week';
    this._bucket.addEventListener('change', () => this.request());
    this._note = el('span', { className: 'chart-note', attrs: { id: 'chart-note' } });
    this._canvas = el('div', { className: 'chart-canvas', attrs: { id: 'chart-canvas' } });
    this._tableToggle = textButton(t('chart.showTable'), () => this._toggleTable(), {
      iconName: 'table',
      title: t('chart.showTableTitle'),
    });
    this._tableToggle.id = 'chart-table-toggle';
    this._tableToggle.setAttribute('aria-expanded', 'false');
    this._tableHost = el('div', { className: 'chart-table-host', attrs: { id: 'chart-table', hidden: '' } });
    this.element = el('div', { className: 'chart-view' }, [
      el('div', { className: 'chart-toolbar' }, [this._bucket, this._tableToggle, this._note]),
      this._canvas,
      this._tableHost,
    ]);
  }

  private _toggleTable(): void {
    const show = this._tableHost.hidden;
    this._tableHost.hidden = !show;
    this._tableToggle.setAttribute('aria-expanded', String(show));
    setText(this._tableToggle.lastChild ?? this._tableToggle, show ? t('chart.hideTable') : t('chart.showTable'));
    this._renderTable();
  }

  /** The chart's data as a table, drawn only while it is shown. */
  private _setTable(data: ChartTableData | undefined): void {
    this._tableData = data;
    this._renderTable();
  }

  private _renderTable(): void {
    if (this._tableHost.hidden || !this._tableData) {
      this._tableHost.replaceChildren();
      return;
    }
    this._tableHost.replaceChildren(renderChartTable(this._tableData));
  }

  /** Asks for the chart unless the one on screen is of this very result state. */
  show(resultKey: string, route: RouteId): void {
    if (this._drawn === resultKey) return;
    const resultId = resultKey.split(':')[0];
    if (this._drawn?.split(':')[0] !== resultId) this._session = null;
    this._drawn = resultKey;
    this._mode = route === 'sleep' ? 'sleep' : 'quantity';
    this._bucket.hidden = this._mode === 'sleep';
    if (this._asking) this._stale = true;
    else this.request();
  }

  request(): void {
    const resultId = this._host.resultId();
    if (resultId === undefined) return;
    if (this._mode === 'sleep') {
      this._showNote(t('chart.readingSleep'));
      void this._ask('getHypnogram', { resultId, session: this._session }).then(
        (reply) => reply && this._drawHypnogram(reply),
      );
      return;
    }
    this._showNote(t('chart.aggregating'));
    const bucket = this._bucket.value as ChartBucketChoice;
    void this._ask('getChart', { resultId, bucket }).then((reply) => reply && this._drawQuantity(reply));
  }

  /** The reply, or undefined when it failed (the note says why) or a newer request replaced it. */
  private async _ask<K extends 'getChart' | 'getHypnogram'>(
    kind: K,
    payload: RequestPayload<K>,
  ): Promise<ReplyOf<K> | undefined> {
    this._asking?.abort();
    const asking = new AbortController();
    this._asking = asking;
    try {
      return await this._host.client.request(kind, payload, { signal: asking.signal });
    } catch (error) {
      showFailure(error, (message) => {
        this._disposeCharts();
        this._showNote(message);
      });
      return undefined;
    } finally {
      if (this._asking === asking) {
        this._asking = undefined;
        // The result grew while this chart was computed: ask again for the whole of it.
        if (this._stale) {
          this._stale = false;
          this.request();
        }
      }
    }
  }

  private _drawQuantity(msg: ReplyOf<'getChart'>): void {
    this._disposeCharts();
    if (msg.error) {
      this._showNote(msg.error);
      return;
    }
    setText(this._note, quantitySummary(msg));
    this._handle = renderTimeSeriesChart(this._canvas, msg, {
      unit: msg.unit,
      aggregation: msg.aggregation,
      bucket: msg.bucket,
      title: this._host.title(),
    });
    this._setTable(quantityTable(msg, this._host.title()));
  }

  private _drawHypnogram(msg: ReplyOf<'getHypnogram'>): void {
    if (msg.error) {
      this._disposeCharts();
      this._showNote([msg.error, ...(msg.notes ?? [])].join(' '));
      return;
    }
    this._session = msg.session;
    const parts = [t('sleep.summary', msg.sessionCount)];
    if (msg.sessionsWithoutStages) parts.push(t('sleep.withoutStages', msg.sessionsWithoutStages));
    if (msg.segmentsTotal > msg.stage.length) parts.push(t('sleep.segmentsDrawn', msg.stage.length, msg.segmentsTotal));
    this._showNote(msg.notes ? `${parts.join('; ')}. ${msg.notes.join(' ')}` : parts.join('; '));
    if (!this._hypnogram) {
      this._disposeCharts();
      this._hypnogram = renderHypnogram(this._canvas, {
        title: this._host.title(),
        onNavigate: (index) => {
          this._session = index;
          if (!this._asking) this.request();
        },
      });
    }
    const segments = msg.stage.map((stage, i) => ({ stage, start: msg.segmentStart[i]!, end: msg.segmentEnd[i]! }));
    this._hypnogram.show({
      index: msg.session,
      count: msg.sessionCount,
      session: { start: msg.start, end: msg.end },
      segments,
    });
    this._setTable({
      caption: t('sleep.tableCaption', msg.session + 1, msg.sessionCount),
      headers: [t('sleep.from'), t('sleep.to'), t('sleep.stage'), t('sleep.minutes')],
      rows: segments.map((s) => [
        formatTime(s.start),
        formatTime(s.end),
        stageLabel(s.stage),
        formatNumber((s.end - s.start) / 60_000),
      ]),
    });
  }

  clear(): void {
    this._disposeCharts();
    this._drawn = undefined;
    this._asking?.abort();
    this._asking = undefined;
    this._stale = false;
    this._session = null;
    setText(this._note, '');
  }

  private _showNote(text: string): void {
    setText(this._note, text);
    this._host.announce(text);
  }

  private _disposeCharts(): void {
    this._setTable(undefined);
    this._handle?.dispose();
    this._handle = undefined;
    this._hypnogram?.dispose();
    this._hypnogram = undefined;
    this._canvas.replaceChildren();
  }
}
