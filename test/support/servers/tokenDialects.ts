import type * as http from 'http';
import { startTestServer, type TestServer } from './testServer';

/** One token POST as the server read it (or did not). */
export interface TokenPost {
  readonly path: string;
  readonly contentType: string;
  /** The parameters, when the server could read the body; undefined when it answered "unread". */
  readonly params: Readonly<Record<string, string>> | undefined;
}

export interface TokenDialect {
  /** The one body encoding the server reads. */
  readonly reads: 'json' | 'form';
  /** The answer to a body in the other encoding (default: 415). */
  readonly unread?: { readonly status: number; readonly json: unknown };
  /** `expires_in` exactly as the server sends it. */
  readonly expiresIn?: unknown;
  /** Whether `/api/refresh` answers a new refresh token (default: yes). */
  readonly rotates?: boolean;
  /** Every token POST it reads gets this answer instead of tokens. */
  readonly refuse?: { readonly status: number; readonly json: unknown };
}

export interface TokenDialectServer {
  readonly origin: string;
  readonly posts: TokenPost[];
  close(): Promise<void>;
}

/**
 * A token server that answers the way some real OAuth servers do rather than the way the sandbox
 * does: it reads only one body encoding, sends `expires_in` as it is told, may keep the refresh
 * token on refresh, or refuses with a body that is not RFC 6749's. A form body must carry
 * RFC 6749's `grant_type`.
 */
export async function startTokenDialectServer(dialect: TokenDialect): Promise<TokenDialectServer> {
  const posts: TokenPost[] = [];
  let issued = 0;
  const server: TestServer = await startTestServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const contentType = req.headers['content-type'] ?? '';
    const params = readParams(await readBody(req), contentType, dialect.reads);
    posts.push({ path, contentType, params });
    if (!params)
      return send(res, dialect.unread?.status ?? 415, dialect.unread?.json ?? { message: 'Unsupported Media Type' });
    if (dialect.refuse) return send(res, dialect.refuse.status, dialect.refuse.json);
    const grant = path === '/api/token' ? 'authorization_code' : path === '/api/refresh' ? 'refresh_token' : undefined;
    if (!grant) return send(res, 404, { message: 'Not Found' });
    if (dialect.reads === 'form' && params.grant_type !== grant)
      return send(res, 400, { error: 'unsupported_grant_type' });
    const needed =
      grant === 'authorization_code'
        ? ['code', 'client_id', 'client_secret']
        : ['refresh_token', 'client_id', 'client_secret'];
    const missing = needed.find((name) => !params[name]);
    if (missing) return send(res, 400, { error: 'invalid_request', error_description: `missing ${missing}` });
    issued += 1;
    const rotates = grant === 'authorization_code' || dialect.rotates !== false;
    return send(res, 200, {
      access_token: `at-${issued}`,
      ...(rotates ? { refresh_token: `rt-${issued}` } : {}),
      token_type: 'Bearer',
      ...(dialect.expiresIn === undefined ? {} : { expires_in: dialect.expiresIn }),
    });
  });
  return { origin: server.origin, posts, close: () => server.close() };
}

function readParams(body: string, contentType: string, reads: 'json' | 'form'): Record<string, string> | undefined {
  const isJson = /^application\/json\b/i.test(contentType);
  const isForm = /^application\/x-www-form-urlencoded\b/i.test(contentType);
  if (reads === 'json' && isJson) {
    try {
      return JSON.parse(body) as Record<string, string>;
    } catch {
      return undefined;
    }
  }
  if (reads === 'form' && isForm) return Object.fromEntries(new URLSearchParams(body));
  return undefined;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, json: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(json));
}
