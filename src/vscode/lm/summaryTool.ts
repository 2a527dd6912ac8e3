import type * as vscode from 'vscode';
import { paginate } from '../../core/api/pagination';
import { MAX_PAGE_SIZE, metricByName } from '../../core/routes';
import { scrubbed } from './resultText';
import { SummaryAccumulator } from './summaryBuckets';
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

/**
 * summarize_metric: a quantity metric's count, sum, min, max and mean per day, week or month,
 * computed here from every page of the range (10,000 records a request), within the request budget
 * the user confirmed and the quota reserve of their settings; the model gets numbers, not records.
 */
export function summarizeMetricTool(context: ToolContext): vscode.LanguageModelTool<unknown> {
  return {
    prepareInvocation: (options) => {
      const planned = plan(context, options.input);
      if ('refusal' in planned) return { invocationMessage: 'Checking the OneTwentyOne summary' };
      const { account, request: input, key } = planned.plan;
      return context.confirm(
        key,
        `Send a summary of ${context.handle(account)}'s ${input.metric} to the language model?`,
        [
          `User: ${context.whose(account)}`,
          `Route: quantity/${input.metric}`,
          `Dates: ${input.startDate} to ${input.endDate}`,
          `Quota: ${context.quotaText(account, 'quantity', `up to ${input.maxRequests} request${input.maxRequests === 1 ? '' : 's'}`)} ${context.quotaReserve()} are kept in reserve.`,
          `The model receives count, sum, min, max and mean ${BY[input.bucket]}, not the records.`,
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
