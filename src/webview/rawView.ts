/** The Raw tab: the response text exactly as received (its first part when long), asked for once per result. */
import { el, setText, textButton } from './dom';
import { t } from './l10n';
import { showFailure, type RequestClient } from './requestClient';

export class RawView {
  readonly element: HTMLDivElement;
  private readonly _text: HTMLPreElement;
  private readonly _note: HTMLDivElement;
  /** The `getRaw` on its way, if any: aborted when its result goes away. */
  private _loading: AbortController | undefined;

  constructor(
    private readonly _client: RequestClient,
    openInEditor: () => void,
  ) {
    this._text = el('pre', {
      className: 'raw-text',
      attrs: { id: 'raw-text', tabindex: '0', 'aria-label': t('raw.label') },
    });
    this._note = el('div', { className: 'raw-note' });
    this.element = el('div', { className: 'raw-view' }, [
      this._note,
      this._text,
      textButton(t('raw.openInEditor'), openInEditor, { iconName: 'go-to-file' }),
    ]);
  }

  get scrollTop(): number {
    return this._text.scrollTop;
  }

  /** Asks for the raw text of result `resultId` unless it is here or on its way. */
  async load(resultId: number): Promise<void> {
    if (this._loading || this._text.textContent) return;
    const loading = new AbortController();
    this._loading = loading;
    setText(this._note, t('raw.loading'));
    try {
      const reply = await this._client.request('getRaw', { resultId }, { signal: loading.signal });
      this._text.textContent = reply.text;
      setText(
        this._note,
        reply.truncated ? t('raw.truncated', reply.text.length, reply.totalChars) : t('raw.complete', reply.totalChars),
      );
    } catch (error) {
      showFailure(error, (message) => setText(this._note, message));
    } finally {
      if (this._loading === loading) this._loading = undefined;
    }
  }

  /** The result went away: its text, and any answer still on its way for it. */
  clear(): void {
    this._loading?.abort();
    this._loading = undefined;
    this._text.textContent = '';
    setText(this._note, '');
  }
}
