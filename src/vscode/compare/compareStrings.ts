/**
 * The compare view's words in the user's language: one `l10n.t` message per key of its table
 * (src/shared/compareProtocol.ts), sent to the page in `init`. `{0}`, `{1}`… are where the page
 * puts counts and names.
 */
import type { CompareStrings } from '../../shared/compareProtocol';
import { l10n } from '../l10n';

export function compareStrings(): CompareStrings {
  return {
    'page.title': l10n.t('Comparison'),
    'side.a': l10n.t('A: {0}; records: {1}'),
    'side.b': l10n.t('B: {0}; records: {1}'),
    'key.id': l10n.t('Records are paired by their id.'),
    'key.time': l10n.t('Records are paired by their start time.'),
    'key.index': l10n.t('Records are paired by their position: they have neither an id nor a time on both sides.'),
    'counts.label': l10n.t('Summary'),
    'count.added': l10n.t('{0} added (only in B)'),
    'count.removed': l10n.t('{0} removed (only in A)'),
    'count.changed': l10n.t('{0} changed'),
    'count.unchanged': l10n.t('{0} unchanged'),
    'fields.label': l10n.t('Fields that changed'),
    'fields.item': l10n.t('{0}: in {1} of the changed records'),
    'table.label': l10n.t('Differences'),
    'table.change': l10n.t('Change'),
    'table.key': l10n.t('Key'),
    'table.fields': l10n.t('Fields'),
    'table.a': l10n.t('A'),
    'table.b': l10n.t('B'),
    'table.empty': l10n.t('No differences: every record of A has an identical partner in B.'),
    'table.loading': l10n.t('Loading…'),
    'table.wholeRecord': l10n.t('(whole record)'),
    'kind.added': l10n.t('added'),
    'kind.removed': l10n.t('removed'),
    'kind.changed': l10n.t('changed'),
    'chart.title': l10n.t('A and B per {0}'),
    'chart.label': l10n.t(
      'Chart of both results, {0} buckets. Use the arrow keys, Page Up, Page Down, Home and End to read the buckets.',
    ),
    'chart.bucket': l10n.t('{0}: A {1}, B {2}'),
    'chart.noValue': l10n.t('no records'),
    'chart.dataCaption': l10n.t('Both series as a table'),
    'chart.period': l10n.t('Period'),
    'announce.ready': l10n.t('Comparison ready: {0} added, {1} removed, {2} changed, {3} unchanged.'),
  };
}
