import * as assert from 'assert';
import { subscribe, unsubscribe } from 'diagnostics_channel';
import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import { monitorEventLoopDelay, performance } from 'perf_hooks';
import * as v8 from 'v8';
import * as vm from 'vm';
import * as vscode from 'vscode';
import { checkEnvelope } from '../../src/core/api/validation';
import { ResultStore } from '../../src/core/dataset/resultStore';
import { PAGE_WORKER_CHANNEL } from '../../src/core/worker/pageWorker';
import { FIVE_YEAR_USER_ID } from '../../src/sandbox/demoAccounts';
import { executeCommand } from '../../src/vscode/commands';
import { startCpuProfile } from '../support/cpuProfile';
import { mainThreadCpuMs } from '../support/threadCpu';
import { waitFor } from '../support/waitFor';
import { addDemoPat, demoPat, getExtension, hooks, useSandboxEnvironment } from './support/extension';
import { readyCount, receivedFrom, rowsOf, sentTo } from './support/panel';

/**
 * The whole story in a real VS Code: five years of per-minute heart rate (2,629,800 records,
 * 263 pages) fetched through the query panel's Fetch All Pages, with the webview open. The sandbox
 * runs in a child process so that this extension host's event loop carries only the extension's
 * work. Asserts what was fetched; prints what it cost (`[five-years] {json}`) for
 * `bench/b4ExtensionHost.bench.ts`, which turns it into ratios (no timed assertion here).
 */

const FIVE_YEAR_RECORDS = 2_629_800;
/** The sandbox's answer delay: 0 in CI (fast), 150 ms in the benchmark (B4's definition). */
const LATENCY_MS = Number(process.env.FIVE_YEARS_LATENCY_MS ?? 0);
const PAT = demoPat(FIVE_YEAR_USER_ID);

/** `node dist/sandbox.js --port 0 --json` in its own process; resolves with its base URL. */
function startSandboxProcess(): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawn(
    process.execPath,
    [
      path.join(getExtension().extensionPath, 'dist', 'sandbox.js'),
      '--port',
      '0',
      '--latency-ms',
      String(LATENCY_MS),
      '--json',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      // The extension host's own Node (code-server's, or Electron's acting as Node).
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, baseUrl: (JSON.parse(line) as { baseUrl: string }).baseUrl });
    });
    child.once('exit', (code) => reject(new Error(`the sandbox process exited with ${code}`)));
  });
}

suite('Five years through the panel, in the extension host', function () {
  this.timeout(600_000);
  let sandbox: { child: ChildProcess; baseUrl: string };

  suiteSetup(async () => {
    // A fresh panel, whose first messages (its ready handshake) this test waits for.
    (await hooks()).panel()?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    sandbox = await startSandboxProcess();
    await useSandboxEnvironment(sandbox.baseUrl);
  });

  suiteTeardown(async () => {
    (await hooks()).panel()?.dispose();
    await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
    sandbox?.child.kill();
  });

  test('Fetch All Pages of five years of per-minute heart rate: every record, the webview served in windows', async () => {
    const account = await addDemoPat(FIVE_YEAR_USER_ID, sandbox.baseUrl, 'Five years');
    const summary = await executeCommand('onetwentyone.query.runQuantity', {
      accountId: account.id,
      metric: 'heartRate',
      preset: 'all',
      pageSize: 10_000,
    });
    assert.strictEqual(summary?.recordCount, 10_000);
    const panel = (await hooks()).panel()!;
    const ready = (): boolean => readyCount(panel) > 0;
    await waitFor('the webview ready handshake', ready, 15_000).catch(async () => {
      // Seen once in a loaded CI run: the new panel's webview had not loaded. Bring it forward once.
      panel.panel.reveal(vscode.ViewColumn.Active);
      await waitFor(
        `the webview ready handshake (visible ${panel.panel.visible}, ${receivedFrom(panel).length} messages received)`,
        ready,
        30_000,
      );
    });

    // The per-page work the product cannot avoid, measured here: parse, validate, store (best of 5).
    const sampleUrl = new URL(summary.url);
    sampleUrl.searchParams.set('page', '2');
    const sample = await (await fetch(sampleUrl, { headers: { Authorization: `Bearer ${PAT}` } })).text();
    let perPageMs = Infinity;
    for (let i = 0; i < 5; i++) {
      const scratch = new ResultStore();
      const t0 = performance.now();
      const envelope = JSON.parse(sample) as { data: unknown[] };
      checkEnvelope('quantity', true, envelope);
      scratch.append(envelope.data, sample.length);
      perPageMs = Math.min(perPageMs, performance.now() - t0);
      scratch.dispose();
    }

    // A full collection before and after, for what the result retains (heap plus typed arrays).
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const retainedAtStart = process.memoryUsage();
    // As in B4's panel path: Node records the time between its timer's turns, so an idle loop reads the
    // resolution itself (docs/performance.md, B4); at 10 ms no run could read a p99 under 10 ms.
    const loop = monitorEventLoopDelay({ resolution: 5 });
    // v8's figure, not process.memoryUsage(): that also reads the resident size from the OS, which
    // showed up in this host's CPU profile at 50 samples a second.
    const heapUsed = (): number => v8.getHeapStatistics().used_heap_size;
    const heapAtStart = heapUsed();
    let peakHeap = heapAtStart;
    const sampler = setInterval(() => {
      peakHeap = Math.max(peakHeap, heapUsed());
    }, 20);
    loop.enable();
    const cpuAtStart = process.cpuUsage();
    // The main thread's own share (the page worker's CPU is in process.cpuUsage too), and the worker's heap.
    const mainCpuAtStart = mainThreadCpuMs();
    const busyAtStart = performance.eventLoopUtilization();
    let workerPeakHeap = 0;
    const onWorkerClosed = (stats: unknown): void => {
      workerPeakHeap = Math.max(workerPeakHeap, (stats as { peakHeapBytes: number }).peakHeapBytes);
    };
    subscribe(PAGE_WORKER_CHANNEL, onWorkerClosed);
    // undici announces each request it creates on this thread's channel (the page worker's are on its own).
    let requestsFromMainThread = 0;
    const onRequest = (): void => void requestsFromMainThread++;
    subscribe('undici:request:create', onRequest);
    const profile = process.env.FIVE_YEARS_CPU_PROFILE ? await startCpuProfile() : undefined;
    const started = performance.now();
    const outcome = await executeCommand('onetwentyone.query.fetchAll', { confirmed: true });
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuAtStart);
    const mainCpuAtEnd = mainThreadCpuMs();
    const busy = performance.eventLoopUtilization(busyAtStart);
    unsubscribe(PAGE_WORKER_CHANNEL, onWorkerClosed);
    unsubscribe('undici:request:create', onRequest);
    if (profile) await profile.stopInto(process.env.FIVE_YEARS_CPU_PROFILE!);
    loop.disable();
    clearInterval(sampler);

    assert.strictEqual(outcome?.reason, 'complete', outcome?.message);
    assert.strictEqual(panel.result!.recordCount, FIVE_YEAR_RECORDS);
    gc();
    const retained = process.memoryUsage();
    const retainedBytes = retained.heapUsed + retained.external - retainedAtStart.heapUsed - retainedAtStart.external;
    // The webview kept asking for windows while the result grew, and got them (never the whole result).
    const rowsSent = sentTo(panel).filter((m) => m.type === 'getRows/result');
    assert.ok(rowsSent.every((m) => m.type === 'getRows/result' && m.rowLines.length <= 1_000_000));
    // The last window is the sandbox's last page's tail, record for record.
    const lastPageUrl = new URL(summary.url);
    lastPageUrl.searchParams.set('page', String(Math.ceil(FIVE_YEAR_RECORDS / 10_000)));
    const lastPage = (await (await fetch(lastPageUrl, { headers: { Authorization: `Bearer ${PAT}` } })).json()) as {
      data: unknown[];
    };
    const tail = await rowsOf(panel, {
      requestId: 990,
      resultId: summary.resultId,
      offset: FIVE_YEAR_RECORDS - 3,
      count: 3,
    });
    assert.deepStrictEqual(tail, lastPage.data.slice(-3));

    const concurrency = vscode.workspace.getConfiguration('onetwentyone').get<number>('fetchAll.concurrency', 4);
    // B4's bound: the network's share (pages × latency / concurrency) or the CPU's, whichever is larger.
    const boundMs = Math.max((outcome.pages * LATENCY_MS) / concurrency, outcome.pages * perPageMs);
    const report = {
      vscode: vscode.version,
      node: process.versions.node,
      latencyMs: LATENCY_MS,
      concurrency,
      pages: outcome.pages,
      records: outcome.records,
      wallMs: Math.round(wallMs),
      hostCpuMs: Math.round((cpu.user + cpu.system) / 1000),
      mainThreadCpuMs:
        mainCpuAtStart !== undefined && mainCpuAtEnd !== undefined ? mainCpuAtEnd - mainCpuAtStart : undefined,
      mainThreadBusyMs: Math.round(busy.active),
      requestsFromMainThread,
      workerPeakHeapMb: Number((workerPeakHeap / 1048576).toFixed(1)),
      perPageMs: Number(perPageMs.toFixed(2)),
      boundMs: Math.round(boundMs),
      loopP99Ms: Number((loop.percentile(99) / 1e6).toFixed(1)),
      loopMaxMs: Number((loop.max / 1e6).toFixed(1)),
      heapStartMb: Number((heapAtStart / 1048576).toFixed(1)),
      heapPeakAboveStartMb: Number(((peakHeap - heapAtStart) / 1048576).toFixed(1)),
      retainedBytesPerRecord: Number((retainedBytes / FIVE_YEAR_RECORDS).toFixed(1)),
      jsonBytesPerRecord: Number((sample.length / 10_000).toFixed(1)),
    };
    console.log(`[five-years] ${JSON.stringify(report)}`);
  });
});
