/**
 * The locale Intl formats with. Its own module: the host words its first messages with it, and
 * loading it must not load the webview's string table with it (docs/performance.md, B11).
 */

/** The locale if Intl can format for it (not `qps-ploc`, the pseudo-locale), else English. */
export function usableLocale(locale: string): string {
  try {
    return Intl.NumberFormat.supportedLocalesOf(locale)[0] ?? 'en';
  } catch {
    return 'en';
  }
}
