import { localizable, renderText, textOf, type LocalizableText } from '../localizable';
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
  cancelled: localizable('cancelled'),
  stopped: localizable('stopped'),
  quota: localizable('stopped: quota'),
  page_cap: localizable('stopped: page limit'),
  record_cap: localizable('stopped: record limit'),
  error: localizable('stopped: error'),
};

/** What one run stored: its pages, or the records of the one page it stopped in. */
function runPages(run: FetchRun): LocalizableText {
  if (run.pages <= 0) return textOf(localizable('No page ({0} records of page {1})'), run.records, run.fromPage);
  if (run.pages === 1) return textOf(localizable('Page {0}'), run.fromPage);
  return textOf(localizable('Pages {0}–{1}'), run.fromPage, run.fromPage + run.pages - 1);
}

/** The same, inside a sentence (after "; "). */
function laterRunPages(run: FetchRun): LocalizableText {
  if (run.pages <= 0) return textOf(localizable('no page ({0} records of page {1})'), run.records, run.fromPage);
  if (run.pages === 1) return textOf(localizable('page {0}'), run.fromPage);
  return textOf(localizable('pages {0}–{1}'), run.fromPage, run.fromPage + run.pages - 1);
}

/**
 * One sentence for the result: "Pages 1–40: run 1 (stopped: quota); pages 41–80: run 2." A run
 * that stored no whole page says so; a run that stored part of a page counts its records there.
 * Undefined for a result fetched by no run.
 */
export function describeRunsText(log: FetchRunLog): LocalizableText | undefined {
  const parts = log.runs.map((run, i) => {
    const what = i === 0 ? runPages(run) : laterRunPages(run);
    return run.reason === 'complete'
      ? textOf(localizable('{0}: run {1}'), what, run.run)
      : textOf(localizable('{0}: run {1} ({2})'), what, run.run, textOf(STOP_WORDS[run.reason]));
  });
  const [first, ...rest] = parts;
  if (!first) return undefined;
  const runs = rest.reduce((all, part) => textOf(localizable('{0}; {1}'), all, part), first);
  const resume = log.resume;
  if (!resume) return textOf(localizable('{0}.'), runs);
  return resume.skipRecords
    ? textOf(
        localizable('{0}. Resume starts at page {1} (after its first {2} records, already kept).'),
        runs,
        resume.page,
        resume.skipRecords,
      )
    : textOf(localizable('{0}. Resume starts at page {1}.'), runs, resume.page);
}

/** `describeRunsText` in English; empty for a result fetched by no run. */
export function describeRuns(log: FetchRunLog): string {
  const text = describeRunsText(log);
  return text ? renderText(text) : '';
}
