import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..', '..');
/** What vsce itself always leaves out (and what is too big to copy): the rest of the checkout is staged. */
const NOT_STAGED = new Set(['.git', 'node_modules', '.vscode-test', 'dist']);
/** Root files of the package, as vsce names them inside the .vsix (lower-cased here). */
const SHIPPED_ROOT_FILES = new Set(['package.json', 'readme.md', 'changelog.md', 'license.txt']);

type ReadZip = (file: string, filter: (name: string) => boolean) => Promise<Map<string, Buffer>>;

/**
 * Runs `npm run package` (production build, then vsce) on a copy of the checkout, and checks the
 * files inside the .vsix it writes. A copy, so the real dist/ and the big .vscode-test/ stay out of it.
 */
suite('Packaging: npm run package', () => {
  let staging: string;
  let files: string[];
  let extensionBundle: string;

  suiteSetup(async function () {
    this.timeout(180_000);
    staging = fs.mkdtempSync(path.join(os.tmpdir(), 'onetwentyone-package-'));
    for (const entry of fs.readdirSync(REPO)) {
      if (NOT_STAGED.has(entry) || entry.endsWith('.vsix')) continue;
      fs.cpSync(path.join(REPO, entry), path.join(staging, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(staging, 'node_modules'), 'dir');
    try {
      execFileSync('npm', ['run', '--silent', 'package'], { cwd: staging, stdio: 'pipe', encoding: 'utf8' });
    } catch (e) {
      const { stdout, stderr } = e as { stdout?: string; stderr?: string };
      throw new Error(`npm run package failed:\n${stdout ?? ''}\n${stderr ?? ''}`);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- vsce's own zip reader
    const { readZip } = require('@vscode/vsce/out/zip') as { readZip: ReadZip };
    const entries = await readZip(path.join(staging, 'onetwentyone-explorer.vsix'), () => true);
    files = [...entries.keys()]
      .filter((name) => name.startsWith('extension/'))
      .map((name) => name.slice('extension/'.length))
      .sort();
    extensionBundle = entries.get('extension/dist/extension.js')?.toString('utf8') ?? '';
  });

  suiteTeardown(() => {
    if (staging) fs.rmSync(staging, { recursive: true, force: true });
  });

  test('ships only dist/, media/, the manifest and its translations, README, CHANGELOG and LICENSE', () => {
    const unexpected = files.filter(
      (file) =>
        !(
          file.startsWith('dist/') ||
          file.startsWith('media/') ||
          /^l10n\/bundle\.l10n(\.[\w-]+)?\.json$/.test(file) ||
          /^package\.nls(\.[\w-]+)?\.json$/.test(file) ||
          SHIPPED_ROOT_FILES.has(file)
        ),
    );
    assert.deepStrictEqual(unexpected, []);
  });

  test('ships no sources, tests, source maps or dependencies', () => {
    const forbidden = files.filter(
      (file) => /\.(ts|map)$/.test(file) || /(^|\/)(src|test|bench|scripts|out|node_modules|test-results)\//.test(file),
    );
    assert.deepStrictEqual(forbidden, []);
  });

  test('ships every bundle the extension loads, and the docs', () => {
    for (const file of [
      'dist/extension.js',
      'dist/services.js',
      'dist/sandbox.js',
      // Without it, Node parses the manifest to learn the bundles' module type (esbuild.js).
      'dist/package.json',
      'dist/webview.js',
      'media/activity-bar.svg',
      'package.nls.json',
      'l10n/bundle.l10n.json',
      ...SHIPPED_ROOT_FILES,
    ]) {
      assert.ok(files.includes(file), `${file} is missing from the package`);
    }
  });

  test('ships every image the README shows (relative links are not rewritten: the details page reads them from the package)', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)]
      .map((m) => m[1]!)
      .filter((link) => !/^[a-z]+:/i.test(link));
    const missing = images.filter((image) => !files.includes(path.posix.normalize(image).toLowerCase()));
    assert.deepStrictEqual(missing, []);
  });

  test('its main bundle is the minified production build, without a source map link', () => {
    assert.ok(extensionBundle.length > 0, 'dist/extension.js is empty');
    assert.ok(!extensionBundle.includes('sourceMappingURL'), 'dist/extension.js links a source map');
    assert.ok(extensionBundle.split('\n').length < 10, 'dist/extension.js is not minified');
  });
});
