/**
 * B1 Activation: the cost of loading and activating dist/extension.js, in a fresh Node process per
 * sample, against an empty one-line extension (baseline) and an eager bundle that imports undici and zod
 * at top level (peer). Also the minified size of dist/extension.js, what it is built from, and what it
 * loads at activation. `vscode` is a stub: this measures load cost, it tests nothing.
 * Run with `npm run bench -- activation` (builds the production bundles first).
 */
import { spawnSync } from 'child_process';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..');
const EXTENSION = path.join(REPO, 'dist', 'extension.js');
const SAMPLES = Number(process.env.B1_SAMPLES || 21);
const WARM_UP = 3;
const TARGET_OVER_EMPTY_MS = 10;
const TARGET_PEER_FRACTION = 0.1;
const TARGET_BUNDLE_BYTES = 150 * 1024;
/** Files that must never be part of, or loaded by, activation. */
const HEAVY = [
  /node_modules[\\/]undici[\\/]/,
  /node_modules[\\/]zod[\\/]/,
  /src[\\/]sandbox[\\/]/,
  /src[\\/]core[\\/]/,
  /dist[\\/](services|explorer|transport|sandbox)\.js$/,
];

const VSCODE_NAMESPACES = [
  'window',
  'commands',
  'workspace',
  'authentication',
  'env',
  'languages',
  'extensions',
  'l10n',
  'EventEmitter',
  'Disposable',
  'Uri',
  'TreeItem',
  'TreeItemCollapsibleState',
  'ThemeIcon',
  'ThemeColor',
  'MarkdownString',
  'ExtensionMode',
  'UIKind',
  'ViewColumn',
  'ProgressLocation',
  'StatusBarAlignment',
  'ConfigurationTarget',
  'CancellationTokenSource',
  'CancellationError',
  'LogLevel',
];

interface ProbeResult {
  ms: number;
  loaded: string[];
  heavyLoadedAtActivation: string[];
  servicesLoadedOnFirstCommand: boolean | 'n/a';
}

// ---- The probe: runs in its own process, `node activation.bench.js --probe <bundle>` ----

/** A stand-in for the `vscode` module: every member exists and returns something disposable. */
function stubVscode(commands: Map<string, (...args: unknown[]) => unknown>): unknown {
  const anything: unknown = new Proxy(function stub() {}, {
    get: (_target, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => 'stub' : anything),
    apply: () => anything,
    construct: () => anything as object,
  });
  const registerCommand = (id: string, handler: (...args: unknown[]) => unknown) => {
    commands.set(id, handler);
    return anything;
  };
  // Own properties, not a proxy: esbuild's CommonJS interop copies the module's own property names.
  const api: Record<string, unknown> = Object.fromEntries(VSCODE_NAMESPACES.map((name) => [name, anything]));
  api.ExtensionMode = { Production: 1, Development: 2, Test: 3 };
  api.commands = { registerCommand, executeCommand: async () => undefined, getCommands: async () => [] };
  return api;
}

function probe(bundle: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  const vscodeStub = stubVscode(commands);
  const resolve = Module._resolveFilename;
  Module._resolveFilename = (request, ...rest) => (request === 'vscode' ? 'vscode' : resolve(request, ...rest));
  require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscodeStub } as NodeJS.Module;
  const before = new Set(Object.keys(require.cache));
  const context = {
    subscriptions: [] as unknown[],
    extensionMode: 1,
    extensionPath: path.dirname(path.dirname(bundle)),
    secrets: {},
    globalState: {},
    workspaceState: {},
  };

  const started = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extension = require(bundle) as { activate(context: unknown): unknown };
  extension.activate(context);
  const ms = performance.now() - started;

  const loaded = Object.keys(require.cache).filter((file) => !before.has(file));
  const heavyLoadedAtActivation = loaded.filter((file) => HEAVY.some((heavy) => heavy.test(file)));
  let servicesLoadedOnFirstCommand: ProbeResult['servicesLoadedOnFirstCommand'] = 'n/a';
  const showLog = commands.get('onetwentyone.showLog');
  if (showLog) {
    try {
      showLog();
    } catch {
      // The stub cannot run the services; what matters is whether the command loaded them.
    }
    servicesLoadedOnFirstCommand = Object.keys(require.cache).some((file) => file.endsWith(`${path.sep}services.js`));
  }
  const result: ProbeResult = {
    ms,
    loaded: loaded.map((f) => path.relative(REPO, f)),
    heavyLoadedAtActivation,
    servicesLoadedOnFirstCommand,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

// ---- The benchmark ----

function sample(bundle: string): ProbeResult {
  const run = spawnSync(process.execPath, [__filename, '--probe', bundle], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`probe of ${bundle} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as ProbeResult;
}

async function buildComparisons(dir: string): Promise<{ empty: string; peer: string }> {
  const empty = path.join(dir, 'empty.js');
  fs.writeFileSync(empty, 'exports.activate = function activate() {};\n');
  const peer = path.join(dir, 'peer.js');
  await esbuild.build({
    stdin: {
      resolveDir: REPO,
      loader: 'ts',
      contents: [
        "import { Agent, fetch } from 'undici';",
        "import { z } from 'zod';",
        'const sample = z.object({ start: z.iso.datetime(), end: z.iso.datetime(), value: z.number(), unit: z.string(), source: z.string().optional() });',
        'const page = z.object({ pagination: z.object({ next_page: z.string().nullable(), prev_page: z.string().nullable() }), limit: z.record(z.string(), z.unknown()), data: z.array(sample) });',
        'export function activate(context: { subscriptions: unknown[] }) { context.subscriptions.push(new Agent(), fetch, page); }',
      ].join('\n'),
    },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    outfile: peer,
    logLevel: 'error',
  });
  return { empty, peer };
}

/** The inputs esbuild bundles into dist/extension.js, with the production settings of esbuild.js. */
async function extensionInputs(): Promise<string[]> {
  const result = await esbuild.build({
    entryPoints: [path.join(REPO, 'src', 'extension.ts')],
    absWorkingDir: REPO,
    bundle: true,
    minify: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', './services.js', './explorer.js', './transport.js', './sandbox.js', './exportWorker.js'],
    logLevel: 'error',
  });
  return Object.keys(result.metafile.inputs);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (ms: number) => ms.toFixed(2).padStart(8);

async function main(): Promise<void> {
  if (!fs.existsSync(EXTENSION)) throw new Error('dist/extension.js is missing: run `npm run bench`, which builds it');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onetwentyone-b1-'));
  try {
    const { empty, peer } = await buildComparisons(dir);
    const bundles = { empty, extension: EXTENSION, peer };
    const times: Record<keyof typeof bundles, number[]> = { empty: [], extension: [], peer: [] };
    let extensionProbe: ProbeResult | undefined;
    for (let round = 0; round < WARM_UP + SAMPLES; round++) {
      // Interleaved, so drift on a shared machine hits all three alike.
      for (const name of Object.keys(bundles) as (keyof typeof bundles)[]) {
        const result = sample(bundles[name]);
        if (round >= WARM_UP) times[name].push(result.ms);
        if (name === 'extension') extensionProbe = result;
      }
    }
    const best = {
      empty: Math.min(...times.empty),
      extension: Math.min(...times.extension),
      peer: Math.min(...times.peer),
    };
    const overEmpty = best.extension - best.empty;
    const peerOverEmpty = best.peer - best.empty;
    const size = fs.statSync(EXTENSION).size;
    const inputs = await extensionInputs();
    const heavyInputs = inputs.filter((input) => HEAVY.some((heavy) => heavy.test(input)));
    const probe = extensionProbe!;

    console.log(
      `B1 activation: require + activate(stub context) in a fresh Node ${process.version} process per sample; best and median of ${SAMPLES} after ${WARM_UP} warm-up rounds`,
    );
    console.log('                                   best ms  median ms   best over empty   ratio to empty');
    for (const [label, name] of [
      ['empty 1-line bundle (baseline)', 'empty'],
      ['dist/extension.js', 'extension'],
      ['eager undici + zod bundle (peer)', 'peer'],
    ] as const) {
      console.log(
        `${label.padEnd(33)}${fmt(best[name])}   ${fmt(median(times[name]))}   ${fmt(best[name] - best.empty)} ms    ${(best[name] / best.empty).toFixed(1).padStart(8)} ×`,
      );
    }
    const checks: [string, boolean][] = [
      [
        `extension − empty = ${overEmpty.toFixed(2)} ms ≤ ${TARGET_OVER_EMPTY_MS} ms`,
        overEmpty <= TARGET_OVER_EMPTY_MS,
      ],
      [
        `extension − empty = ${(overEmpty / peerOverEmpty).toFixed(3)} × (peer − empty) ≤ ${TARGET_PEER_FRACTION}`,
        overEmpty <= TARGET_PEER_FRACTION * peerOverEmpty,
      ],
      [
        `dist/extension.js is ${(size / 1024).toFixed(1)} KB minified ≤ ${TARGET_BUNDLE_BYTES / 1024} KB`,
        size <= TARGET_BUNDLE_BYTES,
      ],
      [
        `dist/extension.js is built from ${inputs.length} files, none of undici, zod, src/core or src/sandbox${heavyInputs.length ? ` (found: ${heavyInputs.join(', ')})` : ''}`,
        heavyInputs.length === 0,
      ],
      [
        `activation loads ${probe.loaded.length} file(s) (${probe.loaded.join(', ')}): no services/sandbox bundle, undici or zod${probe.heavyLoadedAtActivation.length ? ` (found: ${probe.heavyLoadedAtActivation.join(', ')})` : ''}`,
        probe.heavyLoadedAtActivation.length === 0,
      ],
      [
        `the first command loads dist/services.js: ${probe.servicesLoadedOnFirstCommand}`,
        probe.servicesLoadedOnFirstCommand === true,
      ],
    ];
    for (const [text, ok] of checks) console.log(`${ok ? 'PASS' : 'MISS'}  ${text}`);
    process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--probe') {
  probe(process.argv[3]!);
} else {
  void main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
