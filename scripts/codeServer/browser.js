// Headless Debian Chromium (playwright-core) pointed at a code-server workbench.
const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    // Without these, Chromium keeps calling Google hosts, which this network refuses.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * Newer workbenches (1.139, not 1.100) honour the extensionDevelopmentPath/extensionTestsPath payload only
 * when developmentOptions.enableSmokeTestDriver is set, and code-server's CLI has no flag for it. It is
 * set where the workbench reads its configuration. The HTML itself must not be rewritten (route.fulfill):
 * a fulfilled page fails Chromium's local-network-access check and then every WebSocket fails.
 */
/* global Element -- runs in the page */
async function enableDevelopmentPayload(page) {
  await page.addInitScript(() => {
    const getAttribute = Element.prototype.getAttribute;
    Element.prototype.getAttribute = function (name) {
      const value = getAttribute.call(this, name);
      if (name !== 'data-settings' || this.id !== 'vscode-workbench-web-configuration' || !value) return value;
      try {
        const config = JSON.parse(value);
        config.developmentOptions = { ...config.developmentOptions, enableSmokeTestDriver: true };
        return JSON.stringify(config);
      } catch {
        return value;
      }
    };
  });
}

/**
 * The workbench URL of a code-server with the given folder open. Paths in the payload are on the server's
 * file system: code-server makes the remote authority `location.host`, so they are vscode-remote URIs of it.
 */
function workbenchUrl(codeServer, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (file) => `vscode-remote://${codeServer.host}${path.resolve(file)}`;
  const payload = [
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  return `${codeServer.base}/?folder=${encodeURIComponent(path.resolve(folder))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

module.exports = { launchBrowser, enableDevelopmentPayload, workbenchUrl };
