import * as path from 'path';
import type { Browser } from 'playwright-core';
import { REPO } from './repo';

/**
 * Headless Chromium, launched the one way every browser test and `npm start` launch it: by
 * scripts/codeServer/browser.js, plain JS that node runs as it is, so it is loaded at run time.
 */
export function launchChromium(): Promise<Browser> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a run-time path, deliberately not bundled
  const browserScript = require(path.join(REPO, 'scripts', 'codeServer', 'browser.js')) as {
    launchBrowser(): Promise<Browser>;
  };
  return browserScript.launchBrowser();
}
