import { ApiError, cancelledError, formatWait } from './errors';

/**
 * Retries for idempotent GETs on transient faults only (docs/reliability.md, "Responses and paging"):
 * network errors and 500/502/503/504 (a 500 is often a restart in progress, so it is retried with the
 * gateway statuses), plus a 429 whose `Retry-After` is short and which is not
 * the daily quota. Never 400/401/403/404, never a timeout the user already waited out, never a
 * POST (token routes are not sent through here). Backoff is exponential with full jitter
 * (sleep = random(0, min(cap, base·2^attempt))) and never shorter than a `Retry-After`. A 5xx's
 * `Retry-After` is honoured only up to `maxServerRetryAfterMs`: a gateway asking for a day would
 * otherwise hold the request (and a fetch-all) for days, three times over.
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A 429 is retried only if it asks to wait at most this long. */
  readonly maxRetryAfterMs: number;
  /** A 500/502/503/504 is retried only if its `Retry-After` asks to wait at most this long. */
  readonly maxServerRetryAfterMs: number;
  /** Uniform random in [0, 1); injectable for tests. */
  readonly random: () => number;
  /** Abortable sleep; injectable for tests. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * The longest wait a server error's `Retry-After` may impose. Longer than the backoff cap (a
 * restarting gateway may ask for a few seconds), far shorter than a person waits for one page.
 */
export const MAX_SERVER_RETRY_AFTER_MS = 30_000;

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/** Sleeps `ms`, or rejects with a `cancelled` ApiError as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelledError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 250,
  maxDelayMs: 8000,
  maxRetryAfterMs: 60_000,
  maxServerRetryAfterMs: MAX_SERVER_RETRY_AFTER_MS,
  random: Math.random,
  sleep: abortableSleep,
};

/**
 * How long to wait before retry number `attempt` (0-based) after `error`, or `undefined` when the
 * error must not be retried.
 */
export function retryDelay(error: unknown, attempt: number, policy: RetryPolicy): number | undefined {
  if (!(error instanceof ApiError) || attempt >= policy.maxRetries) return undefined;
  const backoff = Math.floor(policy.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
  switch (error.code) {
    case 'network':
      // A proxy that wants credentials answers the same way every time.
      return error.status === 407 ? undefined : backoff;
    case 'http_status':
      if (error.status === undefined || !RETRYABLE_STATUSES.has(error.status)) return undefined;
      if (error.retryAfterMs !== undefined && error.retryAfterMs > policy.maxServerRetryAfterMs) return undefined;
      return Math.max(backoff, error.retryAfterMs ?? 0);
    case 'rate_limited':
      if (error.retryAfterMs === undefined || error.retryAfterMs > policy.maxRetryAfterMs) return undefined;
      return error.retryAfterMs;
    default:
      return undefined;
  }
}

/**
 * The error to report when a server error asked for a longer wait than the policy honours: it
 * names the wait, so the user knows when trying again makes sense. Other errors are returned as is.
 */
export function refusedWaitError(error: unknown, policy: RetryPolicy): unknown {
  if (
    !(error instanceof ApiError) ||
    error.code !== 'http_status' ||
    error.status === undefined ||
    !RETRYABLE_STATUSES.has(error.status)
  )
    return error;
  const wait = error.retryAfterMs;
  if (wait === undefined || wait <= policy.maxServerRetryAfterMs) return error;
  return new ApiError(
    'http_status',
    `The server asked to wait ${formatWait(wait)} before retrying; ` +
      `the client waits at most ${formatWait(policy.maxServerRetryAfterMs)} after a server error, so it did not retry. Try again later.`,
    {
      status: error.status,
      retryAfterMs: wait,
      refusedWait: true,
      ...(error.route !== undefined ? { route: error.route } : {}),
      cause: error,
    },
  );
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or the retries are used up.
 * `onRetry` sees each retry (for logs and request counting).
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
  onRetry?: (error: ApiError, delayMs: number, attemptNumber: number) => void,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const delay = retryDelay(error, n, policy);
      if (delay === undefined || signal?.aborted) throw refusedWaitError(error, policy);
      onRetry?.(error as ApiError, delay, n + 1);
      await policy.sleep(delay, signal);
    }
  }
}
