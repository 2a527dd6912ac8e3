/**
 * The webview's words, from the host: the page carries the table and the user's locale in a meta
 * element (src/vscode/explorer/html.ts), read here as text and checked before use. Views call `t` for
 * a message, `word` and `catalogueText` for the route catalogue's words, and `fmt` for numbers and
 * dates in the user's locale.
 */
import type { LocalizableText } from '../core/localizable';
import {
  createWebviewL10n,
  L10N_META_NAME,
  parseWebviewBootstrap,
  type ArgsOf,
  type WebviewBootstrap,
  type WebviewL10n,
  type WebviewStringKey,
} from '../shared/webviewStrings';

/** What this module needs of the page: typed here, since the pure view modules also load in plain Node (unit tests). */
interface PageWithMeta {
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
}

function readBootstrap(): WebviewBootstrap | undefined {
  const page = (globalThis as { document?: PageWithMeta }).document;
  return parseWebviewBootstrap(page?.querySelector(`meta[name="${L10N_META_NAME}"]`)?.getAttribute('content'));
}

let current: WebviewL10n = createWebviewL10n(readBootstrap());

/**
 * Puts another table in place, for views drawn outside the query panel's page (a notebook output),
 * which get their table another way; call it before drawing.
 */
export function installWebviewStrings(bootstrap: WebviewBootstrap | undefined): void {
  current = createWebviewL10n(bootstrap);
}

/** The message of `key` with its values. */
export function t<K extends WebviewStringKey>(key: K, ...args: ArgsOf<K>): string {
  return current.t(key, ...args);
}

/** A word of the route catalogue (route, parameter, metric, category, preset) in the user's language. */
export function word(text: string): string {
  return current.word(text);
}

/** A catalogue message with its values, such as a field's problem, in the user's language. */
export function catalogueText(message: LocalizableText): string {
  return current.text(message);
}

/** Numbers, dates and plurals the user's way. */
export function fmt(): WebviewL10n {
  return current;
}
