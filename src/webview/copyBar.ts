/** Copy the request (curl, fetch, with the token on request), save the query, copy the focused row's path or value. */
import { formatJsonPath, type PathSegment } from '../shared/jsonPath';
import { MAX_MESSAGE_CHARS, type FormState, type WebviewToHost } from '../shared/protocol';
import { el, textButton } from './dom';
import { t } from './l10n';

/** The row with the focus in the tree or table; `value` is undefined while its record is on its way. */
export interface FocusedValue {
  path: PathSegment[];
  value: unknown;
}

export interface CopyBarHost {
  post(message: WebviewToHost): void;
  form(): FormState;
  focused(): FocusedValue | undefined;
  /** Says why nothing was copied. */
  explain(text: string): void;
  /** Types and schema of the result's records, or a client for its query (nothing without a result). */
  generateCode(what: 'types' | 'client'): void;
}

export class CopyBar {
  readonly element: HTMLDivElement;

  constructor(private readonly _host: CopyBarHost) {
    const copyRequest = (format: 'curl' | 'fetch', withToken: boolean) => () =>
      _host.post({ type: 'copyRequest', format, withToken });
    this.element = el('div', { className: 'copy-bar' }, [
      textButton(t('copy.curl'), copyRequest('curl', false), {
        iconName: 'terminal',
        title: t('copy.curlTitle'),
      }),
      textButton(t('copy.fetch'), copyRequest('fetch', false), {
        iconName: 'code',
        title: t('copy.fetchTitle'),
      }),
      textButton(t('copy.withToken'), copyRequest('curl', true), {
        iconName: 'key',
        title: t('copy.withTokenTitle'),
      }),
      textButton(t('copy.client'), () => _host.generateCode('client'), {
        iconName: 'file-code',
        title: t('copy.clientTitle'),
      }),
      textButton(t('copy.types'), () => _host.generateCode('types'), {
        iconName: 'symbol-interface',
        title: t('copy.typesTitle'),
      }),
      textButton(t('copy.saveQuery'), () => _host.post({ type: 'saveQuery', form: _host.form() }), {
        iconName: 'save',
      }),
      textButton(t('copy.path'), () => this.copyFocused('path'), {
        iconName: 'symbol-field',
        title: t('copy.pathTitle'),
      }),
      textButton(t('copy.value'), () => this.copyFocused('value'), {
        iconName: 'copy',
        title: t('copy.valueTitle'),
      }),
    ]);
  }

  copyFocused(what: 'path' | 'value'): void {
    const focused = this._host.focused();
    if (!focused) return;
    if (what === 'path') this.copyPath(focused.path);
    else this.copyValue(focused.value);
  }

  copyPath(path: PathSegment[]): void {
    this._host.post({ type: 'copyText', what: 'path', text: formatJsonPath(path) });
  }

  /** Strings as they are, anything else as indented JSON; a value not here yet copies nothing. */
  copyValue(value: unknown): void {
    if (value === undefined) return;
    let text: string;
    try {
      text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    } catch {
      // Only a value nested deeper than the stack allows gets here: the raw view and exports keep it.
      this._host.explain(t('copy.tooDeep'));
      return;
    }
    this._host.post({ type: 'copyText', what: 'value', text: text.slice(0, MAX_MESSAGE_CHARS) });
  }
}
