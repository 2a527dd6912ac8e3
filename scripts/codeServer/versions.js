// The VS Code versions the extension is tested on, as code-server builds from npm.
// `min` is the oldest VS Code the manifest accepts (engines.vscode ^1.100.0); `newest` the newest code-server.
// Each pins the Node it must run on: code-server's postinstall checks the Node major exactly,
// and its native modules are built for that Node's ABI.

/** @typedef {{ codeServer: string, vscode: string, nodeMajor: number, node?: string, ripgrepSeed?: { pkg: string, tag: string } }} CodeServerVersion */

/** @type {Record<string, CodeServerVersion>} */
const CODE_SERVER_VERSIONS = {
  min: {
    codeServer: '4.100.3',
    vscode: '1.100.3',
    nodeMajor: 20,
    // @vscode/ripgrep's postinstall downloads rg from GitHub; its cache is seeded with Debian's rg instead.
    // Values from code-server's lib/vscode/npm-shrinkwrap.json and @vscode/ripgrep's lib/postinstall.js.
    ripgrepSeed: { pkg: '1.15.11', tag: 'v13.0.0-10' },
  },
  newest: {
    codeServer: '4.139.1',
    vscode: '1.139.1',
    nodeMajor: 24,
    // Not the machine's Node: the npm package `node` (binary and headers), installed into the cache too.
    node: '24.21.0',
  },
};

/** Resolves `min`, `newest`, `all`, a code-server version or a VS Code version to entries of the table. */
function selectVersions(spec) {
  const names = String(spec || 'all')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const picked = [];
  for (const name of names) {
    const found =
      name === 'all'
        ? Object.values(CODE_SERVER_VERSIONS)
        : [
            CODE_SERVER_VERSIONS[name] ||
              Object.values(CODE_SERVER_VERSIONS).find((v) => v.codeServer === name || v.vscode === name),
          ];
    if (!found[0]) {
      const known = Object.entries(CODE_SERVER_VERSIONS)
        .map(([k, v]) => `${k} (${v.codeServer}, VS Code ${v.vscode})`)
        .join(', ');
      throw new Error(`Unknown VS Code version "${name}". Known: ${known}, or all.`);
    }
    for (const v of found) if (!picked.includes(v)) picked.push(v);
  }
  return picked;
}

module.exports = { CODE_SERVER_VERSIONS, selectVersions };
