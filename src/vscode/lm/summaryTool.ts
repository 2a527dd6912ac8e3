import type * as vscode from 'vscode';
import { paginate } from '../../core/api/pagination';
import { MAX_PAGE_SIZE, metricByName } from '../../core/routes';
import { scrubbed } from './resultText';
import { SummaryAccumulator } from './summaryBuckets';
import { l10n } from '../l10n';
import { failureResult, textResult, type ToolContext } from './toolContext';
import { checkSummaryInput, MAX_SUMMARY_REQUESTS, type SummaryToolInput } from './toolInputs';

const TOOL = 'onetwentyone_summarize_metric';

function plan(context: ToolContext, raw: unknown) {
  return context.planFor(TOOL, checkSummaryInput(raw), (ok) => ({ ...ok, account: undefined }));
}

const BY: Readonly<Record<SummaryToolInput['bucket'], string>> = {
  day: 'per UTC day',
  week: 'per ISO week (Monday to Sunday, UTC)',
  month: 'per calendar month (UTC)',
  all: 'over the whole range',
};

/** The buckets in the confirmation's words (BY stays English: the model reads it in the result). */
function bucketWords(bucket: SummaryToolInput['bucket']): string {
  switch (bucket) {
    case 'day':
      return l10n.t('per UTC day');
    case 'week':
      return l10n.t('per ISO week (Monday to Sunday, UTC)');
    case 'month':
      return l10n.t('per calendar month (UTC)');
    case 'all':
      return l10n.t('over the whole range');
  }
}

/**
 * summarize_metric: a quantity metric's count, sum, min, max and mean per day, week or month,
 * computed here from every page of the range (10,000 records a request), within the request budget
 * the user confirmed and the quota reserve of their settings; the model gets numbers, not records.
 */
export function summarizeMetricTool(context: ToolContext): vscode.LanguageModelTool<unknown> {
  return {
    prepareInvocation: (options) => {
      const planned = plan(context, options.input);
      if ('refusal' in planned) return { invocationMessage: l10n.t('Checking the OneTwentyOne summary') };
      const { account, request: input, key } = planned.plan;
      return context.confirm(
        key,
        l10n.t("Send a summary of {0}'s {1} to the language model?", context.handle(account), input.metric),
        [
          l10n.t('User: {0}', context.whose(account)),
          l10n.t('Route: {0}', `quantity/${input.metric}`),
          l10n.t('Dates: {0}', l10n.t('{0} to {1}', input.startDate, input.endDate)),
          l10n.t(
            'Quota: {0} {1} are kept in reserve.',
            context.quotaText(
              account,
              'quantity',
              input.maxRequests === 1 ? l10n.t('up to 1 request') : l10n.t('up to {0} requests', input.maxRequests),
            ),
            context.quotaReserve(),
          ),
          l10n.t('The model receives count, sum, min, max and mean {0}, not the records.', bucketWords(input.bucket)),
        ],
      );
    },
    invoke: async (options, token) => {
      const ready = context.toRun(plan(context, options.input), token);
      if ('result' in ready) return ready.result;
      const { account, request: input, agreed, client, abort } = ready.run;
      const rangeStart = Date.parse(`${input.startDate.slice(0, 10)}T00:00:00Z`);
      const buckets = new SummaryAccumulator(input.bucket, rangeStart);
      const total = new SummaryAccumulator('all', rangeStart);
      try {
        const run = paginate(
          client,
          'quantity',
          {
            userId: account.userId,
            metric: input.metric,
            query: {
              startDate: input.startDate,
              endDate: input.endDate,
              sort: 'asc',
              pageSize: MAX_PAGE_SIZE,
              page: 1,
            },
          },
          { signal: abort.signal, maxPages: input.maxRequests, quotaReserve: context.quotaReserve(), concurrency: 1 },
        );
        for await (const page of run) {
          for (const record of page.data) {
            buckets.addRecord(record);
            total.addRecord(record);
          }
        }
        const outcome = await run.outcome;
        const catalogue = metricByName(input.metric);
        const result = {
          userAgreed: agreed,
          user: context.handle(account),
          environment: account.environment.kind,
          metric: input.metric,
          unit: catalogue?.unit ?? 'not in the catalogue: see the unit field of the records (onetwentyone_run_query)',
          ...(catalogue
            ? {
                meaningful:
                  catalogue.aggregation === 'sum'
                    ? 'sum (a count or amount)'
                    : 'mean with min and max (a rate or level)',
              }
            : {}),
          dates: `${input.startDate} to ${input.endDate}`,
          bucket: `${input.bucket}: ${BY[input.bucket]}`,
          complete: !outcome.partial,
          ...(outcome.partial
            ? {
                stopped: `${outcome.message} Only the records up to the stop are summarised; ask with a larger maxRequests (at most ${MAX_SUMMARY_REQUESTS}), a shorter range, or after the quota resets.`,
              }
            : {}),
          records: total.records,
          ...(total.skipped ? { skippedRecords: `${total.skipped} without a numeric value or a start date` } : {}),
          total: total.buckets()[0] ?? null,
          buckets: buckets.buckets(),
          requests: { sent: outcome.requests, pages: outcome.pages, budget: input.maxRequests },
          quota: context.quotaAfter(account, 'quantity'),
        };
        return textResult(scrubbed(JSON.stringify(result)));
      } catch (err) {
        return failureResult('summary', err);
      } finally {
        abort.dispose();
      }
    },
  };
}
