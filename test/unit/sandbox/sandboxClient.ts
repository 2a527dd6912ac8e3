import { createHash, randomBytes } from 'crypto';
import type { SandboxHandle } from '../../../src/sandbox/types';

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Parsed body; throws if it is not JSON. */
  json<T = Record<string, unknown>>(): T;
}

export async function call(
  handle: SandboxHandle,
  path: string,
  init: RequestInit & { token?: string | undefined } = {},
): Promise<Reply> {
  const headers = new Headers(init.headers);
  if (init.token !== undefined) headers.set('Authorization', `Bearer ${init.token}`);
  const res = await fetch(handle.baseUrl + path, { ...init, headers, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
}

export const ada = (h: SandboxHandle): SandboxHandle['users'][number] => h.users[0]!;
export const userByName = (h: SandboxHandle, name: string): SandboxHandle['users'][number] =>
  h.users.find((u) => u.name === name)!;

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface ConsentChoice {
  clientId?: string;
  redirectUri?: string;
  state?: string;
  userId?: string;
  scopes?: readonly string[];
  challenge?: string;
  decision?: 'approve' | 'deny';
}

/** Opens the consent page, then submits its form as a browser would; returns the redirect. */
export async function consent(
  handle: SandboxHandle,
  choice: ConsentChoice = {},
): Promise<{ status: number; location: URL | undefined; page: string }> {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: choice.clientId ?? handle.demoClient.clientId,
    redirect_uri: choice.redirectUri ?? 'http://127.0.0.1:53123/callback',
    state: choice.state ?? 'state-123',
  });
  if (choice.challenge) {
    q.set('code_challenge', choice.challenge);
    q.set('code_challenge_method', 'S256');
  }
  const page = await call(handle, `/authorize?${q}`);
  if (page.status !== 200) return { status: page.status, location: undefined, page: page.text };
  const ticket = /name="ticket" value="([^"]+)"/.exec(page.text)?.[1];
  if (!ticket) throw new Error('No ticket in the consent page');
  const form = new URLSearchParams({
    ticket,
    decision: choice.decision ?? 'approve',
    user_id: choice.userId ?? ada(handle).userId,
  });
  for (const s of choice.scopes ?? ['quantity', 'sleep', 'workout', 'profile']) form.append('scope', s);
  const res = await call(handle, '/authorize', {
    method: 'POST',
    body: form.toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  const location = res.headers.get('location');
  return { status: res.status, location: location ? new URL(location) : undefined, page: res.text };
}

export async function postJson(handle: SandboxHandle, path: string, body: Record<string, string>): Promise<Reply> {
  return call(handle, path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
  });
}

/** Full sign-in: consent, then code exchange. */
export async function signIn(
  handle: SandboxHandle,
  choice: ConsentChoice = {},
): Promise<{ access: string; refresh: string; userId: string; redirectUri: string }> {
  const redirectUri = choice.redirectUri ?? 'http://127.0.0.1:53123/callback';
  const { location } = await consent(handle, { ...choice, redirectUri });
  const code = location!.searchParams.get('code')!;
  const res = await postJson(handle, '/api/token', {
    code,
    client_id: handle.demoClient.clientId,
    client_secret: handle.demoClient.clientSecret,
    redirect_uri: redirectUri,
  });
  const body = res.json<{ access_token: string; refresh_token: string }>();
  return {
    access: body.access_token,
    refresh: body.refresh_token,
    userId: location!.searchParams.get('user_id')!,
    redirectUri,
  };
}
