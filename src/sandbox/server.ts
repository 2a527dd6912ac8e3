import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { DEFAULT_DAILY_LIMIT } from '../core/routes';
import { QuotaBudgets } from './budgets';
import { createAdjustableClock, startOfUtcDay } from './clock';
import type { UserDataset } from './data/dataset';
import { datasetFor } from './data/userDatasets';
import { matchDataRoute, serveData, type DataContext, type LinkFault } from './dataRoutes';
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_NAME,
  DEMO_CLIENT_SECRET,
  DEMO_REDIRECT_URIS,
  DEMO_USERS,
  type DemoUser,
} from './demoAccounts';
import { dialectByName, type SandboxDialect } from './dialects';
import { HttpError } from './errors';
import { allowedHosts, checkHostAndOrigin } from './hostCheck';
import { delay, FaultState, sendWithFaults, type RequestKind } from './faults';
import { AuthorizeFlow } from './oauth/authorize';
import { toRegisteredClient, type RegisteredClient } from './oauth/clients';
import { GrantStore } from './oauth/grants';
import { exchangeCode, refreshAccess } from './oauth/tokenRoutes';
import type { FaultConfig, RequestLogEntry, SandboxHandle, SandboxOptions } from './types';

const MAX_LOG_ENTRIES = 100_000;
const JSON_HEADERS = { 'X-Content-Type-Options': 'nosniff' };
const TOKEN_HEADERS = { ...JSON_HEADERS, 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function kindOf(pathname: string): RequestKind {
  if (pathname === '/api/token' || pathname === '/api/refresh') return 'token';
  return pathname.startsWith('/api/') ? 'data' : 'other';
}

/** The faults for an error answer: its small body is never swapped for a huge one. */
function withoutHugeBody(faults: FaultConfig): FaultConfig {
  const { hugeBodyBytes: _unused, ...others } = faults;
  return others;
}

function dialectOf(option: SandboxOptions['dialect']): SandboxDialect {
  return typeof option === 'object' ? option : dialectByName(option ?? 'standard');
}

/** Starts the sandbox on 127.0.0.1 and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const dialect = dialectOf(options.dialect);
  const clock = createAdjustableClock(options.clock);
  const dailyLimit = options.dailyLimit ?? DEFAULT_DAILY_LIMIT;
  if (!Number.isInteger(dailyLimit) || dailyLimit < 1)
    throw new Error(`dailyLimit must be a positive integer, got ${dailyLimit}`);
  const ttlSeconds = options.accessTokenTtlSeconds ?? 3600;
  const clients = new Map<string, RegisteredClient>();
  for (const c of [
    {
      clientId: DEMO_CLIENT_ID,
      clientSecret: DEMO_CLIENT_SECRET,
      redirectUris: DEMO_REDIRECT_URIS,
      name: DEMO_CLIENT_NAME,
    },
    ...(options.clients ?? []),
  ]) {
    clients.set(c.clientId, toRegisteredClient(c));
  }
  const users = new Map<string, DemoUser>(DEMO_USERS.map((u) => [u.userId, u]));
  const grants = new GrantStore(clock, ttlSeconds * 1000, DEMO_USERS);
  const budgets = new QuotaBudgets(dailyLimit, dialect.routeLimits, clock);
  const authorize = new AuthorizeFlow(clients, DEMO_USERS, grants, clock);
  const faults = new FaultState();
  const requestLog: RequestLogEntry[] = [];
  // Data ends where the sandbox's first day begins, so "latest record" is recent but stable all day.
  const dataEnd = startOfUtcDay(clock.now());
  const datasets = new Map<string, UserDataset>();
  const ctx: DataContext = {
    grants,
    budgets,
    users,
    paging: dialect.paging,
    dataset: (user) => {
      let d = datasets.get(user.userId);
      if (!d) {
        d = dialect.records(datasetFor(user, dataEnd));
        datasets.set(user.userId, d);
      }
      return d;
    },
  };

  const roundTripMs = options.roundTripMs ?? 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const arrivedAt = performance.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const kind = kindOf(url.pathname);
    /** The rest of the round trip, before a data route's answer is written. */
    const roundTrip = async (): Promise<void> => {
      const rest = kind === 'data' ? arrivedAt + roundTripMs - performance.now() : 0;
      if (rest > 0) await delay(rest);
    };
    const active = faults.for(kind);
    if (active?.latencyMs) await delay(active.latencyMs);
    if (active) {
      const serverError = faults.takeServerError();
      if (serverError !== undefined) {
        await sendWithFaults(
          res,
          serverError,
          JSON_HEADERS,
          JSON.stringify({ error: 'server_error', error_description: 'Injected server error' }),
          undefined,
        );
        return serverError;
      }
      const retryAfter = faults.takeRateLimited();
      if (retryAfter !== undefined) {
        await sendWithFaults(
          res,
          429,
          { ...JSON_HEADERS, 'Retry-After': retryAfter },
          JSON.stringify({ error: 'rate_limit_exceeded', error_description: 'Injected 429' }),
          undefined,
        );
        return 429;
      }
    }
    try {
      if (url.pathname === '/authorize') {
        if (req.method === 'GET') return authorize.show(url, res);
        if (req.method === 'POST') return await authorize.decide(req, res);
        throw new HttpError(405, 'method_not_allowed', '/authorize answers GET and POST', {}, { Allow: 'GET, POST' });
      }
      if (kind === 'token') {
        if (req.method !== 'POST')
          throw new HttpError(405, 'invalid_request', `${url.pathname} only accepts POST`, {}, { Allow: 'POST' });
        const result =
          url.pathname === '/api/token'
            ? await exchangeCode(req, url, { clients, grants, token: dialect.token })
            : await refreshAccess(req, url, { clients, grants, token: dialect.token });
        await sendWithFaults(res, 200, TOKEN_HEADERS, result.body, active);
        return 200;
      }
      const match = matchDataRoute(url.pathname);
      if (!match) throw new HttpError(404, 'not_found', `No route ${req.method} ${url.pathname}`);
      const link: LinkFault | undefined = active?.nextPage
        ? { mode: active.nextPage, foreignOrigin: active.foreignOrigin ?? 'http://127.0.0.1:9' }
        : undefined;
      const reply = serveData(req, url, match, ctx, link);
      await roundTrip();
      await sendWithFaults(res, reply.status, { ...JSON_HEADERS, ...reply.headers }, reply.body, active);
      return reply.status;
    } catch (e) {
      const error =
        e instanceof HttpError ? e : new HttpError(500, 'server_error', 'The sandbox failed to answer this request');
      if (!(e instanceof HttpError)) console.error('[sandbox] unexpected error', e instanceof Error ? e.message : e);
      if (res.headersSent) {
        res.destroy();
        return error.status;
      }
      const headers = kind === 'token' ? { ...TOKEN_HEADERS, ...error.headers } : { ...JSON_HEADERS, ...error.headers };
      await roundTrip();
      await sendWithFaults(
        res,
        error.status,
        headers,
        kind === 'token' ? dialect.token.errorBody(error) : error.body(),
        kind === 'token' ? undefined : active && withoutHugeBody(active),
      );
      return error.status;
    }
  }

  // Known once listening; until then no request can arrive, and an empty set would refuse it anyway.
  let hosts: ReadonlySet<string> = new Set();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const authorization = req.headers.authorization ? 'present' : 'absent';
    // Logged when the status line is written, so a client that has the response also sees the entry.
    const writeHead = res.writeHead.bind(res);
    res.writeHead = (status: number, ...rest: never[]) => {
      // Bounded, so a sandbox left running for days under a busy client does not grow without end.
      if (requestLog.length >= MAX_LOG_ENTRIES) requestLog.splice(0, MAX_LOG_ENTRIES / 10);
      requestLog.push({ method: req.method ?? 'GET', path, status, authorization, time: clock.now() });
      return writeHead(status, ...rest);
    };
    const verdict = checkHostAndOrigin(req.method, req.headers, hosts);
    if (!verdict.ok) {
      res.writeHead(verdict.status, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': Buffer.byteLength(verdict.text),
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
      });
      res.end(verdict.text);
      return;
    }
    // A bug must cost one request, never the process (an unhandled rejection ends Node 20).
    handle(req, res).catch((e: unknown) => {
      console.error('[sandbox] request failed', e instanceof Error ? e.message : e);
      res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(port);
  let closing: Promise<void> | undefined;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    demoClient: { clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, redirectUris: [...DEMO_REDIRECT_URIS] },
    users: DEMO_USERS.map((u) => ({ userId: u.userId, name: u.name, pat: u.pat, description: u.description })),
    clock,
    dailyLimit,
    dialect: dialect.name,
    setFaults: (config) => faults.set(config),
    requestLog,
    quotaUsed: (userId) => budgets.daily.used(userId.toLowerCase()),
    retained: () => ({ consents: authorize.pendingCount, ...grants.counts() }),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
