/**
 * The request form: one field per route parameter, presets, checks and the live request line, all
 * from the route descriptions (src/core/routes.ts): a new parameter there gets its field here. Their
 * words (names, descriptions, choices, problems) are the catalogue's, shown through `word`.
 */
import {
  METRIC_CATEGORIES,
  METRICS,
  ROUTES,
  routeById,
  type QueryParams,
  type QuerySpec,
  type RouteId,
  type RouteParam,
} from '../core/routes';
import { planRequest, requestPath } from '../core/routes/request';
import type { AccountSummary, FormState } from '../shared/protocol';
import { DATE_PRESETS, defaultQuery, presetRange } from '../shared/query';
import { el, setText, textButton } from './dom';
import { catalogueText, t, word } from './l10n';

export interface QueryFormHost {
  send(form: FormState): void;
  cancel(): void;
  changed(form: FormState): void;
  signIn(): void;
}

type FieldName = keyof QueryParams | 'metric';

/** Every parameter name of every route once (its first description), checkboxes last. */
function formParams(): RouteParam[] {
  const byName = new Map<string, RouteParam>();
  for (const param of ROUTES.flatMap((r) => r.params)) if (!byName.has(param.name)) byName.set(param.name, param);
  const all = [...byName.values()];
  return [...all.filter((p) => p.input !== 'checkbox'), ...all.filter((p) => p.input === 'checkbox')];
}

export class QueryForm {
  readonly element: HTMLDivElement;
  private readonly _account = el('select', { attrs: { id: 'account', 'aria-label': t('form.user') } });
  private readonly _route = el('select', { attrs: { id: 'route', 'aria-label': t('form.route') } });
  private readonly _metric = el('input', {
    attrs: {
      id: 'field-metric',
      list: 'metric-list',
      spellcheck: 'false',
      autocomplete: 'off',
      placeholder: 'stepCount',
    },
  });
  private readonly _inputs = new Map<FieldName, HTMLInputElement | HTMLSelectElement>();
  private readonly _fields = new Map<FieldName, HTMLElement>();
  private readonly _errors = new Map<FieldName, HTMLElement>();
  private readonly _requestLine = el('code', { className: 'request-line', attrs: { id: 'request-line' } });
  private readonly _authLine = el('code', { className: 'request-line auth' });
  private readonly _sendButton: HTMLButtonElement;
  private readonly _cancelButton: HTMLButtonElement;
  private readonly _noAccount: HTMLDivElement;
  private readonly _presets: HTMLDivElement;
  private _accounts: AccountSummary[] = [];
  private _today = new Date();
  private _busy = false;

  constructor(private readonly _host: QueryFormHost) {
    for (const r of ROUTES) this._route.appendChild(el('option', { text: word(r.label), attrs: { value: r.id } }));
    this._route.addEventListener('change', () => this._switchRoute(this._route.value as RouteId));
    this._account.addEventListener('change', () => this._changed());

    const datalist = el('datalist', { attrs: { id: 'metric-list' } });
    for (const cat of METRIC_CATEGORIES) {
      for (const m of METRICS.filter((x) => x.category === cat.id))
        datalist.appendChild(
          el('option', {
            text: `${word(cat.label)}: ${word(m.label)} (${m.unit})`,
            attrs: { value: m.name },
          }),
        );
    }
    this._inputs.set('metric', this._metric);

    const mk = (name: FieldName, label: string, input: HTMLInputElement | HTMLSelectElement, hint = '') => {
      input.id = `field-${name}`;
      input.addEventListener('input', () => this._changed());
      input.addEventListener('change', () => this._changed());
      input.addEventListener('keydown', (e) => {
        if ((e as KeyboardEvent).key === 'Enter') this._send();
      });
      const error = el('div', { className: 'field-error', attrs: { id: `error-${name}`, 'aria-live': 'polite' } });
      input.setAttribute('aria-describedby', `error-${name}`);
      const field = el('div', { className: `field field-${name}` }, [
        el('label', { text: label, attrs: { for: input.id }, title: hint }),
        input,
        error,
      ]);
      this._inputs.set(name, input);
      this._fields.set(name, field);
      this._errors.set(name, error);
      return field;
    };
    const inputFor = (param: RouteParam): HTMLInputElement | HTMLSelectElement => {
      switch (param.input) {
        case 'choice': {
          const select = el('select');
          for (const [value, text] of param.choices ?? [])
            select.appendChild(el('option', { text: word(text), attrs: { value } }));
          return select;
        }
        case 'number': {
          const [min, max] = param.range ?? [0, Number.MAX_SAFE_INTEGER];
          return el('input', { attrs: { type: 'number', min: String(min), max: String(max), step: '1' } });
        }
        case 'checkbox':
          return el('input', { attrs: { type: 'checkbox' } });
        case 'date':
          return el('input', { attrs: { type: 'date' } });
        case 'text':
          return el('input', {
            attrs: { type: 'text', spellcheck: 'false', autocomplete: 'off', placeholder: word(param.example ?? '') },
          });
      }
    };
    const fieldsOf = (params: RouteParam[]) =>
      params.map((p) => mk(p.name as FieldName, word(p.label), inputFor(p), word(p.description)));
    const params = formParams();

    const presets = (this._presets = el(
      'div',
      { className: 'presets', attrs: { role: 'group', 'aria-label': t('form.presets') } },
      DATE_PRESETS.map((p) => textButton(word(p.label), () => this._applyPreset(p.id))),
    ));
    this._sendButton = textButton(t('form.send'), () => this._send(), {
      primary: true,
      iconName: 'play',
      title: t('form.sendTitle'),
    });
    this._cancelButton = textButton(t('form.cancel'), () => this._host.cancel(), { iconName: 'debug-stop' });
    this._cancelButton.disabled = true;
    this._noAccount = el('div', { className: 'no-account', attrs: { hidden: '' } }, [
      el('span', { text: t('form.noAccount') }),
      textButton(t('form.signIn'), () => this._host.signIn(), { iconName: 'sign-in' }),
    ]);

    this.element = el('div', { className: 'query-form', attrs: { role: 'form', 'aria-label': t('form.label') } }, [
      el('div', { className: 'form-row' }, [
        el('div', { className: 'field' }, [
          el('label', { text: t('form.user'), attrs: { for: 'account' } }),
          this._account,
        ]),
        el('div', { className: 'field' }, [
          el('label', { text: t('form.route'), attrs: { for: 'route' } }),
          this._route,
        ]),
        mk('metric', t('form.metric'), this._metric, t('form.metricHint')),
        datalist,
      ]),
      this._noAccount,
      el('div', { className: 'form-row' }, [...fieldsOf(params.filter((p) => p.input === 'date')), presets]),
      el('div', { className: 'form-row' }, fieldsOf(params.filter((p) => p.input !== 'date'))),
      // Focusable: a long URL scrolls sideways, and keyboard users must be able to scroll it too.
      el(
        'div',
        {
          className: 'request-preview',
          attrs: { role: 'region', tabindex: '0', 'aria-label': t('form.preview') },
        },
        [this._requestLine, this._authLine],
      ),
      el('div', { className: 'form-row actions' }, [this._sendButton, this._cancelButton]),
    ]);
    this._switchRoute('quantity', true);
  }

  setToday(isoDay: string): void {
    const [y = 1970, m = 1, d = 1] = isoDay.split('-').map(Number);
    this._today = new Date(y, m - 1, d);
  }

  setAccounts(accounts: AccountSummary[], activeId: string | null): void {
    const keep = this._account.value;
    this._accounts = accounts;
    this._account.replaceChildren(
      ...accounts.map((a) => el('option', { text: `${a.label} · ${a.environment}`, attrs: { value: a.id } })),
    );
    const pick = accounts.find((a) => a.id === keep) ?? accounts.find((a) => a.id === activeId) ?? accounts[0];
    if (pick) this._account.value = pick.id;
    this._noAccount.hidden = accounts.length > 0;
    this._update();
  }

  setBusy(busy: boolean): void {
    this._busy = busy;
    this._cancelButton.disabled = !busy;
    this._update();
  }

  get state(): FormState {
    const route = this._route.value as RouteId;
    const def = routeById(route);
    const params: QueryParams = {};
    const p = params as Record<string, string | number | boolean>;
    for (const param of def.params) {
      const input = this._inputs.get(param.name as FieldName);
      if (!input) continue;
      if (input instanceof HTMLInputElement && input.type === 'checkbox') {
        if (input.checked) p[param.name] = true;
      } else if (input.value.trim() !== '') {
        const v = input.value.trim();
        p[param.name] = param.input === 'number' ? Number(v) : v;
      }
    }
    const query: QuerySpec = { route, params };
    if (def.takesMetric) query.metric = this._metric.value.trim();
    const form: FormState = { query };
    if (this._account.value) form.accountId = this._account.value;
    return form;
  }

  /** Loads a query into the form (from the host, history or saved state). */
  setState(form: FormState): void {
    this._route.value = form.query.route;
    this._switchRoute(form.query.route, true);
    const values = form.query.params as Record<string, string | number | boolean | undefined>;
    for (const [name, input] of this._inputs) {
      if (name === 'metric') continue;
      const v = values[name];
      if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = v === true;
      else input.value = v === undefined ? '' : String(v);
    }
    this._metric.value = form.query.metric ?? '';
    if (form.accountId && this._accounts.some((a) => a.id === form.accountId)) this._account.value = form.accountId;
    this._update();
  }

  /** Sets the page and sends (the pager's previous, next and jump). */
  sendPage(page: number): void {
    const input = this._inputs.get('page');
    if (!input) return;
    input.value = String(page);
    this._send();
  }

  focusFirst(): void {
    this._route.focus();
  }

  private _switchRoute(route: RouteId, keepValues = false): void {
    const def = routeById(route);
    const names = new Set<string>(def.params.map((p) => p.name));
    if (def.takesMetric) names.add('metric');
    for (const [name, field] of this._fields) field.hidden = !names.has(name);
    this._presets.hidden = !names.has('startDate');
    // Routes may describe a shared parameter differently (workout's and labs' `type`): this route's words.
    for (const param of def.params) {
      const label = this._fields.get(param.name as FieldName)?.querySelector('label');
      if (label) {
        label.textContent = word(param.label);
        label.title = word(param.description);
      }
      if (param.example !== undefined)
        this._inputs.get(param.name as FieldName)?.setAttribute('placeholder', word(param.example));
    }
    if (!keepValues) {
      const d = defaultQuery(route, this._today, this._metric.value.trim() || undefined);
      this.setState({ query: d, ...(this._account.value ? { accountId: this._account.value } : {}) });
      this._changed();
      return;
    }
    this._update();
  }

  private _applyPreset(id: (typeof DATE_PRESETS)[number]['id']): void {
    const range = presetRange(id, this._today);
    const values: [FieldName, string][] = [
      ['startDate', range.startDate ?? ''],
      ['endDate', range.endDate ?? ''],
      ['page', '1'],
    ];
    for (const [name, value] of values) {
      const input = this._inputs.get(name);
      if (input) input.value = value;
    }
    this._changed();
  }

  private _changed(): void {
    this._update();
    this._host.changed(this.state);
  }

  private _send(): void {
    if (this._busy || !this._update()) return;
    this._host.send(this.state);
  }

  /** Shows problems and the request line; returns true when the form can be sent. */
  private _update(): boolean {
    const form = this.state;
    const account = this._accounts.find((a) => a.id === form.accountId);
    // The request as it will be sent: the builder the API client sends with.
    const { target, problems } = planRequest(form.query, account?.userId);
    for (const [name, error] of this._errors) {
      const problem = problems.find((p) => p.field === name);
      setText(error, problem ? catalogueText(problem.fieldText) : '');
      this._inputs.get(name)?.setAttribute('aria-invalid', String(Boolean(problem)));
    }
    setText(this._requestLine, `${target.route.method} ${account?.origin ?? ''}${requestPath(target)}`);
    setText(this._authLine, t('form.authLine'));
    const ok = problems.length === 0 && account !== undefined;
    this._sendButton.disabled = !ok || this._busy;
    return ok;
  }
}
