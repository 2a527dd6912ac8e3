/** The sentences that sum a response up: the status line's, and the note for a result without records. */
import type { ResponseSummary } from '../shared/protocol';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

const plural = (n: number, word: string): string => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

/** `200 · 41 ms · 3.2 kB · 12 records · 1 warning` */
export function statusOf(summary: ResponseSummary): string {
  const parts = [
    String(summary.status),
    `${Math.round(summary.durationMs)} ms`,
    formatBytes(summary.bytes),
    plural(summary.recordCount, 'record'),
  ];
  if (summary.warnings.length) parts.push(plural(summary.warnings.length, 'warning'));
  return parts.join(' · ');
}

/** What to try when a list result has no records; undefined for any other result. */
export function emptyResultNote(summary: ResponseSummary): string | undefined {
  if (summary.dataKind !== 'array' || summary.recordCount !== 0) return undefined;
  const page = summary.pagination?.currentPage ?? 1;
  const where = summary.pagination && page > 1 ? ' on this page' : '';
  const other = summary.query.route === 'quantity' ? 'metric' : 'route';
  return `No records${where}. Try a wider date range (All), another ${other}, or another user.`;
}
