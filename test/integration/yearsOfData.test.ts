import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEEP_RECORD_MESSAGE } from '../../src/core/api/validation';
import { ADA_USER_ID, FIVE_YEAR_USER_ID, HOSTILE_USER_ID } from '../../src/sandbox/demoAccounts';
import type { ResponseSummary } from '../../src/shared/protocol';
import { parseRowLines } from '../../src/shared/rowLines';
import type { Account } from '../../src/vscode/auth/accountsContract';
import { executeCommand } from '../../src/vscode/commands';
import type { QueryPanel } from '../../src/vscode/explorer/queryPanel';
import { parseCsv } from '../support/csv';
import { waitFor } from '../support/waitFor';
import { addDemoPat, demoPat as patOf, hooks, useSandboxEnvironment } from './support/extension';
import { askPanel, messagesOf, readyCount, rowsOf } from './support/panel';
import { startSandbox, type SandboxHandle } from './support/sandbox';

const PAT = patOf(FIVE_YEAR_USER_ID);
const DAY_MS = 86_400_000;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A bounded range that ended ten days ago (the five-year series ends about now). */
function range(days: number): { startDate: string; endDate: string } {
  const end = Date.now() - 10 * DAY_MS;
  return { startDate: isoDay(end - (days - 1) * DAY_MS), endDate: isoDay(end) };
}

/** Every record the sandbox serves for the query of `summary`, fetched page by page with plain HTTP: the reference. */
async function sandboxRecords(summary: ResponseSummary, pat = PAT): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = [];
  for (let page = 1; ; page++) {
    const url = new URL(summary.url);
    url.searchParams.set('page', String(page));
    const response = await fetch(url, { headers: { Authorization: `Bearer ${pat}` } });
    assert.strictEqual(response.status, 200, `reference page ${page}`);
    const body = (await response.json()) as { data: Record<string, unknown>[]; pagination?: { has_more?: boolean } };
    all.push(...body.data);
    if (!body.pagination?.has_more) return all;
  }
}

async function signInFiveYearUser(sandbox: SandboxHandle, userId = FIVE_YEAR_USER_ID): Promise<Account> {
  await useSandboxEnvironment(sandbox.baseUrl);
  return addDemoPat(userId, sandbox.baseUrl, 'Years of data');
}

async function runHeartRate(account: Account, days: number): Promise<{ summary: ResponseSummary; panel: QueryPanel }> {
  const summary = await executeCommand('onetwentyone.query.runQuantity', {
    accountId: account.id,
    metric: 'heartRate',
    ...range(days),
    pageSize: 10_000,
  });
  assert.ok(summary, 'no first page');
  assert.strictEqual(summary.recordCount, 10_000);
  const panel = (await hooks()).panel()!;
  // Nothing is posted before the real webview says ready; the progress checks read what was posted.
  await waitFor('the webview ready handshake', () => readyCount(panel) > 0, 30_000);
  return { summary, panel };
}

function leaf(record: unknown, dotted: string): unknown {
  let value: unknown = record;
  for (const key of dotted.split('.'))
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

async function searchTotal(panel: QueryPanel, requestId: number, text: string) {
  await panel.handleWebviewMessage({ type: 'search', requestId, resultId: panel.result!.resultId, text });
  return waitFor(
    `search "${text}"`,
    () => messagesOf(panel, 'search/result').find((m) => m.requestId === requestId && m.done),
    30_000,
  );
}

suite('Years of data: fetch all, search, export against the five-year user', function () {
  this.timeout(180_000);
  let sandbox: SandboxHandle;
  let account: Account;
  let reference: Record<string, unknown>[];
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'years-export-'));

  suiteSetup(async () => {
    sandbox = await startSandbox();
    account = await signInFiveYearUser(sandbox);
  });

  suiteTeardown(async () => {
    (await hooks()).panel()?.dispose();
    await sandbox.close();
    fs.rmSync(tempDir, { recursive: true, force: true });
  });

  test('fetch all pages of 30 days: progress seen in the panel, every record the sandbox serves', async () => {
    const { summary, panel } = await runHeartRate(account, 30);
    reference = await sandboxRecords(summary);
    assert.ok(reference.length > 40_000, `reference: ${reference.length}`);
    const outcome = await executeCommand('onetwentyone.query.fetchAll', { confirmed: true });
    assert.ok(outcome, 'no outcome');
    assert.strictEqual(outcome.reason, 'complete', outcome.message);
    assert.strictEqual(outcome.partial, false);
    assert.strictEqual(outcome.pages, Math.ceil(reference.length / 10_000));
    assert.strictEqual(panel.result!.recordCount, reference.length);
    const updates = messagesOf(panel, 'didUpdateResult').filter((m) => m.summary.resultId === summary.resultId);
    assert.ok(
      updates.some((m) => m.fetch?.running && m.fetch.pages >= 1),
      'progress was posted while running',
    );
    const last = updates[updates.length - 1]!;
    assert.strictEqual(last.fetch?.reason, 'complete');
    assert.strictEqual(last.summary.recordCount, reference.length);
    // Rows still come in windows, and the last window holds the sandbox's last record.
    const rows = await rowsOf(panel, {
      requestId: 901,
      resultId: summary.resultId,
      offset: reference.length - 5,
      count: 5,
    });
    assert.deepStrictEqual(rows, reference.slice(-5));
  });

  test('search over the whole result: counts equal the reference, hits beyond the first thousand reachable', async () => {
    const panel = (await hooks()).panel()!;
    const high = await searchTotal(panel, 902, 'value > 80');
    const expected = reference.flatMap((r, i) => ((r.value as number) > 80 ? [i] : []));
    assert.ok(expected.length > 1_000, `reference hits: ${expected.length}`);
    assert.strictEqual(high.total, expected.length);
    assert.strictEqual(high.error, null);
    assert.deepStrictEqual(high.firstHits, expected.slice(0, 1_000));
    await panel.handleWebviewMessage({
      type: 'getHit',
      requestId: 903,
      resultId: panel.result!.resultId,
      hitIndex: expected.length - 1,
    });
    const hit = await waitFor('the last hit', () =>
      messagesOf(panel, 'getHit/result').find((m) => m.requestId === 903),
    );
    assert.strictEqual(hit.row, expected[expected.length - 1]);
    const range2 = await searchTotal(panel, 904, 'value >= 60 and value < 62');
    assert.strictEqual(
      range2.total,
      reference.filter((r) => (r.value as number) >= 60 && (r.value as number) < 62).length,
    );
    const bad = await searchTotal(panel, 905, 'value >');
    assert.ok(bad.error && bad.error.length > 0, 'a query that does not parse gets a clear error');
  });

  test('chart by day: buckets equal a reference computed from the sandbox records', async () => {
    const panel = (await hooks()).panel()!;
    const chart = await askPanel(
      panel,
      { type: 'getChart', requestId: 906, resultId: panel.result!.resultId, bucket: 'day' },
      'chart/result',
    );
    assert.strictEqual(chart.error, null);
    assert.strictEqual(chart.aggregation, 'average', 'heart rate is a rate: average and range');
    const days = new Map<number, number[]>();
    for (const r of reference) {
      const day = Math.floor(Date.parse(String(r.start_date)) / DAY_MS) * DAY_MS;
      (days.get(day) ?? days.set(day, []).get(day)!).push(r.value as number);
    }
    const starts = [...days.keys()].sort((a, b) => a - b);
    assert.deepStrictEqual(chart.bucketStart, starts);
    starts.forEach((day, i) => {
      const values = days.get(day)!;
      assert.strictEqual(chart.count[i], values.length, `count of ${isoDay(day)}`);
      assert.strictEqual(chart.min[i], Math.min(...values));
      assert.strictEqual(chart.max[i], Math.max(...values));
      assert.ok(
        Math.abs(chart.value[i]! - values.reduce((a, b) => a + b, 0) / values.length) < 1e-9,
        `mean of ${isoDay(day)}`,
      );
    });
    await panel.handleWebviewMessage({
      type: 'getChart',
      requestId: 907,
      resultId: panel.result!.resultId,
      bucket: 'week',
    });
    const weeks = await waitFor(
      'the weekly chart',
      () => messagesOf(panel, 'chart/result').find((m) => m.requestId === 907),
      30_000,
    );
    assert.strictEqual(
      weeks.count.reduce((a, b) => a + b, 0),
      reference.length,
    );
    assert.ok(weeks.bucketStart.length >= 5 && weeks.bucketStart.length <= 6, `weeks: ${weeks.bucketStart.length}`);
  });

  for (const format of ['json', 'ndjson', 'csv'] as const) {
    test(`export ${format}: the file equals what the sandbox serves, record for record`, async () => {
      const target = path.join(tempDir, `result.${format}`);
      const outcome = await executeCommand('onetwentyone.query.export', { format, path: target });
      assert.strictEqual(outcome?.complete, true);
      assert.strictEqual(outcome.records, reference.length);
      const text = fs.readFileSync(target, 'utf8');
      if (format === 'json') assert.deepStrictEqual(JSON.parse(text), reference);
      else if (format === 'ndjson')
        assert.deepStrictEqual(
          text
            .split('\n')
            .filter((l) => l)
            .map((l) => JSON.parse(l) as unknown),
          reference,
        );
      else {
        const [header, ...rows] = parseCsv(text);
        assert.ok(header && header.includes('value'), `header: ${String(header)}`);
        assert.strictEqual(rows.length, reference.length);
        for (let i = 0; i < reference.length; i += 997) {
          header.forEach((column, c) => {
            const v = leaf(reference[i], column);
            assert.strictEqual(
              rows[i]![c],
              v === undefined || v === null ? '' : String(v),
              `row ${i} column ${column}`,
            );
          });
        }
      }
    });
  }

  test('cancel halfway: the result is marked partial (cancelled) and keeps what came', async () => {
    const { summary, panel } = await runHeartRate(account, 120);
    sandbox.setFaults({ latencyMs: 150 });
    try {
      const running = panel.fetchAll({ confirmed: true });
      await waitFor(
        'a few pages',
        () =>
          messagesOf(panel, 'didUpdateResult').some(
            (m) => m.summary.resultId === summary.resultId && m.fetch?.running && m.fetch.pages >= 3,
          ),
        30_000,
      );
      await panel.handleWebviewMessage({ type: 'cancelFetchAll', resultId: summary.resultId });
      const outcome = await running;
      assert.ok(outcome);
      assert.strictEqual(outcome.reason, 'cancelled');
      assert.strictEqual(outcome.partial, true);
      assert.ok(outcome.records >= 30_000 && outcome.records < 120 * 1440, `records: ${outcome.records}`);
      assert.strictEqual(panel.result!.recordCount, outcome.records);
      const last = messagesOf(panel, 'didUpdateResult')
        .filter((m) => m.summary.resultId === summary.resultId)
        .pop()!;
      assert.strictEqual(last.fetch?.partial, true);
      assert.strictEqual(last.fetch?.reason, 'cancelled');
    } finally {
      sandbox.setFaults(undefined);
    }
  });
});

suite('Years of data: the sleep hypnogram, from the whole result', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  let ada: Account;
  let account: Account;

  suiteSetup(async () => {
    sandbox = await startSandbox();
    ada = await signInFiveYearUser(sandbox, ADA_USER_ID);
    account = await signInFiveYearUser(sandbox);
  });

  suiteTeardown(async () => {
    (await hooks()).panel()?.dispose();
    await sandbox.close();
  });

  const hypnogramOf = (panel: QueryPanel, requestId: number, session: number | null) =>
    askPanel(panel, { type: 'getHypnogram', requestId, resultId: panel.result!.resultId, session }, 'hypnogram/result');

  test('a year of nights fetched page by page: the stages of each session equal what the sandbox serves', async () => {
    const summary = await executeCommand('onetwentyone.query.runSleep', {
      accountId: ada.id,
      ...range(365),
      pageSize: 50,
    });
    assert.ok(summary, 'no first page');
    assert.strictEqual(summary.query.params.include_stages, true, 'the sleep command asks for stages');
    const panel = (await hooks()).panel()!;
    await waitFor('the webview ready handshake', () => readyCount(panel) > 0, 30_000);
    const reference = await sandboxRecords(summary, patOf(ADA_USER_ID));
    assert.ok(reference.length > 300, `nights: ${reference.length}`);
    const partial = await hypnogramOf(panel, 951, null);
    assert.strictEqual(partial.error, null);
    assert.strictEqual(partial.sessionCount, 50, 'before fetching all: the first page only');
    const outcome = await executeCommand('onetwentyone.query.fetchAll', { confirmed: true });
    assert.strictEqual(outcome?.reason, 'complete', outcome?.message);

    const byStart = [...reference].sort((a, b) => Date.parse(String(a.start_date)) - Date.parse(String(b.start_date)));
    const latest = await hypnogramOf(panel, 952, null);
    assert.strictEqual(latest.error, null);
    assert.strictEqual(latest.sessionCount, reference.length, 'the whole result, not the first page');
    assert.strictEqual(latest.session, reference.length - 1, 'null asks for the latest night');
    for (const [requestId, index] of [
      [953, 0],
      [954, Math.floor(reference.length / 2)],
      [955, reference.length - 1],
    ] as const) {
      const answer = index === reference.length - 1 ? latest : await hypnogramOf(panel, requestId, index);
      const night = byStart[index]!;
      assert.strictEqual(answer.session, index);
      assert.strictEqual(answer.start, Date.parse(String(night.start_date)), `start of night ${index}`);
      assert.strictEqual(answer.end, Date.parse(String(night.end_date)), `end of night ${index}`);
      const stages = night.stages as { stage: string; start_date: string; end_date: string }[];
      assert.ok(stages.length > 3, `stages of night ${index}: ${stages.length}`);
      assert.deepStrictEqual(
        answer.stage,
        stages.map((s) => s.stage),
        `stages of night ${index}`,
      );
      assert.deepStrictEqual(
        answer.segmentStart,
        stages.map((s) => Date.parse(s.start_date)),
      );
      assert.deepStrictEqual(
        answer.segmentEnd,
        stages.map((s) => Date.parse(s.end_date)),
      );
    }
    const clamped = await hypnogramOf(panel, 956, reference.length + 10);
    assert.strictEqual(clamped.session, reference.length - 1);
  });

  test('a quantity result gets no hypnogram and a sleep result no time series, each with a clear reason', async () => {
    const panel = (await hooks()).panel()!;
    const chart = await askPanel(
      panel,
      { type: 'getChart', requestId: 957, resultId: panel.result!.resultId, bucket: 'week' },
      'chart/result',
    );
    assert.match(chart.error ?? '', /hypnogram/);
    const { panel: quantityPanel } = await runHeartRate(account, 7);
    const refused = await hypnogramOf(quantityPanel, 958, null);
    assert.match(refused.error ?? '', /sleep/);
    assert.strictEqual(refused.stage.length, 0);
  });
});

suite('Years of data: quota exhausted mid-way', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  let account: Account;

  suiteSetup(async () => {
    sandbox = await startSandbox({ dailyLimit: 4 });
    account = await signInFiveYearUser(sandbox);
  });

  suiteTeardown(async () => {
    (await hooks()).panel()?.dispose();
    await sandbox.close();
  });

  test('the run stops when the quota is used up and the result says so', async () => {
    const { summary, panel } = await runHeartRate(account, 60);
    const outcome = await panel.fetchAll({ confirmed: true, spendReserve: true });
    assert.ok(outcome);
    assert.strictEqual(outcome.reason, 'quota', outcome.message);
    assert.strictEqual(outcome.partial, true);
    assert.match(outcome.message, /quota/i);
    assert.strictEqual(outcome.records, 40_000, 'four requests a day: the first page and three more');
    const last = messagesOf(panel, 'didUpdateResult')
      .filter((m) => m.summary.resultId === summary.resultId)
      .pop()!;
    assert.strictEqual(last.fetch?.reason, 'quota');
    assert.strictEqual(last.fetch?.partial, true);
    assert.strictEqual(panel.result!.recordCount, 40_000);
  });
});

suite('Years of data: hostile records fetched a chunk at a time', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;

  suiteSetup(async () => {
    sandbox = await startSandbox();
  });

  suiteTeardown(async () => {
    (await hooks()).panel()?.dispose();
    await sandbox.close();
  });

  test('markup, quotes, bidi controls, NUL, a lone surrogate, a 200,000-character string and 1,000-deep nesting: every record as the sandbox serves it', async () => {
    const hostile = await signInFiveYearUser(sandbox, HOSTILE_USER_ID);
    const today = Date.now();
    const summary = await executeCommand('onetwentyone.query.runQuantity', {
      accountId: hostile.id,
      metric: 'heartRate',
      startDate: isoDay(today - 10 * DAY_MS),
      endDate: isoDay(today),
      pageSize: 7,
    });
    assert.ok(summary, 'no first page');
    const panel = (await hooks()).panel()!;
    await waitFor('the webview ready handshake', () => readyCount(panel) > 0, 30_000);
    const reference = await sandboxRecords(summary, patOf(HOSTILE_USER_ID));
    assert.ok(reference.length >= 60, `records: ${reference.length}`);
    const outcome = await executeCommand('onetwentyone.query.fetchAll', { confirmed: true });
    assert.strictEqual(outcome?.reason, 'complete', outcome?.message);
    assert.strictEqual(outcome.pages, Math.ceil(reference.length / 7));
    assert.strictEqual(panel.result!.recordCount, reference.length);
    const rows: unknown[] = [];
    for (let requestId = 960; rows.length < reference.length; requestId++) {
      await panel.handleWebviewMessage({
        type: 'getRows',
        requestId,
        resultId: summary.resultId,
        offset: rows.length,
        count: reference.length - rows.length,
      });
      const window = await waitFor(
        `rows from ${rows.length}`,
        () => messagesOf(panel, 'getRows/result').find((m) => m.requestId === requestId),
        30_000,
      );
      const got = parseRowLines(window.rowLines);
      assert.ok(got.length > 0, `a window from ${rows.length} held no rows`);
      rows.push(...got);
    }
    assert.deepStrictEqual(rows, reference);
    // Hostile strings are not schema drift; the one record nested a thousand levels deep is said to be.
    const warnings = panel.result!.summary.warnings;
    assert.ok(
      warnings.every((w) => w.message.startsWith(DEEP_RECORD_MESSAGE.slice(0, 40))),
      JSON.stringify(warnings),
    );
    assert.strictEqual(warnings.length, 1, JSON.stringify(warnings));
  });
});
