import * as path from 'path';
import type * as SandboxBundle from '../../../src/sandbox/main';
import type { SandboxHandle, SandboxOptions } from '../../../src/sandbox/main';
import { getExtension } from './extension';

export type { SandboxHandle, SandboxOptions };

/**
 * Starts a sandbox API inside this extension host, from the extension's own dist/sandbox.js (the bundle
 * the product loads), on a free 127.0.0.1 port unless `options.port` says otherwise. Close it when done.
 */
export function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const bundle = path.join(getExtension().extensionPath, 'dist', 'sandbox.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built bundle, loaded at run time
  const sandbox = require(bundle) as typeof SandboxBundle;
  return sandbox.startSandbox({ port: 0, ...options });
}

/**
 * For a suite: a fresh sandbox per suite (suiteSetup/suiteTeardown). Returns a getter, since the handle
 * exists only once the suite has started.
 */
export function useSandbox(options: SandboxOptions = {}): () => SandboxHandle {
  let handle: SandboxHandle | undefined;
  suiteSetup(async () => {
    handle = await startSandbox(options);
  });
  suiteTeardown(async () => {
    await handle?.close();
    handle = undefined;
  });
  return () => {
    if (!handle) throw new Error('The sandbox runs only while its suite runs');
    return handle;
  };
}
