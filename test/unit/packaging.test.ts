import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..', '..');
/** What vsce itself always leaves out (and what is too big to copy): the rest of the checkout is staged. */
const NOT_STAGED = new Set(['.git', 'node_modules', '.vscode-test', 'dist']);
const SHIPPED_ROOT_FILES = new Set(['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE']);

interface Vsce {
  PackageManager: { None: unknown };
  listFiles(options: { cwd: string; packageManager: unknown }): Promise<string[]>;
}

/**
 * The files `npm run package` puts into the .vsix, computed by vsce on a copy of the checkout whose
 * bundles were built the way vscode:prepublish builds them (the real dist/ may be a development build).
 */
suite('Packaging: the .vsix contents', () => {
  let staging: string;
  let files: string[];

  suiteSetup(async function () {
    this.timeout(120_000);
    staging = fs.mkdtempSync(path.join(os.tmpdir(), 'onetwentyone-package-'));
    for (const entry of fs.readdirSync(REPO)) {
      if (NOT_STAGED.has(entry) || entry.endsWith('.vsix')) continue;
      fs.cpSync(path.join(REPO, entry), path.join(staging, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(staging, 'node_modules'), 'dir');
    execFileSync(process.execPath, ['esbuild.js', '--production'], { cwd: staging, stdio: 'pipe' });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const vsce = require('@vscode/vsce') as Vsce;
    // PackageManager.None is what `vsce package --no-dependencies` (npm run package) uses.
    files = (await vsce.listFiles({ cwd: staging, packageManager: vsce.PackageManager.None })).sort();
  });

  suiteTeardown(() => {
    if (staging) fs.rmSync(staging, { recursive: true, force: true });
  });

  test('ships only dist/, media/, the manifest, README, CHANGELOG and LICENSE', () => {
    const unexpected = files.filter((file) => !(file.startsWith('dist/') || file.startsWith('media/') || SHIPPED_ROOT_FILES.has(file)));
    assert.deepStrictEqual(unexpected, []);
  });

  test('ships no sources, tests, source maps or dependencies', () => {
    const forbidden = files.filter((file) => /\.(ts|map)$/.test(file) || /(^|\/)(src|test|bench|scripts|out|node_modules|test-results)\//.test(file));
    assert.deepStrictEqual(forbidden, []);
  });

  test('ships every bundle the extension loads, and the docs', () => {
    for (const file of ['dist/extension.js', 'dist/services.js', 'dist/sandbox.js', 'dist/webview.js', 'media/activity-bar.svg', ...SHIPPED_ROOT_FILES]) {
      assert.ok(files.includes(file), `${file} is missing from the package`);
    }
  });

  test('the bundles in it are minified, without source map links', () => {
    const extension = fs.readFileSync(path.join(staging, 'dist', 'extension.js'), 'utf8');
    assert.ok(!extension.includes('sourceMappingURL'), 'dist/extension.js links a source map');
    assert.ok(extension.split('\n').length < 10, 'dist/extension.js is not minified');
  });
});
