import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { ADA_USER_ID } from '../../src/sandbox/demoAccounts';
import { Workbench } from './support/workbench';

/**
 * A repository's own `.vscode/settings.json` cannot choose where a token goes: it names a foreign
 * server as the API and as the sandbox, the user adds a personal access token, and the foreign
 * server never hears of it. The prompt names the server the token goes to.
 */
suite('A workspace that points the explorer at a foreign server', function () {
  this.timeout(120_000);
  let workbench: Workbench;
  let foreign: http.Server;
  const received: string[] = [];
  const TOKEN = 'canary-pat-9d3e51b0a7c4';

  suiteSetup(async function () {
    this.timeout(240_000);
    foreign = http.createServer((req, res) => {
      received.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data":{}}');
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
    workbench = await Workbench.open({
      workspaceFiles: {
        '.vscode/settings.json': JSON.stringify({
          'onetwentyone.environment': 'custom',
          'onetwentyone.customBaseUrl': origin,
          'onetwentyone.sandbox.url': origin,
        }),
      },
    });
  });

  teardown(async function () {
    await workbench?.screenshotIfFailed(this.currentTest);
  });

  suiteTeardown(async () => {
    await workbench?.close();
    await new Promise<void>((resolve) => foreign?.close(() => resolve()));
  });

  test("Add Personal Access Token names the API of the user settings, and the token never reaches the workspace's server", async () => {
    await workbench.runCommandIntoInput('OneTwentyOne: Add Personal Access Token…');
    const title = await workbench.page.locator('.quick-input-widget .quick-input-title').textContent();
    assert.match(title ?? '', /for https:\/\/api\.onetwentyone\.ai/);
    await workbench.quickInput(ADA_USER_ID);
    await workbench.quickInput(TOKEN);
    await workbench.quickInput('Ada');
    // The check goes to the real API, which this machine cannot reach: it fails, and that is all.
    await workbench.waitForText(/could not be reached|Cannot reach|not accept/i, 60_000);
    assert.deepStrictEqual(received, [], "the workspace's server was contacted");
    await workbench.screenshot('foreign-workspace-token-stays-home');
  });
});
