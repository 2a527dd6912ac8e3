/**
 * The catalogues' words (route, parameter, metric and category names, parameter descriptions, the
 * checks' messages, date presets) are English, written once where the catalogue describes them. The
 * core cannot translate (no `vscode` here), so it marks them: `localizable('Steps')` returns its text
 * unchanged, scripts/l10n.js puts the literal into the translation bundle, and the layer that shows a
 * word translates it then (the host with `vscode.l10n.t`, the webview with the host's translations
 * of every marked text). See docs/localization.md.
 */

const marked = new Set<string>();

/** Marks a catalogue text for translation; call it with a string literal so scripts/l10n.js finds it. */
export function localizable<T extends string>(text: T): T {
  marked.add(text);
  return text;
}

/** Every text marked so far: those of the modules loaded (the catalogues mark theirs as they load). */
export function localizableTexts(): readonly string[] {
  return [...marked];
}

/** A value put into a message: a name as it is, a number, or a catalogue word or message of its own. */
export type TextArg = string | number | LocalizableText;

/** A message still to be worded: its English template (`{0}`, `{1}`… where its values go) and values. */
export interface LocalizableText {
  readonly template: string;
  readonly args: readonly TextArg[];
  /** Its first letter upper-case: a predicate ("must be …") made a sentence of its own. */
  readonly capitalized?: boolean;
}

/** A message of a marked template (or a catalogue word alone, without values). */
export function textOf(template: string, ...args: TextArg[]): LocalizableText {
  return { template, args };
}

/** How a layer words a message: its translation of a marked text, and its way of writing numbers. */
export interface Wording {
  translate(text: string): string;
  number(value: number): string;
}

/** The catalogue's own words: English, numbers as `10,000`. */
export const ENGLISH: Wording = { translate: (text) => text, number: englishNumber };

/**
 * `10,000`: whole numbers grouped by hand, as `toLocaleString('en-US')` groups them. The first
 * `toLocaleString` sets up ICU's number formats (about 20 ms), which the route catalogue's checks
 * paid as they loaded with a first action (docs/performance.md, B11).
 */
function englishNumber(value: number): string {
  // -0 reads as `-0` in en-US, as String() does not.
  return Number.isSafeInteger(value) && !Object.is(value, -0)
    ? String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
    : value.toLocaleString('en-US');
}

/** The message in `wording`: its template translated, then its values filled in (values worded alike). */
export function renderText(text: LocalizableText, wording: Wording = ENGLISH): string {
  const filled = wording.translate(text.template).replace(/\{(\d+)\}/g, (whole, index: string) => {
    const arg = text.args[Number(index)];
    if (arg === undefined) return whole;
    if (typeof arg === 'string') return arg;
    return typeof arg === 'number' ? wording.number(arg) : renderText(arg, wording);
  });
  return text.capitalized ? filled.charAt(0).toUpperCase() + filled.slice(1) : filled;
}
