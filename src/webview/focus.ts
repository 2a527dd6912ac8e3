/**
 * Where the keyboard is in the panel, kept across the host's dialogs. When VS Code opens a modal or a
 * save dialog over the panel, the panel's document drops its focus to the body; the element that had
 * it is remembered, so a control disabled meanwhile hands the focus on, and the focus comes back to
 * the right place when the panel has the keyboard again.
 */

/** The last element of the panel that had the focus (the body never counts). */
let lastFocused: HTMLElement | undefined;

function bodyHasFocus(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}

/** Usable by the keyboard now: on screen, shown and enabled. */
function usable(e: HTMLElement | undefined): e is HTMLElement {
  return Boolean(e?.isConnected && !e.hidden && !(e as HTMLButtonElement).disabled && e.getClientRects().length);
}

function focusOn(e: HTMLElement): void {
  e.focus();
  lastFocused = e;
}

/** Starts remembering the focus (once, by the panel's script). */
export function rememberFocus(): void {
  document.addEventListener('focusin', (e) => {
    if (e.target instanceof HTMLElement && e.target !== document.body) lastFocused = e.target;
  });
  // Back from a host dialog with the focus on nothing: where it was, if that is still usable.
  window.addEventListener('focus', () => {
    if (bodyHasFocus() && usable(lastFocused)) lastFocused.focus();
  });
}

/**
 * Call before `control` is disabled or hidden: if it has the focus (or had it when a host dialog took
 * the keyboard), the first usable fallback gets it, so keyboard and screen-reader users are never
 * dropped onto the page's body.
 */
export function handOffFocus(control: HTMLElement, ...fallbacks: (HTMLElement | undefined)[]): void {
  const holds = document.activeElement === control || (bodyHasFocus() && lastFocused === control);
  if (!holds) return;
  const next = fallbacks.find(usable);
  if (next) focusOn(next);
}

/** Puts the focus on `control` if it is nowhere (after a host dialog was dismissed, or a run from the palette). */
export function focusIfNowhere(control: HTMLElement): void {
  if (bodyHasFocus() && usable(control)) focusOn(control);
}
