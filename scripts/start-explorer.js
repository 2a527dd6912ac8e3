// `npm start`: builds the extension, starts the sandbox API and VS Code in the browser (code-server) with
// the extension installed and pointed at the sandbox, prints the URL to open, and runs until Ctrl+C.
//   npm start -- [--port 8121] [--sandbox-port 4010] [--fresh]
//   --fresh  forget the settings and window state of earlier runs (kept in .vscode-test/explorer/)
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const { ensureCodeServer, cacheRoot } = require('./codeServer/install');
const { startCodeServer, freePort } = require('./codeServer/server');
const { selectVersions } = require('./codeServer/versions');

const REPO = path.resolve(__dirname, '..');
const USAGE = 'Usage: npm start -- [--port N] [--sandbox-port N] [--fresh]';

function parseArgs(argv) {
  const options = { port: 8121, sandboxPort: 4010, fresh: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.split('=', 2);
    const value = () => {
      const raw = inline ?? argv[++i];
      const port = Number(raw);
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new Error(`${name} needs a port number (1-65535), got "${raw ?? ''}".\n${USAGE}`);
      return port;
    };
    if (name === '--port') options.port = value();
    else if (name === '--sandbox-port') options.sandboxPort = value();
    else if (arg === '--fresh') options.fresh = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`Unknown option ${arg}.\n${USAGE}`);
  }
  return options;
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = require('net').createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Installs the built extension the way VS Code installs a .vsix: a folder named <publisher>.<name>-<version>. */
function installExtension(extensionsDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  for (const entry of fs.existsSync(extensionsDir) ? fs.readdirSync(extensionsDir) : []) {
    if (entry.startsWith(`${id}-`)) fs.rmSync(path.join(extensionsDir, entry), { recursive: true, force: true });
  }
  const target = path.join(extensionsDir, `${id}-${manifest.version}`);
  fs.mkdirSync(target, { recursive: true });
  for (const entry of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist', 'media']) {
    if (fs.existsSync(path.join(REPO, entry)))
      fs.cpSync(path.join(REPO, entry), path.join(target, entry), { recursive: true });
  }
  return { id, version: manifest.version };
}

/** Runs `node dist/sandbox.js --json --port N` and reads its one start-up line. */
function startSandbox(port) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, 'dist', 'sandbox.js'), '--json', '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = readline.createInterface({ input: child.stdout });
    child.once('exit', (code) => reject(new Error(`The sandbox exited (code ${code}) before it was ready`)));
    lines.once('line', (line) => {
      try {
        const info = JSON.parse(line);
        child.removeAllListeners('exit');
        resolve({ child, info });
      } catch {
        child.kill();
        reject(new Error(`The sandbox printed something unexpected: ${line.slice(0, 200)}`));
      }
    });
  });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!(await portIsFree(options.port)))
    throw new Error(`Port ${options.port} on 127.0.0.1 is in use: choose another with --port.`);

  console.log('Building the extension…');
  const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: REPO, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('The build failed.');

  const [version] = selectVersions('min');
  console.log(
    `Making sure VS Code ${version.vscode} (code-server ${version.codeServer}) is installed in ${path.relative(REPO, cacheRoot())}/ (minutes the first time)…`,
  );
  const installed = await ensureCodeServer(version);

  const stateDir = path.join(cacheRoot(), 'explorer');
  if (options.fresh) fs.rmSync(stateDir, { recursive: true, force: true });
  const extensionsDir = path.join(stateDir, 'extensions');
  const extension = installExtension(extensionsDir);

  const stops = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    stops.length = 0;
  };
  let stopping = false;
  const shutDown = (code) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    void stopAll().then(() => process.exit(code));
  };
  process.on('SIGINT', () => shutDown(0));
  process.on('SIGTERM', () => shutDown(0));

  const settings = {};
  const sandboxPort = (await portIsFree(options.sandboxPort)) ? options.sandboxPort : await freePort();
  const sandbox = await startSandbox(sandboxPort);
  stops.push(
    () =>
      new Promise((resolve) => {
        if (sandbox.child.exitCode !== null) return resolve();
        sandbox.child.once('exit', resolve);
        sandbox.child.kill('SIGTERM');
      }),
  );
  sandbox.child.once('exit', (code) => {
    if (stopping) return;
    console.error(`The sandbox stopped unexpectedly (code ${code}).`);
    shutDown(1);
  });
  settings['onetwentyone.environment'] = 'sandbox';
  settings['onetwentyone.sandbox.url'] = sandbox.info.baseUrl;

  const codeServer = await startCodeServer({
    installed,
    port: options.port,
    settings,
    extensionsDir,
    stateDir,
    workspaceFiles: { 'README.txt': 'Workspace of `npm start`. Open the OneTwentyOne view in the activity bar.\n' },
  });
  stops.push(codeServer.stop);

  const url = `${codeServer.base}/?folder=${encodeURIComponent(codeServer.workspace)}`;
  console.log(`
OneTwentyOne API Explorer ${extension.version} is running in VS Code ${installed.vscode} (code-server ${installed.codeServer}).

  Open:     ${url}
  Sandbox:  ${sandbox.info.baseUrl} (onetwentyone.environment = "sandbox"); demo users: ${sandbox.info.users.map((u) => u.name).join(', ')}
  Logs:     ${path.relative(REPO, codeServer.logFile)}

In VS Code: click the OneTwentyOne icon in the activity bar, then "Try the Sandbox" or "Sign In".
Press Ctrl+C to stop.`);
  await new Promise(() => {});
}

main().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
