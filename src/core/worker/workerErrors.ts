import { ApiError, type ApiErrorCode } from '../api/errors';
import type { WorkerError } from './messages';

/** An error as it crosses between the page worker and the main thread: an `ApiError` keeps what callers read. */
export function toWorkerError(err: unknown): WorkerError {
  if (!(err instanceof ApiError)) {
    return { code: undefined, message: err instanceof Error ? err.message : String(err), route: undefined };
  }
  const causeCode = (err.cause as { code?: unknown } | undefined)?.code;
  return {
    code: err.code,
    message: err.message,
    route: err.route,
    status: err.status,
    retryAfterMs: err.retryAfterMs,
    resetAt: err.resetAt,
    location: err.location,
    causeCode: typeof causeCode === 'string' ? causeCode : undefined,
  };
}

/** The error again on this side: an `ApiError` when it had a code (its cause reduced to that code). */
export function fromWorkerError(error: WorkerError): Error {
  if (error.code === undefined) return new Error(error.message);
  const cause =
    error.causeCode === undefined ? undefined : Object.assign(new Error(error.causeCode), { code: error.causeCode });
  return new ApiError(error.code as ApiErrorCode, error.message, {
    route: error.route,
    status: error.status,
    retryAfterMs: error.retryAfterMs,
    resetAt: error.resetAt,
    ...(error.location !== undefined ? { location: error.location } : {}),
    ...(cause ? { cause } : {}),
  });
}
