/**
 * The panel's one live region. Every status that changes (a result, a failure, a fetch's progress, a
 * find's count) is said here, politely and once: the visible status texts are not live regions
 * themselves, so no text is announced twice, and a run that reports progress many times a second
 * (Fetch All Pages, a record search) is read out at most once per interval.
 */
import { el, setText } from './dom';

/** How often a screen reader hears progress that keeps moving: often enough to know it moves, rarely enough to talk over nothing else. */
export const PROGRESS_INTERVAL_MS = 10_000;

export type Announce = (text: string) => void;

export class Announcer {
  readonly element = el('div', {
    className: 'visually-hidden',
    attrs: { id: 'announcer', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' },
  });
  private _progressSaidAt = 0;

  constructor(private readonly _now: () => number = () => Date.now()) {}

  /** A status the user should hear (a result, a failure, a finished run). */
  readonly say: Announce = (text) => {
    this._progressSaidAt = 0;
    this._put(text);
  };

  /** Progress of a run still going: the first report is said, then at most one per interval. */
  readonly progress: Announce = (text) => {
    const now = this._now();
    if (this._progressSaidAt && now - this._progressSaidAt < PROGRESS_INTERVAL_MS) return;
    this._progressSaidAt = now;
    this._put(text);
  };

  /** The same text again changes nothing in the region, so it is not read twice. */
  private _put(text: string): void {
    if (text.trim()) setText(this.element, text.trim());
  }
}
