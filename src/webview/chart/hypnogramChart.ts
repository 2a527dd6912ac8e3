import { t } from '../l10n';
import { indexAfterKey } from './downsample';
import {
  sessionExtent,
  type SleepSession,
  type StageSegment,
  stageKey,
  stageLabel,
  stageRows,
  stageTotals,
} from './hypnogramModel';
import { listen, redrawOnResize } from './listeners';
import { linearScale } from './scales';
import { svgEl } from './svg';
import type { ChartHandle } from './timeSeriesChart';
import { clockTime, dateTime, formatDuration, timeTicks } from './timeTicks';

/** One session of the result, as the host sends it: the whole result's segments never cross at once. */
export interface HypnogramView {
  /** 0 = earliest session. */
  readonly index: number;
  readonly count: number;
  readonly session: SleepSession;
  /** The session's segments, sorted by start. */
  readonly segments: readonly StageSegment[];
}

export interface HypnogramChartOptions {
  readonly title: string;
  /** Asks for another session; the chart shows it when `show` is called with it. */
  readonly onNavigate: (index: number) => void;
}

export interface HypnogramHandle extends ChartHandle {
  show(view: HypnogramView): void;
}

const MARGIN = { top: 8, right: 16, bottom: 28, left: 140 };
const ROW_H = 28;
const FG = 'var(--vscode-foreground, currentColor)';
const MUTED = 'var(--vscode-descriptionForeground, currentColor)';

/**
 * One sleep session at a time as a step chart of stages, with previous/next session buttons (Page
 * Up/Down too). The element stays while sessions change, so focus and the screen reader's place do.
 */
export function renderHypnogram(container: HTMLElement, options: HypnogramChartOptions): HypnogramHandle {
  const root = document.createElement('div');
  root.className = 'chart hypnogram';
  container.replaceChildren(root);
  let view: HypnogramView | undefined;
  let selected = -1;

  const bar = document.createElement('div');
  bar.className = 'chart-toolbar';
  const prev = button(t('sleep.previous'), t('sleep.previousText'));
  const next = button(t('sleep.next'), t('sleep.nextText'));
  const caption = document.createElement('span');
  caption.className = 'chart-caption';
  caption.id = 'hypnogram-caption';
  caption.setAttribute('aria-live', 'polite');
  bar.append(prev, caption, next);
  const totals = document.createElement('div');
  totals.className = 'chart-note';
  totals.id = 'hypnogram-totals';
  const surface = document.createElement('div');
  surface.tabIndex = 0;
  surface.setAttribute('role', 'group');
  surface.setAttribute('aria-roledescription', t('sleep.roleDescription'));
  const status = document.createElement('div');
  status.className = 'chart-tooltip';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  root.append(bar, totals, surface, status);

  const draw = (): void => {
    if (!view) return;
    const { session: s, segments, index, count } = view;
    const [t0, t1] = sessionExtent(s, segments);
    const said = t(
      'sleep.caption',
      index + 1,
      count,
      dateTime(s.start),
      dateTime(s.end),
      formatDuration(s.end - s.start),
    );
    // Spaced off the buttons on either side.
    caption.textContent = ` ${said} `;
    const rows = stageRows(segments);
    const spent = stageTotals(segments);
    totals.textContent = segments.length
      ? rows
          .filter((r) => spent.has(r.key))
          .map((r) => `${t(r.label)} ${formatDuration(spent.get(r.key)!)}`)
          .join(' · ')
      : t('sleep.noStages');
    surface.setAttribute('aria-label', t('sleep.label', options.title, said, segments.length));
    prev.disabled = index === 0;
    next.disabled = index === count - 1;
    const width = Math.max(280, root.clientWidth || 600);
    const height = MARGIN.top + rows.length * ROW_H + MARGIN.bottom;
    const x = linearScale([t0, t1], [MARGIN.left, width - MARGIN.right]);
    const rowIndex = (stage: string): number => {
      const key = stageKey(stage);
      return Math.max(
        0,
        rows.findIndex((r) => r.key === key),
      );
    };
    const yMid = (row: number): number => MARGIN.top + row * ROW_H + ROW_H / 2;
    const svg = svgEl('svg', {
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      'aria-hidden': 'true',
      'font-size': 11,
      fill: FG,
    });
    rows.forEach((r, i) => {
      svg.appendChild(
        svgEl('text', { x: MARGIN.left - 8, y: yMid(i) + 4, 'text-anchor': 'end', fill: MUTED }, t(r.label)),
      );
      svg.appendChild(
        svgEl('line', {
          x1: MARGIN.left,
          x2: width - MARGIN.right,
          y1: yMid(i),
          y2: yMid(i),
          stroke: MUTED,
          'stroke-opacity': 0.2,
        }),
      );
    });
    for (const t of timeTicks(t0, t1, Math.max(2, Math.floor((width - MARGIN.left) / 70)))) {
      svg.appendChild(svgEl('text', { x: x(t.ms), y: height - 8, 'text-anchor': 'middle', fill: MUTED }, t.label));
    }
    let path = '';
    segments.forEach((seg, i) => {
      const row = rowIndex(seg.stage);
      const left = x(Math.max(seg.start, t0));
      const right = x(Math.min(seg.end, t1));
      svg.appendChild(
        svgEl('rect', {
          x: left,
          y: MARGIN.top + row * ROW_H + 4,
          width: Math.max(0.5, right - left),
          height: ROW_H - 8,
          fill: rows[row]!.color,
          'fill-opacity': i === selected ? 0.9 : 0.45,
          class: 'stage-bar',
        }),
      );
      path += `${i === 0 ? 'M' : 'L'}${left},${yMid(row)} L${right},${yMid(row)} `;
    });
    if (path) svg.appendChild(svgEl('path', { d: path, fill: 'none', stroke: FG, 'stroke-width': 1.25 }));
    surface.replaceChildren(svg);
  };

  const announce = (): void => {
    const seg = view?.segments[selected];
    status.textContent = seg
      ? t(
          'sleep.segment',
          stageLabel(seg.stage),
          clockTime(seg.start),
          clockTime(seg.end),
          formatDuration(seg.end - seg.start),
        )
      : '';
  };
  const go = (delta: number): void => {
    if (!view) return;
    const target = view.index + delta;
    if (target < 0 || target >= view.count) return;
    root.setAttribute('aria-busy', 'true');
    options.onNavigate(target);
  };
  const onPrev = (): void => go(-1);
  const onNext = (): void => go(1);
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'PageUp') {
      e.preventDefault();
      onPrev();
      return;
    }
    if (e.key === 'PageDown') {
      e.preventDefault();
      onNext();
      return;
    }
    const i = indexAfterKey(e.key, selected, view?.segments.length ?? 0);
    if (i === undefined) return;
    e.preventDefault();
    selected = i;
    draw();
    announce();
  };
  const stops = [
    listen(prev, 'click', onPrev),
    listen(next, 'click', onNext),
    listen(surface, 'keydown', onKey),
    redrawOnResize(root, draw),
  ];
  return {
    show: (incoming: HypnogramView) => {
      view = incoming;
      selected = -1;
      status.textContent = '';
      root.removeAttribute('aria-busy');
      draw();
    },
    dispose: () => {
      for (const stop of stops) stop();
      root.remove();
    },
  };
}

function button(label: string, text: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'button secondary';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  return b;
}
