import * as assert from 'assert';
import type { ServerResponse } from 'http';
import { ApiError, type ApiErrorCode } from '../../../src/core/api/errors';
import { AuthError } from '../../../src/core/auth/errors';
import type { Credentials } from '../../../src/core/api/httpTypes';
import { sendJson } from '../../support/servers/faults';

export const USER = '123e4567-e89b-12d3-a456-426614174000';
export const OTHER_USER = '9b2f6c1e-3d4a-4b5c-8d6e-7f8091a2b3c4';
/** A recognisable token value: tests assert it never shows up where it must not. */
export const CANARY = 'canary-token-5f0e1d2c3b4a';

export interface CountingCredentials extends Credentials {
  readonly refreshes: string[];
  token: string;
}

/** Credentials that hand out `token` and, on a 401, switch to `refreshTo` (or give up when absent). */
export function countingCredentials(token = CANARY, refreshTo?: string): CountingCredentials {
  const creds: CountingCredentials = {
    token,
    refreshes: [],
    getAccessToken: async () => creds.token,
    handleUnauthorized: async (rejected) => {
      creds.refreshes.push(rejected);
      if (refreshTo === undefined) return undefined;
      creds.token = refreshTo;
      return refreshTo;
    },
  };
  return creds;
}

export async function expectApiError(promise: Promise<unknown>, code: ApiErrorCode): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected ApiError ${code}, got ${String(err)}`);
    assert.strictEqual(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    return err;
  }
  assert.fail(`expected an ApiError ${code}, but the call succeeded`);
}

/** Awaits a promise that must fail with an `AuthError`; returns it. */
export async function expectAuthError(promise: Promise<unknown>): Promise<AuthError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AuthError, String(error));
    return error;
  }
  assert.fail('expected an AuthError, but the call succeeded');
}

export interface EnvelopeOptions {
  page?: number;
  hasMore?: boolean;
  nextPage?: string | null;
  remaining?: number;
  reset?: number;
}

export function quantityRecords(count: number, offset = 0): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => {
    const t = Date.UTC(2024, 0, 1) + (offset + i) * 60_000;
    return {
      value: 60 + ((offset + i) % 40),
      unit: 'count/min',
      start_date: new Date(t).toISOString().replace('.000', ''),
      end_date: new Date(t).toISOString().replace('.000', ''),
    };
  });
}

export function envelope(data: unknown, options: EnvelopeOptions = {}): Record<string, unknown> {
  const page = options.page ?? 1;
  return {
    pagination: {
      current_page: page,
      has_more: options.hasMore ?? false,
      next_page: options.nextPage ?? null,
      prev_page: page > 1 ? `?page=${page - 1}` : null,
    },
    limit: {
      'X-RateLimit-Limit': 10_000,
      'X-RateLimit-Remaining': options.remaining ?? 9_990,
      'X-RateLimit-Reset': options.reset ?? Math.floor(Date.UTC(2030, 0, 1) / 1000),
    },
    data,
  };
}

export function sendEnvelope(res: ServerResponse, data: unknown, options: EnvelopeOptions = {}): void {
  sendJson(res, 200, envelope(data, options));
}

/** A manual clock with a sleep that advances it instantly and records every delay asked for. */
export function fakeTime(start = Date.UTC(2026, 0, 15, 12)): {
  now(): number;
  delays: number[];
  sleep: (ms: number) => Promise<void>;
  advance(ms: number): void;
} {
  let now = start;
  const delays: number[] = [];
  return {
    now: () => now,
    delays,
    sleep: async (ms: number) => {
      delays.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}
