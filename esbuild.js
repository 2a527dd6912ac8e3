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

// The heavy parts are separate files, required on first use, so that activation stays cheap
// (docs/performance.md, B1 and B11): dist/services.js (auth, sandbox, zod) on the first use of
// anything; dist/explorer.js (query panel, views, notebooks, tools) when one of those is first used;
// dist/transport.js (undici) with the first request; dist/sandbox.js in the sandbox's own process.
// Their relative paths stay external in every node bundle.
const lazyBundles = ['./services.js', './explorer.js', './transport.js', './sandbox.js'];

const nodeBundle = (entry, outfile, extra = {}) => ({
  ...common,
  entryPoints: [entry],
  outfile,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', ...lazyBundles],
  ...extra,
});

/**
 * Modules whose exports are all functions, each in its own bundle: importers get stand-ins that
 * require the bundle on the first call, so undici loads with the first request, not with the module
 * that imports it.
 */
const LAZY_FUNCTION_MODULES = [
  { source: 'src/core/api/transport.ts', bundle: './transport.js', exports: ['createUndiciTransport'] },
];

const lazyFunctionsPlugin = {
  name: 'lazy-functions',
  setup(build) {
    const bySource = new Map(LAZY_FUNCTION_MODULES.map((m) => [path.resolve(m.source), m]));
    build.onResolve({ filter: /^\./ }, (args) => {
      if (args.namespace !== 'file') return undefined;
      for (const ext of ['', '.ts']) {
        const module = bySource.get(path.resolve(args.resolveDir, args.path + ext));
        if (module) return { path: module.source, namespace: 'lazy-functions' };
      }
      return undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-functions' }, (args) => {
      const { bundle, exports } = bySource.get(path.resolve(args.path));
      const load = `const load = () => require(${JSON.stringify(bundle)});`;
      const stubs = exports.map((name) => `export function ${name}(...args) { return load().${name}(...args); }`);
      return { contents: [load, ...stubs].join('\n'), loader: 'js', resolveDir: __dirname };
    });
  },
};

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

/**
 * Stateless modules the explorer bundle keeps its own copy of: the test seams module also builds the
 * explorer's test hooks, and exporting all of it would pull the query panel into the services bundle.
 */
const COPIED_INTO_EXPLORER = ['src/vscode/testing/testHooks.ts'];

/**
 * The modules the services bundle shares with the explorer and transport bundles, sorted: those it
 * holds, and whatever exporting all of each pulls in too (so no class exists twice: `instanceof`
 * must hold across bundles).
 */
async function servicesShared() {
  const options = { ...nodeBundle('src/vscode/services.ts', 'dist/services.js'), plugins: [lazyFunctionsPlugin] };
  const kept = Object.entries(Object.values((await metafileOf(options)).outputs)[0].inputs)
    .filter(([input, { bytesInOutput }]) => isFile(input) && bytesInOutput > 0 && !COPIED_INTO_EXPLORER.includes(input))
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
    const extra = Object.keys(inputs).filter((input) => isFile(input) && !shared.has(input));
    if (extra.length === 0) return [...shared].map((input) => path.resolve(input)).sort();
    for (const input of extra) shared.add(input);
  }
}

/**
 * The services bundle exports every module it holds as a namespace (`__m<i>`), and the explorer
 * bundle takes those modules from it instead of holding a second copy: one zod, one copy of each
 * class and of each module's state, whichever bundle loads first.
 */
const servicesEntryPlugin = {
  name: 'services-entry',
  setup(build) {
    build.onResolve({ filter: /^services-entry$/ }, () => ({ path: 'services-entry', namespace: 'services-entry' }));
    build.onLoad({ filter: /.*/, namespace: 'services-entry' }, async () => {
      const inputs = await servicesShared();
      const lines = [`export * from ${JSON.stringify(path.resolve('src/vscode/services.ts'))};`];
      inputs.forEach((input, i) => lines.push(`export * as __m${i} from ${JSON.stringify(input)};`));
      return { contents: lines.join('\n'), loader: 'js', resolveDir: __dirname, watchFiles: inputs };
    });
  },
};

const fromServicesPlugin = {
  name: 'from-services',
  setup(build) {
    let shared = new Map();
    build.onStart(async () => {
      shared = new Map((await servicesShared()).map((input, i) => [input, `__m${i}`]));
    });
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.fromServices || args.namespace !== 'file' || args.kind === 'entry-point') return undefined;
      if (args.path === 'vscode' || lazyBundles.includes(args.path)) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { fromServices: true },
      });
      const name = shared.get(resolved.path);
      return name ? { path: name, namespace: 'from-services' } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'from-services' }, (args) => ({
      contents: `module.exports = require('./services.js').${args.path};`,
      loader: 'js',
      resolveDir: __dirname,
    }));
  },
};

function productBuilds() {
  const sandbox = nodeBundle('src/sandbox/main.ts', 'dist/sandbox.js');
  if (sandboxOnly) return [sandbox];
  return [
    nodeBundle('src/extension.ts', 'dist/extension.js'),
    nodeBundle('services-entry', 'dist/services.js', {
      plugins: [...common.plugins, servicesEntryPlugin, lazyFunctionsPlugin],
    }),
    nodeBundle('src/vscode/explorerServices.ts', 'dist/explorer.js', {
      plugins: [...common.plugins, fromServicesPlugin, lazyFunctionsPlugin],
    }),
    nodeBundle('src/core/api/transport.ts', 'dist/transport.js', { plugins: [...common.plugins, fromServicesPlugin] }),
    sandbox,
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

async function main() {
  const builds = tests ? testBuilds() : productBuilds();
  // No clean step: several builds (watch, tests, benches) may run side by side on the same folders.
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
