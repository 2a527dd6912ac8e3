/**
 * A notebook's settings, its front matter: the variables its query cells use (`{{account}}`,
 * `{{from}}`, `{{to}}`) and whether results are saved in the file. One `name: value` per line;
 * `#` starts a comment. Dates follow the same rule as the query form's date fields.
 */
import type { LocalizableText } from '../localizable';
import { flagRule, isoDateRule } from '../routes/rules';

export const VARIABLE_NAMES = ['account', 'from', 'to'] as const;
export type VariableName = (typeof VARIABLE_NAMES)[number];
export type Variables = Partial<Record<VariableName, string>>;

export const SETTING_NAMES = [...VARIABLE_NAMES, 'saveOutputs'] as const;

/** A problem of one line of a cell (settings or query), worded as the query form words it. */
export interface LineProblem {
  /** 0-based line of the cell's text. */
  readonly line: number;
  /** The setting or parameter it is about, or `line` for a line that says nothing. */
  readonly field: string;
  readonly message: string;
  /** The message still to be worded, when it is a query check's (the host shows it translated). */
  readonly text?: LocalizableText;
}

export interface NotebookSettings {
  readonly variables: Variables;
  readonly saveOutputs: boolean;
  readonly problems: readonly LineProblem[];
}

export interface Entry {
  readonly line: number;
  readonly key: string;
  readonly value: string;
}

/** `name: value` lines (a value may be quoted); blank and `#` lines are skipped; a line without a colon is a problem. */
export function entriesOf(text: string): { entries: Entry[]; problems: LineProblem[] } {
  const entries: Entry[] = [];
  const problems: LineProblem[] = [];
  text.split('\n').forEach((raw, line) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const colon = trimmed.indexOf(':');
    if (colon <= 0) {
      problems.push({ line, field: 'line', message: 'Expected "name: value" (a # starts a comment).' });
      return;
    }
    const key = trimmed.slice(0, colon).trim();
    const value = unquote(trimmed.slice(colon + 1).trim());
    if (entries.some((e) => e.key === key))
      problems.push({ line, field: key, message: `${key} is given twice; the first one counts.` });
    else entries.push({ line, key, value });
  });
  return { entries, problems };
}

function unquote(value: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? (quoted[2] ?? '') : value;
}

/** "must be …" from a rule's first issue: the same words as the form's. */
export function ruleMessage(field: string, issues: readonly { message: string }[]): string {
  return `${field} ${issues[0]?.message ?? 'is not valid'}.`;
}

export function parseSettings(text: string): NotebookSettings {
  const { entries, problems } = entriesOf(text);
  const variables: Variables = {};
  let saveOutputs = false;
  for (const { line, key, value } of entries) {
    if (key === 'saveOutputs') {
      const flag = flagRule.safeParse(value === 'true' ? true : value === 'false' ? false : value);
      if (flag.success) saveOutputs = flag.data;
      else problems.push({ line, field: key, message: ruleMessage(key, flag.error.issues) });
    } else if (key === 'account') variables.account = value;
    else if (key === 'from' || key === 'to') {
      const date = isoDateRule.safeParse(value);
      if (date.success) variables[key] = value;
      else problems.push({ line, field: key, message: ruleMessage(key, date.error.issues) });
    } else
      problems.push({
        line,
        field: key,
        message: `Unknown setting "${key.slice(0, 40)}" (allowed: ${SETTING_NAMES.join(', ')}).`,
      });
  }
  return { variables, saveOutputs, problems };
}
