import { localizableTexts, renderText, type LocalizableText, type Wording } from '../core/localizable';
// Loaded for the texts they mark as they load, so that every catalogue word is known here.
import '../core/routes/request';
import '../shared/query';
import { usableLocale } from '../shared/locale';
import { displayLanguage, l10n } from './l10n';

export { displayLanguage };

/**
 * The route catalogue's words in the user's language: the core marks them (src/core/localizable.ts)
 * and scripts/l10n.js puts them in the bundle, where `l10n.t` finds any message, literal or not.
 */

const HOST_WORDING: Wording = {
  translate: (text) => l10n.t(text),
  number: (value) => value.toLocaleString(usableLocale(displayLanguage())),
};

/** A catalogue word (a route's, parameter's, metric's or category's name, a description, a preset). */
export function catalogueWord(text: string): string {
  return HOST_WORDING.translate(text);
}

/** A catalogue message with its values (a query's problem), translated and filled in. */
export function catalogueText(message: LocalizableText): string {
  return renderText(message, HOST_WORDING);
}

/** Every catalogue text whose translation is not its English, keyed by its English: what the webview needs. */
export function catalogueTranslations(): Record<string, string> {
  const table: Record<string, string> = {};
  for (const text of localizableTexts()) {
    const translated = catalogueWord(text);
    if (translated !== text) table[text] = translated;
  }
  return table;
}
