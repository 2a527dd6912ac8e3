/** The inspector's first toolbar: what the last request did (or why it failed), and the API quota left. */
import type { Quota } from '../shared/protocol';
import type { Announce } from './announcer';
import { el, setText } from './dom';
import { fmt, t } from './l10n';

export class StatusLine {
  readonly element: HTMLDivElement;
  private readonly _status: HTMLDivElement;
  private readonly _quota: HTMLDivElement;

  /** `announce`: the panel's live region, which says each status (this line is not one itself). */
  constructor(private readonly _announce: Announce) {
    this._status = el('div', { className: 'status-line', attrs: { id: 'status-line' } });
    this._quota = el('div', { className: 'quota-line', attrs: { id: 'quota-line' } });
    this.element = el('div', { className: 'inspector-toolbar' }, [this._status, this._quota]);
  }

  /** `title`: the longer form shown on hover (the request's URL); it stays until another replaces it. */
  show(text: string, title?: string): void {
    this.showQuietly(text, title);
    this._announce(text);
  }

  /** Shown but not said: a detail of a status already said (the URL of a run), or one that a progress report says. */
  showQuietly(text: string, title?: string): void {
    this._status.classList.remove('error');
    setText(this._status, text);
    if (title !== undefined) this._status.title = title;
  }

  /** A failure stays marked as one (error colour) until the status line says something else. */
  showError(text: string): void {
    this.show(text);
    this._status.classList.add('error');
  }

  showQuota(quota: Quota | null): void {
    if (!quota || quota.remaining === null) {
      setText(this._quota, '');
      this._quota.classList.remove('low');
      return;
    }
    const { budget, remaining, limit } = quota;
    let left: string;
    if (limit === null)
      left = quota.daily ? t('quota.leftToday', budget, remaining) : t('quota.left', budget, remaining);
    else
      left = quota.daily
        ? t('quota.leftOfToday', budget, remaining, limit)
        : t('quota.leftOf', budget, remaining, limit);
    const resetAt = quota.resetAt
      ? fmt().date(new Date(quota.resetAt).getTime(), {
          hour: '2-digit',
          minute: '2-digit',
          month: 'short',
          day: 'numeric',
        })
      : undefined;
    setText(this._quota, resetAt ? t('quota.resets', left, resetAt) : left);
    this._quota.classList.toggle('low', quota.limit !== null && quota.remaining <= quota.limit * 0.05);
  }
}
