/** The sentences that sum a response up: the status line's, and the note for a result without records. */
import type { ResponseSummary } from '../shared/protocol';
import { fmt, t } from './l10n';

export function formatBytes(n: number): string {
  const digits = (value: number, decimals: number): string =>
    fmt().number(value, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  if (n < 1024) return t('status.bytes', n);
  if (n < 1024 * 1024) return t('status.kilobytes', digits(n / 1024, 1));
  return t('status.megabytes', digits(n / 1024 / 1024, 2));
}

/** `200 · 41 ms · 3.2 kB · 12 records · 1 warning` */
export function statusOf(summary: ResponseSummary): string {
  const parts = [
    String(summary.status),
    t('status.milliseconds', Math.round(summary.durationMs)),
    formatBytes(summary.bytes),
    fmt().plural(summary.recordCount, 'status.records.one', 'status.records.other'),
  ];
  if (summary.warnings.length)
    parts.push(fmt().plural(summary.warnings.length, 'status.warnings.one', 'status.warnings.other'));
  return parts.join(' · ');
}

/** What to try when a list result has no records; undefined for any other result. */
export function emptyResultNote(summary: ResponseSummary): string | undefined {
  if (summary.dataKind !== 'array' || summary.recordCount !== 0) return undefined;
  const page = summary.pagination?.currentPage ?? 1;
  const onPage = Boolean(summary.pagination) && page > 1;
  if (summary.query.route === 'quantity') return onPage ? t('empty.metricOnPage') : t('empty.metric');
  return onPage ? t('empty.routeOnPage') : t('empty.route');
}
