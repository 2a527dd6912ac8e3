import type { Page } from 'playwright-core';

/**
 * The address a tab's address bar shows, as a person copies it. After a navigation that cannot load
 * (a host this machine cannot reach), `page.url()` names Chromium's error page instead; the address
 * bar still shows the address that failed, which is the current entry of the tab's history.
 */
export async function addressBar(page: Page): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const history = await cdp.send('Page.getNavigationHistory');
    return history.entries[history.currentIndex]?.url ?? page.url();
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
