/** The compare view's words, from the host's table in `init`, and numbers in the user's locale. */
import {
  type COMPARE_STRING_ARGS,
  fillCompareString,
  type CompareStringKey,
  type CompareStrings,
} from '../../shared/compareProtocol';

type Arg = string | number;
/** As many values as the key's message takes. */
type ArgsOf<K extends CompareStringKey> = (typeof COMPARE_STRING_ARGS)[K] extends 0
  ? []
  : (typeof COMPARE_STRING_ARGS)[K] extends 1
    ? [Arg]
    : (typeof COMPARE_STRING_ARGS)[K] extends 2
      ? [Arg, Arg]
      : (typeof COMPARE_STRING_ARGS)[K] extends 3
        ? [Arg, Arg, Arg]
        : [Arg, Arg, Arg, Arg];

export interface CompareText {
  t<K extends CompareStringKey>(key: K, ...args: ArgsOf<K>): string;
  number(value: number): string;
}

/** The locale if Intl knows it (the pseudo-locale is not a BCP 47 tag), else English. */
function usable(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

export function compareText(strings: CompareStrings, locale: string): CompareText {
  const tag = usable(locale);
  const numbers = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 });
  return {
    t: (key, ...args) => fillCompareString(strings[key], args, tag),
    number: (value) => (Number.isFinite(value) ? numbers.format(value) : ''),
  };
}
