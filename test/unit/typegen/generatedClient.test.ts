import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { createApiClient } from '../../../src/core/api/apiClient';
import { paginate } from '../../../src/core/api/pagination';
import { createUndiciTransport } from '../../../src/core/api/transport';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { DEFAULT_TOKEN_VARIABLE, generateClientModule } from '../../../src/core/typegen/clientModule';
import { generateTypesModule, recordTypeName } from '../../../src/core/typegen/emitTypes';
import { summarizeStore } from '../../../src/core/typegen/summarizeStore';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/main';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../../../..');

/**
 * The generated client, as a developer would use it: written to a file, type-checked with
 * `tsc --strict`, run with Node against the sandbox with the token in an environment variable.
 * It must yield exactly the records the explorer's own paging fetched for the same query.
 */
suite('Copy as TypeScript Client: the generated module against the sandbox', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  let dir: string;

  suiteSetup(async () => {
    sandbox = await startSandbox({ port: 0 });
    // Inside the repository so that `zod` and `@types/node` resolve from its node_modules.
    dir = fs.mkdtempSync(path.join(repoRoot, 'out', 'generated-client-'));
  });
  suiteTeardown(async () => {
    await sandbox.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('type-checks strictly and yields the same records, page after page, with the token only from the environment', async () => {
    const ada = sandbox.users.find((u) => u.name.startsWith('Ada'));
    assert.ok(ada);
    // Ada's hourly steps over the last three days: about 72 records, several pages of 10.
    const startDate = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const endDate = new Date().toISOString().slice(0, 10);
    const firstPage = `/api/v1/quantity/${ada.userId}/stepCount?startDate=${startDate}&endDate=${endDate}&pageSize=10`;

    const transport = createUndiciTransport({
      origin: sandbox.baseUrl,
      proxy: { proxyUrl: '' },
      env: {},
      deadlineMs: 20_000,
      maxResponseBytes: 20 * 1024 * 1024,
    });
    const store = new ResultStore();
    try {
      const client = createApiClient({
        transport,
        credentials: { getAccessToken: async () => ada.pat, handleUnauthorized: async () => undefined },
      });
      const pages = paginate(client, 'quantity', {
        userId: ada.userId,
        metric: 'stepCount',
        query: { startDate, endDate, pageSize: 10 },
      });
      let pageCount = 0;
      for await (const page of pages) {
        store.append(page.data as unknown[]);
        pageCount++;
      }
      assert.ok(pageCount > 1, `the query spans several pages (${pageCount} pages, ${store.count} records)`);

      const typeName = recordTypeName('quantity', 'stepCount');
      const source = generateClientModule({
        origin: sandbox.baseUrl,
        firstPage,
        typesModule: generateTypesModule(await summarizeStore(store), {
          typeName,
          source: 'GET /api/v1/quantity/{user_id}/stepCount',
          recordCount: store.count,
        }),
        typeName,
        tokenVariable: DEFAULT_TOKEN_VARIABLE,
      });
      assert.ok(!source.includes(ada.pat), 'the token is not in the generated text');

      const file = path.join(dir, 'client.ts');
      fs.writeFileSync(file, source);
      fs.writeFileSync(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            module: 'commonjs',
            target: 'ES2022',
            lib: ['ES2022', 'DOM'],
            types: ['node'],
            skipLibCheck: true,
            noUncheckedIndexedAccess: true,
            exactOptionalPropertyTypes: true,
          },
          files: ['client.ts'],
        }),
      );
      const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
      await run(process.execPath, [tsc, '-p', dir]).catch((error: { stdout?: string }) => {
        assert.fail(`tsc --strict: ${error.stdout ?? String(error)}`);
      });

      await build({
        entryPoints: [file],
        outfile: path.join(dir, 'client.js'),
        platform: 'node',
        format: 'cjs',
        logLevel: 'silent',
      });
      const { stdout } = await run(process.execPath, [path.join(dir, 'client.js')], {
        env: { PATH: process.env.PATH ?? '', [DEFAULT_TOKEN_VARIABLE]: ada.pat },
        maxBuffer: 64 * 1024 * 1024,
      });
      const fromClient = stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown);
      const fromExplorer = Array.from({ length: store.count }, (_, row) => store.getRecord(row));
      assert.deepEqual(fromClient, fromExplorer);

      const withoutToken = await run(process.execPath, [path.join(dir, 'client.js')], { env: { PATH: '' } }).catch(
        (error: { code?: number; stderr?: string }) => error,
      );
      assert.equal((withoutToken as { code?: number }).code, 1);
      assert.match(String((withoutToken as { stderr?: string }).stderr), /Set ONETWENTYONE_TOKEN/);
    } finally {
      store.dispose();
      await transport.close();
    }
  });
});
