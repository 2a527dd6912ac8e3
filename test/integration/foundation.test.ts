import * as assert from 'assert';
import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import { COMMAND_IDS, QUERY_PANEL_VIEW_TYPE, VIEW_IDS } from '../../src/vscode/commandIds';
import { waitFor } from '../support/waitFor';
import { EXTENSION_ID, activateExtension, getExtension, hooks, nextEvent, testAccess } from './support/extension';
import { useSandbox } from './support/sandbox';

interface ContributedCommand {
  command: string;
}

function manifest(): {
  activationEvents?: string[];
  contributes: { commands: ContributedCommand[]; views: Record<string, { id: string }[]> };
} {
  return getExtension().packageJSON;
}

// index.ts runs this suite before every other one, so the first test sees a window in which only
// start-up has happened: nothing may have activated the extension yet.
suite('Foundation: activation', () => {
  test('is not active after start-up, and activates when its view is shown', async () => {
    const extension = getExtension();
    assert.strictEqual(
      extension.isActive,
      false,
      'the extension activated at start-up; it must wait for its views, commands, URIs or sign-in requests',
    );
    await vscode.commands.executeCommand('onetwentyone.accounts.focus');
    await waitFor('activation by the Accounts view', () => extension.isActive);
  });

  test('declares no eager activation event', () => {
    const events = manifest().activationEvents ?? [];
    for (const eager of ['*', 'onStartupFinished'])
      assert.ok(!events.includes(eager), `activationEvents contains ${eager}`);
  });

  test('runs in test mode, the only mode that exposes test access', async () => {
    assert.strictEqual(getExtension().extensionKind, vscode.ExtensionKind.Workspace);
    await testAccess();
  });

  // The shell creates the panel before the explorer loads, and the explorer opens the query panel in
  // it (docs/performance.md, B11): one panel, the query panel's own, as when the explorer creates it.
  test('"Open Query Panel" before the explorer has loaded opens one query panel, which the explorer fills', async () => {
    const access = await testAccess();
    assert.strictEqual(access.explorerLoaded(), false, 'something loaded the explorer before this test');
    const queryTabs = () =>
      vscode.window.tabGroups.all
        .flatMap((group) => group.tabs)
        .filter(
          (tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(QUERY_PANEL_VIEW_TYPE),
        );
    // Twice at once (a double click): the second waits for the first's panel.
    await Promise.all([
      vscode.commands.executeCommand('onetwentyone.query.open'),
      vscode.commands.executeCommand('onetwentyone.query.open'),
    ]);
    assert.strictEqual(access.explorerLoaded(), true);
    // The workbench tells the extension host about its tabs a moment later.
    await waitFor('the query panel tab', () => queryTabs().length > 0);
    assert.deepStrictEqual(
      queryTabs().map((tab) => tab.label),
      ['OneTwentyOne Query'],
    );
    const h = await hooks();
    const panel = h.panel();
    assert.ok(panel, 'the explorer holds the query panel');
    assert.strictEqual(panel.panel.active, true);
    await waitFor("the webview's ready and the panel's first state", () => {
      const { sent, received } = h.messagesOf(panel);
      return received.some((m) => (m as { type?: unknown }).type === 'ready') && sent.length > 0;
    });
    await vscode.commands.executeCommand('onetwentyone.query.open');
    assert.strictEqual(h.panel(), panel, 'a second "Open Query Panel" shows the same panel');
    assert.strictEqual(queryTabs().length, 1);
    panel.panel.dispose();
    await waitFor('the panel closed', () => queryTabs().length === 0 && h.panel() === undefined);
  });
});

suite('Foundation: contributions', () => {
  test('commandIds.ts lists exactly the commands of package.json, in the same order', () => {
    const contributed = manifest().contributes.commands.map((c) => c.command);
    assert.deepStrictEqual([...COMMAND_IDS], contributed);
    assert.strictEqual(new Set(contributed).size, contributed.length, 'a command is contributed twice');
  });

  test('menus, welcome views and walkthroughs name only commands of commandIds.ts', () => {
    const { menus, viewsWelcome, walkthroughs } = getExtension().packageJSON.contributes as {
      menus: Record<string, { command: string }[]>;
      viewsWelcome: { contents: string }[];
      walkthroughs: { steps: { description: string }[] }[];
    };
    const inMenus = Object.values(menus)
      .flat()
      .map((m) => m.command);
    const links = [
      ...viewsWelcome.map((v) => v.contents),
      ...walkthroughs.flatMap((w) => w.steps.map((s) => s.description)),
    ].flatMap((text) => [...text.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]!));
    assert.ok(inMenus.length > 0 && links.length > 0, 'the manifest has menus and command links');
    const known = new Set<string>(COMMAND_IDS);
    assert.deepStrictEqual(
      [...inMenus, ...links].filter((id) => !known.has(id)),
      [],
    );
  });

  test('every contributed command is registered', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest()
      .contributes.commands.map((c) => c.command)
      .filter((id) => !registered.has(id));
    assert.deepStrictEqual(missing, []);
  });

  test('commandIds.ts lists exactly the views of package.json', () => {
    const contributed = Object.values(manifest().contributes.views)
      .flat()
      .map((v) => v.id);
    assert.deepStrictEqual([...VIEW_IDS].sort(), contributed.sort());
  });

  test('the Accounts tree view renders when focused', async () => {
    const accounts = (await testAccess()).treeView('onetwentyone.accounts');
    await vscode.commands.executeCommand('onetwentyone.accounts.focus');
    await waitFor('the Accounts view to become visible', () => accounts.visible);
  });

  test('every tree view becomes visible when focused', async () => {
    const access = await testAccess();
    for (const id of VIEW_IDS) {
      await vscode.commands.executeCommand(`${id}.focus`);
      await waitFor(`${id} to become visible`, () => access.treeView(id).visible);
    }
  });
});

suite('Foundation: platform round trips', () => {
  test('a URI from env.asExternalUri reaches the URI handler through the browser', async function () {
    if (vscode.env.uiKind !== vscode.UIKind.Web) {
      // Desktop VS Code hands vscode:// URIs to the operating system, which a test cannot drive.
      this.skip();
    }
    const { uriHandler } = await activateExtension();
    const nonce = randomUUID();
    const path = '/foundation-test/round-trip';
    const received = nextEvent(uriHandler.event, (uri) => uri.path === path, 'the URI to reach the handler');
    const callback = vscode.Uri.parse(`${vscode.env.uriScheme}://${EXTENSION_ID}${path}?nonce=${nonce}`);
    const external = await vscode.env.asExternalUri(callback);
    assert.match(
      external.scheme,
      /^https?$/,
      'in the browser, the callback must be an http(s) URL the browser can open',
    );
    assert.strictEqual(await vscode.env.openExternal(external), true);
    const uri = await received;
    assert.strictEqual(uri.authority, EXTENSION_ID);
    assert.strictEqual(new URLSearchParams(uri.query).get('nonce'), nonce);
  });

  test('SecretStorage stores, reads back and deletes a secret', async () => {
    const { secrets } = await testAccess();
    const key = `foundation-test.${randomUUID()}`;
    const value = `value-${randomUUID()}`;
    const changed = nextEvent(secrets.onDidChange, (e) => e.key === key, 'the secret change event');
    await secrets.store(key, value);
    await changed;
    assert.strictEqual(await secrets.get(key), value);
    await secrets.delete(key);
    assert.strictEqual(await secrets.get(key), undefined);
  });
});

suite('Foundation: the sandbox inside the extension host', () => {
  const sandbox = useSandbox();

  test('serves the API on 127.0.0.1 and challenges a request without credentials', async () => {
    const { baseUrl, users } = sandbox();
    assert.match(baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${baseUrl}/api/v1/profile/${users[0]!.userId}`);
    assert.strictEqual(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer /);
  });
});
