import * as assert from 'assert';
import { createApiClient, type ApiClient, type ApiClientOptions } from '../../../src/core/api/apiClient';
import type { Credentials, HttpTransport } from '../../../src/core/api/httpTypes';
import { createUndiciTransport, type UndiciTransportOptions } from '../../../src/core/api/transport';
import { startSandbox } from '../../../src/sandbox/main';
import type { SandboxHandle, SandboxOptions, SandboxUserInfo } from '../../../src/sandbox/types';
import { json } from '../../support/servers/faults';
import { startTestServer, type TestServer } from '../../support/servers/testServer';
import { countingCredentials } from '../api/helpers';

/** The credentials of a personal access token: always `token`, nothing to refresh. */
export function patCredentials(token: string): Credentials {
  return { getAccessToken: async () => token, handleUnauthorized: async () => undefined };
}

/** An undici transport to a server on this machine: no proxy, whatever the environment says. */
export function localTransport(origin: string, limits: Partial<UndiciTransportOptions> = {}): HttpTransport {
  return createUndiciTransport({ origin, proxy: { proxyUrl: '' }, env: {}, ...limits });
}

/** An API client of the personal access token `token` whose retries do not wait. */
export function patClient(
  transport: HttpTransport,
  token: string,
  options: Partial<Omit<ApiClientOptions, 'transport' | 'credentials'>> = {},
): ApiClient {
  return createApiClient({
    transport,
    credentials: patCredentials(token),
    retry: { sleep: async () => undefined },
    ...options,
  });
}

/** A sandbox of its own on a free port, and a transport to it. */
export interface SandboxConnection {
  readonly sandbox: SandboxHandle;
  readonly transport: HttpTransport;
  /** A client of the personal access token `pat` (see `patClient`). */
  client(pat: string): ApiClient;
  close(): Promise<void>;
}

export async function connectSandbox(options: SandboxOptions = {}): Promise<SandboxConnection> {
  const sandbox = await startSandbox({ port: 0, ...options });
  // Room for pages of 10,000 records.
  const transport = localTransport(sandbox.baseUrl, { deadlineMs: 20_000, maxResponseBytes: 20 * 1024 * 1024 });
  return {
    sandbox,
    transport,
    client: (pat) => patClient(transport, pat),
    close: async () => {
      await transport.close();
      await sandbox.close();
    },
  };
}

/** Runs `use` against a sandbox of its own (a small daily limit, say) and stops that sandbox after. */
export async function withSandbox<T>(
  options: SandboxOptions,
  use: (connection: SandboxConnection) => Promise<T>,
): Promise<T> {
  const connection = await connectSandbox(options);
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

/** A purpose-built server on 127.0.0.1 (answering as a test says), and a transport to it. */
export interface TestServerConnection {
  readonly server: TestServer;
  readonly transport: HttpTransport;
  /** A client with counting credentials (see `countingCredentials`) whose retries do not wait. */
  readonly client: ApiClient;
  close(): Promise<void>;
}

export async function connectTestServer(limits: Partial<UndiciTransportOptions> = {}): Promise<TestServerConnection> {
  const server = await startTestServer();
  const transport = localTransport(server.origin, limits);
  return {
    server,
    transport,
    client: createApiClient({ transport, credentials: countingCredentials(), retry: { sleep: async () => undefined } }),
    close: async () => {
      await transport.close();
      await server.close();
    },
  };
}

/** The servers of the current test, from `testServersPerTest`. */
export interface PerTestServers {
  /** The API under test, answering as the test says. */
  readonly server: TestServer;
  /** A client of `server` (see `connectTestServer`). */
  readonly client: ApiClient;
  /** Another origin, answering `{ "data": [] }`: tests check that nothing reaches it. */
  readonly foreign: TestServer;
}

/** Registers setup and teardown that give each test of the suite fresh servers (see `PerTestServers`). */
export function testServersPerTest(limits: Partial<UndiciTransportOptions> = {}): PerTestServers {
  let local: TestServerConnection | undefined;
  let foreign: TestServer | undefined;
  setup(async () => {
    local = await connectTestServer(limits);
    foreign = await startTestServer(json(200, { data: [] }));
  });
  teardown(async () => {
    await local?.close();
    await foreign?.close();
  });
  const current = <T>(value: T | undefined): T => value ?? assert.fail('the servers exist only while a test runs');
  return {
    get server() {
      return current(local).server;
    },
    get client() {
      return current(local).client;
    },
    get foreign() {
      return current(foreign);
    },
  };
}

/** The demo user whose name contains `name` (any case). */
export function sandboxUser(sandbox: SandboxHandle, name: string): SandboxUserInfo {
  const user = sandbox.users.find((u) => u.name.toLowerCase().includes(name));
  assert.ok(user, `no demo user named like "${name}"`);
  return user;
}

/** The last `days` of a heart-rate series, up to its newest record: the dates as the API takes them. */
export async function newestDays(
  client: ApiClient,
  userId: string,
  days: number,
): Promise<{ startDate: string; endDate: string }> {
  const newest = await client.quantity(userId, 'heartRate', { pageSize: 1 });
  const last = Date.parse((newest.data[0] as { start_date: string }).start_date);
  const minuteAfter = (ms: number): string => new Date(ms + 60_000).toISOString().slice(0, 19) + 'Z';
  return { startDate: minuteAfter(last - days * 86_400_000), endDate: minuteAfter(last) };
}

/** The five-year user's client, and the query of the last `days` of their heart rate, `pageSize` a page. */
export async function newestFiveYearHeartRate(
  connection: SandboxConnection,
  days: number,
  pageSize: number,
): Promise<{ client: ApiClient; params: { userId: string; metric: string; query: Record<string, string | number> } }> {
  const { userId, pat } = sandboxUser(connection.sandbox, 'five');
  const client = connection.client(pat);
  return {
    client,
    params: { userId, metric: 'heartRate', query: { ...(await newestDays(client, userId, days)), pageSize } },
  };
}

/** The records of `route` as the sandbox serves them, read independently with Node's fetch, page by page. */
export async function referenceRecords(
  sandbox: SandboxHandle,
  pat: string,
  route: string,
  query: Record<string, string>,
  pageSize: number,
): Promise<unknown[]> {
  const all: unknown[] = [];
  for (let page = 1; ; page++) {
    const url = new URL(route, sandbox.baseUrl);
    for (const [k, v] of Object.entries({ ...query, page: String(page), pageSize: String(pageSize) }))
      url.searchParams.set(k, v);
    const response = await fetch(url, { headers: { Authorization: `Bearer ${pat}` } });
    assert.strictEqual(response.status, 200);
    const body = (await response.json()) as { data: unknown[]; pagination: { has_more: boolean } };
    all.push(...body.data);
    if (!body.pagination.has_more) return all;
  }
}
