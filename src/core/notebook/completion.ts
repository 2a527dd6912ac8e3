/**
 * What a query cell may say at a position, from the route descriptions: the keys (route, metric,
 * account and the route's parameters not given yet) before the colon, and after it the values a
 * key takes (routes, known metrics, a choice's options, true/false, the notebook's variables).
 */
import { localizable, textOf, type LocalizableText } from '../localizable';
import { METRICS, ROUTES } from '../routes';
import { CELL_KEYS, FETCH_MODES } from './queryCell';
import { entriesOf, VARIABLE_NAMES } from './settings';

export interface CompletionItem {
  readonly label: string;
  readonly insertText: string;
  /** Worded by the layer that shows it (catalogue words, src/core/localizable.ts). */
  readonly detail?: LocalizableText;
  readonly kind: 'key' | 'value';
}

/** `lineText` is the whole line; `character` the cursor's column in it. */
export function completionsAt(
  cellText: string,
  line: number,
  character: number,
  accountNames: readonly string[],
): CompletionItem[] {
  const { entries } = entriesOf(cellText);
  const lineText = cellText.split('\n')[line] ?? '';
  const before = lineText.slice(0, character);
  const route = ROUTES.find((r) => r.id === entries.find((e) => e.key === 'route')?.value);
  const colon = before.indexOf(':');
  if (colon === -1) {
    const given = new Set(entries.filter((e) => e.line !== line).map((e) => e.key));
    const keys: CompletionItem[] = [
      { label: 'route', insertText: 'route: ', detail: textOf(localizable('The route to query')), kind: 'key' },
      ...(route === undefined || route.pathTemplate.includes('{metric}')
        ? [
            {
              label: 'metric',
              insertText: 'metric: ',
              detail: textOf(localizable('Quantity: the metric')),
              kind: 'key' as const,
            },
          ]
        : []),
      {
        label: 'account',
        insertText: 'account: ',
        detail: textOf(localizable('The signed-in user, by name')),
        kind: 'key',
      },
      {
        label: 'fetch',
        insertText: 'fetch: ',
        detail: textOf(localizable('page (default) or all pages')),
        kind: 'key',
      },
      ...(route?.params ?? []).map((p) => ({
        label: p.name,
        insertText: `${p.name}: `,
        detail: textOf(localizable('{0}: {1}'), textOf(p.label), textOf(p.description)),
        kind: 'key' as const,
      })),
    ];
    return keys.filter((k) => !given.has(k.label));
  }
  const key = before.slice(0, colon).trim();
  const value = (label: string, detail?: LocalizableText): CompletionItem => ({
    label,
    insertText: label,
    ...(detail !== undefined ? { detail } : {}),
    kind: 'value',
  });
  const variables = VARIABLE_NAMES.map((n) => value(`{{${n}}}`, textOf(localizable('Notebook variable'))));
  if (key === 'route') return ROUTES.map((r) => value(r.id, textOf(r.description)));
  if (key === 'metric')
    return METRICS.map((m) => value(m.name, textOf(localizable('{0} · {1}'), textOf(m.label), m.unit)));
  if (key === 'fetch') return FETCH_MODES.map((m) => value(m));
  if (key === 'account')
    return [...accountNames.map((n) => value(n, textOf(localizable('Signed-in user')))), ...variables];
  if ((CELL_KEYS as readonly string[]).includes(key)) return [];
  const param = route?.params.find((p) => p.name === key);
  if (!param) return [];
  if (param.input === 'checkbox') return [value('true'), value('false')];
  if (param.choices) return param.choices.filter(([v]) => v !== '').map(([v, text]) => value(v, textOf(text)));
  if (param.input === 'date') return variables.filter((v) => v.label !== '{{account}}');
  return [];
}
