/**
 * The data behind a chart as a plain table: what a screen reader or keyboard user reads instead of
 * the drawing. Text only, in a scrollable region that takes the focus.
 */
import { el } from '../dom';
import { fmt } from '../l10n';

export interface ChartTableData {
  readonly caption: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export function renderChartTable(data: ChartTableData): HTMLElement {
  const table = el('table', { className: 'chart-data-table' }, [
    el('caption', { text: data.caption }),
    el('thead', {}, [
      el(
        'tr',
        {},
        data.headers.map((h) => el('th', { text: h, attrs: { scope: 'col' } })),
      ),
    ]),
    el(
      'tbody',
      {},
      data.rows.map((row) =>
        el(
          'tr',
          {},
          row.map((cell, i) =>
            i === 0 ? el('th', { text: cell, attrs: { scope: 'row' } }) : el('td', { text: cell }),
          ),
        ),
      ),
    ),
  ]);
  return el('div', { className: 'chart-data', attrs: { role: 'region', tabindex: '0', 'aria-label': data.caption } }, [
    table,
  ]);
}

/** One decimal at most, digits grouped the user's way. */
export function formatNumber(n: number): string {
  return Number.isFinite(n) ? fmt().number(n, { maximumFractionDigits: 1 }) : '';
}

export function formatTime(ms: number): string {
  return fmt().date(ms, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function formatDay(ms: number): string {
  return fmt().date(ms, { year: 'numeric', month: 'short', day: 'numeric' });
}
