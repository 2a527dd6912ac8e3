/**
 * The notebook renderer of query cell outputs (dist/notebookRenderer.js): the query panel's own
 * virtualized table and JSON tree over the records the cell fetched, so a large result scrolls as
 * smoothly as in the panel, and its chart: a quantity result over time, or a sleep result's
 * hypnogram, drawn from what the kernel computed over every record (an output holds at most a slice
 * of a large result's records, never millions). The views ask for windows of the records as the
 * panel's views ask the host.
 */
import {
  OUTPUT_STRINGS_KEY,
  parseCellOutput,
  type CellOutput,
  type OutputChart,
  type OutputHypnogram,
} from '../../core/notebook/cellOutput';
import { parseWebviewBootstrap } from '../../shared/webviewStrings';
import { quantitySummary } from '../chart/aggregationText';
import { installWebviewStrings, t } from '../l10n';
import { renderHypnogram } from '../chart/hypnogramChart';
import { renderTimeSeriesChart } from '../chart/timeSeriesChart';
import type { ResponseSummary } from '../../shared/protocol';
import { el } from '../dom';
import { ResultSession } from '../resultSession';
import { TableView } from '../tableView';
import { TreeView } from '../treeView';
import panelStyles from '../../../media/query.css';

/** The part of VS Code's renderer API this uses (the `vscode-notebook-renderer` types are not installed). */
interface OutputItem {
  readonly id: string;
  /** The output's metadata: the kernel puts the webview's words there (`OUTPUT_STRINGS_KEY`). */
  readonly metadata?: unknown;
  text(): string;
}

const VIEW_HEIGHT_PX = 360;

/** The panel's stylesheet, nested under the output so its page-wide rules reach nothing else. */
const STYLE = `.onetwentyone-records { --row-height: 22px; --border: var(--vscode-panel-border, rgba(128, 128, 128, 0.35)); ${panelStyles} }
.onetwentyone-records .view { height: ${VIEW_HEIGHT_PX}px; display: flex; flex-direction: column; border: 1px solid var(--border); }
.onetwentyone-records .view[hidden] { display: none; }
.onetwentyone-records .view > .virtual-scroller { flex: 1; }
.onetwentyone-records .switch { display: flex; gap: 8px; margin-bottom: 4px; align-items: center; flex-wrap: wrap; }
.onetwentyone-records .chart-host { min-height: ${VIEW_HEIGHT_PX}px; }
.onetwentyone-records .chart-host[hidden] { display: none; }
.onetwentyone-records .runs { color: var(--vscode-descriptionForeground); }`;

/** A view of the output: a button in the switch and what it shows. */
interface OutputView {
  readonly label: string;
  readonly host: HTMLElement;
  /** Drawn the first time it is shown (a chart measures its width then). */
  show(): void;
}

function quantityChartView(chart: OutputChart, title: string): OutputView {
  const canvas = el('div');
  const host = el('div', { className: 'chart-host' }, [
    el('div', { className: 'chart-note', text: quantitySummary({ ...chart, notes: [] }) }),
    canvas,
  ]);
  let drawn = false;
  return {
    label: t('notebook.chart'),
    host,
    show: () => {
      if (drawn) return;
      drawn = true;
      renderTimeSeriesChart(canvas, chart, {
        unit: chart.unit,
        aggregation: chart.aggregation,
        bucket: chart.bucket,
        title,
      });
    },
  };
}

function hypnogramView(hypnogram: OutputHypnogram, title: string): OutputView {
  const canvas = el('div');
  const shownNights = hypnogram.nights.length;
  const note =
    shownNights < hypnogram.nightCount
      ? t('notebook.latestNights', shownNights, hypnogram.nightCount)
      : t('notebook.nights', shownNights);
  const host = el('div', { className: 'chart-host' }, [el('div', { className: 'chart-note', text: note }), canvas]);
  let drawn = false;
  return {
    label: t('notebook.hypnogram'),
    host,
    show: () => {
      if (drawn || shownNights === 0) return;
      drawn = true;
      const showNight = (index: number): void => {
        const i = Math.min(shownNights - 1, Math.max(0, index));
        const night = hypnogram.nights[i]!;
        handle.show({
          index: i,
          count: shownNights,
          session: { start: night.start, end: night.end },
          segments: night.stage.map((stage, k) => ({
            stage,
            start: night.segmentStart[k]!,
            end: night.segmentEnd[k]!,
          })),
        });
      };
      const handle = renderHypnogram(canvas, { title, onNavigate: showNight });
      showNight(shownNights - 1);
    },
  };
}

function summaryOf(output: CellOutput): ResponseSummary {
  const list = Array.isArray(output.records);
  return {
    resultId: 1,
    query: { route: output.route as ResponseSummary['query']['route'], params: {} },
    url: '',
    status: output.status,
    durationMs: 0,
    bytes: 0,
    envelopeJson: list ? '{}' : JSON.stringify({ data: output.records }),
    dataKind: list ? 'array' : 'object',
    recordCount: list ? (output.records as unknown[]).length : 1,
    pagination: null,
    warnings: [],
    receivedAt: Date.parse(output.ranAt) || 0,
  };
}

function render(output: CellOutput, element: HTMLElement): void {
  const records = Array.isArray(output.records) ? (output.records as unknown[]) : undefined;
  const session = new ResultSession(summaryOf(output));
  const requestRecords = (first: number, end: number) => {
    if (!records) return;
    const missing = session.cache.takeMissing(first, end);
    for (const { offset, count } of missing) session.receiveRows(offset, records.slice(offset, offset + count));
    // Drawn once this window is stored, as the panel draws when rows arrive (not from inside a draw).
    if (missing.length)
      queueMicrotask(() => {
        table.refresh();
        tree.refresh();
      });
  };
  const table = new TableView({ requestRecords, copyValue: () => undefined });
  const tree = new TreeView({
    requestRecords,
    copyPath: () => undefined,
    copyValue: () => undefined,
    onDidChangeExpansion: () => undefined,
  });
  const tableHost = el('div', { className: 'view' }, [table.element]);
  const treeHost = el('div', { className: 'view' }, [tree.scroller.element]);
  treeHost.hidden = true;
  const what = output.metric ? `${output.route} · ${output.metric}` : output.route;
  const label = el('span', {
    text: `${output.recordCount.toLocaleString('en-US')} record${output.recordCount === 1 ? '' : 's'} · ${what} · ${output.account} · HTTP ${output.status}`,
  });
  const note = output.note === undefined ? undefined : el('div', { className: 'note', text: output.note });
  const runs = output.runs === undefined ? undefined : el('div', { className: 'runs', text: output.runs });
  const title = `${what} · ${output.account}`;
  const views: OutputView[] = [
    { label: t('notebook.table'), host: tableHost, show: () => table.refresh() },
    { label: t('notebook.tree'), host: treeHost, show: () => tree.refresh() },
    ...(output.chart ? [quantityChartView(output.chart, title)] : []),
    ...(output.hypnogram ? [hypnogramView(output.hypnogram, title)] : []),
  ];
  for (const view of views.slice(2)) view.host.hidden = true;
  // One button per view, pressed for the one shown: a screen reader hears which view is on.
  const buttons = views.map((view) => {
    const button = el('button', { text: view.label, attrs: { type: 'button', 'aria-pressed': 'false' } });
    button.addEventListener('click', () => select(view));
    return button;
  });
  const select = (chosen: OutputView): void => {
    views.forEach((view, i) => {
      view.host.hidden = view !== chosen;
      buttons[i]!.setAttribute('aria-pressed', String(view === chosen));
    });
    chosen.show();
  };
  buttons[0]!.setAttribute('aria-pressed', 'true');
  element.replaceChildren(
    el('style', { text: STYLE }),
    el('div', { className: 'onetwentyone-records' }, [
      el('div', { className: 'switch', attrs: { role: 'group', 'aria-label': t('notebook.views') } }, [
        label,
        ...buttons,
      ]),
      note,
      runs,
      ...views.map((view) => view.host),
    ]),
  );
  if (records) requestRecords(0, Math.min(records.length, 100));
  table.setSession(session);
  tree.setSession(session, [['data']]);
}

export function activate() {
  return {
    renderOutputItem(item: OutputItem, element: HTMLElement): void {
      const words = (item.metadata as Record<string, unknown> | undefined)?.[OUTPUT_STRINGS_KEY];
      // The words the query panel's views speak, in the user's language (checked before use).
      installWebviewStrings(parseWebviewBootstrap(words === undefined ? undefined : JSON.stringify(words)));
      const output = parseCellOutput(item.text());
      if (!output) {
        element.replaceChildren(el('div', { text: 'This output is not a OneTwentyOne result.' }));
        return;
      }
      render(output, element);
    },
  };
}
