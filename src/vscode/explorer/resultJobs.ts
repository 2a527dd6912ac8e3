/**
 * The long jobs on a whole result, as the query panel runs them: "Fetch All Pages" (plan, confirm,
 * progress, cancel, partial outcome) and export (save dialog, progress, cancel, no half file left).
 * The data work itself is the dataset engine's (src/core/dataset); this is the VS Code glue.
 */
import * as vscode from 'vscode';
import type { ApiClient } from '../../core/api/apiClient';
import type { ExportFormat, ExportOutcome } from '../../core/dataset/exportResult';
import { exportToPath } from '../../core/dataset/exportToPath';
import { type FetchAllOutcome, type FetchAllPlan, type FetchAllProgress } from '../../core/dataset/fetchAll';
import {
  fetchAllPages,
  planFetchAllRun,
  type FetchAllSettings,
  type OldestRecordLookup,
} from '../../core/dataset/fetchAllPages';
import type { ResumePoint } from '../../core/dataset/fetchRuns';
import type { PageWorkerSource } from '../../core/worker/sparePageWorker';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type RouteId } from '../../core/routes';
import type { FetchStatus } from '../../shared/protocol';
import type { QueryResult } from './queryResult';
import { formatCount, l10n } from '../l10n';
import { catalogueText } from '../catalogueL10n';

export function readFetchAllSettings(): FetchAllSettings {
  const config = vscode.workspace.getConfiguration('onetwentyone');
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const v = config.get<number>(key, fallback);
    return Number.isInteger(v) ? Math.min(max, Math.max(min, v)) : fallback;
  };
  return {
    maxPages: int('fetchAll.maxPages', 1000, 1, 1_000_000),
    concurrency: int('fetchAll.concurrency', 4, 1, 8),
    quotaReserve: int('fetchAll.quotaReserve', 10, 0, 1_000_000),
  };
}

/** How the user answered the plan: go (with or without the reserve) or stop. */
export type FetchAllConsent = { readonly go: true; readonly spendReserve: boolean } | { readonly go: false };

/** The plan's sentence, with a hint when a larger page would need far fewer requests. */
export function planDetail(plan: FetchAllPlan, pageSize: number | undefined): string {
  const size = pageSize ?? DEFAULT_PAGE_SIZE;
  const summary = catalogueText(plan.summaryText);
  if (size >= MAX_PAGE_SIZE) return summary;
  const factor = Math.floor(MAX_PAGE_SIZE / size);
  return `${summary}\n\n${l10n.t(
    'The page size is {0}: at {1} it would take about {2} times fewer requests (set Page size and send again).',
    formatCount(size),
    formatCount(MAX_PAGE_SIZE),
    formatCount(factor),
  )}`;
}

/** Shows the plan and asks before any request is sent; a plan reaching into the reserve gets its own choice. */
export async function confirmFetchAll(
  plan: FetchAllPlan,
  reserve: number,
  pageSize?: number,
): Promise<FetchAllConsent> {
  const detail = planDetail(plan, pageSize);
  if (plan.fitsBeforeReserve) {
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Fetch all pages of this query?'),
      { modal: true, detail },
      vscode.l10n.t('Fetch All Pages'),
    );
    return choice ? { go: true, spendReserve: false } : { go: false };
  }
  const keep = vscode.l10n.t('Fetch, Keep {0} in Reserve', reserve);
  const spend = vscode.l10n.t('Fetch and Spend the Reserve');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Fetching all pages reaches into the requests kept in reserve.'),
    { modal: true, detail },
    keep,
    spend,
  );
  if (choice === keep) return { go: true, spendReserve: false };
  if (choice === spend) return { go: true, spendReserve: true };
  return { go: false };
}

export interface FetchAllRunOptions {
  readonly result: QueryResult;
  readonly client: ApiClient;
  readonly routeId: RouteId;
  readonly params: {
    readonly userId: string;
    readonly metric?: string;
    readonly query: Record<string, string | number | boolean | undefined>;
  };
  readonly settings: FetchAllSettings;
  readonly plan: FetchAllPlan;
  readonly spendReserve: boolean;
  /** Go on where an earlier run of this result stopped (instead of after its first page). */
  readonly resumeFrom?: ResumePoint | undefined;
  readonly signal: AbortSignal;
  /** Called with the status as it moves (the panel throttles what it posts). */
  readonly onStatus: (status: FetchStatus) => void;
  /** Where the run's page worker comes from: one started ahead (`SparePageWorker`), else a new one. */
  readonly pageWorkers?: PageWorkerSource;
}

/** Made once: `toLocaleString` builds a formatter per call, and progress comes once a page. */
const COUNT_FORMAT = new Intl.NumberFormat('en-US');
function statusOf(progress: FetchAllProgress, message: string): FetchStatus {
  return {
    running: true,
    pages: progress.pages,
    expectedPages: progress.expectedPages ?? null,
    records: progress.records,
    recordsPerSecond: Math.round(progress.recordsPerSecond),
    reason: null,
    partial: false,
    message: message.slice(0, 2000),
  };
}

const PROGRESS_INTERVAL_MS = 250;

/** Runs the fetch with a cancellable progress notification; never throws for API faults. */
export function runFetchAll(options: FetchAllRunOptions, cancelFromUi: AbortController): Promise<FetchAllOutcome> {
  const { result, client, routeId, params, settings, plan } = options;
  const store = result.store;
  if (!store) return Promise.reject(new Error(l10n.t('This response has no list of records to fetch.')));
  return Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Fetching all pages'), cancellable: true },
      async (progress, token) => {
        const onCancel = token.onCancellationRequested(() => cancelFromUi.abort());
        let reportedPages = 0;
        let reportedAt = 0;
        try {
          return await fetchAllPages({
            client,
            routeId,
            params,
            settings,
            plan,
            store,
            ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : { firstPage: result.firstPage }),
            spendReserve: options.spendReserve,
            signal: options.signal,
            ...(options.pageWorkers ? { pageWorker: options.pageWorkers } : {}),
            onWarnings: (warnings, where) => result.addFetchedWarnings(warnings, where),
            onProgress: (p) => {
              const count = (n: number): string => COUNT_FORMAT.format(n);
              const text = `${count(p.pages)}${p.expectedPages ? ` of ~${count(p.expectedPages)}` : ''} pages, ${count(p.records)} records, ${count(Math.round(p.recordsPerSecond))} records/s`;
              options.onStatus(statusOf(p, text));
              // The notification a few times a second, not per page: each report crosses to the window.
              const now = Date.now();
              if (now - reportedAt < PROGRESS_INTERVAL_MS) return;
              reportedAt = now;
              const increment = p.expectedPages ? ((p.pages - reportedPages) / p.expectedPages) * 100 : undefined;
              reportedPages = p.pages;
              progress.report({ message: text, ...(increment !== undefined ? { increment } : {}) });
            },
          });
        } finally {
          onCancel.dispose();
        }
      },
    ),
  );
}

export function finishedStatus(outcome: FetchAllOutcome): FetchStatus {
  return {
    running: false,
    pages: outcome.pages,
    expectedPages: null,
    records: outcome.records,
    recordsPerSecond: outcome.elapsedMs > 0 ? Math.round(outcome.records / (outcome.elapsedMs / 1000)) : 0,
    reason: outcome.reason,
    partial: outcome.partial,
    message: catalogueText(outcome.text).slice(0, 2000),
  };
}

/** The plan of a result's fetch-all (see `planFetchAllRun`). */
export function planFor(
  result: QueryResult,
  settings: FetchAllSettings,
  oldest: OldestRecordLookup,
): Promise<FetchAllPlan> {
  return planFetchAllRun(result.planningPage(), result.query.params, settings, oldest);
}

const EXTENSIONS: Record<ExportFormat, string> = { json: 'json', ndjson: 'ndjson', csv: 'csv' };
const FORMAT_NAMES: Record<ExportFormat, string> = { json: 'JSON', ndjson: 'NDJSON', csv: 'CSV' };

/** Asks where to save; undefined when the user backs out. */
export async function pickExportTarget(format: ExportFormat, suggestedName: string): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const fileName = `${suggestedName.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 80) || 'result'}.${EXTENSIONS[format]}`;
  const uri = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export the Whole Result as {0}', FORMAT_NAMES[format]),
    saveLabel: vscode.l10n.t('Export'),
    filters: { [FORMAT_NAMES[format]]: [EXTENSIONS[format]] },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, fileName) } : {}),
  });
  if (!uri) return undefined;
  if (uri.scheme !== 'file') throw new Error(l10n.t('Export writes to a local file; pick a folder on this machine.'));
  return uri.fsPath;
}

/**
 * Streams the whole result to `target` with a cancellable progress notification. A file that did not
 * complete (cancel, write error) is deleted, so no half export is ever left looking like a whole one.
 */
export function exportToFile(
  result: QueryResult,
  format: ExportFormat,
  target: string,
  signal: AbortSignal,
): Promise<ExportOutcome> {
  const store = result.store;
  if (!store) return Promise.reject(new Error(l10n.t('This response has no list of records to export.')));
  return Promise.resolve(
    vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Exporting {0}', FORMAT_NAMES[format]),
        cancellable: true,
      },
      async (progress, token) => {
        const controller = new AbortController();
        const onCancel = token.onCancellationRequested(() => controller.abort());
        const onAbort = (): void => controller.abort();
        signal.addEventListener('abort', onAbort, { once: true });
        let lastPercent = 0;
        try {
          return await exportToPath(store, format, target, {
            signal: controller.signal,
            onProgress: (p) => {
              const percent = p.totalRecords ? Math.floor((p.records / p.totalRecords) * 100) : 100;
              progress.report({
                message: l10n.t('{0} of {1} records', formatCount(p.records), formatCount(p.totalRecords)),
                increment: percent - lastPercent,
              });
              lastPercent = percent;
            },
          });
        } finally {
          onCancel.dispose();
          signal.removeEventListener('abort', onAbort);
        }
      },
    ),
  );
}
