import * as assert from 'assert';
import { fetchAll, planFetchAll, type PageSource } from '../../../src/core/dataset/fetchAll';
import { addRun, describeRuns, describeRunsText, EMPTY_RUN_LOG } from '../../../src/core/dataset/fetchRuns';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { renderText } from '../../../src/core/localizable';
import { pageSourceOf } from '../support/pageSource';
import { pseudo, PSEUDO_WORDING } from '../support/pseudoWording';

/**
 * Fetch all's sentences are written once in the core, in English, and carried with their marked
 * templates: the host words them in the user's language. These tests word them in the pseudo-locale.
 */

const HOUR_MS = 3_600_000;
const AT = Date.parse('2024-03-10T12:00:00Z');

/** Three pages of two records, then the page source's end (the quota reserve reached). */
function threePagesThenQuota(): PageSource {
  return pageSourceOf(
    async function* (counted) {
      for (let n = 1; n <= 3; n++) {
        counted();
        yield { data: [{ id: n * 2 }, { id: n * 2 + 1 }], bytes: 10, pagination: { has_more: true, current_page: n } };
      }
    },
    (requests) => ({ reason: 'quota', partial: true, requests, message: '' }),
  );
}

suite('dataset: fetch-all sentences in the user language', () => {
  test("the plan's summary: English as before, worded whole in another language with its values", () => {
    // Newest first, one record an hour: 10 hours to the start date at 2 records a page is 5 requests.
    const plan = planFetchAll(
      {
        data: [{ start_date: new Date(AT).toISOString() }, { start_date: new Date(AT - HOUR_MS).toISOString() }],
        bytes: 0,
        pagination: { has_more: true, current_page: 1 },
        rateLimit: { remaining: 20, limit: 100 },
      },
      { startDate: new Date(AT - 11 * HOUR_MS).toISOString(), sort: 'desc' },
      18,
    );
    assert.strictEqual(
      plan.summary,
      'About 5 more requests, 25 % of the 20 requests left today. That reaches into the last 18 requests kept in reserve.',
    );
    assert.strictEqual(renderText(plan.summaryText), plan.summary);
    const first = pseudo(
      '{0}, {1} of the {2} requests left today.',
      pseudo('About {0} more requests', '#5'),
      pseudo('{0} %', '25'),
      '#20',
    );
    assert.strictEqual(
      renderText(plan.summaryText, PSEUDO_WORDING),
      pseudo('{0} {1}', first, pseudo('That reaches into the last {0} requests kept in reserve.', '#18')),
    );
  });

  test("a run's outcome: English as before, its message worded whole with the counts filled in", async () => {
    const outcome = await fetchAll({
      store: new ResultStore(),
      openPages: () => threePagesThenQuota(),
      quotaReserve: 10,
    });
    assert.strictEqual(outcome.reason, 'quota');
    assert.strictEqual(
      outcome.message,
      "Stopped after 3 pages, 6 records to keep today's last 10 requests in reserve; the data is partial.",
    );
    assert.strictEqual(
      renderText(outcome.text, PSEUDO_WORDING),
      pseudo(
        "Stopped after {0}, {1} to keep today's last {2} requests in reserve; the data is partial.",
        pseudo('{0} pages', '#3'),
        pseudo('{0} records', '#6'),
        '#10',
      ),
    );
  });

  test('the run log: English as before, each run and the resume point worded with their numbers', () => {
    const log = addRun(
      addRun(EMPTY_RUN_LOG, {
        fromPage: 1,
        pages: 40,
        records: 400,
        reason: 'quota',
        resume: { page: 41, skipRecords: 0 },
      }),
      {
        fromPage: 41,
        pages: 1,
        records: 10,
        reason: 'cancelled',
        resume: { page: 42, skipRecords: 3 },
      },
    );
    assert.strictEqual(
      describeRuns(log),
      'Pages 1–40: run 1 (stopped: quota); page 41: run 2 (cancelled). Resume starts at page 42 (after its first 3 records, already kept).',
    );
    const text = describeRunsText(log);
    assert.ok(text);
    const runs = pseudo(
      '{0}; {1}',
      pseudo('{0}: run {1} ({2})', pseudo('Pages {0}–{1}', '#1', '#40'), '#1', pseudo('stopped: quota')),
      pseudo('{0}: run {1} ({2})', pseudo('page {0}', '#41'), '#2', pseudo('cancelled')),
    );
    assert.strictEqual(
      renderText(text, PSEUDO_WORDING),
      pseudo('{0}. Resume starts at page {1} (after its first {2} records, already kept).', runs, '#42', '#3'),
    );
    assert.strictEqual(describeRunsText(EMPTY_RUN_LOG), undefined);
    assert.strictEqual(describeRuns(EMPTY_RUN_LOG), '');
  });
});
