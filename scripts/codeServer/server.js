// Starts one code-server (an installed cache version, see install.js) on 127.0.0.1 with a throw-away
// user-data dir, extensions dir and workspace folder, and stops it with every process it forked.
const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

/** Settings that keep a fresh window quiet and deterministic: no welcome page, tips, telemetry or chat. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  // The throw-away workspace lies inside this clone (.vscode-test/): no toast about its parent's repository.
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * For measuring the extension host (benchmarks): code-server's background work that would otherwise
 * fall at random into a measured window, off. The search for ports to forward (code-server has a
 * tunnel provider, so the process finder runs `ps` and reads /proc every few seconds unless its
 * source is the terminal's output), and the detection of tasks (the TypeScript extension's task
 * provider runs a file search for tsconfig files); 30 to 50 ms each time (docs/performance.md, B11).
 */
const QUIET_HOST_SETTINGS = {
  'remote.autoForwardPorts': false,
  'remote.autoForwardPortsSource': 'output',
  'task.autoDetect': 'off',
};

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Settings a person changed in an earlier session (kept across `npm start` runs); bad JSON counts as none. */
function readJson(file) {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8'));
    return value && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}

/**
 * A display language the offline install has no language pack for (such as the pseudo-locale qps-ploc):
 * code-server resolves --locale only through an installed pack's localizations contribution, listed in
 * the user data's languagepacks.json (which the server itself writes only when a pack is installed), so
 * this writes a pack with no translations and its entry there. The workbench's own texts stay English;
 * vscode.env.language becomes `locale`, so extensions load their own bundles and package.nls files for it.
 */
function writeLanguagePack(extensionsDir, userData, locale) {
  const id = `onetwentyone-test.language-pack-${locale}`;
  const version = '0.0.1';
  const name = `${id}-${version}`;
  const dir = path.join(extensionsDir, name);
  fs.mkdirSync(path.join(dir, 'translations'), { recursive: true });
  const manifest = {
    name: `language-pack-${locale}`,
    publisher: 'onetwentyone-test',
    version: '0.0.1',
    engines: { vscode: '*' },
    contributes: {
      localizations: [
        {
          languageId: locale,
          languageName: locale,
          localizedLanguageName: locale,
          translations: [{ id: 'vscode', path: './translations/main.i18n.json' }],
        },
      ],
    },
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  const translations = path.join(dir, 'translations', 'main.i18n.json');
  fs.writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  // As the server's language pack cache writes it: the hash names the cache of generated messages.
  const hash = crypto.createHash('md5').update(id).update(version).digest('hex');
  const packs = {
    [locale]: {
      hash,
      extensions: [{ extensionIdentifier: { id }, version }],
      translations: { vscode: translations },
      label: locale,
    },
  };
  fs.writeFileSync(path.join(userData, 'languagepacks.json'), JSON.stringify(packs));
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * @param {object} options
 * @param {{ entry: string, node: string, codeServer: string }} options.installed what ensureCodeServer() returned
 * @param {number} [options.port] default: a free port
 * @param {Record<string, unknown>} [options.settings] user settings on top of QUIET_SETTINGS
 * @param {string} [options.extensionsDir] default: an empty one in the throw-away folder
 * @param {string} [options.stateDir] keep user data, workspace and logs here across runs (default: a throw-away folder)
 * @param {Record<string, string>} [options.workspaceFiles] files (relative path -> text) of the workspace folder
 * @param {string} [options.locale] display language (`--locale`), e.g. qps-ploc; given a language pack of its own (see writeLanguagePack)
 */
async function startCodeServer({
  installed,
  port,
  settings = {},
  extensionsDir,
  stateDir,
  workspaceFiles = { 'README.txt': 'Throw-away workspace.\n' },
  locale,
}) {
  const keep = Boolean(stateDir);
  const tmp = stateDir || fs.mkdtempSync(path.join(os.tmpdir(), `onetwentyone-cs-${installed.codeServer}-`));
  fs.mkdirSync(tmp, { recursive: true });
  const listenPort = port || (await freePort());
  const userData = path.join(tmp, 'user-data');
  const workspace = path.join(tmp, 'workspace');
  const extensions = extensionsDir || path.join(tmp, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  if (locale) writeLanguagePack(extensions, userData, locale);
  const settingsFile = path.join(userData, 'User', 'settings.json');
  const earlier = keep && fs.existsSync(settingsFile) ? readJson(settingsFile) : {};
  fs.writeFileSync(settingsFile, JSON.stringify({ ...QUIET_SETTINGS, ...earlier, ...settings }, null, 2));
  // Machine-scoped settings (the ones that say where credentials go) belong in the server's own
  // settings: VS Code in the browser drops them from the user settings it sends after any change.
  const machineFile = path.join(userData, 'Machine', 'settings.json');
  fs.mkdirSync(path.dirname(machineFile), { recursive: true });
  const earlierMachine = keep && fs.existsSync(machineFile) ? readJson(machineFile) : {};
  fs.writeFileSync(machineFile, JSON.stringify({ ...earlierMachine, ...settings }, null, 2));
  for (const [file, text] of Object.entries(workspaceFiles)) {
    if (keep && fs.existsSync(path.join(workspace, file))) continue;
    fs.mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
    fs.writeFileSync(path.join(workspace, file), text);
  }
  fs.mkdirSync(workspace, { recursive: true });
  // --config keeps code-server away from ~/.config/code-server/config.yaml.
  const config = path.join(tmp, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${listenPort}\nauth: none\ncert: false\n`);
  const logFile = path.join(tmp, 'code-server.log');
  const logFd = fs.openSync(logFile, 'a');
  const args = [
    installed.entry,
    '--config',
    config,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${listenPort}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensions,
    '--ignore-last-opened',
    ...(locale ? ['--locale', locale] : []),
  ];
  const child = spawn(installed.node, args, {
    // Its own process group: the extension host and file watcher outlive a plain kill of code-server.
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: {
      ...process.env,
      // No gallery: Open VSX is unreachable, and its errors show up as toasts.
      EXTENSIONS_GALLERY: process.env.EXTENSIONS_GALLERY || '{}',
      // Sockets, heartbeat and logs stay in the throw-away folder, not in /tmp and ~/.local/share.
      TMPDIR: tmp,
      XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
      XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    },
  });
  fs.closeSync(logFd);
  let exited = child.exitCode !== null;
  const exit = new Promise((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const signalGroup = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    signalGroup('SIGTERM');
    await Promise.race([exit, sleep(5000)]);
    await sleep(300);
    signalGroup('SIGKILL');
    if (keep) return;
    if (process.env.KEEP_TMP) console.log(`code-server files kept in ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  };

  const base = `http://127.0.0.1:${listenPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (exited || Date.now() > deadline) {
      const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-3000) : '';
      await stop();
      throw new Error(`code-server ${installed.codeServer} did not start on ${base}:\n${log}`);
    }
    await sleep(200);
  }
  return {
    base,
    host: `127.0.0.1:${listenPort}`,
    port: listenPort,
    tmp,
    workspace,
    userData,
    extensionsDir: extensions,
    logFile,
    pid: child.pid,
    stop,
  };
}

module.exports = { startCodeServer, freePort, QUIET_SETTINGS, QUIET_HOST_SETTINGS };
