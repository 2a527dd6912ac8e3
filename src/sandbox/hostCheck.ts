import type { IncomingHttpHeaders } from 'http';

/**
 * DNS rebinding defence. A web page can point a name it controls at 127.0.0.1 and then talk to the
 * sandbox as if it were same-origin, reading consent tickets and demo data. The browser still
 * sends that name in `Host`, so answering only the sandbox's own spellings of its address closes it.
 * `localhost` and `[::1]` are accepted because clients (and the consent page, see
 * `src/vscode/auth/browserUrl.ts`) may reach the same listener under those names.
 */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function allowedHosts(port: number): ReadonlySet<string> {
  return new Set(LOOPBACK_NAMES.map((name) => `${name}:${port}`));
}

/** Host names are case-insensitive (`LOCALHOST:port` is what code-server lets through untouched). */
function isAllowedHost(host: string | undefined, allowed: ReadonlySet<string>): boolean {
  return host !== undefined && allowed.has(host.toLowerCase());
}

/** An `Origin` header, when present, must be the sandbox's own origin; `null` (opaque) is refused. */
function isAllowedOrigin(origin: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (origin === undefined) return true;
  const lower = origin.toLowerCase();
  return lower.startsWith('http://') && allowed.has(lower.slice('http://'.length));
}

export type HostVerdict = { ok: true } | { ok: false; status: 421 | 403; text: string };

/**
 * Every request must name the sandbox in `Host`; a POST that carries an `Origin` must come from a
 * page the sandbox served, so another site cannot submit the consent form or the token routes.
 */
export function checkHostAndOrigin(
  method: string | undefined,
  headers: IncomingHttpHeaders,
  allowed: ReadonlySet<string>,
): HostVerdict {
  if (!isAllowedHost(headers.host, allowed)) {
    return {
      ok: false,
      status: 421,
      text: 'Misdirected request: this sandbox answers only to its own address (127.0.0.1, localhost or [::1] with its port) in the Host header.\n',
    };
  }
  if (method === 'POST' && !isAllowedOrigin(headers.origin, allowed)) {
    return {
      ok: false,
      status: 403,
      text: 'Forbidden: a POST from another origin. Only pages served by this sandbox may post to it.\n',
    };
  }
  return { ok: true };
}
