import type { Scope } from '../core/routes';
import type { DialectName, SandboxDialect } from './dialects';

/** An OAuth client the sandbox accepts, besides the demo client. */
export interface ClientRegistration {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Exact-match redirect URIs; loopback ones without a port match any port (RFC 8252 §7.3). */
  readonly redirectUris: readonly string[];
  readonly name?: string;
  /** Scopes users may grant this client; default: all. */
  readonly scopes?: readonly Scope[];
}

export interface SandboxClock {
  now(): number;
}

export interface AdjustableClock extends SandboxClock {
  advance(ms: number): void;
  set(ms: number): void;
}

export interface SandboxOptions {
  /** 0 (default) picks a free port. The server always listens on 127.0.0.1. */
  port?: number;
  /** Requests per user per UTC day on the rate-limited routes; default 10,000. */
  dailyLimit?: number | undefined;
  clock?: SandboxClock;
  clients?: readonly ClientRegistration[];
  /** Lifetime of OAuth access tokens; default 3600. */
  accessTokenTtlSeconds?: number;
  /**
   * The variant of the API to serve (docs/sandbox.md, "Dialects"); default `standard`. Tests may pass
   * a description of their own, e.g. a dialect with smaller route limits.
   */
  dialect?: DialectName | SandboxDialect | undefined;
  /**
   * A real API's round trip (`--latency-ms`): every data route answers this long after its request
   * arrived, the answer made meanwhile, as a server does its work within its response time. Unlike the
   * `latencyMs` fault, the work does not add to the wait.
   */
  roundTripMs?: number;
}

/** Which requests a fault applies to; default `data` (the `/api/v1/...` routes). */
export type FaultTarget = 'data' | 'token' | 'all';

/**
 * Fault injection for tests; every field is off unless set. Faults with a `count` apply to that
 * many matching requests and then stop; the others stay until `setFaults(undefined)`.
 */
export interface FaultConfig {
  target?: FaultTarget;
  /** Delay before the status line is written. */
  latencyMs?: number;
  /** Send the headers (with the full Content-Length) and this many body bytes, then reset the socket. */
  resetAfterBytes?: number;
  /** Send only the first half of the JSON body, with a Content-Length that matches what is sent. */
  truncatedJson?: boolean;
  /** Send a body that is not valid JSON (a trailing comma and a NaN). */
  malformedJson?: boolean;
  /** `html`: a captive-portal HTML page as text/html; `text`: the real JSON body labelled text/plain. */
  wrongContentType?: 'html' | 'text';
  /** Answer the next `count` matching requests with `status` (default 503). */
  serverErrors?: { count: number; status?: number };
  /** Write the body `chunkBytes` at a time, one chunk every `intervalMs`. */
  trickle?: { chunkBytes: number; intervalMs: number };
  /** Stream a valid JSON envelope of at least this many bytes, generated while it is sent. */
  hugeBodyBytes?: number;
  /**
   * `foreign`: `next_page` is absolute on `foreignOrigin`; `loop`: it points back to page 1;
   * `self`: it repeats the current page; `missing`: `has_more` is true but `next_page` null.
   */
  nextPage?: 'foreign' | 'loop' | 'self' | 'missing';
  /** Origin used by `nextPage: 'foreign'`; default `http://127.0.0.1:9`. */
  foreignOrigin?: string;
  /** Answer the next `count` matching requests (default: all) with 429 and this raw `Retry-After` value. */
  rateLimited?: { retryAfter: string; count?: number };
}

export interface RequestLogEntry {
  readonly method: string;
  /** Path without the query string (a client may still try to put secrets there). */
  readonly path: string;
  readonly status: number;
  readonly authorization: 'present' | 'absent';
  readonly time: number;
}

export interface SandboxUserInfo {
  readonly userId: string;
  readonly name: string;
  readonly pat: string;
  readonly description: string;
}

export interface RetainedCounts {
  readonly consents: number;
  readonly codes: number;
  readonly accessTokens: number;
  readonly refreshTokens: number;
}

export interface SandboxHandle {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly baseUrl: string;
  readonly port: number;
  readonly demoClient: { clientId: string; clientSecret: string; redirectUris: string[] };
  readonly users: SandboxUserInfo[];
  readonly clock: AdjustableClock;
  readonly dailyLimit: number;
  /** The dialect served. */
  readonly dialect: DialectName;
  setFaults(faults: FaultConfig | undefined): void;
  /** Every request answered, oldest first; never token values. */
  readonly requestLog: readonly RequestLogEntry[];
  /** Requests spent today by a user on the rate-limited routes. */
  quotaUsed(userId: string): number;
  /** How many entries each request-fed store holds now (all are capped and pruned on insert). */
  retained(): RetainedCounts;
  close(): Promise<void>;
}
