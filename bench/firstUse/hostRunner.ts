import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';
import {
  MINIMAL_AUTH_PROVIDER_ID,
  MINIMAL_CONTAINER_VIEWS,
  MINIMAL_EXTENSION_ID,
  MINIMAL_OPEN_PANEL_COMMAND,
} from './minimalExtension';
import type { HostReport, Loaded, Scenario, Timing } from './hostReport';
import { startCpuProfile } from '../../test/support/cpuProfile';

/**
 * B11's side inside the extension host (loaded as `extensionTestsPath`, see b11FirstUse.bench.ts):
 * one first action of the explorer and the same action of the minimal extension, each timed from
 * the call to the result being usable (wall) and by the extension host's main-thread busy time until
 * it is quiet again. Neither extension is active before its action: the action activates it, as it
 * would in a window (the workbench then asks the new authentication provider for its sessions at once,
 * which is part of every first action). Every file loaded
 * from the explorer's dist/ during the action is recorded with its size and load time. Prints one
 * `[b11] {...}` line.
 */

const EXPLORER_ID = 'onetwentyone.onetwentyone-explorer';
/** Long enough for the trailing work of an action (tree items after children, replies) to finish. */
const SETTLE_MS = 1000;
const QUIET_WINDOW_MS = 250;
/** Busy time in a quiet window: the runner's own timers and the workbench's idle chatter. */
const QUIET_BUSY_MS = 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records every file under `dist` that is loaded for the first time (bundles the shell requires). */
function recordLoads(dist: string): Loaded[] {
  const loaded: Loaded[] = [];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('module') as {
    _load: (request: string, parent: unknown, isMain: boolean) => unknown;
    _resolveFilename: (request: string, parent: unknown, isMain: boolean) => string;
  };
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    if (!request.startsWith('.') && !path.isAbsolute(request)) return load.call(this, request, parent, isMain);
    const file = Module._resolveFilename(request, parent, isMain);
    if (!file.startsWith(dist) || require.cache[file]) return load.call(this, request, parent, isMain);
    const started = performance.now();
    const exports = load.call(this, request, parent, isMain);
    loaded.push({
      file: path.relative(path.dirname(dist), file),
      bytes: fs.statSync(file).size,
      ms: performance.now() - started,
    });
    return exports;
  };
  return loaded;
}

/** Wall time of `action` until its result is usable, and main-thread busy time until quiet again. */
async function timed(action: () => Thenable<unknown>): Promise<Timing> {
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  await action();
  const wallMs = performance.now() - started;
  await quiet();
  return { wallMs, busyMs: performance.eventLoopUtilization(elu).active };
}

/** Waits at least SETTLE_MS, then until a quarter second passes with the main thread nearly idle. */
async function quiet(): Promise<void> {
  await sleep(SETTLE_MS);
  const deadline = performance.now() + 10_000;
  for (;;) {
    const window = performance.eventLoopUtilization();
    await sleep(QUIET_WINDOW_MS);
    if (performance.eventLoopUtilization(window).active < QUIET_BUSY_MS || performance.now() > deadline) return;
  }
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(1);
  }
}

interface ExplorerTestApi {
  testHooks(): {
    panel(): object | undefined;
    messagesOf(panel: object): { sent: readonly unknown[]; received: readonly unknown[] };
  };
}

function scenarioSteps(
  scenario: Scenario,
  explorerApi: () => Thenable<ExplorerTestApi>,
): { minimal: () => Thenable<unknown>; explorer: () => Thenable<unknown> } {
  switch (scenario) {
    case 'tree':
      // Showing a view shows its container: all three of its trees render (Accounts, Endpoints, History).
      return {
        minimal: () => vscode.commands.executeCommand(`${MINIMAL_CONTAINER_VIEWS[1]}.focus`),
        explorer: () => vscode.commands.executeCommand('onetwentyone.endpoints.focus'),
      };
    case 'getSession':
      return {
        minimal: () => vscode.authentication.getSession(MINIMAL_AUTH_PROVIDER_ID, [], { silent: true }),
        explorer: () => vscode.authentication.getSession('onetwentyone', [], { silent: true }),
      };
    case 'panel':
      return {
        minimal: () => vscode.commands.executeCommand(MINIMAL_OPEN_PANEL_COMMAND),
        explorer: async () => {
          await vscode.commands.executeCommand('onetwentyone.query.open');
          // The command activated the extension and loaded the panel; the hooks read what the panel and its webview said.
          const hooks = (await explorerApi()).testHooks();
          await until(() => {
            const panel = hooks.panel();
            if (!panel) return false;
            const { sent, received } = hooks.messagesOf(panel);
            return received.some((m) => (m as { type?: unknown }).type === 'ready') && sent.length > 0;
          }, "the panel's first state after its webview said ready");
        },
      };
  }
}

/** A throw-away webview first, so neither extension pays for the workbench's first webview. */
async function warmWebviews(): Promise<void> {
  const panel = vscode.window.createWebviewPanel('b11.warmUp', 'warm-up', vscode.ViewColumn.One, {
    enableScripts: true,
  });
  const ready = new Promise<void>((resolve) => panel.webview.onDidReceiveMessage(() => resolve()));
  panel.webview.html = '<!DOCTYPE html><html><body><script>acquireVsCodeApi().postMessage(1);</script></body></html>';
  await ready;
  panel.dispose();
}

export async function run(): Promise<void> {
  const ours = vscode.extensions.getExtension<ExplorerTestApi>(EXPLORER_ID);
  const minimal = vscode.extensions.getExtension(MINIMAL_EXTENSION_ID);
  if (!ours || !minimal) {
    const loaded = vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id);
    throw new Error(`both the explorer and the minimal extension must be loaded; loaded: ${loaded.join(', ')}`);
  }
  const scenarioFile = path.join(minimal.extensionPath, 'scenario.json');
  const { scenario } = JSON.parse(fs.readFileSync(scenarioFile, 'utf8')) as { scenario: Scenario };
  const loaded = recordLoads(path.join(ours.extensionPath, 'dist') + path.sep);
  if (scenario === 'panel') await warmWebviews();
  // The workbench settles after start (restored views, built-in extensions); then the actions.
  await sleep(2000);
  const steps = scenarioSteps(scenario, () => ours.activate());
  const minimalTiming = await timed(steps.minimal);
  if (ours.isActive) throw new Error('the explorer was active before its first action: nothing to measure');
  const beforeAction = loaded.splice(0);
  // B11_CPU_PROFILE=<file> profiles the explorer's action (the profiler slows it: for finding where time goes, not for figures).
  const profile = process.env.B11_CPU_PROFILE ? await startCpuProfile() : undefined;
  const explorerTiming = await timed(steps.explorer);
  if (profile) await profile.stopInto(`${process.env.B11_CPU_PROFILE!}.${scenario}.cpuprofile`);
  const report: HostReport = {
    scenario,
    vscode: vscode.version,
    minimal: minimalTiming,
    explorer: explorerTiming,
    loaded,
    beforeAction,
  };
  console.log(`[b11] ${JSON.stringify(report)}`);
}
