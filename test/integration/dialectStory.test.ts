import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { DIALECT_NAMES } from '../../src/sandbox/dialects/names';
import { ADA_USER_ID, FIVE_YEAR_USER_ID } from '../../src/sandbox/demoAccounts';
import type { Account } from '../../src/vscode/auth/accountsContract';
import { executeCommand } from '../../src/vscode/commands';
import { clientSecretKey } from '../../src/vscode/environmentService';
import type { QueryPanel } from '../../src/vscode/explorer/queryPanel';
import { addDemoPat, configuration, demoPat, hooks, testAccess, useSandboxEnvironment } from './support/extension';
import type { TestHooks } from './support/extension';
import {
  dailySums,
  fieldIn,
  instantOf,
  OWN_CLIENT_REGISTRATION,
  referenceRecords,
  signInByPastedRedirect,
  utcDay,
} from './support/dialectStory';
import { askPanel, messagesOf, readyPanel, rowsOf } from './support/panel';
import { startSandbox, type SandboxHandle } from './support/sandbox';

/** The watch's stage names in 121 Health's export, and the HealthKit stages the hypnogram shows. */
const EXPORT_STAGES: Readonly<Record<string, string>> = {
  AWAKE: 'awake',
  LIGHT: 'asleepCore',
  DEEP: 'asleepDeep',
  REM: 'asleepREM',
};

/**
 * The main story, in a real VS Code, against every variant of the API the sandbox can serve: sign in
 * with a client of one's own by pasting the redirect URL, add a personal access token, query walking distance in
 * the query panel, query sleep and draw its hypnogram, fetch all pages and chart them, export. Small
 * date ranges keep each story to a few seconds.
 */
for (const dialect of DIALECT_NAMES) {
  suite(`The main story against the ${dialect} dialect`, function () {
    this.timeout(90_000);
    let sandbox: SandboxHandle | undefined;
    const live = (): SandboxHandle => {
      if (!sandbox) throw new Error('The sandbox did not start');
      return sandbox;
    };
    let h: TestHooks;
    let ada: Account;
    let panel: QueryPanel;
    /** Hourly walking distance: a cumulative metric whose export unit (km) differs from the catalogue's (m). */
    const METRIC = 'distanceWalkingRunning';
    const range = { startDate: utcDay(4), endDate: utcDay(2) };
    let tempDir = '';

    suiteSetup(async () => {
      // Users and editors of earlier suites are not this story's: the panel must open in front.
      await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      tempDir = fs.mkdtempSync(path.join(os.tmpdir(), `dialect-${dialect}-`));
      sandbox = await startSandbox({ dialect, clients: [OWN_CLIENT_REGISTRATION] });
      await useSandboxEnvironment(sandbox.baseUrl);
      h = await hooks();
      await h.auth.accounts.whenLoaded();
    });

    suiteTeardown(async () => {
      h = await hooks();
      h.seams.openExternal = undefined;
      h.auth.signIn.flows.cancelAll('cancelled');
      h.panel()?.dispose();
      await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const key of ['redirect', 'redirectUri', 'clientId'])
        await configuration().update(key, undefined, vscode.ConfigurationTarget.Global);
      if (sandbox) {
        await (await testAccess()).secrets.delete(clientSecretKey(sandbox.baseUrl));
        await sandbox.close();
      }
      if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
    });

    test('sign in with an own client by pasting the redirect URL, refresh twice, and add a personal access token', async () => {
      ada = await signInByPastedRedirect(h, live(), ['quantity', 'sleep', 'profile']);
      const tokenPosts = live().requestLog.filter((r) => r.method === 'POST' && r.path === '/api/token');
      assert.ok(
        tokenPosts.some((r) => r.status === 200),
        `a code was exchanged: ${tokenPosts.map((r) => r.status).join()}`,
      );
      // Refresh answers carry no refresh_token: the second refresh works only if the first kept it.
      for (let i = 0; i < 2; i++) await executeCommand('onetwentyone.auth.refresh', ada.id);
      const refreshes = live().requestLog.filter((r) => r.method === 'POST' && r.path === '/api/refresh');
      assert.deepStrictEqual(
        refreshes.slice(-2).map((r) => r.status),
        [200, 200],
      );
      const pat = await addDemoPat(FIVE_YEAR_USER_ID, live().baseUrl, `Five years (${dialect})`);
      const summary = await executeCommand('onetwentyone.query.runQuantity', {
        accountId: pat.id,
        metric: 'heartRate',
        startDate: utcDay(2),
        endDate: utcDay(2),
        pageSize: 100,
      });
      assert.strictEqual(summary?.status, 200);
      const reference = await referenceRecords(summary.url, demoPat(FIVE_YEAR_USER_ID));
      assert.strictEqual(summary.recordCount, 100);
      const shown = await rowsOf(await readyPanel(), {
        requestId: 1,
        resultId: summary.resultId,
        offset: 0,
        count: 100,
      });
      assert.deepStrictEqual(shown, reference.slice(0, 100));
    });

    test('a walking-distance query sent from the query panel, then Fetch All Pages to the end and a daily chart', async () => {
      panel = await readyPanel();
      await panel.handleWebviewMessage({
        type: 'runQuery',
        requestId: 11,
        form: {
          query: { route: 'quantity', metric: METRIC, params: { ...range, pageSize: 12 } },
          accountId: ada.id,
        },
      });
      const first = messagesOf(panel, 'didReceiveResponse').find((m) => m.requestId === 11)?.summary;
      assert.ok(first, JSON.stringify(messagesOf(panel, 'didFailRequest').slice(-1)));
      assert.strictEqual(first.recordCount, 12);
      assert.strictEqual(first.pagination?.hasMore, true);

      const outcome = await executeCommand('onetwentyone.query.fetchAll', { confirmed: true });
      assert.strictEqual(outcome?.reason, 'complete', outcome?.message);
      // A page that says there is more without a link is asked for by number, and the Warnings tab says so.
      const warnings = panel.result!.summary.warnings.map((w) => w.message);
      assert.strictEqual(
        warnings.some((w) => /asked for by number/.test(w)),
        dialect === 'lean-paging',
        warnings.join('\n'),
      );
      const reference = await referenceRecords(first.url, demoPat(ADA_USER_ID));
      assert.ok(reference.length > 36, `three days of hourly distances: ${reference.length}`);
      assert.strictEqual(outcome.records, reference.length);
      assert.strictEqual(outcome.pages, Math.ceil(reference.length / 12));
      assert.deepStrictEqual(
        await rowsOf(panel, { requestId: 12, resultId: first.resultId, offset: 0, count: 100 }),
        reference,
      );

      const chart = await askPanel(
        panel,
        { type: 'getChart', requestId: 13, resultId: first.resultId, bucket: 'day' },
        'chart/result',
      );
      assert.strictEqual(chart.error, null);
      assert.strictEqual(chart.aggregation, 'sum', 'distances add up');
      assert.strictEqual(chart.unit, reference[0]!.unit, "the records' own unit");
      assert.strictEqual(chart.unit, dialect === 'export' ? 'km' : 'm');
      assert.strictEqual(chart.skippedRecords, 0);
      const days = dailySums(reference);
      const starts = [...days.keys()].sort((a, b) => a - b);
      assert.deepStrictEqual(chart.bucketStart, starts);
      assert.deepStrictEqual(
        chart.count,
        starts.map((d) => days.get(d)!.count),
      );
      starts.forEach((day, i) => {
        const sum = days.get(day)!.sum;
        assert.ok(
          Math.abs(chart.value[i]! - sum) <= 1e-9 * Math.abs(sum) + 1e-9,
          `sum of day ${i}: ${chart.value[i]} vs ${sum}`,
        );
      });
    });

    test('Export writes exactly the records the sandbox serves', async () => {
      const target = path.join(tempDir, 'distance.ndjson');
      const exported = await executeCommand('onetwentyone.query.export', { format: 'ndjson', path: target });
      assert.strictEqual(exported?.complete, true);
      const lines = fs
        .readFileSync(target, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as unknown);
      const first = panel.result!.summary;
      assert.deepStrictEqual(lines, await referenceRecords(first.url, demoPat(ADA_USER_ID)));
    });

    test('a sleep query: the hypnogram understands its sessions and stages', async () => {
      await panel.handleWebviewMessage({
        type: 'runQuery',
        requestId: 21,
        form: {
          query: { route: 'sleep', params: { startDate: utcDay(8), endDate: utcDay(2), include_stages: true } },
          accountId: ada.id,
        },
      });
      const summary = messagesOf(panel, 'didReceiveResponse').find((m) => m.requestId === 21)?.summary;
      assert.ok(summary, JSON.stringify(messagesOf(panel, 'didFailRequest').slice(-1)));
      const nights = await referenceRecords(summary.url, demoPat(ADA_USER_ID));
      assert.ok(nights.length >= 6, `nights: ${nights.length}`);
      const hypnogram = await askPanel(
        panel,
        { type: 'getHypnogram', requestId: 22, resultId: summary.resultId, session: null },
        'hypnogram/result',
      );
      assert.strictEqual(hypnogram.error, null, JSON.stringify(hypnogram.notes));
      assert.strictEqual(hypnogram.sessionCount, nights.length);
      assert.strictEqual(hypnogram.sessionsWithoutStages, 0);

      const latest = [...nights].sort(
        (a, b) =>
          instantOf(fieldIn(a, ['start_date', 'time_in_bed_start'])) -
          instantOf(fieldIn(b, ['start_date', 'time_in_bed_start'])),
      )[nights.length - 1]!;
      assert.strictEqual(hypnogram.start, instantOf(fieldIn(latest, ['start_date', 'time_in_bed_start'])));
      assert.strictEqual(hypnogram.end, instantOf(fieldIn(latest, ['end_date', 'time_in_bed_end'])));
      // Standard nights list HealthKit stages; export nights add the phone's overlapping segments,
      // and only the watch's are drawn, so no minute counts twice.
      const stages = (latest.stages as Record<string, unknown>[]).filter((s) => s.log_method !== 'PHONE');
      assert.deepStrictEqual(
        hypnogram.stage,
        stages.map((s) => EXPORT_STAGES[s.stage as string] ?? s.stage),
      );
      assert.deepStrictEqual(
        hypnogram.segmentStart,
        stages.map((s) => instantOf(fieldIn(s, ['start_date', 'start']))),
      );
      assert.deepStrictEqual(
        hypnogram.segmentEnd,
        stages.map((s) => instantOf(fieldIn(s, ['end_date', 'end']))),
      );
      if (dialect === 'export') assert.match(hypnogram.notes?.join(' ') ?? '', /WATCH.*PHONE/);
    });

    test('a profile query spends only its own budget; the quantity & sleep quota is the one shown for quantity', async () => {
      const quotaAfter = async (requestId: number, query: { route: 'profile' | 'quantity'; metric?: string }) => {
        await panel.handleWebviewMessage({
          type: 'runQuery',
          requestId,
          form: { query: { ...query, params: query.route === 'quantity' ? range : {} }, accountId: ada.id },
        });
        assert.ok(
          messagesOf(panel, 'didReceiveResponse').some((m) => m.requestId === requestId),
          JSON.stringify(messagesOf(panel, 'didFailRequest').slice(-1)),
        );
        // Quota changes also reach the panel a quarter second later at most (the last change of a burst):
        // those must show the same account and budget as the run's own report, not the active account's.
        await new Promise((resolve) => setTimeout(resolve, 600));
        return messagesOf(panel, 'didChangeQuota').pop()?.quota;
      };
      const profile = await quotaAfter(31, { route: 'profile' });
      assert.strictEqual(profile?.budget, 'profile');
      assert.strictEqual(profile.daily, false);
      if (dialect === 'per-route-limits') {
        assert.strictEqual(profile.limit, 1000, 'the limit the profile route reports');
        assert.ok(profile.remaining !== null && profile.remaining < 1000);
      }
      const daily = await quotaAfter(32, { route: 'quantity', metric: METRIC });
      assert.strictEqual(daily?.daily, true);
      assert.match(daily.budget, /quantity & sleep/i);
      assert.strictEqual(daily.limit, 10_000, 'the daily quota, not a route limit merged into it');
    });
  });
}
