import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exportToPath, ExportTargetError } from '../../../src/core/dataset/exportToPath';
import { ResultStore } from '../../../src/core/dataset/resultStore';

/** Exports replace their target only when complete; anything else leaves it as it was. */
suite('dataset: exports are atomic', () => {
  let tmp: string;
  let store: ResultStore;
  const EARLIER = 'an earlier export\n';

  setup(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'export-atomic-'));
    store = new ResultStore();
    store.append(
      Array.from({ length: 60_000 }, (_, i) => ({ value: i, unit: 'count', start_date: '2026-01-01T00:00:00Z' })),
    );
  });
  teardown(() => {
    store.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const entries = (): string[] => fs.readdirSync(tmp).sort();

  test('while it runs the target still holds the earlier file; complete, the target is whole and nothing else is left', async () => {
    const target = path.join(tmp, 'steps.ndjson');
    fs.writeFileSync(target, EARLIER);
    const seen: string[] = [];
    const outcome = await exportToPath(store, 'ndjson', target, {
      onProgress: () => {
        if (!seen.length) seen.push(fs.readFileSync(target, 'utf8'));
      },
    });
    assert.deepStrictEqual(seen, [EARLIER], 'the earlier file was replaced before the export completed');
    assert.ok(outcome.complete);
    assert.strictEqual(fs.readFileSync(target, 'utf8').split('\n').length - 1, 60_000);
    assert.deepStrictEqual(entries(), ['steps.ndjson']);
  });

  test('a cancelled export over an existing file leaves that file untouched and no partial file', async () => {
    const target = path.join(tmp, 'steps.csv');
    fs.writeFileSync(target, EARLIER);
    const controller = new AbortController();
    const outcome = await exportToPath(store, 'csv', target, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.records > 0) controller.abort();
      },
    });
    assert.strictEqual(outcome.complete, false);
    assert.strictEqual(fs.readFileSync(target, 'utf8'), EARLIER);
    assert.deepStrictEqual(entries(), ['steps.csv']);
  });

  test('a symbolic link is refused, and the link and its target stay as they were', async function () {
    const real = path.join(tmp, 'real.json');
    fs.writeFileSync(real, EARLIER);
    const link = path.join(tmp, 'link.json');
    fs.symlinkSync(real, link);
    await assert.rejects(
      exportToPath(store, 'json', link),
      (e: unknown) => e instanceof ExportTargetError && /symbolic link/.test(e.message),
    );
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    assert.strictEqual(fs.readFileSync(real, 'utf8'), EARLIER);
  });

  test('a folder, a relative path and a missing folder each get a clear answer', async () => {
    await assert.rejects(exportToPath(store, 'json', tmp), /is a folder: pick a file name inside it/);
    await assert.rejects(exportToPath(store, 'json', 'relative/out.json'), /needs an absolute path/);
    await assert.rejects(exportToPath(store, 'json', path.join(tmp, 'nope', 'out.json')), /does not exist/);
    assert.deepStrictEqual(entries(), []);
  });
});
