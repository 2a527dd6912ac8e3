import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { type AddressInfo } from 'node:net';
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
import { addValue, emptySummary } from '../../../src/core/typegen/typeSummary';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/main';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../../../..');

/** Writes `source` as client.ts in `dir`, type-checks it with tsc --strict, and bundles it to client.js. */
async function compileClient(dir: string, source: string): Promise<string> {
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
  const out = path.join(dir, 'client.js');
  await build({ entryPoints: [file], outfile: out, platform: 'node', format: 'cjs', logLevel: 'silent' });
  return out;
}

/** Runs the client; resolves with its exit code and output. */
function runClient(
  file: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, [file], {
    env: { PATH: process.env.PATH ?? '', ...env },
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? -1,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }),
  );
}

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
        store.append(page.data);
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

      const clientFile = await compileClient(dir, source);
      const { stdout } = await runClient(clientFile, { [DEFAULT_TOKEN_VARIABLE]: ada.pat });
      const fromClient = stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown);
      const fromExplorer = Array.from({ length: store.count }, (_, row) => store.getRecord(row));
      assert.deepEqual(fromClient, fromExplorer);

      const withoutToken = await runClient(clientFile, {});
      assert.equal(withoutToken.code, 1);
      assert.match(withoutToken.stderr, /Set ONETWENTYONE_TOKEN/);
    } finally {
      store.dispose();
      await transport.close();
    }
  });

  test('sends the token nowhere but its origin, and waits out a 429 with Retry-After', async () => {
    const seenElsewhere: string[] = [];
    const elsewhere = http.createServer((req, res) => {
      seenElsewhere.push(String(req.headers.authorization));
      res.end('{}');
    });
    let firstPageAnswers = 0;
    const api = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      assert.equal(req.headers.authorization, 'Bearer canary-token');
      res.setHeader('content-type', 'application/json');
      if (url.searchParams.get('page') !== '2') {
        firstPageAnswers++;
        if (firstPageAnswers === 1) {
          res.writeHead(429, { 'retry-after': '1' }).end('{}');
          return;
        }
        res.end(
          JSON.stringify({
            pagination: { current_page: 1, has_more: true, next_page: '/api/v1/sleep/u?page=2' },
            data: [{ stage: 'DEEP' }, { stage: 'REM' }],
          }),
        );
        return;
      }
      const foreign = `http://localhost:${(elsewhere.address() as AddressInfo).port}/api/v1/sleep/u?page=3`;
      res.end(
        JSON.stringify({
          pagination: { current_page: 2, has_more: true, next_page: foreign },
          data: [{ stage: 'DEEP' }],
        }),
      );
    });
    await Promise.all([
      new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r)),
      new Promise<void>((r) => api.listen(0, '127.0.0.1', r)),
    ]);
    try {
      const summary = emptySummary();
      // An optional field, a nullable one and a key zod would read through the prototype: the
      // schema's output must still fit the printed type under tsc --strict.
      addValue(summary, { stage: 'DEEP', toString: null });
      addValue(summary, { stage: 'REM', note: 'x', toString: true });
      addValue(summary, { stage: 'DEEP' });
      const source = generateClientModule({
        origin: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
        firstPage: '/api/v1/sleep/u?pageSize=2',
        typesModule: generateTypesModule(summary, { typeName: 'SleepRecord', source: 'a test server', recordCount: 2 }),
        typeName: 'SleepRecord',
        tokenVariable: 'API_TOKEN',
      });
      const result = await runClient(await compileClient(dir, source), { API_TOKEN: 'canary-token' });
      assert.equal(firstPageAnswers, 2, 'the first page was asked again after its Retry-After');
      assert.deepEqual(
        result.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as unknown),
        [{ stage: 'DEEP' }, { stage: 'REM' }, { stage: 'DEEP' }],
      );
      assert.equal(result.code, 1);
      assert.match(result.stderr, /next_page points to http:\/\/localhost:\d+, not http:\/\/127\.0\.0\.1:\d+/);
      assert.deepEqual(seenElsewhere, [], 'no request, and so no token, went to the other origin');
    } finally {
      elsewhere.close();
      api.close();
    }
  });
});
