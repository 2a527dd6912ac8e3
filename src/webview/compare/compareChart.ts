/**
 * Both quantity series in one chart: A as a solid line, B as a dashed one (told apart without
 * colour), on the same time and value axes. Every bucket is reachable by keyboard and said in a
 * live region; the numbers are also in a table below. Drawn from the chart components' scales,
 * ticks and SVG helper.
 */
import type { CompareChart } from '../../shared/compareProtocol';
import { renderChartTable } from '../chart/dataTable';
import { linearScale, niceTicks } from '../chart/scales';
import { svgEl } from '../chart/svg';
import { timeTicks } from '../chart/timeTicks';
import { el } from '../dom';
import type { CompareText } from './compareText';

const MARGIN = { top: 12, right: 16, bottom: 28, left: 64 };
const HEIGHT = 260;
const COLOURS = { a: 'var(--vscode-charts-blue, #3794ff)', b: 'var(--vscode-charts-orange, #d18616)' };
const MUTED = 'var(--vscode-descriptionForeground, currentColor)';

interface Bucket {
  readonly start: number;
  readonly a: number | undefined;
  readonly b: number | undefined;
}

/** The buckets of both series on one time line (a bucket only one side has is empty on the other). */
export function mergeBuckets(chart: CompareChart): Bucket[] {
  const byStart = new Map<number, { a?: number | undefined; b?: number | undefined }>();
  chart.a.bucketStart.forEach((s, i) => byStart.set(s, { ...byStart.get(s), a: chart.a.value[i] }));
  chart.b.bucketStart.forEach((s, i) => byStart.set(s, { ...byStart.get(s), b: chart.b.value[i] }));
  return [...byStart].sort((x, y) => x[0] - y[0]).map(([start, v]) => ({ start, a: v.a, b: v.b }));
}

function bucketName(bucket: CompareChart['bucket'], start: number): string {
  const iso = new Date(start).toISOString();
  return bucket === 'month' ? iso.slice(0, 7) : iso.slice(0, 10);
}

export function renderCompareChart(
  chart: CompareChart,
  labels: { a: string; b: string },
  text: CompareText,
): HTMLElement {
  const buckets = mergeBuckets(chart);
  const valueText = (v: number | undefined) =>
    v === undefined ? text.t('chart.noValue') : `${text.number(v)}${chart.unit ? ` ${chart.unit}` : ''}`;
  const describe = (b: Bucket) =>
    text.t('chart.bucket', bucketName(chart.bucket, b.start), valueText(b.a), valueText(b.b));

  const status = el('div', { className: 'compare-chart-status', attrs: { role: 'status', 'aria-live': 'polite' } });
  const surface = el('div', {
    className: 'compare-chart',
    attrs: {
      tabindex: '0',
      role: 'group',
      'aria-roledescription': 'chart',
      'aria-label': `${text.t('chart.title', chart.bucket)}. ${text.t('chart.label', buckets.length)}`,
    },
  });
  const legend = el('p', { className: 'compare-legend' }, [
    legendItem(COLOURS.a, false, labels.a),
    legendItem(COLOURS.b, true, labels.b),
  ]);
  const table = renderChartTable({
    caption: text.t('chart.dataCaption'),
    headers: [text.t('chart.period'), labels.a, labels.b],
    rows: buckets.map((b) => [bucketName(chart.bucket, b.start), valueText(b.a), valueText(b.b)]),
  });
  Object.assign(table.style, { maxHeight: '160px', overflow: 'auto' });
  const root = el('section', { attrs: { 'aria-label': text.t('chart.title', chart.bucket) } }, [
    el('h2', { text: text.t('chart.title', chart.bucket) }),
    legend,
    surface,
    status,
    table,
  ]);

  let selected = -1;
  const draw = (): void => {
    const width = Math.max(320, surface.clientWidth || 640);
    const svg = svgEl('svg', { width, height: HEIGHT, role: 'presentation', 'aria-hidden': 'true' });
    surface.replaceChildren(svg);
    if (buckets.length === 0) return;
    const first = buckets[0]!.start;
    const last = buckets[buckets.length - 1]!.start;
    const x = linearScale([first, last], [MARGIN.left, width - MARGIN.right]);
    const values = buckets.flatMap((b) => [b.a, b.b]).filter((v): v is number => v !== undefined);
    const ticks = niceTicks(Math.min(0, ...values), Math.max(...values), 5);
    const y = linearScale([ticks.min, ticks.max], [HEIGHT - MARGIN.bottom, MARGIN.top]);
    for (const tick of ticks.ticks) {
      svg.append(
        svgEl('line', {
          x1: MARGIN.left,
          x2: width - MARGIN.right,
          y1: y(tick),
          y2: y(tick),
          stroke: MUTED,
          'stroke-opacity': 0.25,
        }),
        svgEl(
          'text',
          { x: MARGIN.left - 6, y: y(tick) + 4, 'text-anchor': 'end', fill: MUTED, 'font-size': 11 },
          text.number(tick),
        ),
      );
    }
    for (const tick of timeTicks(first, last, Math.max(2, Math.floor(width / 110))))
      svg.append(
        svgEl(
          'text',
          { x: x(tick.ms), y: HEIGHT - 8, 'text-anchor': 'middle', fill: MUTED, 'font-size': 11 },
          tick.label,
        ),
      );
    for (const side of ['a', 'b'] as const) {
      const points = buckets.filter((b) => b[side] !== undefined).map((b) => `${x(b.start)},${y(b[side]!)}`);
      svg.append(
        svgEl('polyline', {
          points: points.join(' '),
          fill: 'none',
          stroke: COLOURS[side],
          'stroke-width': 2,
          ...(side === 'b' ? { 'stroke-dasharray': '6 3' } : {}),
        }),
      );
      if (buckets.length <= 200)
        for (const b of buckets)
          if (b[side] !== undefined)
            svg.append(svgEl('circle', { cx: x(b.start), cy: y(b[side]), r: 2.5, fill: COLOURS[side] }));
    }
    const current = buckets[selected];
    if (current)
      svg.append(
        svgEl('line', {
          x1: x(current.start),
          x2: x(current.start),
          y1: MARGIN.top,
          y2: HEIGHT - MARGIN.bottom,
          stroke: MUTED,
        }),
      );
  };
  const select = (index: number): void => {
    selected = Math.max(0, Math.min(buckets.length - 1, index));
    const bucket = buckets[selected];
    if (bucket) status.textContent = describe(bucket);
    draw();
  };
  surface.addEventListener('keydown', (e) => {
    const page = Math.max(1, Math.round(buckets.length / 10));
    const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) select((selected < 0 ? 0 : selected) + moves[e.key]!);
    else if (e.key === 'Home') select(0);
    else if (e.key === 'End') select(buckets.length - 1);
    else return;
    e.preventDefault();
  });
  new ResizeObserver(() => draw()).observe(surface);
  draw();
  return root;
}

function legendItem(colour: string, dashed: boolean, label: string): HTMLElement {
  const swatch = svgEl('svg', { width: 24, height: 10, 'aria-hidden': 'true' });
  swatch.append(
    svgEl('line', {
      x1: 0,
      x2: 24,
      y1: 5,
      y2: 5,
      stroke: colour,
      'stroke-width': 2,
      ...(dashed ? { 'stroke-dasharray': '6 3' } : {}),
    }),
  );
  const item = el('span', { className: 'compare-legend-item', text: ` ${label}` });
  item.prepend(swatch);
  Object.assign(item.style, { marginRight: '16px' });
  return item;
}
