import type * as vscodeApi from 'vscode';
import { usableLocale } from '../shared/locale';

type Arg = string | number | boolean;

/**
 * The extension host's `vscode.l10n`, or undefined in plain Node (unit tests of modules such as
 * userMessages.ts load without VS Code and then show the English text).
 */
function hostL10n(): typeof vscodeApi.l10n | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('vscode') as typeof vscodeApi).l10n;
  } catch {
    return undefined;
  }
}

/** VS Code's display language (`vscode.env.language`); English where there is no VS Code (unit tests). */
export function displayLanguage(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('vscode') as typeof vscodeApi).env.language;
  } catch {
    return 'en';
  }
}

/** A count for a message, written the way VS Code's display language writes numbers (English where Intl does not know it). */
export function formatCount(value: number): string {
  return value.toLocaleString(usableLocale(displayLanguage()));
}

function fillPlaceholders(message: string, args: readonly Arg[]): string {
  return message.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const arg = args[Number(index)];
    return arg === undefined ? whole : String(arg);
  });
}

/**
 * Translated text for modules that must also run without VS Code. Call it as `l10n.t('… {0} …', arg)`
 * with a string literal, exactly like `vscode.l10n.t`, so scripts/l10n.js finds the message.
 */
export const l10n = {
  t(message: string, ...args: Arg[]): string {
    const host = hostL10n();
    return host ? host.t(message, ...args) : fillPlaceholders(message, args);
  },
};
