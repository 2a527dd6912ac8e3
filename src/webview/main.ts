/**
 * The query panel's script: the request form and the response inspector (tree, table, raw, warnings),
 * talking to the host only through validated protocol messages. Ready handshake first (house style 15).
 */
import { formatJsonPath, parseJsonPath, type PathSegment } from '../shared/jsonPath';
import {
  hostToWebview,
  MAX_ROWS_PER_REQUEST,
  type FindHit,
  type FormState,
  type HostToWebview,
  type Quota,
  type ResponseSummary,
} from '../shared/protocol';
import { describeQuery } from '../shared/query';
import { el, handOffFocus, icon, iconButton, setText, textButton } from './dom';
import { escapeInvisible } from './tableModel';
import type { TreeRow } from './jsonTreeModel';
import { QueryForm } from './queryForm';
import { ResultSession } from './resultSession';
import { TableView } from './tableView';
import { TreeView } from './treeView';
import { loadState, post, saveState, type InspectorTab } from './vscodeApi';
import { WholeResultBar } from './wholeResultBar';
import { ChartView } from './chartView';

let nextRequestId = 1;
let activeRequest: number | undefined;
let session: ResultSession | undefined;
let quota: Quota | null = null;
let findHits: FindHit[] = [];
let findIndex = -1;
let findRequest: number | undefined;
let totalHits = 0;
let cappedHits = false;
let lastFindText = '';
let rawRequest: number | undefined;
let pendingReveal: FindHit | undefined;
const rowRequests = new Map<number, { resultId: number; offset: number }>();
const persisted = loadState();
let tab: InspectorTab = persisted.tab ?? 'tree';

const form = new QueryForm({
  send: (f) => runQuery(f),
  cancel: () => {
    if (activeRequest !== undefined) post({ type: 'cancel', requestId: activeRequest });
  },
  changed: (f) => saveState({ form: f }),
  signIn: () => post({ type: 'selectAccount' }),
});

function requestRecords(first: number, end: number): void {
  if (!session || session.summary.dataKind !== 'array') return;
  for (const { offset, count } of session.cache.takeMissing(first, end)) {
    const requestId = nextRequestId++;
    rowRequests.set(requestId, { resultId: session.summary.resultId, offset });
    post({
      type: 'getRows',
      requestId,
      resultId: session.summary.resultId,
      offset,
      count: Math.min(count, MAX_ROWS_PER_REQUEST),
    });
  }
}

function fullPath(row: TreeRow): PathSegment[] {
  return row.segments;
}

const tree = new TreeView({
  requestRecords,
  copyPath: (row) => post({ type: 'copyText', what: 'path', text: formatJsonPath(fullPath(row)) }),
  copyValue: (row) => copyValueOf(row.value, row.kind),
  onDidChangeExpansion: () => saveState({ expanded: session?.tree.expandedPaths() ?? [] }),
});
const table = new TableView({
  requestRecords,
  copyValue: (record) => {
    const value = session?.cache.get(record);
    if (value !== undefined) copyValueOf(value, 'object');
  },
});

function copyValueOf(value: unknown, kind: string): void {
  if (kind === 'pending' || value === undefined) return;
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  } catch {
    // Only a value nested deeper than the stack allows gets here: the raw view and exports keep it.
    setText(
      statusLine,
      'This value is nested too deeply to copy from here: copy it from the raw view, or export the result.',
    );
    return;
  }
  post({ type: 'copyText', what: 'value', text: text.length > 1_000_000 ? text.slice(0, 1_000_000) : text });
}

// ---------- layout ----------

const statusLine = el('div', {
  className: 'status-line',
  attrs: { role: 'status', 'aria-live': 'polite', id: 'status-line' },
});
const quotaLine = el('div', { className: 'quota-line', attrs: { id: 'quota-line' } });
const pageLabel = el('span', { className: 'page-label', attrs: { id: 'page-label' } });
const pageInput = el('input', {
  className: 'page-input',
  attrs: { type: 'number', min: '1', 'aria-label': 'Jump to page', id: 'page-input' },
});
const prevButton = iconButton('arrow-left', 'Previous page', () => goPage(-1));
const nextButton = iconButton('arrow-right', 'Next page', () => goPage(1));
const jumpButton = textButton('Go', () => {
  const n = Number(pageInput.value);
  if (Number.isInteger(n) && n >= 1) form.sendPage(n);
});
const pager = el('div', { className: 'pager', attrs: { role: 'group', 'aria-label': 'Pages' } }, [
  prevButton,
  pageLabel,
  nextButton,
  pageInput,
  jumpButton,
]);

const findInput = el('input', {
  className: 'find-input',
  attrs: { type: 'search', placeholder: 'Find in response', 'aria-label': 'Find in response', id: 'find-input' },
});
const caseToggle = el('input', { attrs: { type: 'checkbox', id: 'find-case', 'aria-label': 'Match case' } });
const findCount = el('span', { className: 'find-count', attrs: { id: 'find-count', 'aria-live': 'polite' } });
const findBar = el('div', { className: 'find-bar', attrs: { role: 'search' } }, [
  icon('search'),
  findInput,
  el('label', { className: 'case-label', title: 'Match case' }, [caseToggle, el('span', { text: 'Aa' })]),
  iconButton('arrow-up', 'Previous match (Shift+Enter)', () => stepFind(-1)),
  iconButton('arrow-down', 'Next match (Enter)', () => stepFind(1)),
  findCount,
]);

const copyBar = el('div', { className: 'copy-bar' }, [
  textButton('Copy as curl', () => post({ type: 'copyRequest', format: 'curl', withToken: false }), {
    iconName: 'terminal',
    title: 'The token is left out: the command reads $ONETWENTYONE_TOKEN',
  }),
  textButton('Copy as fetch', () => post({ type: 'copyRequest', format: 'fetch', withToken: false }), {
    iconName: 'code',
    title: 'TypeScript fetch; the token is read from process.env',
  }),
  textButton('Copy with token…', () => post({ type: 'copyRequest', format: 'curl', withToken: true }), {
    iconName: 'key',
    title: 'Asks first; the token goes to the clipboard only',
  }),
  textButton('Save query…', () => post({ type: 'saveQuery', form: form.state }), { iconName: 'save' }),
  textButton('Copy path', () => copyFocused('path'), {
    iconName: 'symbol-field',
    title: 'JSON path of the focused row (Ctrl+Shift+C)',
  }),
  textButton('Copy value', () => copyFocused('value'), {
    iconName: 'copy',
    title: 'Value of the focused row (Ctrl+C)',
  }),
]);

const wholeResult = new WholeResultBar({
  fetchAll: () => {
    if (session) post({ type: 'fetchAll', resultId: session.summary.resultId });
  },
  cancelFetchAll: () => {
    if (session) post({ type: 'cancelFetchAll', resultId: session.summary.resultId });
  },
  search: (text) => {
    const requestId = nextRequestId++;
    if (session) post({ type: 'search', requestId, resultId: session.summary.resultId, text });
    return requestId;
  },
  getHit: (hitIndex) => {
    const requestId = nextRequestId++;
    if (session) post({ type: 'getHit', requestId, resultId: session.summary.resultId, hitIndex });
    return requestId;
  },
  exportAs: (format) => {
    if (session) post({ type: 'exportResult', resultId: session.summary.resultId, format });
  },
  revealRecord: (row) => revealHit({ record: row, path: [] }),
});

function copyFocused(what: 'path' | 'value'): void {
  if (tab === 'table') {
    const record = table.scroller.focused;
    if (what === 'path') post({ type: 'copyText', what, text: formatJsonPath(['data', record]) });
    else {
      const value = session?.cache.get(record);
      if (value !== undefined) copyValueOf(value, 'object');
    }
    return;
  }
  const row = tree.focusedRow();
  if (!row) return;
  if (what === 'path') post({ type: 'copyText', what, text: formatJsonPath(fullPath(row)) });
  else copyValueOf(row.value, row.kind);
}

const tabs: Record<InspectorTab, HTMLButtonElement> = {
  tree: el('button', { className: 'tab', text: 'Tree', attrs: { role: 'tab', id: 'tab-tree', type: 'button' } }),
  table: el('button', { className: 'tab', text: 'Table', attrs: { role: 'tab', id: 'tab-table', type: 'button' } }),
  raw: el('button', { className: 'tab', text: 'Raw', attrs: { role: 'tab', id: 'tab-raw', type: 'button' } }),
  headers: el('button', {
    className: 'tab',
    text: 'Headers',
    attrs: { role: 'tab', id: 'tab-headers', type: 'button' },
  }),
  warnings: el('button', {
    className: 'tab',
    text: 'Warnings',
    attrs: { role: 'tab', id: 'tab-warnings', type: 'button' },
  }),
  chart: el('button', { className: 'tab', text: 'Chart', attrs: { role: 'tab', id: 'tab-chart', type: 'button' } }),
};
const chartView = new ChartView(
  {
    quantity: (bucket) => {
      const requestId = nextRequestId++;
      if (session) post({ type: 'getChart', requestId, resultId: session.summary.resultId, bucket });
      return requestId;
    },
    hypnogram: (sleepSession) => {
      const requestId = nextRequestId++;
      if (session) post({ type: 'getHypnogram', requestId, resultId: session.summary.resultId, session: sleepSession });
      return requestId;
    },
  },
  () => (session ? describeQuery(session.summary.query) : ''),
);
const tabBar = el(
  'div',
  { className: 'tab-bar', attrs: { role: 'tablist', 'aria-label': 'Response views' } },
  Object.values(tabs),
);

const rawText = el('pre', {
  className: 'raw-text',
  attrs: { id: 'raw-text', tabindex: '0', 'aria-label': 'Raw response' },
});
const rawNote = el('div', { className: 'raw-note' });
const rawView = el('div', { className: 'raw-view' }, [
  rawNote,
  rawText,
  textButton(
    'Open in editor',
    () => {
      if (session) post({ type: 'openRawInEditor', resultId: session.summary.resultId });
    },
    { iconName: 'go-to-file' },
  ),
]);
const warningsList = el('ul', { className: 'warnings-list', attrs: { id: 'warnings-list' } });
const noWarnings = el('p', {
  className: 'no-warnings',
  text: 'No schema warnings: every record has the documented shape.',
  attrs: { id: 'no-warnings' },
});
const warningsView = el('div', { className: 'warnings-view', attrs: { tabindex: '-1' } }, [noWarnings, warningsList]);
const headersList = el('ul', {
  className: 'headers-list',
  attrs: { id: 'headers-list', 'aria-label': 'Response headers' },
});
const headersView = el('div', { className: 'headers-view', attrs: { tabindex: '0' } }, [headersList]);
const resultNote = el('div', { className: 'result-note', attrs: { id: 'result-note', hidden: '' } });
const emptyView = el('div', { className: 'empty-view', attrs: { id: 'empty-view' } }, [
  el('p', { text: 'Send a request to see its response here.' }),
]);

const panes: Record<InspectorTab, HTMLElement> = {
  tree: tree.scroller.element,
  table: table.element,
  raw: rawView,
  headers: headersView,
  warnings: warningsView,
  chart: chartView.element,
};
const paneHost = el('div', { className: 'pane-host', attrs: { role: 'tabpanel', id: 'pane-host' } }, [
  emptyView,
  ...Object.values(panes),
]);
const inspector = el('section', { className: 'inspector', attrs: { 'aria-label': 'Response' } }, [
  el('div', { className: 'inspector-toolbar' }, [statusLine, quotaLine]),
  resultNote,
  el('div', { className: 'inspector-toolbar' }, [tabBar, pager, findBar]),
  copyBar,
  wholeResult.element,
  paneHost,
]);
document.body.append(el('main', { className: 'layout' }, [form.element, inspector]));

for (const [name, button] of Object.entries(tabs) as [InspectorTab, HTMLButtonElement][]) {
  button.addEventListener('click', () => showTab(name));
  button.addEventListener('keydown', (e) => {
    const order = Object.keys(tabs) as InspectorTab[];
    const i = order.indexOf(name);
    const next =
      e.key === 'ArrowRight'
        ? order[(i + 1) % order.length]
        : e.key === 'ArrowLeft'
          ? order[(i + order.length - 1) % order.length]
          : e.key === 'Home'
            ? order[0]
            : e.key === 'End'
              ? order[order.length - 1]
              : undefined;
    if (next) {
      e.preventDefault();
      showTab(next);
      tabs[next].focus();
    }
  });
}

function showTab(name: InspectorTab): void {
  const previous = tab;
  saveState({ scrollTop: { ...loadState().scrollTop, [previous]: scrollOf(previous) } });
  tab = name;
  saveState({ tab });
  paneHost.setAttribute('aria-labelledby', `tab-${name}`);
  for (const [n, b] of Object.entries(tabs) as [InspectorTab, HTMLButtonElement][]) {
    b.setAttribute('aria-selected', String(n === name));
    b.setAttribute('aria-controls', 'pane-host');
    b.tabIndex = n === name ? 0 : -1;
    panes[n].hidden = n !== name || !session;
  }
  emptyView.hidden = Boolean(session);
  if (name === 'tree') tree.refresh();
  if (name === 'table') table.refresh();
  if (name === 'chart' && session)
    chartView.show(`${session.summary.resultId}:${session.summary.recordCount}`, session.summary.query.route);
  if (name === 'raw' && session && rawRequest === undefined && !rawText.textContent) {
    rawRequest = nextRequestId++;
    setText(rawNote, 'Loading…');
    post({ type: 'getRaw', requestId: rawRequest, resultId: session.summary.resultId });
  }
}

function scrollOf(name: InspectorTab): number {
  return name === 'tree'
    ? tree.scroller.element.scrollTop
    : name === 'table'
      ? table.scroller.element.scrollTop
      : name === 'raw'
        ? rawText.scrollTop
        : 0;
}

// ---------- requests ----------

function runQuery(f: FormState): void {
  const requestId = nextRequestId++;
  activeRequest = requestId;
  form.setBusy(true);
  setText(statusLine, `Sending ${describeQuery(f.query)}…`);
  post({ type: 'runQuery', requestId, form: f });
}

function goPage(delta: number): void {
  const current = session?.summary.pagination?.currentPage ?? session?.summary.query.params.page ?? 1;
  form.sendPage(Math.max(1, current + delta));
}

function runFind(): void {
  const text = findInput.value;
  saveState({ find: { text, caseSensitive: caseToggle.checked } });
  if (!session || !text) {
    findHits = [];
    findIndex = -1;
    setText(findCount, '');
    return;
  }
  findRequest = nextRequestId++;
  setText(findCount, 'Searching…');
  post({
    type: 'find',
    requestId: findRequest,
    resultId: session.summary.resultId,
    text: text.slice(0, 200),
    caseSensitive: caseToggle.checked,
  });
}

function stepFind(delta: number): void {
  if (!findHits.length) {
    runFind();
    return;
  }
  findIndex = (findIndex + delta + findHits.length) % findHits.length;
  showHit(findHits[findIndex]!);
}

function showHit(hit: FindHit): void {
  setText(findCount, `${findIndex + 1} of ${totalHits}${cappedHits ? '+' : ''}`);
  revealHit(hit);
}

function revealHit(hit: FindHit): void {
  if (!session) return;
  if (tab === 'table' && hit.record >= 0) {
    table.scroller.setFocused(hit.record);
    return;
  }
  if (tab !== 'tree') showTab('tree');
  const path: PathSegment[] =
    hit.record >= 0 && session.summary.dataKind === 'array' ? ['data', hit.record, ...hit.path] : hit.path;
  if (hit.record >= 0 && session.summary.dataKind === 'array' && !session.cache.has(hit.record)) {
    pendingReveal = hit;
    requestRecords(hit.record, hit.record + 1);
    return;
  }
  pendingReveal = undefined;
  tree.reveal(path);
  tree.scroller.element.focus();
}

findInput.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    if (findHits.length && findInput.value === lastFindText) stepFind(e.shiftKey ? -1 : 1);
    else runFind();
  }
});
caseToggle.addEventListener('change', () => runFind());

// ---------- rendering results ----------

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

function renderQuota(): void {
  if (!quota || quota.remaining === null) {
    setText(quotaLine, '');
    return;
  }
  const reset = quota.resetAt
    ? `, resets ${new Date(quota.resetAt).toLocaleString(undefined, { hour: '2-digit', minute: '2-digit', month: 'short', day: 'numeric' })}`
    : '';
  setText(
    quotaLine,
    `${quota.budget}: ${quota.remaining.toLocaleString()}${quota.limit !== null ? ` of ${quota.limit.toLocaleString()}` : ''} left${quota.daily ? ' today' : ''}${reset}`,
  );
  quotaLine.classList.toggle('low', quota.limit !== null && quota.remaining <= quota.limit * 0.05);
}

function showResponse(summary: ResponseSummary, restoring: boolean): void {
  // The same result again with more records (Fetch All Pages): rows, pending row requests, find and
  // the raw first page stay valid, so they are kept rather than asked for again a few times a second.
  const grown = session?.summary.resultId === summary.resultId ? session : undefined;
  if (!grown) {
    forgetResult();
    if (!restoring) clearFindText();
    wholeResult.setResult(summary.resultId, summary.dataKind === 'array');
  }
  session = new ResultSession(summary, grown);
  const p = summary.pagination;
  setText(
    statusLine,
    `${summary.status} · ${Math.round(summary.durationMs)} ms · ${formatBytes(summary.bytes)} · ${summary.recordCount.toLocaleString()} record${summary.recordCount === 1 ? '' : 's'}${summary.warnings.length ? ` · ${summary.warnings.length} warning${summary.warnings.length === 1 ? '' : 's'}` : ''}`,
  );
  statusLine.title = summary.url;
  pager.hidden = !p;
  if (p) {
    setText(pageLabel, `Page ${p.currentPage ?? '?'}`);
    if (!p.hasPrev) handOffFocus(prevButton, nextButton, pageInput);
    if (!p.hasMore) handOffFocus(nextButton, prevButton, pageInput);
    prevButton.disabled = !p.hasPrev;
    nextButton.disabled = !p.hasMore;
    pageInput.value = String(p.currentPage ?? 1);
  }
  setText(tabs.warnings, summary.warnings.length ? `Warnings (${summary.warnings.length})` : 'Warnings');
  noWarnings.hidden = summary.warnings.length > 0;
  renderHeaders(summary.headers);
  const empty = summary.dataKind === 'array' && summary.recordCount === 0;
  resultNote.hidden = !empty;
  setText(
    resultNote,
    empty
      ? `No records${p && (p.currentPage ?? 1) > 1 ? ' on this page' : ''}. Try a wider date range (All), another ${summary.query.route === 'quantity' ? 'metric' : 'route'}, or another user.`
      : '',
  );
  warningsList.replaceChildren(
    ...summary.warnings.map((w) => {
      const item = el('li', {}, [
        el('button', { className: 'link', text: w.path, attrs: { type: 'button' } }),
        el('span', { text: ` ${w.message}` }),
      ]);
      item.querySelector('button')!.addEventListener('click', () => {
        const segments = parseJsonPath(w.path);
        if (!segments) return;
        showTab('tree');
        if (segments[0] === 'data' && typeof segments[1] === 'number') {
          findIndex = -1;
          showHit({ record: segments[1], path: segments.slice(2) });
        } else {
          tree.reveal(segments);
        }
      });
      return item;
    }),
  );
  const state = loadState();
  const expanded = restoring ? (state.expanded ?? []) : summary.dataKind === 'none' ? [] : [['data']];
  tree.setSession(session, expanded);
  table.setSession(session);
  if (!restoring) saveState({ expanded, scrollTop: {} });
  showTab(tab);
  if (restoring) {
    const top = state.scrollTop?.[tab];
    if (top) {
      requestAnimationFrame(() => {
        if (tab === 'tree') tree.scroller.scrollTo(top);
        if (tab === 'table') table.scroller.scrollTo(top);
      });
    }
  }
}

/**
 * Drops everything that belonged to the result on screen: its pending row requests, find hits, a
 * reveal waiting for a row, the raw text and the chart. Answers still on their way for it are then
 * recognised as stale (their result id or request id no longer matches) and dropped, never drawn.
 */
function forgetResult(): void {
  chartView.clear();
  rowRequests.clear();
  pendingReveal = undefined;
  findHits = [];
  findIndex = -1;
  findRequest = undefined;
  totalHits = 0;
  cappedHits = false;
  lastFindText = '';
  setText(findCount, '');
  rawText.textContent = '';
  setText(rawNote, '');
  rawRequest = undefined;
}

/** The response headers as text, one per line; a result restored without them says so. */
function renderHeaders(headers: ResponseSummary['headers']): void {
  if (!headers) {
    headersList.replaceChildren(
      el('li', {
        className: 'no-headers',
        text: 'The headers of this response are not kept; send the request again to see them.',
      }),
    );
    return;
  }
  headersList.replaceChildren(
    ...headers.map(([name, value]) =>
      el('li', {}, [
        el('span', { className: 'header-name', text: `${name}: ` }),
        el('span', { className: 'header-value', text: escapeInvisible(value) }),
      ]),
    ),
  );
}

/** The find text belonged to the question asked before: a new one starts without it. */
function clearFindText(): void {
  findInput.value = '';
  saveState({ find: { text: '', caseSensitive: caseToggle.checked } });
}

function clearResult(): void {
  session = undefined;
  forgetResult();
  clearFindText();
  wholeResult.setResult(undefined, false);
  tree.setSession(undefined);
  table.setSession(undefined);
  setText(statusLine, '');
  resultNote.hidden = true;
  headersList.replaceChildren();
  saveState({ expanded: [], scrollTop: {} });
  showTab(tab);
}

// ---------- messages ----------

let receivedCount = 0;
let windowStart = Date.now();

window.addEventListener('message', (event: MessageEvent) => {
  // Only what the protocol allows gets through: the host is trusted, but checks cost little.
  if (++receivedCount > 2000) {
    if (Date.now() - windowStart < 1000) return;
    receivedCount = 0;
    windowStart = Date.now();
  }
  const parsed = hostToWebview.safeParse(event.data);
  if (!parsed.success) return;
  handle(parsed.data);
});

function handle(msg: HostToWebview): void {
  switch (msg.type) {
    case 'didInit':
      form.setToday(msg.today);
      form.setAccounts(msg.accounts, msg.activeAccountId);
      if (msg.form) form.setState(msg.form);
      else if (persisted.form) form.setState(persisted.form);
      quota = msg.quota;
      renderQuota();
      return;
    case 'didChangeAccounts':
      form.setAccounts(msg.accounts, msg.activeAccountId);
      return;
    case 'didChangeQuota':
      quota = msg.quota;
      renderQuota();
      return;
    case 'setForm':
      form.setState(msg.form);
      saveState({ form: msg.form });
      if (msg.run) runQuery(form.state);
      return;
    case 'didStartRequest':
      // Also for runs the host starts (commands, history): Cancel then stops them too.
      activeRequest = msg.requestId;
      form.setBusy(true);
      setText(statusLine, `GET ${msg.url} …`);
      return;
    case 'didReceiveResponse':
      // A response to an older request than the one running is stale.
      if (!msg.restored && activeRequest !== undefined && msg.requestId !== activeRequest) return;
      if (!msg.restored) {
        activeRequest = undefined;
        form.setBusy(false);
        form.setState({
          query: msg.summary.query,
          ...(form.state.accountId ? { accountId: form.state.accountId } : {}),
        });
      }
      showResponse(msg.summary, msg.restored);
      return;
    case 'didFailRequest':
      if (msg.requestId !== activeRequest) return;
      activeRequest = undefined;
      form.setBusy(false);
      setText(statusLine, `${msg.status ? `${msg.status} · ` : ''}${msg.message}`);
      statusLine.classList.add('error');
      setTimeout(() => statusLine.classList.remove('error'), 0);
      return;
    case 'didClearResult':
      clearResult();
      return;
    case 'getRows/result': {
      const req = msg.requestId === undefined ? undefined : rowRequests.get(msg.requestId);
      if (msg.requestId !== undefined) rowRequests.delete(msg.requestId);
      if (!req || !session || msg.resultId !== session.summary.resultId) return;
      let rows: unknown;
      try {
        rows = JSON.parse(msg.rowsJson);
      } catch {
        return;
      }
      if (!Array.isArray(rows)) return;
      const newColumns = session.receiveRows(msg.offset, rows);
      if (tab === 'tree') tree.refresh();
      else if (tab === 'table') {
        if (newColumns) table.refresh();
        else table.scroller.invalidate();
      }
      if (pendingReveal && session.cache.has(pendingReveal.record)) revealHit(pendingReveal);
      return;
    }
    case 'getRaw/result':
      if (msg.requestId !== rawRequest || !session || msg.resultId !== session.summary.resultId) return;
      rawRequest = undefined;
      rawText.textContent = msg.text;
      setText(
        rawNote,
        msg.truncated
          ? `Showing the first ${msg.text.length.toLocaleString()} of ${msg.totalChars.toLocaleString()} characters.`
          : `${msg.totalChars.toLocaleString()} characters, exactly as received.`,
      );
      return;
    case 'find/result':
      if (msg.requestId !== findRequest) return;
      findHits = msg.hits;
      totalHits = msg.total;
      cappedHits = msg.capped;
      lastFindText = findInput.value;
      findIndex = -1;
      if (!findHits.length) setText(findCount, 'No matches');
      else stepFind(1);
      return;
    case 'didUpdateResult':
      if (!session || msg.summary.resultId !== session.summary.resultId) return;
      // The store grew (or a fetched page brought warnings): a new session over the longer list;
      // expansion and scroll are kept (restoring).
      if (
        msg.summary.recordCount !== session.summary.recordCount ||
        msg.summary.warnings.length !== session.summary.warnings.length
      )
        showResponse(msg.summary, true);
      wholeResult.showFetch(msg.fetch);
      return;
    case 'search/result':
      wholeResult.onSearchResult(msg);
      return;
    case 'getHit/result':
      wholeResult.onHit(msg);
      return;
    case 'chart/result':
      if (session && msg.resultId === session.summary.resultId) chartView.onResult(msg);
      return;
    case 'hypnogram/result':
      if (session && msg.resultId === session.summary.resultId) chartView.onHypnogram(msg);
      return;
    case 'didChangeExport':
      wholeResult.showExport(msg.running, msg.message);
      return;
    case 'didFail':
      if (msg.requestId === rawRequest) {
        rawRequest = undefined;
        setText(rawNote, msg.message);
      } else if (chartView.onFailure(msg.requestId, msg.message)) {
        return;
      } else {
        if (msg.requestId !== undefined) rowRequests.delete(msg.requestId);
        setText(statusLine, msg.message);
      }
      return;
  }
}

document.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
    e.preventDefault();
    findInput.focus();
    findInput.select();
  }
});

if (persisted.form) form.setState(persisted.form);
if (persisted.find) {
  findInput.value = persisted.find.text;
  caseToggle.checked = persisted.find.caseSensitive;
}
showTab(tab);
post({ type: 'ready' });
