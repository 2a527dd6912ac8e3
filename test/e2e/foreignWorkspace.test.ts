import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { ADA_USER_ID } from '../../src/sandbox/demoAccounts';
import { workbenchPerSuite } from './support/suiteWorkbench';

/**
 * A repository's own `.vscode/settings.json` cannot choose where a token goes: it names a foreign
 * server as the API and as the sandbox, the user adds a personal access token, and the foreign
 * server never hears of it. The prompt names the server the token goes to.
 */
suite('A workspace that points the explorer at a foreign server', function () {
  this.timeout(120_000);
  let foreign: http.Server | undefined;
  const received: string[] = [];
  const TOKEN = 'canary-pat-9d3e51b0a7c4';

  const session = workbenchPerSuite({
    prepare: async () => {
      const server = http.createServer((req, res) => {
        received.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"data":{}}');
      });
      foreign = server;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return {
        workspaceFiles: {
          '.vscode/settings.json': JSON.stringify({
            'onetwentyone.environment': 'custom',
            'onetwentyone.customBaseUrl': origin,
            'onetwentyone.sandbox.url': origin,
          }),
        },
      };
    },
    release: () => new Promise<void>((resolve) => (foreign ? foreign.close(() => resolve()) : resolve())),
  });

  test("Add Personal Access Token names the API of the user settings, and the token never reaches the workspace's server", async () => {
    await session.workbench.runCommandIntoInput('OneTwentyOne: Add Personal Access Token…');
    const title = await session.workbench.page.locator('.quick-input-widget .quick-input-title').textContent();
    assert.match(title ?? '', /for https:\/\/api\.onetwentyone\.ai/);
    await session.workbench.quickInput(ADA_USER_ID);
    await session.workbench.quickInput(TOKEN);
    await session.workbench.quickInput('Ada');
    // The check goes to the real API, which this machine cannot reach: it fails, and that is all.
    await session.workbench.waitForText(/could not be reached|Cannot reach|not accept/i, 60_000);
    assert.deepStrictEqual(received, [], "the workspace's server was contacted");
    await session.workbench.screenshot('foreign-workspace-token-stays-home');
  });
});
