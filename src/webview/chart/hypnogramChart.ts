import { indexAfterKey } from './downsample';
import { segmentsOfSession, sessionExtent, type SleepSession, type StageSegment, stageKey, stageLabel, stageRows } from './hypnogramModel';
import { linearScale } from './scales';
import { svgEl } from './svg';
import type { ChartHandle } from './timeSeriesChart';
import { clockTime, formatDuration, isoDate, timeTicks } from './timeTicks';

export interface HypnogramInput {
  readonly sessions: readonly SleepSession[];
  /** Sorted by start. */
  readonly segments: readonly StageSegment[];
}

export interface HypnogramChartOptions {
  readonly title: string;
  /** Session shown first; default the latest. */
  readonly initialSession?: number;
}

const MARGIN = { top: 8, right: 16, bottom: 28, left: 140 };
const ROW_H = 28;
const FG = 'var(--vscode-foreground, currentColor)';
const MUTED = 'var(--vscode-descriptionForeground, currentColor)';

/** One sleep session at a time as a step chart of stages, with previous/next session buttons. */
export function renderHypnogram(container: HTMLElement, input: HypnogramInput, options: HypnogramChartOptions): ChartHandle {
  const root = document.createElement('div');
  root.className = 'chart hypnogram';
  container.replaceChildren(root);
  const count = input.sessions.length;
  if (count === 0) {
    const empty = document.createElement('p');
    empty.className = 'chart-empty';
    empty.textContent = `${options.title}: no sleep sessions with stages (fetch sleep with include_stages=true).`;
    root.appendChild(empty);
    return { dispose: () => root.remove() };
  }
  let session = Math.min(count - 1, Math.max(0, options.initialSession ?? count - 1));
  let segments: StageSegment[] = [];
  let selected = -1;

  const bar = document.createElement('div');
  bar.className = 'chart-toolbar';
  const prev = button('Previous session', '‹ Previous');
  const next = button('Next session', 'Next ›');
  const caption = document.createElement('span');
  caption.className = 'chart-caption';
  caption.setAttribute('aria-live', 'polite');
  bar.append(prev, caption, next);
  const surface = document.createElement('div');
  surface.tabIndex = 0;
  surface.setAttribute('role', 'group');
  surface.setAttribute('aria-roledescription', 'hypnogram');
  const status = document.createElement('div');
  status.className = 'chart-tooltip';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  root.append(bar, surface, status);

  const draw = (): void => {
    const s = input.sessions[session];
    segments = segmentsOfSession(input.segments, s);
    const [t0, t1] = sessionExtent(s, segments);
    caption.textContent = ` Session ${session + 1} of ${count}: ${isoDate(s.start)} ${clockTime(s.start)} → ${isoDate(s.end)} ${clockTime(s.end)} UTC (${formatDuration(s.end - s.start)}) `;
    surface.setAttribute('aria-label', `${options.title}, ${caption.textContent.trim()}, ${segments.length} stage segments. Arrow keys read the segments; Page Up/Down change session.`);
    prev.disabled = session === 0;
    next.disabled = session === count - 1;
    const rows = stageRows(segments);
    const width = Math.max(280, root.clientWidth || 600);
    const height = MARGIN.top + rows.length * ROW_H + MARGIN.bottom;
    const x = linearScale([t0, t1], [MARGIN.left, width - MARGIN.right]);
    const rowIndex = (stage: string): number => {
      const key = stageKey(stage);
      return Math.max(0, rows.findIndex((r) => r.key === key));
    };
    const yMid = (row: number): number => MARGIN.top + row * ROW_H + ROW_H / 2;
    const svg = svgEl('svg', { width, height, viewBox: `0 0 ${width} ${height}`, 'aria-hidden': 'true', 'font-size': 11, fill: FG });
    rows.forEach((r, i) => {
      svg.appendChild(svgEl('text', { x: MARGIN.left - 8, y: yMid(i) + 4, 'text-anchor': 'end', fill: MUTED }, r.label));
      svg.appendChild(svgEl('line', { x1: MARGIN.left, x2: width - MARGIN.right, y1: yMid(i), y2: yMid(i), stroke: MUTED, 'stroke-opacity': 0.2 }));
    });
    for (const t of timeTicks(t0, t1, Math.max(2, Math.floor((width - MARGIN.left) / 70)))) {
      svg.appendChild(svgEl('text', { x: x(t.ms), y: height - 8, 'text-anchor': 'middle', fill: MUTED }, t.label));
    }
    let path = '';
    segments.forEach((seg, i) => {
      const row = rowIndex(seg.stage);
      const left = x(Math.max(seg.start, t0));
      const right = x(Math.min(seg.end, t1));
      svg.appendChild(svgEl('rect', { x: left, y: MARGIN.top + row * ROW_H + 4, width: Math.max(0.5, right - left), height: ROW_H - 8, fill: rows[row].color, 'fill-opacity': i === selected ? 0.9 : 0.45 }));
      path += `${i === 0 ? 'M' : 'L'}${left},${yMid(row)} L${right},${yMid(row)} `;
    });
    if (path) svg.appendChild(svgEl('path', { d: path, fill: 'none', stroke: FG, 'stroke-width': 1.25 }));
    surface.replaceChildren(svg);
  };

  const announce = (): void => {
    const seg = segments[selected];
    status.textContent = seg ? `${stageLabel(seg.stage)}: ${clockTime(seg.start)}–${clockTime(seg.end)} UTC (${formatDuration(seg.end - seg.start)})` : '';
  };
  const show = (index: number): void => {
    session = index;
    selected = -1;
    status.textContent = '';
    draw();
  };
  const onPrev = (): void => { if (session > 0) show(session - 1); };
  const onNext = (): void => { if (session < count - 1) show(session + 1); };
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'PageUp') { e.preventDefault(); onPrev(); return; }
    if (e.key === 'PageDown') { e.preventDefault(); onNext(); return; }
    const i = indexAfterKey(e.key, selected, segments.length);
    if (i === undefined) return;
    e.preventDefault();
    selected = i;
    draw();
    announce();
  };
  prev.addEventListener('click', onPrev);
  next.addEventListener('click', onNext);
  surface.addEventListener('keydown', onKey);
  let frame = 0;
  const observer = new ResizeObserver(() => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(draw);
  });
  observer.observe(root);
  draw();
  return {
    dispose: () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
      prev.removeEventListener('click', onPrev);
      next.removeEventListener('click', onNext);
      surface.removeEventListener('keydown', onKey);
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
