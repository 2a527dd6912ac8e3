import * as path from 'path';
import type * as SandboxBundle from '../../../src/sandbox/main';
import type { SandboxHandle, SandboxOptions } from '../../../src/sandbox/main';
import { REPO } from '../../support/repo';
import { Workbench, type WorkbenchOptions } from './workbench';

/**
 * The sandbox of the built bundle the product loads, on a free port, in this test process: the
 * extension host then carries only the extension's work. `options` adds e.g. clients of its own.
 */
export async function startBuiltSandbox(options: Omit<SandboxOptions, 'port'> = {}): Promise<SandboxHandle> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built bundle the product loads
  const bundle = require(path.join(REPO, 'dist', 'sandbox.js')) as typeof SandboxBundle;
  return bundle.startSandbox({ ...options, port: 0 });
}

/** User settings that point the extension at `sandbox`. */
export function sandboxSettings(sandbox: SandboxHandle): Record<string, unknown> {
  return { 'onetwentyone.environment': 'sandbox', 'onetwentyone.sandbox.url': sandbox.baseUrl };
}

/** The one workbench of a suite; reading it before suiteSetup has opened it is a mistake in the test. */
export interface SuiteWorkbench {
  readonly workbench: Workbench;
}

export interface SuiteWorkbenchHooks {
  /** Runs first in suiteSetup (e.g. starts a server) and returns the workbench's options. */
  prepare?: () => Promise<WorkbenchOptions>;
  /** Runs last in suiteTeardown, after the workbench has closed (e.g. stops that server). */
  release?: () => Promise<void>;
}

/**
 * Registers the hooks of a suite that shares one workbench: opened in suiteSetup, a screenshot after
 * each failed test, closed in suiteTeardown. Call it in the suite's body.
 */
export function workbenchPerSuite(hooks: SuiteWorkbenchHooks = {}): SuiteWorkbench {
  let opened: Workbench | undefined;
  suiteSetup(async function () {
    this.timeout(240_000);
    opened = await Workbench.open((await hooks.prepare?.()) ?? {});
  });
  teardown(async function () {
    await opened?.screenshotIfFailed(this.currentTest);
  });
  suiteTeardown(async () => {
    await opened?.close();
    await hooks.release?.();
  });
  return {
    get workbench(): Workbench {
      if (!opened) throw new Error('The suite has no workbench: its suiteSetup has not run or failed');
      return opened;
    },
  };
}

/** `workbenchPerSuite` on a sandbox of its own (started before the workbench, stopped after it), in `colorTheme`. */
export function sandboxWorkbenchPerSuite(colorTheme: string): SuiteWorkbench {
  let sandbox: SandboxHandle | undefined;
  return workbenchPerSuite({
    prepare: async () => {
      sandbox = await startBuiltSandbox();
      return { settings: { ...sandboxSettings(sandbox), 'workbench.colorTheme': colorTheme } };
    },
    release: async () => {
      await sandbox?.close();
    },
  });
}
