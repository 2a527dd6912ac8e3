/** The inspector's tab list (Tree, Table, Raw, Headers, Warnings, Chart) and the one panel that shows the chosen view. */
import type { WebviewStringKey } from '../shared/webviewStrings';
import { el, setText } from './dom';
import { t } from './l10n';
import type { InspectorTab } from './vscodeApi';

const LABELS = {
  tree: 'tabs.tree',
  table: 'tabs.table',
  raw: 'tabs.raw',
  headers: 'tabs.headers',
  warnings: 'tabs.warnings',
  chart: 'tabs.chart',
} as const satisfies Record<InspectorTab, WebviewStringKey>;
const ORDER = Object.keys(LABELS) as InspectorTab[];

/** The tab the arrow keys, Home and End move to from tab `i`, or undefined for any other key. */
function tabAfterKey(key: string, i: number): InspectorTab | undefined {
  const n = ORDER.length;
  if (key === 'ArrowRight') return ORDER[(i + 1) % n];
  if (key === 'ArrowLeft') return ORDER[(i + n - 1) % n];
  if (key === 'Home') return ORDER[0];
  if (key === 'End') return ORDER[n - 1];
  return undefined;
}

export class InspectorTabs {
  readonly tabList: HTMLDivElement;
  readonly panel: HTMLDivElement;
  private readonly _buttons: Record<InspectorTab, HTMLButtonElement>;
  private readonly _empty: HTMLDivElement;
  private _current: InspectorTab;

  /** `choose`: the user picked a tab (click or keys); the owner shows it with `select`. */
  constructor(
    private readonly _panes: Record<InspectorTab, HTMLElement>,
    initial: InspectorTab,
    choose: (tab: InspectorTab) => void,
  ) {
    this._current = initial;
    const button = (tab: InspectorTab): HTMLButtonElement =>
      el('button', {
        className: 'tab',
        text: t(LABELS[tab]),
        attrs: { role: 'tab', id: `tab-${tab}`, type: 'button' },
      });
    this._buttons = {
      tree: button('tree'),
      table: button('table'),
      raw: button('raw'),
      headers: button('headers'),
      warnings: button('warnings'),
      chart: button('chart'),
    };
    this.tabList = el(
      'div',
      { className: 'tab-bar', attrs: { role: 'tablist', 'aria-label': t('tabs.label') } },
      ORDER.map((tab) => this._buttons[tab]),
    );
    ORDER.forEach((tab, i) => {
      const b = this._buttons[tab];
      b.addEventListener('click', () => choose(tab));
      b.addEventListener('keydown', (e) => {
        const next = tabAfterKey(e.key, i);
        if (!next) return;
        e.preventDefault();
        choose(next);
        this._buttons[next].focus();
      });
    });
    this._empty = el('div', { className: 'empty-view', attrs: { id: 'empty-view' } }, [
      el('p', { text: t('tabs.empty') }),
    ]);
    this.panel = el('div', { className: 'pane-host', attrs: { role: 'tabpanel', id: 'pane-host' } }, [
      this._empty,
      ...ORDER.map((tab) => this._panes[tab]),
    ]);
  }

  get current(): InspectorTab {
    return this._current;
  }

  /** Shows tab `tab`'s view, or the empty view's invitation while there is no result. */
  select(tab: InspectorTab, hasResult: boolean): void {
    this._current = tab;
    this.panel.setAttribute('aria-labelledby', `tab-${tab}`);
    for (const name of ORDER) {
      const b = this._buttons[name];
      b.setAttribute('aria-selected', String(name === tab));
      b.setAttribute('aria-controls', 'pane-host');
      b.tabIndex = name === tab ? 0 : -1;
      this._panes[name].hidden = name !== tab || !hasResult;
    }
    this._empty.hidden = hasResult;
  }

  /** The selected tab's button: the one the Tab key stops on. */
  get selectedButton(): HTMLButtonElement {
    return this._buttons[this._current];
  }

  setWarningCount(count: number): void {
    setText(this._buttons.warnings, count ? t('tabs.warningsCount', count) : t('tabs.warnings'));
  }
}
