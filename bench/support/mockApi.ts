import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createApiClient, type ApiClient, type ApiClientOptions } from '../../src/core/api/apiClient';
import type { HttpTransport } from '../../src/core/api/httpTypes';
import { createUndiciTransport } from '../../src/core/api/transport';

export interface MockApiConfig {
  readonly totalPages?: number;
  readonly delayMs?: number;
  readonly rate429?: number;
  readonly retryAfter?: number;
  readonly variants?: number;
  readonly concurrency?: number;
  /** `variants` (default): a few 10,000-record arrays in rotation; `fiveYears`: the distinct five-year heart-rate pages of bench/dataset/heartRatePages.ts. */
  readonly data?: 'variants' | 'fiveYears';
  /** Every page's bytes made before the mock listens, so that it spends almost no CPU while measured. */
  readonly pregenerate?: boolean;
}

export interface MockApiStats {
  readonly requests: number;
  readonly pageRequests: number;
  readonly rejected: number;
  readonly earlySamePage: number;
  readonly earlyAfterSeen: number;
  readonly pagesServed: number;
  readonly distinctPages: number;
}

export interface MockApi {
  readonly origin: string;
  stats(): Promise<MockApiStats>;
  close(): Promise<void>;
}

/** Starts `mockApiChild.js` (built next to this bench) in a child process and waits for READY. */
export async function startMockApi(config: MockApiConfig): Promise<MockApi> {
  // Benchmarks sit in out/bench/ and out/bench/dataset/; the child is built to out/bench/support/.
  const script =
    [path.join(__dirname, 'support', 'mockApiChild.js'), path.join(__dirname, '..', 'support', 'mockApiChild.js')].find(
      (f) => fs.existsSync(f),
    ) ?? 'mockApiChild.js';
  const child: ChildProcess = spawn(process.execPath, [script, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const match = /READY (\d+)/.exec(buffered);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`mock API exited with ${code}`)));
  });
  const origin = `http://127.0.0.1:${port}`;
  let closing = false;
  // A mock that dies mid-run would leave the client's errors unexplained: say so where it happened.
  child.once('exit', (code, signal) => {
    if (!closing) console.error(`The mock API exited during the benchmark (code ${code}, signal ${signal}).`);
  });
  return {
    origin,
    async stats() {
      const res = await fetch(`${origin}/__stats`);
      return (await res.json()) as MockApiStats;
    },
    async close() {
      closing = true;
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The product's transport and API client talking to `api`, as the extension builds them (no proxy, a fixed token). */
export function clientFor(
  api: MockApi,
  connections: number,
  retry?: ApiClientOptions['retry'],
): { readonly transport: HttpTransport; readonly client: ApiClient } {
  const transport = createUndiciTransport({ origin: api.origin, proxy: { proxyUrl: '' }, env: {}, connections });
  const client = createApiClient({
    transport,
    credentials: { getAccessToken: async () => 'bench', handleUnauthorized: async () => undefined },
    ...(retry ? { retry } : {}),
  });
  return { transport, client };
}
