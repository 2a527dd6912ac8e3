/**
 * The compare view's page (dist/compare.js): the two sides, how their records pair, the counts, the
 * fields that changed, both series of a quantity in one chart, and the differences as a grid. Every
 * message from the host is checked first; everything is drawn as text.
 */
import { compareHostToWebview, type CompareInit, type CompareWebviewMessage } from '../../shared/compareProtocol';
import { Announcer } from '../announcer';
import { el } from '../dom';
import { renderCompareChart } from './compareChart';
import { CompareTable } from './compareTable';
import { compareText } from './compareText';

const vscode = acquireVsCodeApi();
const post = (message: CompareWebviewMessage): void => vscode.postMessage(message);

const announcer = new Announcer();
let table: CompareTable | undefined;

function render(init: CompareInit): void {
  const text = compareText(init.strings, init.locale);
  document.title = text.t('page.title');
  const a = text.t('side.a', init.a.label, init.a.records);
  const b = text.t('side.b', init.b.label, init.b.records);
  const counts = init.counts;
  const summary = el('ul', { className: 'compare-counts' }, [
    el('li', { className: 'compare-added', text: text.t('count.added', counts.added) }),
    el('li', { className: 'compare-removed', text: text.t('count.removed', counts.removed) }),
    el('li', { className: 'compare-changed', text: text.t('count.changed', counts.changed) }),
    el('li', { className: 'compare-unchanged', text: text.t('count.unchanged', counts.unchanged) }),
  ]);
  const fields =
    init.fields.length > 0
      ? el('section', { attrs: { 'aria-label': text.t('fields.label') } }, [
          el('h2', { text: text.t('fields.label') }),
          el(
            'ul',
            { className: 'compare-fields' },
            init.fields.slice(0, 12).map((f) => el('li', { text: text.t('fields.item', f.field, f.changed) })),
          ),
        ])
      : undefined;
  const chart = init.chart ? renderCompareChart(init.chart, { a: init.a.label, b: init.b.label }, text) : undefined;
  table =
    init.differences > 0
      ? new CompareTable(text, init.differences, (from, count) => post({ type: 'getRows', from, count }))
      : undefined;
  const differences = el('section', { attrs: { 'aria-label': text.t('table.label') } }, [
    el('h2', { text: text.t('table.label') }),
    table?.element ?? el('p', { className: 'compare-empty', text: text.t('table.empty') }),
  ]);
  const main = el('main', { className: 'compare-view' }, [
    el('h1', { text: text.t('page.title') }),
    el('p', { className: 'compare-side-a', text: a }),
    el('p', { className: 'compare-side-b', text: b }),
    el('p', {
      className: 'compare-key',
      text: text.t(init.key === 'id' ? 'key.id' : init.key === 'time' ? 'key.time' : 'key.index'),
    }),
    el('section', { attrs: { 'aria-label': text.t('counts.label') } }, [
      el('h2', { text: text.t('counts.label') }),
      summary,
    ]),
    fields,
    chart,
    differences,
  ]);
  Object.assign(main.style, { padding: '8px 16px', overflow: 'auto', height: '100vh', boxSizing: 'border-box' });
  document.body.replaceChildren(main, announcer.element);
  announcer.say(text.t('announce.ready', counts.added, counts.removed, counts.changed, counts.unchanged));
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = compareHostToWebview.safeParse(event.data);
  if (!parsed.success) return;
  const message = parsed.data;
  if (message.type === 'init') render(message);
  else table?.receive(message.from, message.rows);
});

post({ type: 'ready' });
