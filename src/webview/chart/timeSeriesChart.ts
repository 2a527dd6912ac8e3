import { fmt, t } from '../l10n';
import { type ChartAggregation, showsRange, valueWord } from './aggregationText';
import { at, downsampleSeries, indexAfterKey, nearestBucket, type SeriesInput } from './downsample';
import { listen, redrawOnResize } from './listeners';
import { formatTickValue, formatValue, linearScale, niceTicks } from './scales';
import { svgEl } from './svg';
import { bucketLabel, type ChartBucket, timeTicks } from './timeTicks';

export interface TimeSeriesBuckets extends SeriesInput {
  readonly count: readonly number[];
}

export interface TimeSeriesOptions {
  readonly unit: string;
  readonly aggregation: ChartAggregation;
  readonly bucket: ChartBucket;
  readonly title: string;
}

export interface ChartHandle {
  dispose(): void;
}

const MARGIN = { top: 26, right: 16, bottom: 28, left: 56 };
const HEIGHT = 280;
const FG = 'var(--vscode-foreground, currentColor)';
const MUTED = 'var(--vscode-descriptionForeground, currentColor)';
const LINE = 'var(--vscode-charts-blue, #3794ff)';

/** Bars for summed buckets, a line with a min–max band for averaged ones; every bucket reachable by keyboard. */
export function renderTimeSeriesChart(
  container: HTMLElement,
  buckets: TimeSeriesBuckets,
  options: TimeSeriesOptions,
): ChartHandle {
  const root = document.createElement('div');
  root.className = 'chart';
  root.style.position = 'relative';
  container.replaceChildren(root);
  const n = buckets.bucketStart.length;
  if (n === 0) {
    const empty = document.createElement('p');
    empty.className = 'chart-empty';
    empty.textContent = t('chart.empty', options.title);
    root.appendChild(empty);
    return { dispose: () => root.remove() };
  }

  const describe = (i: number): string => {
    let text = t(
      'chart.bucketValue',
      bucketLabel(options.bucket, at(buckets.bucketStart, i)),
      valueWord(options.aggregation),
      formatValue(at(buckets.value, i)),
      options.unit,
    ).trim();
    if (showsRange(options.aggregation))
      text = t('chart.bucketRange', text, formatValue(at(buckets.min, i)), formatValue(at(buckets.max, i)));
    const records = fmt().plural(at(buckets.count, i), 'chart.bucketRecords.one', 'chart.bucketRecords.other');
    return `${text}, ${records}`;
  };

  const surface = document.createElement('div');
  surface.tabIndex = 0;
  surface.setAttribute('role', 'group');
  surface.setAttribute('aria-roledescription', t('chart.roleDescription'));
  surface.setAttribute('aria-label', t(`chart.label.${options.bucket}`, options.title, n));
  const tooltip = document.createElement('div');
  tooltip.className = 'chart-tooltip';
  tooltip.setAttribute('role', 'status');
  tooltip.setAttribute('aria-live', 'polite');
  Object.assign(tooltip.style, {
    position: 'absolute',
    pointerEvents: 'none',
    display: 'none',
    padding: '4px 6px',
    whiteSpace: 'nowrap',
    background: 'var(--vscode-editorWidget-background)',
    color: FG,
    border: '1px solid var(--vscode-editorWidget-border, var(--vscode-widget-border, transparent))',
  });
  root.append(surface, tooltip);

  let selected = -1;
  let xOf: (ms: number) => number = () => 0;
  let cursor: SVGLineElement | undefined;

  const end = (i: number): number => {
    const start = at(buckets.bucketStart, i);
    if (i + 1 < n) return at(buckets.bucketStart, i + 1);
    // The last bucket lasts as long as the one before it (a day when it is the only one).
    const before = i > 0 ? at(buckets.bucketStart, i - 1) : start - 86_400_000;
    return start + (start - before);
  };

  const draw = (): void => {
    const width = Math.max(240, root.clientWidth || 600);
    const plotW = width - MARGIN.left - MARGIN.right;
    const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
    const t0 = at(buckets.bucketStart, 0);
    const t1 = end(n - 1);
    const x = linearScale([t0, t1], [MARGIN.left, MARGIN.left + plotW]);
    xOf = x;
    const mode = options.aggregation === 'sum' ? 'bars' : 'line';
    const points = downsampleSeries(buckets, plotW, mode);
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of points) {
      const a = mode === 'bars' ? p.value : p.low;
      const b = mode === 'bars' ? p.value : p.high;
      if (a < lo) lo = a;
      if (b > hi) hi = b;
    }
    if (mode === 'bars') {
      lo = Math.min(0, lo);
      hi = Math.max(0, hi);
    }
    const ticks = niceTicks(lo, hi, 5);
    const y = linearScale([ticks.min, ticks.max], [MARGIN.top + plotH, MARGIN.top]);

    const svg = svgEl('svg', {
      width,
      height: HEIGHT,
      viewBox: `0 0 ${width} ${HEIGHT}`,
      'aria-hidden': 'true',
      'font-size': 11,
      fill: FG,
    });
    for (const v of ticks.ticks) {
      svg.appendChild(
        svgEl('line', {
          x1: MARGIN.left,
          x2: MARGIN.left + plotW,
          y1: y(v),
          y2: y(v),
          stroke: MUTED,
          'stroke-opacity': 0.25,
        }),
      );
      svg.appendChild(
        svgEl(
          'text',
          { x: MARGIN.left - 6, y: y(v) + 4, 'text-anchor': 'end', fill: MUTED },
          formatTickValue(v, ticks.step),
        ),
      );
    }
    svg.appendChild(svgEl('text', { x: 4, y: MARGIN.top - 12, fill: MUTED }, options.unit));
    for (const t of timeTicks(t0, t1, Math.max(2, Math.floor(plotW / 90)))) {
      svg.appendChild(
        svgEl('line', { x1: x(t.ms), x2: x(t.ms), y1: MARGIN.top + plotH, y2: MARGIN.top + plotH + 4, stroke: MUTED }),
      );
      svg.appendChild(svgEl('text', { x: x(t.ms), y: HEIGHT - 8, 'text-anchor': 'middle', fill: MUTED }, t.label));
    }
    if (mode === 'bars') {
      const base = y(0);
      for (const p of points) {
        const left = x(p.time);
        const w = Math.max(1, x(end(p.last)) - left - (points.length < plotW / 4 ? 1 : 0));
        const top = Math.min(base, y(p.value));
        svg.appendChild(
          svgEl('rect', { x: left, y: top, width: w, height: Math.max(0.5, Math.abs(base - y(p.value))), fill: LINE }),
        );
      }
    } else {
      const mid = (p: { time: number; last: number }): number => (x(p.time) + x(end(p.last))) / 2;
      const band = points
        .map((p) => `${mid(p)},${y(p.high)}`)
        .concat(
          points
            .slice()
            .reverse()
            .map((p) => `${mid(p)},${y(p.low)}`),
        );
      svg.appendChild(svgEl('polygon', { points: band.join(' '), fill: LINE, 'fill-opacity': 0.2 }));
      svg.appendChild(
        svgEl('polyline', {
          points: points.map((p) => `${mid(p)},${y(p.value)}`).join(' '),
          fill: 'none',
          stroke: LINE,
          'stroke-width': 1.5,
        }),
      );
    }
    cursor = svgEl('line', {
      y1: MARGIN.top,
      y2: MARGIN.top + plotH,
      stroke: FG,
      'stroke-dasharray': '3 2',
      visibility: 'hidden',
    });
    svg.appendChild(cursor);
    surface.replaceChildren(svg);
    if (selected >= 0) select(selected, false);
  };

  const select = (i: number, announce: boolean): void => {
    selected = i;
    const cx = (xOf(at(buckets.bucketStart, i)) + xOf(end(i))) / 2;
    cursor?.setAttribute('x1', String(cx));
    cursor?.setAttribute('x2', String(cx));
    cursor?.setAttribute('visibility', 'visible');
    if (announce) tooltip.textContent = describe(i);
    tooltip.style.display = 'block';
    const rootW = root.clientWidth || 600;
    tooltip.style.left = `${Math.max(0, Math.min(cx + 8, rootW - tooltip.offsetWidth - 4))}px`;
    tooltip.style.top = `${MARGIN.top}px`;
  };
  const hide = (): void => {
    tooltip.style.display = 'none';
    cursor?.setAttribute('visibility', 'hidden');
  };

  const onMove = (e: MouseEvent): void => {
    const rect = surface.getBoundingClientRect();
    const i = nearestBucket(buckets.bucketStart, xOf.length ? linearInvert(e.clientX - rect.left) : 0);
    if (i >= 0) select(i, true);
  };
  const linearInvert = (px: number): number => {
    const scale = xOf as ReturnType<typeof linearScale>;
    return scale.invert ? scale.invert(px) : px;
  };
  const onKey = (e: KeyboardEvent): void => {
    const next = indexAfterKey(e.key, selected, n);
    if (next === undefined) {
      if (e.key === 'Escape') hide();
      return;
    }
    e.preventDefault();
    select(next, true);
  };
  const onFocus = (): void => select(selected < 0 ? n - 1 : selected, true);

  const stops = [
    listen(surface, 'mousemove', onMove),
    listen(surface, 'mouseleave', hide),
    listen(surface, 'keydown', onKey),
    listen(surface, 'focus', onFocus),
    listen(surface, 'blur', hide),
    redrawOnResize(root, draw),
  ];
  draw();

  return {
    dispose: () => {
      for (const stop of stops) stop();
      root.remove();
    },
  };
}
