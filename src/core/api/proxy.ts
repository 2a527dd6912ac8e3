import { isLoopbackHost } from '../environment';

/**
 * Which proxy (if any) the transport uses for one API origin, from VS Code's `http.proxy`,
 * `http.proxyStrictSSL` and `http.noProxy` (passed in by the glue) or from the
 * `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` environment. Pure, so it is unit-tested in plain Node.
 */

export interface ProxySettings {
  /** VS Code `http.proxy`; empty or absent: fall back to the environment, like VS Code does. */
  readonly proxyUrl?: string;
  /** VS Code `http.proxyStrictSSL` (default true). false accepts any certificate: the user's explicit choice. */
  readonly strictSSL?: boolean;
  /** VS Code `http.noProxy`: hosts (with optional `*.` / leading-dot suffixes and `:port`) that bypass the proxy. */
  readonly noProxy?: readonly string[];
  /**
   * Send loopback origins (the local sandbox) through the proxy too. Default false, like
   * Chromium's implicit `<-loopback>` rule: a proxy elsewhere cannot reach this machine's
   * 127.0.0.1. The proxy tests turn it on, because their proxy and server are both on loopback.
   */
  readonly proxyLoopback?: boolean;
}

export type ProxyDecision =
  | { readonly kind: 'direct'; readonly strictSSL: boolean }
  | { readonly kind: 'proxy'; readonly proxyUrl: string; readonly strictSSL: boolean };

type Env = Readonly<Record<string, string | undefined>>;

function envValue(env: Env, name: string): string | undefined {
  const value = env[name] ?? env[name.toLowerCase()];
  return value && value.trim() ? value.trim() : undefined;
}

/** Splits a NO_PROXY-style list (comma or whitespace separated). */
export function parseNoProxyList(raw: string | undefined): string[] {
  return raw
    ? raw
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

/**
 * True when `origin` matches one NO_PROXY entry: `*` matches everything; `example.com`,
 * `.example.com` and `*.example.com` match the host and its subdomains; `host:port` also needs
 * the port to match. IP literals match exactly.
 */
export function matchesNoProxy(origin: URL, entries: readonly string[]): boolean {
  const host = origin.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = origin.port || (origin.protocol === 'https:' ? '443' : '80');
  for (const raw of entries) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    let entryPort: string | undefined;
    const portMatch = /^(.*?):(\d+)$/.exec(entry);
    if (portMatch && !entry.startsWith('[') && !/:.*:/.test(entry)) {
      entry = portMatch[1] ?? '';
      entryPort = portMatch[2];
    } else if (entry.startsWith('[')) {
      const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
      if (v6) {
        entry = v6[1] ?? '';
        entryPort = v6[2];
      }
    }
    if (entryPort && entryPort !== port) continue;
    if (entry.startsWith('*.')) entry = entry.slice(1);
    if (entry.startsWith('.')) {
      if (host.endsWith(entry) || host === entry.slice(1)) return true;
    } else if (host === entry || host.endsWith(`.${entry}`)) {
      return true;
    }
  }
  return false;
}

/**
 * Decides direct or proxied for `origin`. Settings win over the environment; `'env'` uses only the
 * environment. A proxy URL that does not parse is an error: silently going direct would bypass a
 * proxy the user relies on.
 */
export function resolveProxy(
  origin: string,
  settings: ProxySettings | 'env' | undefined,
  env: Env = process.env,
): ProxyDecision {
  const target = new URL(origin);
  const fromSettings = settings !== 'env' && settings?.proxyUrl?.trim() ? settings.proxyUrl.trim() : undefined;
  const strictSSL = settings === 'env' || settings?.strictSSL !== false;
  const fromEnv =
    target.protocol === 'https:'
      ? (envValue(env, 'HTTPS_PROXY') ?? envValue(env, 'HTTP_PROXY'))
      : envValue(env, 'HTTP_PROXY');
  const proxyUrl = fromSettings ?? fromEnv;
  if (!proxyUrl) return { kind: 'direct', strictSSL };
  const proxyLoopback = settings !== 'env' && settings?.proxyLoopback === true;
  if (!proxyLoopback && isLoopbackHost(target.hostname)) return { kind: 'direct', strictSSL };
  const noProxy = [
    ...(settings !== 'env' ? (settings?.noProxy ?? []) : []),
    ...parseNoProxyList(envValue(env, 'NO_PROXY')),
  ];
  if (matchesNoProxy(target, noProxy)) return { kind: 'direct', strictSSL };
  let parsed: URL;
  try {
    parsed = new URL(proxyUrl.includes('://') ? proxyUrl : `http://${proxyUrl}`);
  } catch {
    throw new Error('The proxy setting is not a valid URL (http.proxy or HTTPS_PROXY).');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`Unsupported proxy scheme ${parsed.protocol} (use http: or https:).`);
  }
  return { kind: 'proxy', proxyUrl: parsed.href, strictSSL };
}

/** The proxy URL without credentials, for logs. */
export function describeProxy(decision: ProxyDecision): string {
  if (decision.kind === 'direct') return 'direct';
  const url = new URL(decision.proxyUrl);
  return `proxy ${url.protocol}//${url.host}`;
}
