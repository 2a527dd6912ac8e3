// Builds every bundle of the extension, and (with --tests) the test and benchmark files.
//   node esbuild.js                 development build (source maps)
//   node esbuild.js --production    minified, no source maps (what the .vsix ships)
//   node esbuild.js --watch         rebuild on change; prints the problem-matcher lines
//   node esbuild.js --tests         test/ and bench/ to out/
//   node esbuild.js --sandbox-only  only dist/sandbox.js (for `npm run sandbox`)
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');
const sandboxOnly = process.argv.includes('--sandbox-only');

/** Prints the lines the `.vscode/tasks.json` background problem matcher waits for. */
const problemMatcherPlugin = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
  plugins: watch ? [problemMatcherPlugin] : [],
};

// The heavy parts are separate files, required on first use, so that activation stays cheap and
// each first action loads only what it needs (docs/performance.md, B1 and B11): dist/services.js
// (the accounts, the authentication provider and the three views) on the first use of anything;
// dist/commands.js (sandbox, sign-in, the auth commands, the full zod) with the first command;
// dist/explorer.js (query panel, notebooks, tools) when one of those is first used;
// dist/transport.js (undici) with the first request; dist/sandbox.js in the sandbox's own process.
// Their relative paths stay external in every node bundle.
const lazyBundles = [
  './services.js',
  './commands.js',
  './explorer.js',
  './transport.js',
  './sandbox.js',
  './zodMini.js',
];

/**
 * zod's translations of its own messages into other languages, which nothing here uses (zod keeps
 * its English default; the user reads our messages, src/vscode/userMessages.ts): sharing zod's
 * modules between bundles exports all of zod, which would otherwise take its 260 KB of locales along.
 */
const noZodLocalesPlugin = {
  name: 'no-zod-locales',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}node_modules${path.sep}zod${path.sep}`)
        ? { path: 'zod-locales', namespace: 'no-zod-locales' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'no-zod-locales' }, () => ({ contents: '', loader: 'js' }));
  },
};

/**
 * `import * as vscode from 'vscode'` built as a plain require of the API object (TypeScript's
 * `import vscode = require(…)`): esbuild wraps an imported namespace of a CommonJS module in a
 * copy of every property, once per importing module, and the API object has hundreds, copied when
 * the bundle loads (docs/performance.md, B11). The API object is used as it is, as any extension does.
 * Every module of a bundle takes it from one module of that bundle (`vscode-api`), so the bundle asks
 * the extension host's module loader for `vscode` once, not once per module.
 */
const VSCODE_IMPORT = /^import \* as vscode from 'vscode';$/m;
const vscodeRequirePlugin = {
  name: 'vscode-require',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.namespace !== 'file' || args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const text = await fs.promises.readFile(args.path, 'utf8');
      if (!VSCODE_IMPORT.test(text)) return undefined;
      return { contents: text.replace(VSCODE_IMPORT, "import vscode = require('vscode-api');"), loader: 'ts' };
    });
    build.onResolve({ filter: /^vscode-api$/ }, () => ({ path: 'vscode-api', namespace: 'vscode-api' }));
    build.onLoad({ filter: /.*/, namespace: 'vscode-api' }, () => ({
      contents: "module.exports = require('vscode');",
      loader: 'js',
    }));
  },
};

const nodeBundle = (entry, outfile, extra = {}) => ({
  ...common,
  entryPoints: [entry],
  outfile,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', ...lazyBundles],
  ...extra,
  plugins: [noZodLocalesPlugin, vscodeRequirePlugin, ...(extra.plugins ?? common.plugins)],
});

/**
 * Bundles that hand every module they hold to the bundles loaded after them, in load order: a
 * later bundle takes each module an earlier one holds from it rather than a second copy (one zod,
 * one copy of each class and of each module's state, whichever bundle loads first: `instanceof`
 * must hold across bundles). dist/explorer.js and dist/transport.js take from both.
 */
const SHARING_BUNDLES = [
  // Its own tree-shaken copy of the zod/mini it uses: exporting all of zod would triple its size.
  // Two copies of zod's core work together (zod recognises its schemas by their traits, not their class).
  { entry: 'src/vscode/services.ts', file: './services.js', sharesPackages: false },
  { entry: 'src/vscode/commandServices.ts', file: './commands.js', sharesPackages: true },
];

/**
 * Modules whose exports are all functions, loaded from another bundle: importers get stand-ins that
 * require that bundle on the first call. undici loads with the first request, not with the module
 * that imports it; the token endpoint (and the full zod of its response schemas) loads with the
 * first refresh, not with the accounts that may need one; the services bundle's zod/mini
 * (dist/zodMini.js, only the functions it calls) with the first schema it builds, as its schemas
 * are built on first use (docs/performance.md, B11). `source`: a module of ours, or `package`: an
 * npm package's entry; `as`: the bundle exports it under that name; `in`: only these bundles get
 * the stand-ins.
 */
const LAZY_FUNCTION_MODULES = [
  { source: 'src/core/api/transport.ts', bundle: './transport.js', exports: ['createUndiciTransport'] },
  {
    source: 'src/core/auth/tokenEndpoint.ts',
    bundle: './commands.js',
    as: 'tokenEndpoint',
    in: ['./services.js'],
    exports: [
      'tokenRequest',
      'refreshRequest',
      'bodyEncodingFor',
      'knownBodyEncoding',
      'processTokenResponse',
      'processRefreshResponse',
      'clientCheckFrom',
    ],
  },
  {
    package: 'zod/mini',
    bundle: './zodMini.js',
    in: ['./services.js'],
    // A name missing here fails the build (see lazyFunctionsPlugin).
    exports: [
      'array',
      'boolean',
      'discriminatedUnion',
      'enum',
      'gte',
      'guid',
      'int',
      'literal',
      'lte',
      'maxLength',
      'minLength',
      'nonnegative',
      'nullable',
      'number',
      'object',
      'optional',
      'pipe',
      'refine',
      'regex',
      'strictObject',
      'string',
      'toLowerCase',
      'transform',
    ],
  },
];

/** Stand-ins for the lazy function modules in the bundle `file` (none for its own modules). */
function lazyFunctionsPlugin(file) {
  return {
    name: 'lazy-functions',
    setup(build) {
      const applies = LAZY_FUNCTION_MODULES.filter((m) => m.bundle !== file && (!m.in || m.in.includes(file)));
      const byKey = new Map(applies.map((m) => [m.package ?? path.resolve(m.source), m]));
      build.onResolve({ filter: /^\./ }, (args) => {
        if (args.namespace !== 'file') return undefined;
        for (const ext of ['', '.ts']) {
          const module = byKey.get(path.resolve(args.resolveDir, args.path + ext));
          if (module) return { path: module.source, namespace: 'lazy-functions' };
        }
        return undefined;
      });
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.namespace !== 'file' || args.importer.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const module = byKey.get(args.path);
        return module ? { path: module.package, namespace: 'lazy-functions' } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'lazy-functions' }, (args) => {
        const { bundle, as, exports } = byKey.get(args.path) ?? byKey.get(path.resolve(args.path));
        const load = `const load = () => require(${JSON.stringify(bundle)})${as ? `.${as}` : ''};`;
        // Named apart and exported under their names: an export may be a reserved word (zod's `enum`).
        const stubs = exports.map((name) => `function lazy_${name}(...args) { return load().${name}(...args); }`);
        const names = `export { ${exports.map((name) => `lazy_${name} as ${name}`).join(', ')} };`;
        return { contents: [load, ...stubs, names].join('\n'), loader: 'js', resolveDir: __dirname };
      });
      // A function the stand-ins lack would be undefined when called: the build fails instead.
      build.onEnd((result) => {
        const missing = result.warnings.filter((w) => w.text.includes('lazy-functions:'));
        if (missing.length)
          throw new Error(`${missing.map((w) => w.text).join('; ')}: add it to LAZY_FUNCTION_MODULES in esbuild.js`);
      });
    },
  };
}

/** The bundles of the lazy function modules that are npm packages: only the functions the stand-ins call. */
function packageBundles() {
  return LAZY_FUNCTION_MODULES.filter((m) => m.package).map((m) => ({
    ...nodeBundle(m.package, path.join('dist', m.bundle)),
    entryPoints: undefined,
    stdin: {
      contents: `export { ${m.exports.join(', ')} } from ${JSON.stringify(m.package)};`,
      resolveDir: __dirname,
      loader: 'js',
    },
  }));
}

async function metafileOf(options) {
  const result = await esbuild.build({
    ...options,
    sourcemap: false,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return result.metafile;
}

const isFile = (input) => !input.includes(':') && !input.startsWith('<');

/** Per sharing bundle, the promise of the modules it holds (reset on each watch rebuild). */
const heldCache = new Map();

function held(k) {
  if (!heldCache.has(k)) heldCache.set(k, computeHeld(k));
  return heldCache.get(k);
}

/**
 * The modules sharing bundle `k` holds, sorted: those its entry pulls in (less what earlier bundles
 * hold), and whatever exporting all of each pulls in too.
 */
async function computeHeld(k) {
  const { entry, file, sharesPackages } = SHARING_BUNDLES[k];
  const shareable = (input) => isFile(input) && (sharesPackages || !input.startsWith('node_modules/'));
  const options = nodeBundle(entry, 'dist/held.js', { plugins: [fromBundlesPlugin(k), lazyFunctionsPlugin(file)] });
  const kept = Object.entries(Object.values((await metafileOf(options)).outputs)[0].inputs)
    .filter(([input, { bytesInOutput }]) => shareable(input) && bytesInOutput > 0)
    .map(([input]) => input);
  const shared = new Set(kept);
  for (;;) {
    const contents = [...shared].map((input, i) => `export * as m${i} from ${JSON.stringify(path.resolve(input))};`);
    const { inputs } = await metafileOf({
      ...options,
      entryPoints: undefined,
      stdin: { contents: contents.join('\n'), resolveDir: __dirname, loader: 'js' },
      minify: false,
    });
    const extra = Object.keys(inputs).filter((input) => shareable(input) && !shared.has(input));
    if (extra.length === 0) return [...shared].map((input) => path.resolve(input)).sort();
    for (const input of extra) shared.add(input);
  }
}

/**
 * The entry of sharing bundle `k`: its entry module, and every module it holds as a namespace
 * (`__m<i>`) for the bundles loaded after it.
 */
function sharingEntryPlugin(k) {
  return {
    name: 'sharing-entry',
    setup(build) {
      if (watch) build.onStart(() => heldCache.clear());
      build.onResolve({ filter: /^sharing-entry$/ }, () => ({ path: 'sharing-entry', namespace: 'sharing-entry' }));
      build.onLoad({ filter: /.*/, namespace: 'sharing-entry' }, async () => {
        const { entry, file } = SHARING_BUNDLES[k];
        const inputs = await held(k);
        const lines = [`export * from ${JSON.stringify(path.resolve(entry))};`];
        for (const { source, bundle, as } of LAZY_FUNCTION_MODULES)
          if (bundle === file && as) lines.push(`export * as ${as} from ${JSON.stringify(path.resolve(source))};`);
        inputs.forEach((input, i) => lines.push(`export * as __m${i} from ${JSON.stringify(input)};`));
        return { contents: lines.join('\n'), loader: 'js', resolveDir: __dirname, watchFiles: inputs };
      });
    },
  };
}

/** Takes every module that one of the first `k` sharing bundles holds from that bundle. */
function fromBundlesPlugin(k) {
  return {
    name: 'from-bundles',
    setup(build) {
      let owners = new Map();
      build.onStart(async () => {
        owners = new Map();
        for (let i = 0; i < k; i++) {
          const { file } = SHARING_BUNDLES[i];
          (await held(i)).forEach((input, j) => {
            if (!owners.has(input)) owners.set(input, `${file}#__m${j}`);
          });
        }
      });
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (k === 0 || args.pluginData?.fromBundles || args.namespace !== 'file' || args.kind === 'entry-point')
          return undefined;
        if (args.path === 'vscode' || lazyBundles.includes(args.path)) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { fromBundles: true },
        });
        const owner = owners.get(resolved.path);
        return owner ? { path: owner, namespace: 'from-bundle' } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'from-bundle' }, (args) => {
        const [file, name] = args.path.split('#');
        return {
          contents: `module.exports = require(${JSON.stringify(file)}).${name};`,
          loader: 'js',
          resolveDir: __dirname,
        };
      });
    },
  };
}

function productBuilds() {
  const sandbox = nodeBundle('src/sandbox/main.ts', 'dist/sandbox.js');
  if (sandboxOnly) return [sandbox];
  return [
    nodeBundle('src/extension.ts', 'dist/extension.js'),
    ...SHARING_BUNDLES.map(({ file }, k) =>
      nodeBundle('sharing-entry', path.join('dist', file), {
        plugins: [...common.plugins, sharingEntryPlugin(k), fromBundlesPlugin(k), lazyFunctionsPlugin(file)],
      }),
    ),
    nodeBundle('src/vscode/explorerServices.ts', 'dist/explorer.js', {
      plugins: [...common.plugins, fromBundlesPlugin(SHARING_BUNDLES.length), lazyFunctionsPlugin('./explorer.js')],
    }),
    nodeBundle('src/core/api/transport.ts', 'dist/transport.js', {
      plugins: [...common.plugins, fromBundlesPlugin(SHARING_BUNDLES.length)],
    }),
    ...packageBundles(),
    sandbox,
    // Fetch All's page worker: its own thread, so its own copy of what it needs (docs/performance.md, B4).
    nodeBundle('src/core/worker/pageWorkerMain.ts', 'dist/pageWorker.js'),
    {
      ...common,
      entryPoints: ['src/webview/main.ts'],
      outfile: 'dist/webview.js',
      platform: 'browser',
      format: 'iife',
      target: 'chrome120',
    },
    {
      ...common,
      entryPoints: ['src/webview/compare/main.ts'],
      outfile: 'dist/compare.js',
      platform: 'browser',
      format: 'iife',
      target: 'chrome120',
    },
    {
      ...common,
      entryPoints: ['src/webview/notebook/recordsRenderer.ts'],
      outfile: 'dist/notebookRenderer.js',
      platform: 'browser',
      // Notebook renderers are ES modules; the panel's stylesheet comes in as text.
      format: 'esm',
      target: 'chrome120',
      loader: { '.css': 'text' },
    },
  ];
}

function listFiles(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, String(f)))
    .filter((f) => f.endsWith(suffix) && fs.statSync(f).isFile());
}

function testBuilds() {
  const entries = [...listFiles('test', '.ts'), ...listFiles('bench', '.ts')].filter((f) => !f.endsWith('.d.ts'));
  return [
    {
      ...common,
      minify: false,
      sourcemap: 'inline',
      entryPoints: entries,
      outdir: 'out',
      outbase: '.',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // Tests load npm packages from node_modules at run time; inside the extension host `vscode` is provided.
      packages: 'external',
      external: ['vscode'],
    },
  ];
}

function copyCodicons() {
  const from = path.join('node_modules', '@vscode', 'codicons', 'dist');
  const to = path.join('dist', 'codicons');
  fs.mkdirSync(to, { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(from, f), path.join(to, f));
}

/**
 * dist/package.json: Node's loader reads the nearest package.json above a script it loads, to learn
 * whether it is CommonJS or an ES module. Without this one that is the extension's manifest (32 KB
 * parsed when dist/extension.js first loads, part of the first action: docs/performance.md, B11).
 */
function writeDistManifest() {
  const file = path.join('dist', 'package.json');
  const text = `${JSON.stringify({ type: 'commonjs' })}\n`;
  fs.mkdirSync('dist', { recursive: true });
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text);
}

async function main() {
  const builds = tests ? testBuilds() : productBuilds();
  // No clean step: several builds (watch, tests, benches) may run side by side on the same folders.
  if (!tests) writeDistManifest();
  if (!tests && !sandboxOnly) copyCodicons();
  if (watch) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
