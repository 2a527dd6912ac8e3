import * as assert from 'assert';
import * as vscode from 'vscode';
import { ADA_USER_ID, DEMO_USERS, HOSTILE_USER_ID } from '../../src/sandbox/demoAccounts';
import type { HostToWebview } from '../../src/shared/protocol';
import type { Account } from '../../src/vscode/auth/accountsContract';
import { executeCommand } from '../../src/vscode/commands';
import type { EndpointNode } from '../../src/vscode/explorer/endpointsTree';
import type { HistoryEntry } from '../../src/vscode/explorer/historyStore';
import type { HistoryNode } from '../../src/vscode/explorer/historyTree';
import type { OwnerPrompts } from '../../src/vscode/explorer/queryOwner';
import { waitFor } from '../support/waitFor';
import { accountAt, addDemoPat, demoPat as pat, getExtension, hooks, useSandboxEnvironment } from './support/extension';
import { messagesOf, readyCount, readyPanel, rowsOf, sentTo } from './support/panel';
import { useSandbox } from './support/sandbox';

suite('Explorer: queries against the sandbox', function () {
  this.timeout(60_000);
  const sandbox = useSandbox();
  let ada: Account;

  suiteSetup(async () => {
    // Users and editors left by earlier suites (of sandboxes that are gone) are not this suite's: the
    // panel must open in front, where its webview answers.
    await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await useSandboxEnvironment(sandbox().baseUrl);
    ada = await addDemoPat(ADA_USER_ID, sandbox().baseUrl, 'Ada');
    await addDemoPat(HOSTILE_USER_ID, sandbox().baseUrl, 'Hostile');
  });

  suiteTeardown(async () => {
    (await hooks()).panel()?.dispose();
    // The next suites find no user of this suite's sandbox, which is gone.
    await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
  });

  test('Run Quantity Query from the palette opens the result in the inspector, and rows come in windows', async () => {
    const summary = await executeCommand('onetwentyone.query.runQuantity', {
      accountId: ada.id,
      metric: 'heartRate',
      preset: '7d',
      pageSize: 500,
    });
    assert.ok(summary, 'no result');
    assert.strictEqual(summary.status, 200);
    assert.ok(summary.recordCount > 0 && summary.recordCount <= 500, `records: ${summary.recordCount}`);
    assert.ok(summary.url.startsWith(`${sandbox().baseUrl}/api/v1/quantity/${ADA_USER_ID}/heartRate?`));
    const panel = await readyPanel();
    const parsed = await rowsOf(panel, { requestId: 7, resultId: summary.resultId, offset: 0, count: 250 });
    assert.strictEqual(parsed.length, Math.min(250, summary.recordCount));
    const rows = messagesOf(panel, 'getRows/result').find((m) => m.requestId === 7)!;
    assert.ok(rows.rowLines.length <= 1_000_000);
  });

  test('Run Sleep Query from the palette', async () => {
    const summary = await executeCommand('onetwentyone.query.runSleep', {
      accountId: ada.id,
      preset: '30d',
    });
    assert.strictEqual(summary?.status, 200);
    assert.strictEqual(summary.query.route, 'sleep');
    assert.strictEqual(summary.query.params.include_stages, true);
  });

  test('pages forward and back through the query panel', async () => {
    const panel = await readyPanel();
    const form = {
      query: {
        route: 'quantity' as const,
        metric: 'heartRate',
        params: { startDate: '2024-01-01', endDate: '2024-01-03', pageSize: 100, page: 2 },
      },
      accountId: ada.id,
    };
    await panel.handleWebviewMessage({ type: 'runQuery', requestId: 21, form });
    const second = messagesOf(panel, 'didReceiveResponse').find((m) => m.requestId === 21)?.summary;
    assert.ok(second, JSON.stringify(messagesOf(panel, 'didFailRequest').slice(-1)));
    assert.strictEqual(second.pagination?.currentPage, 2);
    assert.ok(second.pagination?.hasPrev);
    await panel.handleWebviewMessage({
      type: 'runQuery',
      requestId: 22,
      form: { ...form, query: { ...form.query, params: { ...form.query.params, page: 1 } } },
    });
    const first = messagesOf(panel, 'didReceiveResponse').find((m) => m.requestId === 22)!.summary;
    assert.strictEqual(first.pagination?.currentPage, 1);
    assert.strictEqual(first.pagination?.hasPrev, false);
  });

  test('find within the response returns record-relative paths', async () => {
    const panel = await readyPanel();
    const resultId = panel.result!.resultId;
    await panel.handleWebviewMessage({
      type: 'find',
      requestId: 31,
      resultId,
      text: 'current_page',
      caseSensitive: true,
    });
    const found = messagesOf(panel, 'find/result').find((m) => m.requestId === 31)!;
    assert.deepStrictEqual(found.hits[0], { record: -1, path: ['pagination', 'current_page'] });
  });

  test('copy as curl and as fetch leave the token out', async () => {
    const panel = (await hooks()).panel()!;
    await panel.handleWebviewMessage({ type: 'copyRequest', format: 'curl', withToken: false });
    const curl = await vscode.env.clipboard.readText();
    assert.ok(curl.startsWith('curl '), curl);
    assert.ok(curl.includes('$ONETWENTYONE_TOKEN'));
    assert.ok(!curl.includes(pat(ADA_USER_ID)));
    await panel.handleWebviewMessage({ type: 'copyRequest', format: 'fetch', withToken: false });
    const fetchCode = await vscode.env.clipboard.readText();
    assert.ok(fetchCode.includes('process.env.ONETWENTYONE_TOKEN'));
    assert.ok(!fetchCode.includes(pat(ADA_USER_ID)));
  });

  test('re-run from history repeats the request shape; history holds no token and no data', async () => {
    const { explorer } = await hooks();
    const entry = explorer.history.history().find((h) => h.query.route === 'sleep');
    assert.ok(entry, 'the sleep run is in the history');
    const before = explorer.history.history().length;
    const summary = await executeCommand('onetwentyone.history.rerun', {
      kind: 'entry',
      entry,
    });
    assert.strictEqual(summary?.query.route, 'sleep');
    assert.strictEqual(explorer.history.history().length, before + 1);
    const stored = JSON.stringify(explorer.history.history());
    assert.ok(!stored.includes(pat(ADA_USER_ID)));
    assert.ok(!stored.includes('"data"'));
  });

  test('the Endpoints tree lists every route and opens a metric in the panel', async () => {
    const { explorer } = await hooks();
    const roots = explorer.endpointsTree.getChildren();
    assert.deepStrictEqual(
      roots.map((r) => r.kind === 'route' && r.route.id),
      ['quantity', 'sleep', 'workout', 'profile', 'supplements', 'medications', 'labs'],
    );
    const categories = explorer.endpointsTree.getChildren(roots[0]);
    const heart = categories.find((c) => c.kind === 'category' && c.category === 'heart')!;
    const metric = explorer.endpointsTree
      .getChildren(heart)
      .find((m) => m.kind === 'metric' && m.metric.name === 'restingHeartRate') as EndpointNode;
    assert.strictEqual(explorer.endpointsTree.getTreeItem(metric).contextValue, 'endpoint:metric');
    // Tooltips are built on hover (resolveTreeItem), not with the rows (docs/performance.md, B11).
    const route = explorer.endpointsTree.getTreeItem(roots[1]!);
    assert.strictEqual(route.tooltip, undefined);
    const resolved = explorer.endpointsTree.resolveTreeItem(route, roots[1]!).tooltip as vscode.MarkdownString;
    assert.match(resolved.value, /^\*\*GET\*\* `\/api\/v1\/sleep\//);
    assert.match(
      String(explorer.endpointsTree.resolveTreeItem(explorer.endpointsTree.getTreeItem(metric), metric).tooltip),
      /restingHeartRate/,
    );
    await executeCommand('onetwentyone.endpoints.open', metric);
    // The real webview has loaded, said ready, and receives the form for the metric.
    const panel = await readyPanel();
    const init = await waitFor('the form from the tree', () =>
      sentTo(panel).find(
        (m) => (m.type === 'setForm' || m.type === 'didInit') && JSON.stringify(m).includes('restingHeartRate'),
      ),
    );
    assert.ok(init);
    // Sending it, as the Send button does:
    await panel.handleWebviewMessage({
      type: 'runQuery',
      requestId: 41,
      form: {
        query: { route: 'quantity', metric: 'restingHeartRate', params: { page: 1, pageSize: 50 } },
        accountId: ada.id,
      },
    });
    assert.strictEqual(messagesOf(panel, 'didReceiveResponse').find((m) => m.requestId === 41)?.summary.status, 200);
  });

  test('messages outside the protocol are ignored, floods are cut off', async () => {
    const panel = (await hooks()).panel()!;
    const sent = sentTo(panel).length;
    await panel.handleWebviewMessage({ type: 'fetch', url: 'https://evil.example/' });
    await panel.handleWebviewMessage({
      type: 'runQuery',
      requestId: 1,
      form: { query: { route: 'quantity', metric: '../../api/token', params: {} } },
    });
    assert.strictEqual(sentTo(panel).length, sent);
    const before = panel.droppedMessages;
    await Promise.all(Array.from({ length: 1000 }, () => panel.handleWebviewMessage({ type: 'cancel', requestId: 1 })));
    assert.ok(panel.droppedMessages > before, 'a flood of 1000 messages was not limited');
  });

  test('the panel HTML has a strict CSP with a per-load nonce, and safe options', async () => {
    const panel = (await hooks()).panel()!;
    const html = panel.panel.webview.html;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    assert.ok(csp.startsWith("default-src 'none'; "), csp);
    assert.ok(/script-src 'nonce-[A-Za-z0-9+/=]{20,}'/.test(csp), csp);
    assert.ok(csp.includes("connect-src 'none'"));
    assert.ok(!/unsafe-inline|unsafe-eval/.test(csp));
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    assert.strictEqual(html.match(/<script /g)?.length, 1);
    assert.ok(html.includes(`<script nonce="${nonce}"`));
    const options = panel.panel.webview.options;
    assert.strictEqual(options.enableCommandUris, false);
    assert.strictEqual(options.enableForms, false);
    assert.deepStrictEqual(options.localResourceRoots?.map((u) => u.path.split('/').pop()).sort(), ['dist', 'media']);
  });

  test("the hostile user's strings reach the webview only as JSON text, and no token ever does", async () => {
    const hostile = (await accountAt(HOSTILE_USER_ID, sandbox().baseUrl))!;
    const summary = await executeCommand('onetwentyone.query.runQuantity', {
      accountId: hostile.id,
      metric: 'heartRate',
      preset: 'all',
      pageSize: 50,
    });
    assert.strictEqual(summary?.status, 200);
    const panel = await readyPanel();
    assert.ok(Array.isArray(await rowsOf(panel, { requestId: 51, resultId: summary.resultId, offset: 0, count: 50 })));
    const everything = JSON.stringify(sentTo(panel));
    for (const user of DEMO_USERS)
      assert.ok(!everything.includes(user.pat), `the token of ${user.name} reached the webview`);
    assert.ok(!panel.panel.webview.html.includes('sbx_pat_'));
  });

  test('Cancel stops a slow request: a clear cancelled state, no history entry, nothing posted after', async () => {
    const { explorer } = await hooks();
    const panel = await readyPanel();
    sandbox().setFaults({ latencyMs: 5_000 });
    try {
      const historyBefore = explorer.history.history().length;
      const startsBefore = sentTo(panel).filter((m) => m.type === 'didStartRequest').length;
      const running = executeCommand('onetwentyone.query.runSleep', {
        accountId: ada.id,
        preset: '7d',
      });
      const started = await waitFor('the request to start', () => {
        const starts = sentTo(panel).filter((m) => m.type === 'didStartRequest');
        return starts.length > startsBefore ? starts[starts.length - 1] : undefined;
      });
      await panel.handleWebviewMessage({
        type: 'cancel',
        requestId: started.requestId,
      });
      assert.strictEqual(await running, undefined);
      const failed = [...sentTo(panel)].reverse().find((m) => m.type === 'didFailRequest') as Extract<
        HostToWebview,
        { type: 'didFailRequest' }
      >;
      assert.strictEqual(failed.code, 'cancelled');
      assert.strictEqual(explorer.history.history().length, historyBefore, 'a cancelled request went into the history');
    } finally {
      sandbox().setFaults(undefined);
    }
  });

  test('the History view: entries without tokens, saved queries with re-run and remove', async () => {
    const { explorer } = await hooks();
    const roots = explorer.historyTree.getChildren();
    // Each row with its tooltip, which the view builds on hover (resolveTreeItem).
    const items = roots.map((n) => explorer.historyTree.resolveTreeItem(explorer.historyTree.getTreeItem(n), n));
    assert.ok(items.length > 0);
    assert.ok(items.every((i) => (i.tooltip as vscode.MarkdownString | undefined)?.value.includes('User:')));
    const texts = JSON.stringify(
      items.map((i) => [i.label, i.description, (i.tooltip as vscode.MarkdownString | undefined)?.value]),
    );
    for (const user of DEMO_USERS) assert.ok(!texts.includes(user.pat));
    assert.ok(items.every((i) => i.contextValue === 'historyEntry'));
    const saved = await explorer.history.save(
      'Resting HR',
      { route: 'quantity', metric: 'restingHeartRate', params: { page: 1, pageSize: 10 } },
      ada.id,
    );
    const section = explorer.historyTree.getChildren()[0]!;
    assert.strictEqual(section.kind, 'savedSection');
    const savedNode = explorer.historyTree.getChildren(section)[0]!;
    assert.strictEqual(explorer.historyTree.getTreeItem(savedNode).contextValue, 'savedQuery');
    const summary = await executeCommand('onetwentyone.history.rerun', savedNode);
    assert.strictEqual(summary?.query.metric, 'restingHeartRate');
    await executeCommand('onetwentyone.history.removeSaved', savedNode);
    assert.ok(!explorer.history.saved().some((s) => s.id === saved.id));
    assert.notStrictEqual(explorer.historyTree.getChildren()[0]?.kind, 'savedSection');
  });

  test('the status bar shows the active user and the quota', async () => {
    const { explorer } = await hooks();
    await waitFor(
      'quota in the status bar',
      () => / left/.test(explorer.statusBar.text) || /signed out/.test(explorer.statusBar.text),
    );
    assert.ok(!explorer.statusBar.text.includes('sbx_pat_'));
  });
});

suite('Explorer: hidden panel re-sync', function () {
  this.timeout(60_000);
  const sandbox = useSandbox();

  test('a result that arrives while the panel is hidden is shown when it is visible again', async () => {
    await useSandboxEnvironment(sandbox().baseUrl);
    const ada = await addDemoPat(ADA_USER_ID, sandbox().baseUrl, 'Ada');
    await executeCommand('onetwentyone.query.open');
    const panel = await readyPanel();
    const readies = () => readyCount(panel);
    const before = readies();
    // Another editor in the same column hides the panel.
    // A saved file, not an untitled one: closing a dirty editor later would ask to save in a modal.
    const doc = await vscode.workspace.openTextDocument(
      vscode.Uri.joinPath(getExtension().extensionUri, 'package.json'),
    );
    await vscode.window.showTextDocument(doc, {
      viewColumn: panel.panel.viewColumn ?? vscode.ViewColumn.Active,
      preview: false,
    });
    await waitFor('the panel to be hidden', () => !panel.panel.visible);
    const summary = await executeCommand('onetwentyone.query.runSleep', {
      accountId: ada.id,
      preset: '7d',
    });
    assert.strictEqual(summary?.status, 200);
    const sentWhileHidden = sentTo(panel).filter(
      (m) => m.type === 'didReceiveResponse' && m.summary.resultId === summary.resultId,
    ).length;
    panel.panel.reveal();
    await waitFor('the webview to reload and say ready', () => readies() > before, 30_000);
    const resent = await waitFor('the result re-sent after ready', () =>
      sentTo(panel).find((m) => m.type === 'didReceiveResponse' && m.summary.resultId === summary.resultId),
    );
    assert.ok(resent);
    assert.strictEqual(sentWhileHidden, 0, 'the host posted to a hidden webview');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
  });
});

suite('Explorer: the History view of a user who signed out', function () {
  this.timeout(60_000);
  const sandbox = useSandbox();
  let ada: Account;
  let hostile: Account;
  let adaRun: HistoryEntry;
  let savedNode: HistoryNode;
  /** What the signed-out prompts asked, in order: the modal's message and buttons, the accounts the pick offered. */
  let asked: string[] = [];

  const explorer = async () => (await hooks()).explorer;
  const sandboxRequests = () => sandbox().requestLog.filter((r) => r.path.startsWith('/api/v1/')).length;
  const itemOf = async (node: HistoryNode) => (await explorer()).historyTree.getTreeItem(node);
  const entryNode = (entry: HistoryEntry): HistoryNode => ({ kind: 'entry', entry });

  /** Answers the modal with `choice` (undefined: Cancel) and a quick pick with `pickId`'s account. */
  async function answerPrompts(
    choice: string | undefined,
    pickId?: string,
    runCommand?: OwnerPrompts['runCommand'],
  ): Promise<void> {
    (await hooks()).seams.ownerPrompts = {
      warn: async (message, options, ...choices) => {
        asked.push(`${options.modal ? 'modal' : 'message'}: ${message} [${choices.join(' | ')}]`);
        return choice;
      },
      pick: async (items) => {
        const offered = items.map((i) => (i as { account?: Account }).account);
        asked.push(`pick: ${offered.map((a) => a?.id).join(', ')}`);
        return items[offered.findIndex((a) => a?.id === pickId)];
      },
      ...(runCommand ? { runCommand } : {}),
    };
  }

  suiteSetup(async () => {
    await useSandboxEnvironment(sandbox().baseUrl);
    ada = await addDemoPat(ADA_USER_ID, sandbox().baseUrl, 'Ada');
    // Added last, so Hostile is the active user: the one a silent fallback would run as.
    hostile = await addDemoPat(HOSTILE_USER_ID, sandbox().baseUrl, 'Hostile');
    const summary = await executeCommand('onetwentyone.query.runSleep', {
      accountId: ada.id,
      preset: '7d',
    });
    assert.strictEqual(summary?.status, 200);
    adaRun = (await explorer()).history.history().find((h) => h.accountId === ada.id)!;
    const saved = await (
      await explorer()
    ).history.save(
      'Ada resting HR',
      { route: 'quantity', metric: 'restingHeartRate', params: { page: 1, pageSize: 10 } },
      ada.id,
    );
    savedNode = { kind: 'saved', saved };
  });

  setup(() => {
    asked = [];
  });

  suiteTeardown(async () => {
    const h = await hooks();
    h.seams.ownerPrompts = undefined;
    for (const s of h.explorer.history.saved()) await h.explorer.history.removeSaved(s.id);
    // Only those still signed in: for an unknown id, Sign Out would ask which account in a quick pick.
    for (const account of [ada, hostile])
      if (account && h.auth.accounts.get(account.id)) await executeCommand('onetwentyone.auth.signOut', account.id);
    h.panel()?.dispose();
  });

  test('each entry and saved query names its user', async () => {
    assert.match(String((await itemOf(entryNode(adaRun))).description), /^Ada · /);
    assert.match(String((await itemOf(savedNode)).description), / · Ada$/);
  });

  test('clicking a saved query opens it in the query panel, for its user', async () => {
    const item = await itemOf(savedNode);
    assert.ok(item.command, 'a click does something');
    const earlier = (await hooks()).panel();
    const sentBefore = (earlier && sentTo(earlier).length) ?? 0;
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const panel = await readyPanel();
    const sent = () => sentTo(panel).slice(panel === earlier ? sentBefore : 0);
    const form = await waitFor(
      'the saved query in the panel form',
      () =>
        sent()
          .map((m) => (m.type === 'setForm' || m.type === 'didInit' ? m.form : null))
          .find((f) => f?.query.metric === 'restingHeartRate') ?? undefined,
    );
    assert.strictEqual(form.accountId, ada.id);
    assert.ok(panel.panel.visible, 'the panel is shown');
  });

  test('signing a user out keeps the history; their entries show them as signed out', async () => {
    const before = (await explorer()).history.history().length;
    await executeCommand('onetwentyone.auth.signOut', ada.id);
    const hooked = await explorer();
    assert.strictEqual(hooked.history.history().length, before);
    assert.ok(
      hooked.history.history().some((h) => h.id === adaRun.id),
      "the signed-out user's entry is still there",
    );
    assert.match(String((await itemOf(entryNode(adaRun))).description), /^Ada \(signed out\) · /);
    assert.match(String((await itemOf(savedNode)).description), / · Ada \(signed out\)$/);
  });

  test("re-running a signed-out user's saved query asks instead of running as another user; Cancel runs nothing", async () => {
    const hooked = await explorer();
    const requests = sandboxRequests();
    const entries = hooked.history.history().length;
    await answerPrompts(undefined);
    const summary = await executeCommand('onetwentyone.history.rerun', savedNode);
    assert.strictEqual(summary, undefined, `ran as ${summary?.url}`);
    assert.deepStrictEqual(asked, [
      'modal: Ada is signed out. [Sign In… | Add Personal Access Token… | Choose Another User…]',
    ]);
    assert.strictEqual(sandboxRequests(), requests, 'a request reached the API');
    assert.strictEqual(hooked.history.history().length, entries);
    // The same for a history entry, and for a click that would open it.
    assert.strictEqual(await executeCommand('onetwentyone.history.rerun', entryNode(adaRun)), undefined);
    assert.strictEqual(await executeCommand('onetwentyone.query.open', entryNode(adaRun)), undefined);
    assert.strictEqual(asked.length, 3);
    assert.strictEqual(sandboxRequests(), requests);
  });

  test('choosing another user explicitly runs the saved query as that user', async () => {
    await answerPrompts('Choose Another User…', hostile.id);
    const summary = await executeCommand('onetwentyone.history.rerun', savedNode);
    assert.ok(asked[1]?.startsWith('pick: ') && asked[1].includes(hostile.id) && !asked[1].includes(ada.id), asked[1]);
    assert.ok(
      summary?.url.startsWith(`${sandbox().baseUrl}/api/v1/quantity/${HOSTILE_USER_ID}/restingHeartRate?`),
      summary?.url,
    );
  });

  test('signing the user in again runs the saved query as them', async () => {
    // The test types the token the Add Personal Access Token prompts would ask for.
    await answerPrompts('Add Personal Access Token…', undefined, (command) =>
      vscode.commands.executeCommand(command, { userId: ADA_USER_ID, token: pat(ADA_USER_ID), note: 'Ada' }),
    );
    const summary = await executeCommand('onetwentyone.history.rerun', savedNode);
    assert.ok(
      summary?.url.startsWith(`${sandbox().baseUrl}/api/v1/quantity/${ADA_USER_ID}/restingHeartRate?`),
      summary?.url,
    );
    assert.match(String((await itemOf(savedNode)).description), / · Ada$/);
  });
});
