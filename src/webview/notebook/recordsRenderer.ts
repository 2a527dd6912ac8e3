/**
 * The notebook renderer of query cell outputs (dist/notebookRenderer.js): the query panel's own
 * virtualized table and JSON tree over the records the cell fetched, so a large result scrolls as
 * smoothly as in the panel. The records are all in the output; the views ask for windows of them
 * as the panel's views ask the host.
 */
import { parseCellOutput, type CellOutput } from '../../core/notebook/cellOutput';
import type { ResponseSummary } from '../../shared/protocol';
import { el } from '../dom';
import { ResultSession } from '../resultSession';
import { TableView } from '../tableView';
import { TreeView } from '../treeView';
import panelStyles from '../../../media/query.css';

/** The part of VS Code's renderer API this uses (the `vscode-notebook-renderer` types are not installed). */
interface OutputItem {
  readonly id: string;
  text(): string;
}

const VIEW_HEIGHT_PX = 360;

/** The panel's stylesheet, nested under the output so its page-wide rules reach nothing else. */
const STYLE = `.onetwentyone-records { --row-height: 22px; --border: var(--vscode-panel-border, rgba(128, 128, 128, 0.35)); ${panelStyles} }
.onetwentyone-records .view { height: ${VIEW_HEIGHT_PX}px; display: flex; flex-direction: column; border: 1px solid var(--border); }
.onetwentyone-records .view[hidden] { display: none; }
.onetwentyone-records .view > .virtual-scroller { flex: 1; }
.onetwentyone-records .switch { display: flex; gap: 8px; margin-bottom: 4px; align-items: center; }`;

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
  const toggle = el('button', { text: 'Tree' });
  toggle.addEventListener('click', () => {
    treeHost.hidden = !treeHost.hidden;
    tableHost.hidden = !tableHost.hidden;
    toggle.textContent = treeHost.hidden ? 'Tree' : 'Table';
    (treeHost.hidden ? table : tree).refresh();
  });
  element.replaceChildren(
    el('style', { text: STYLE }),
    el('div', { className: 'onetwentyone-records' }, [
      el('div', { className: 'switch' }, [label, toggle]),
      note,
      tableHost,
      treeHost,
    ]),
  );
  if (records) requestRecords(0, Math.min(records.length, 100));
  table.setSession(session);
  tree.setSession(session, [['data']]);
}

export function activate() {
  return {
    renderOutputItem(item: OutputItem, element: HTMLElement): void {
      const output = parseCellOutput(item.text());
      if (!output) {
        element.replaceChildren(el('div', { text: 'This output is not a OneTwentyOne result.' }));
        return;
      }
      render(output, element);
    },
  };
}
