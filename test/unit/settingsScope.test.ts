import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..', '..');

interface Manifest {
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
  contributes: { configuration: { properties: Record<string, { scope?: string }> } };
}

/** The settings that decide where a token, a client secret or a sign-in goes. */
const ROUTING_SETTINGS = [
  'onetwentyone.environment',
  'onetwentyone.customBaseUrl',
  'onetwentyone.sandbox.url',
  'onetwentyone.clientId',
  'onetwentyone.redirect',
  'onetwentyone.redirectUri',
];

suite('Manifest: a workspace cannot choose where credentials go', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as Manifest;

  test('the settings that route credentials are machine-scoped (user settings only), and no other setting is', () => {
    const machine = Object.entries(manifest.contributes.configuration.properties)
      .filter(([, p]) => p.scope === 'machine' || p.scope === 'application')
      .map(([k]) => k)
      .sort();
    assert.deepStrictEqual(machine, [...ROUTING_SETTINGS].sort());
  });

  test('they are also restricted in untrusted workspaces', () => {
    assert.strictEqual(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepStrictEqual(
      [...manifest.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(),
      [...ROUTING_SETTINGS].sort(),
    );
  });
});
