import { executeCommand } from '../../../src/vscode/commands';
import { hooks, loadedHooks, useSandboxEnvironment, type TestHooks } from './extension';
import type { SandboxHandle } from './sandbox';

/** What a sign-in suite reads: the extension's test hooks, and every URL it asked the browser to open. */
export interface SignInSuite {
  hooks: () => TestHooks;
  /** In order; the test drives each authorize URL itself, over HTTP (the e2e tests click it in Chromium). */
  opened: readonly string[];
}

/**
 * For a sign-in suite against `sandbox` (registered before, so its sandbox starts first): points the
 * extension at the sandbox, waits for the stored accounts, and catches the URLs it would open in the
 * browser. After the suite, no URL is caught any more, no sign-in is left waiting and every account is
 * signed out; the suite's own tear-down, registered after this, runs after that.
 */
export function useSignInSuite(sandbox: () => SandboxHandle): SignInSuite {
  const opened: string[] = [];
  suiteSetup(async () => {
    await useSandboxEnvironment(sandbox().baseUrl);
    const h = await hooks();
    await h.auth.accounts.whenLoaded();
    h.seams.openExternal = async (url) => {
      opened.push(url);
      return true;
    };
  });
  suiteTeardown(async () => {
    const h = loadedHooks();
    h.seams.openExternal = undefined;
    h.auth.signIn.flows.cancelAll('cancelled');
    await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
  });
  return { hooks: loadedHooks, opened };
}
