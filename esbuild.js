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

// The heavy parts (undici, zod, the services, the sandbox) are separate files, required on first use,
// so that activation stays cheap. Their relative paths stay external in every node bundle.
const lazyBundles = ['./services.js', './sandbox.js'];

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

function productBuilds() {
  const sandbox = nodeBundle('src/sandbox/main.ts', 'dist/sandbox.js');
  if (sandboxOnly) return [sandbox];
  return [
    nodeBundle('src/extension.ts', 'dist/extension.js'),
    nodeBundle('src/vscode/services.ts', 'dist/services.js'),
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
