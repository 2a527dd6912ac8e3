import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { METRICS, ROUTES } from '../../src/core/routes';
import {
  ADA_USER_ID,
  DEMO_CLIENT_SECRET,
  DEMO_USERS,
  EMPTY_USER_ID,
  FIVE_YEAR_USER_ID,
  HOSTILE_USER_ID,
} from '../../src/sandbox/demoAccounts';
import { LM_TOOL_NAMES } from '../../src/vscode/lm/toolNames';
import { addDemoPat, demoPat, getExtension, useSandboxEnvironment } from './support/extension';
import { useSandbox } from './support/sandbox';

/**
 * The language-model tools, called the way an agent calls them (`vscode.lm.invokeTool` with no chat
 * request), against the sandbox: each result checked against the sandbox's own data over plain
 * HTTP, the caps, the refusals, and that no token, secret or other user's ID is in any result.
 *
 * Outside a chat request VS Code asks a data tool's confirmation in a modal dialog, which an
 * extension test run answers "yes" to without showing it: so these calls take the real path
 * (prepareInvocation, the confirmation, invoke), and each result echoes what the user was asked.
 */

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Ada's data ends at the start of today (UTC): ranges end a few days before. */
const daysAgo = (n: number) => isoDay(Date.now() - n * DAY_MS);

/** Every text any tool returned in this file, with whose data it was asked for, for the audit at the end. */
const allResults: { text: string; userId: string | undefined }[] = [];
const USER_IDS_BY_ACCOUNT: Readonly<Record<string, string>> = {
  Ada: ADA_USER_ID,
  Hostile: HOSTILE_USER_ID,
  'Ada on a small quota': ADA_USER_ID,
};

type ToolInput = Readonly<Record<string, unknown>>;

async function invoke(name: string, input: ToolInput): Promise<string[]> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  const texts = result.content.map((part) => {
    const value = (part as { value?: unknown }).value;
    assert.strictEqual(typeof value, 'string', `${name} returned a part that is not text`);
    return value as string;
  });
  const account = input['account'];
  const userId = typeof account === 'string' ? USER_IDS_BY_ACCOUNT[account] : undefined;
  allResults.push(...texts.map((text) => ({ text, userId })));
  return texts;
}

async function invokeJson<T>(name: string, input: ToolInput): Promise<T[]> {
  const texts = await invoke(name, input);
  return texts.map((t) => {
    try {
      return JSON.parse(t) as T;
    } catch {
      throw new Error(`${name} did not return JSON: ${t.slice(0, 500)}`);
    }
  });
}

interface QueryAbout {
  userAgreed: string;
  user: string;
  route: string;
  pagination: { currentPage: number; pageSize: number; recordsOnPage: number; hasMore: boolean; next?: string };
  records: { shown: number; leftOutForSize?: number; caps: string };
  quota: { remaining?: number; limit?: number };
}

interface Bucket {
  start: string;
  count: number;
  sum: number;
  min: number;
  max: number;
  mean: number;
}

interface Summary {
  userAgreed: string;
  unit: string;
  complete: boolean;
  stopped?: string;
  records: number;
  total: Bucket | null;
  buckets: Bucket[];
  requests: { sent: number; pages: number; budget: number };
}

type SandboxRecord = { value: number; start_date: string } & Record<string, unknown>;

suite('Language-model tools against the sandbox', function () {
  this.timeout(120_000);
  const sandbox = useSandbox();

  /** One page as the sandbox serves it to plain HTTP: the reference for run_query. */
  async function sandboxPage(userId: string, route: string, query: Record<string, string>): Promise<unknown[]> {
    const url = new URL(route, sandbox().baseUrl);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const response = await fetch(url, { headers: { Authorization: `Bearer ${demoPat(userId)}` } });
    assert.strictEqual(response.status, 200, url.pathname);
    return ((await response.json()) as { data: unknown[] }).data;
  }

  /** Every record of a quantity range, page by page: the reference for summarize_metric. */
  async function sandboxSeries(metric: string, startDate: string, endDate: string): Promise<SandboxRecord[]> {
    const all: SandboxRecord[] = [];
    for (let page = 1; ; page++) {
      const url = new URL(`/api/v1/quantity/${ADA_USER_ID}/${metric}`, sandbox().baseUrl);
      for (const [k, v] of Object.entries({ startDate, endDate, pageSize: '10000', page: String(page) }))
        url.searchParams.set(k, v);
      const response = await fetch(url, { headers: { Authorization: `Bearer ${demoPat(ADA_USER_ID)}` } });
      const body = (await response.json()) as { data: SandboxRecord[]; pagination: { has_more: boolean } };
      all.push(...body.data);
      if (!body.pagination.has_more) return all;
    }
  }

  suiteSetup(async () => {
    await useSandboxEnvironment(sandbox().baseUrl);
    await addDemoPat(ADA_USER_ID, sandbox().baseUrl, 'Ada');
    await addDemoPat(HOSTILE_USER_ID, sandbox().baseUrl, 'Hostile');
  });

  test('the four tools are registered with the schemas the manifest declares', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(getExtension().extensionPath, 'package.json'), 'utf8')) as {
      contributes: { languageModelTools: { name: string; inputSchema: object; toolReferenceName?: string }[] };
    };
    const declared = manifest.contributes.languageModelTools;
    assert.deepStrictEqual(
      declared.map((t) => t.name),
      [...LM_TOOL_NAMES],
    );
    for (const tool of declared) {
      const registered = vscode.lm.tools.find((t) => t.name === tool.name);
      assert.ok(registered, `${tool.name} is not in vscode.lm.tools`);
      assert.deepStrictEqual(registered.inputSchema, tool.inputSchema);
      assert.ok(tool.toolReferenceName, `${tool.name} has no toolReferenceName`);
    }
  });

  test('list_accounts names each signed-in user with environment and scopes, and no ID or token', async () => {
    const [listed] = await invokeJson<{
      accounts: { account: string; environment: string; server: string; signedInWith: string; scopes: string[] }[];
    }>('onetwentyone_list_accounts', {});
    const ada = listed?.accounts.find((a) => a.account === 'Ada');
    assert.ok(ada, JSON.stringify(listed));
    assert.strictEqual(ada.environment, 'sandbox');
    assert.strictEqual(ada.server, sandbox().baseUrl);
    assert.strictEqual(ada.signedInWith, 'personal access token');
    assert.ok(Array.isArray(ada.scopes));
    assert.ok(listed?.accounts.some((a) => a.account === 'Hostile'));
    const text = JSON.stringify(listed);
    for (const user of DEMO_USERS) assert.ok(!text.includes(user.userId), 'a user ID is in the account list');
  });

  test('describe_api lists every route with its parameters, and the metric catalogue with units', async () => {
    const [all] = await invokeJson<{
      routes: { route: string; path: string; parameters: { name: string; allowed: string }[] }[];
      metrics: { name: string; unit: string }[];
    }>('onetwentyone_describe_api', {});
    assert.deepStrictEqual(
      all?.routes.map((r) => [r.route, r.path, r.parameters.map((p) => p.name)]),
      ROUTES.map((r) => [r.id, r.pathTemplate, r.params.map((p) => p.name)]),
    );
    assert.deepStrictEqual(
      all?.metrics.map((m) => [m.name, m.unit]),
      METRICS.map((m) => [m.name, m.unit]),
    );
    const pageSize = all?.routes[0]?.parameters.find((p) => p.name === 'pageSize');
    assert.match(pageSize?.allowed ?? '', /1 to 100\b/);
    const [sleep] = await invokeJson<{ routes: { route: string }[]; metrics?: unknown }>('onetwentyone_describe_api', {
      route: 'sleep',
    });
    assert.deepStrictEqual(
      sleep?.routes.map((r) => r.route),
      ['sleep'],
    );
    assert.strictEqual(sleep?.metrics, undefined);
    const [unknown] = await invoke('onetwentyone_describe_api', { route: 'vitals' });
    assert.match(unknown ?? '', /^Nothing was described\. Parameter "route": must be one of quantity, sleep/);
  });

  test('run_query returns the page the sandbox serves, with its pagination, the caps and what the user agreed to', async () => {
    const startDate = daysAgo(6);
    const endDate = daysAgo(4);
    const [about, records] = await invoke('onetwentyone_run_query', {
      account: 'Ada',
      route: 'quantity',
      metric: 'stepCount',
      startDate,
      endDate,
      pageSize: 20,
      page: 2,
    });
    const parsed = JSON.parse(about ?? '') as QueryAbout;
    const expected = await sandboxPage(ADA_USER_ID, `/api/v1/quantity/${ADA_USER_ID}/stepCount`, {
      startDate,
      endDate,
      pageSize: '20',
      page: '2',
    });
    assert.strictEqual(expected.length, 20);
    assert.deepStrictEqual(JSON.parse(records ?? ''), expected);
    assert.deepStrictEqual(
      [parsed.pagination.currentPage, parsed.pagination.pageSize, parsed.pagination.hasMore],
      [2, 20, true],
    );
    assert.match(parsed.pagination.next ?? '', /page 3/);
    assert.strictEqual(parsed.records.shown, 20);
    assert.match(parsed.records.caps, /at most 100 records/);
    // The confirmation named the user, the route, the dates and the quota.
    for (const part of ['Ada', sandbox().baseUrl, 'quantity/stepCount', `${startDate} to ${endDate}`, '1 request'])
      assert.ok(parsed.userAgreed.includes(part), `the confirmation does not name ${part}: ${parsed.userAgreed}`);
    assert.match(parsed.userAgreed, /quota/);
    assert.ok(typeof parsed.quota.remaining === 'number' && parsed.quota.remaining < 10_000);
  });

  test('run_query of the profile returns the object, with no dates to name', async () => {
    const [about, profile] = await invoke('onetwentyone_run_query', { account: 'Ada', route: 'profile' });
    const expected = await fetch(new URL(`/api/v1/profile/${ADA_USER_ID}`, sandbox().baseUrl), {
      headers: { Authorization: `Bearer ${demoPat(ADA_USER_ID)}` },
    }).then((r) => r.json() as Promise<{ data: unknown }>);
    assert.deepStrictEqual(JSON.parse(profile ?? ''), expected.data);
    assert.match((JSON.parse(about ?? '') as QueryAbout).userAgreed, /Dates: not dated/);
  });

  test('refused inputs name the parameter and what is allowed, and send nothing', async () => {
    const spent = sandbox().quotaUsed(ADA_USER_ID);
    const cases: [object, RegExp][] = [
      [{ route: 'quantity', metric: 'stepCount', pageSize: 500 }, /"pageSize".*1 to 100/],
      [{ route: 'quantity', metric: 'stepCount', startDate: '2024-02-30' }, /"startDate".*ISO 8601/],
      [{ route: 'quantity', metric: 'stepCount', startDate: '2024-03-02', endDate: '2024-03-01' }, /"endDate"/],
      [{ route: 'quantity' }, /"metric"/],
      [{ route: 'vitals' }, /"route".*quantity, sleep, workout/],
      [{ route: 'quantity', metric: 'stepCount', include_stages: true }, /"include_stages".*allowed: startDate/],
      [{ route: 'sleep', account: 'Grace' }, /"account".*"Ada"/],
    ];
    for (const [input, expected] of cases) {
      const [text] = await invoke('onetwentyone_run_query', { account: 'Ada', ...input });
      assert.match(text ?? '', /^Nothing was sent to the API/, JSON.stringify(input));
      assert.match(text ?? '', expected, text);
    }
    const summaries: [object, RegExp][] = [
      [{ metric: 'stepCount', startDate: daysAgo(700), endDate: daysAgo(1), bucket: 'day' }, /"bucket".*week or month/],
      [
        { metric: 'stepCount', startDate: daysAgo(10), endDate: daysAgo(1), maxRequests: 500 },
        /"maxRequests".*1 to 100/,
      ],
      [{ metric: 'stepCount', endDate: daysAgo(1) }, /"startDate".*required/],
      [{ metric: 'step count', startDate: daysAgo(10), endDate: daysAgo(1) }, /"metric".*HealthKit/],
    ];
    for (const [input, expected] of summaries) {
      const [text] = await invoke('onetwentyone_summarize_metric', { account: 'Ada', ...input });
      assert.match(text ?? '', /^Nothing was sent to the API/, JSON.stringify(input));
      assert.match(text ?? '', expected, text);
    }
    assert.strictEqual(sandbox().quotaUsed(ADA_USER_ID), spent, 'a refused call spent quota');
  });

  test('summarize_metric gives weekly step totals over a year, equal to the sandbox series summed here', async () => {
    const startDate = daysAgo(365);
    const endDate = daysAgo(1);
    const [summary] = await invokeJson<Summary>('onetwentyone_summarize_metric', {
      account: 'Ada',
      metric: 'stepCount',
      startDate,
      endDate,
      bucket: 'week',
    });
    assert.ok(summary);
    const series = await sandboxSeries('stepCount', startDate, endDate);
    const weeks = new Map<string, { count: number; sum: number }>();
    for (const r of series) {
      const day = Math.floor(Date.parse(r.start_date) / DAY_MS);
      const monday = isoDay((day - ((day + 3) % 7)) * DAY_MS);
      const week = weeks.get(monday) ?? { count: 0, sum: 0 };
      week.count++;
      week.sum += r.value;
      weeks.set(monday, week);
    }
    assert.deepStrictEqual(
      summary.buckets.map((b) => [b.start, b.count, b.sum]),
      [...weeks].sort(([a], [b]) => a.localeCompare(b)).map(([start, w]) => [start, w.count, w.sum]),
    );
    assert.strictEqual(summary.complete, true);
    assert.strictEqual(summary.records, series.length);
    assert.strictEqual(
      summary.total?.sum,
      series.reduce((n, r) => n + r.value, 0),
    );
    assert.strictEqual(summary.unit, 'count');
    assert.ok(summary.requests.sent >= 1 && summary.requests.sent <= summary.requests.budget);
    for (const part of ['Ada', 'quantity/stepCount', `${startDate} to ${endDate}`, 'up to 20 requests'])
      assert.ok(summary.userAgreed.includes(part), `the confirmation does not name ${part}: ${summary.userAgreed}`);
  });

  test('summarize_metric stops at its request budget and says the result is incomplete', async () => {
    // Ada's heart rate is per minute for 90 days: about 13 pages of 10,000.
    const spent = sandbox().quotaUsed(ADA_USER_ID);
    const [summary] = await invokeJson<Summary>('onetwentyone_summarize_metric', {
      account: 'Ada',
      metric: 'heartRate',
      startDate: daysAgo(60),
      endDate: daysAgo(1),
      bucket: 'day',
      maxRequests: 2,
    });
    assert.ok(summary);
    assert.strictEqual(summary.complete, false);
    assert.match(summary.stopped ?? '', /partial/);
    assert.strictEqual(summary.records, 20_000);
    assert.ok(sandbox().quotaUsed(ADA_USER_ID) - spent <= 2, 'the summary spent more than its budget');
    assert.ok(summary.buckets.every((b) => b.min <= b.mean && b.mean <= b.max && b.count > 0));
  });

  test("a hostile user's profile comes back with long strings and deep nesting cut, within the size cap", async () => {
    const [about, profile] = await invoke('onetwentyone_run_query', { account: 'Hostile', route: 'profile' });
    assert.ok((profile ?? '').length <= 61_000, `profile text of ${(profile ?? '').length} characters`);
    const strings = (profile ?? '').match(/"(?:[^"\\]|\\.)*"/g) ?? [];
    const longest = Math.max(0, ...strings.map((s) => s.length));
    assert.ok(longest < 700, `a string of ${longest} characters came through`);
    assert.match(profile ?? '', /\[cut: 100000 characters\]/);
    assert.match(profile ?? '', /nested deeper than 8 levels/);
    assert.match(about ?? '', /cut at 60,000 characters/);
  });
});

suite('Language-model tools on a small daily quota', function () {
  this.timeout(120_000);
  const sandbox = useSandbox({ dailyLimit: 14 });
  const ACCOUNT = 'Ada on a small quota';

  suiteSetup(async () => {
    await useSandboxEnvironment(sandbox().baseUrl);
    await addDemoPat(ADA_USER_ID, sandbox().baseUrl, ACCOUNT);
  });

  test('summarize_metric keeps the quota reserve, names what is left when it asks, and says it stopped', async () => {
    // One request first, so the quota is known when the summary asks.
    await invoke('onetwentyone_run_query', {
      account: ACCOUNT,
      route: 'quantity',
      metric: 'heartRate',
      startDate: daysAgo(3),
      endDate: daysAgo(2),
      pageSize: 1,
    });
    assert.strictEqual(sandbox().quotaUsed(ADA_USER_ID), 1);
    const [summary] = await invokeJson<Summary>('onetwentyone_summarize_metric', {
      account: ACCOUNT,
      metric: 'heartRate',
      startDate: daysAgo(60),
      endDate: daysAgo(1),
      maxRequests: 20,
    });
    assert.ok(summary);
    assert.match(summary.userAgreed, /13 of 14 left as last seen/);
    assert.match(summary.userAgreed, /10 are kept in reserve/);
    assert.strictEqual(summary.complete, false);
    assert.match(summary.stopped ?? '', /quota/);
    // The default reserve (onetwentyone.fetchAll.quotaReserve) of 10 stays unspent.
    assert.strictEqual(sandbox().quotaUsed(ADA_USER_ID), 4);
  });

  test('run_query on a spent quota says so, and when it comes back', async () => {
    let text = '';
    for (let i = 0; i < 15 && !/quota_exhausted/.test(text); i++) {
      [text = ''] = await invoke('onetwentyone_run_query', { account: ACCOUNT, route: 'sleep', pageSize: 1 });
    }
    assert.match(text, /^The request failed \(quota_exhausted\)/);
    assert.match(text, /resets at \d{4}-\d{2}-\d{2}T/);
    assert.strictEqual(sandbox().quotaUsed(ADA_USER_ID), 14);
  });
});

suite('Language-model tools: what their results never hold', () => {
  test('no result holds a token, the client secret, or the ID of a user other than the one asked about', () => {
    assert.ok(allResults.length > 20, 'the audit needs the results of the tests above');
    const canaries = [...DEMO_USERS.map((u) => u.pat), DEMO_CLIENT_SECRET];
    for (const { text, userId } of allResults) {
      for (const canary of canaries) assert.ok(!text.includes(canary), 'a token or secret is in a tool result');
      assert.ok(!/Bearer\s+\S/.test(text), 'an authorization header is in a tool result');
      // A user's own records may name them (a profile's user_id); nobody else's ever.
      for (const other of [FIVE_YEAR_USER_ID, EMPTY_USER_ID, HOSTILE_USER_ID, ADA_USER_ID].filter(
        (id) => id !== userId,
      ))
        assert.ok(!text.includes(other), `a user ID (${other}) is in a tool result about someone else`);
    }
  });
});
