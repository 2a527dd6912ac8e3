import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';

const repoRoot = path.resolve(__dirname, '../../..');

/**
 * Activation must stay cheap (docs/performance.md, B1): dist/extension.js holds only the shell, and
 * everything heavy (zod, undici, the core, the sandbox) loads later from dist/services.js. The lint
 * rule that keeps heavy imports out applies to a list of files; this test keeps that list complete.
 */
suite('The activation bundle', () => {
  test('contains no npm package and no core, shared or sandbox module, and lint guards every file in it', async () => {
    const result = await build({
      entryPoints: [path.join(repoRoot, 'src/extension.ts')],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      external: ['vscode', './services.js', './sandbox.js'],
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: repoRoot,
    });
    const inputs = Object.keys(result.metafile.inputs).sort();
    assert.deepEqual(
      inputs.filter((f) => f.startsWith('node_modules/') || /^src\/(core|shared|sandbox)\//.test(f)),
      [],
      'heavy modules in the activation bundle',
    );
    const lintConfig = fs.readFileSync(path.join(repoRoot, 'eslint.config.mjs'), 'utf8');
    const unguarded = inputs.filter((f) => !lintConfig.includes(`'${f}'`));
    assert.deepEqual(unguarded, [], 'files of the activation bundle missing from its lint rule in eslint.config.mjs');
  });
});
