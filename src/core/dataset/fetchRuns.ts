import type { FetchStopReason } from '../routes/stopReasons';

/**
 * Which pages of a result came in which run of "Fetch All Pages", and where a stopped fetch resumes.
 * A run that stopped partway (quota, cancel, an error) leaves a resume point; the next run starts
 * there and appends to the same result, so the records end as an uninterrupted fetch would leave
 * them. Page numbers and counts only: no query value, record or account is kept here, so the log
 * may be shown and persisted as it is.
 */

/** Where the next run starts: a page, and how many of its first records the result already holds. */
export interface ResumePoint {
  readonly page: number;
  /** Records of `page` stored before the stop (a cancel can land halfway through a page). */
  readonly skipRecords: number;
}

export interface FetchRun {
  /** 1 for the first run of a result. */
  readonly run: number;
  /** The first page this run stored (or began to store). */
  readonly fromPage: number;
  /** Whole pages this run stored. */
  readonly pages: number;
  /** Records this run added. */
  readonly records: number;
  readonly reason: FetchStopReason;
}

export interface FetchRunLog {
  readonly runs: readonly FetchRun[];
  /** Where a next run starts; undefined once the result is complete (or cannot be resumed). */
  readonly resume: ResumePoint | undefined;
}

export const EMPTY_RUN_LOG: FetchRunLog = { runs: [], resume: undefined };

/** How a run ended, as `fetchAll` reports it. */
export interface RunEnd {
  readonly fromPage: number;
  readonly pages: number;
  readonly records: number;
  readonly reason: FetchStopReason;
  readonly resume: ResumePoint | undefined;
}

/** The log with one more run. */
export function addRun(log: FetchRunLog, end: RunEnd): FetchRunLog {
  const run: FetchRun = {
    run: log.runs.length + 1,
    fromPage: end.fromPage,
    pages: end.pages,
    records: end.records,
    reason: end.reason,
  };
  return { runs: [...log.runs, run], resume: end.reason === 'complete' ? undefined : end.resume };
}

const STOP_WORDS: Record<Exclude<FetchStopReason, 'complete'>, string> = {
  cancelled: 'cancelled',
  stopped: 'stopped',
  quota: 'stopped: quota',
  page_cap: 'stopped: page limit',
  record_cap: 'stopped: record limit',
  error: 'stopped: error',
};

function pageRange(from: number, pages: number): string {
  if (pages <= 1) return `Page ${from.toLocaleString('en-US')}`;
  return `Pages ${from.toLocaleString('en-US')}–${(from + pages - 1).toLocaleString('en-US')}`;
}

/**
 * One sentence for the result: "Pages 1–40: run 1 (stopped: quota); pages 41–80: run 2." A run
 * that stored no whole page says so; a run that stored part of a page counts its records there.
 */
export function describeRuns(log: FetchRunLog): string {
  const parts = log.runs.map((run) => {
    const why = run.reason === 'complete' ? '' : ` (${STOP_WORDS[run.reason]})`;
    const what =
      run.pages > 0
        ? pageRange(run.fromPage, run.pages)
        : `No page (${run.records.toLocaleString('en-US')} records of page ${run.fromPage.toLocaleString('en-US')})`;
    return `${what}: run ${run.run}${why}`;
  });
  const text = parts.map((part, i) => (i === 0 ? part : part.charAt(0).toLowerCase() + part.slice(1))).join('; ');
  if (!text) return '';
  const next = log.resume
    ? ` Resume starts at page ${log.resume.page.toLocaleString('en-US')}${log.resume.skipRecords ? ` (after its first ${log.resume.skipRecords.toLocaleString('en-US')} records, already kept)` : ''}.`
    : '';
  return `${text}.${next}`;
}
