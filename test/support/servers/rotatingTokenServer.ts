import * as http from 'http';
import type { AddressInfo, Socket } from 'net';

/** One `/api/refresh` call as the server saw it and what it answered. */
export interface RefreshCall {
  readonly refreshToken: string;
  readonly outcome: 'rotated' | 'invalid_grant' | 'invalid_client' | 'invalid_request';
  /** The refresh token issued by this call, when it rotated. */
  readonly issued?: string;
}

/**
 * A token endpoint on 127.0.0.1 that ROTATES refresh tokens: every successful `POST /api/refresh`
 * answers a new refresh token and the one it was called with is refused from then on
 * (`invalid_grant`). Request and answers have the sandbox's shape: a JSON body with
 * `refresh_token`, `client_id`, `client_secret`, `user_id`; a 200 with `access_token`,
 * `refresh_token`, `expires_in`; RFC 6749 errors as `{ error, error_description }`.
 * The grant is decided (and the token rotated) when the request arrives, so a client that delays
 * reading the answer models a refresh whose answer arrives after another window used the same token.
 */
export class RotatingTokenServer {
  readonly calls: RefreshCall[] = [];
  private _server: http.Server | undefined;
  private readonly _sockets = new Set<Socket>();
  private _generation = 0;
  private _refreshToken = 'refresh-0';

  constructor(
    private readonly _client = { id: 'client-1', secret: 'secret-1' },
    private readonly _userId = '123e4567-e89b-12d3-a456-426614174000',
    private readonly _expiresInSeconds = 3600,
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${(this._server!.address() as AddressInfo).port}`;
  }

  /** The one refresh token the server accepts now. */
  get liveRefreshToken(): string {
    return this._refreshToken;
  }

  honoursRefreshToken(token: string | undefined): boolean {
    return token !== undefined && token === this._refreshToken;
  }

  /** Starts over with `refresh-0` / `access-0` as the live grant. */
  reset(): void {
    this._generation = 0;
    this._refreshToken = 'refresh-0';
    this.calls.length = 0;
  }

  async start(): Promise<void> {
    this._server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const { status, json } = this._decide(req, Buffer.concat(chunks).toString('utf8'));
        res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(json));
      });
    });
    this._server.keepAliveTimeout = 1;
    this._server.on('connection', (socket) => {
      this._sockets.add(socket);
      socket.on('close', () => this._sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this._server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const server = this._server;
    if (!server) return;
    for (const socket of this._sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private _decide(req: http.IncomingMessage, text: string): { status: number; json: unknown } {
    const refused = (
      outcome: RefreshCall['outcome'],
      status: number,
      error: string,
      description: string,
      refreshToken = '',
    ) => {
      this.calls.push({ refreshToken, outcome });
      return { status, json: { error, error_description: description } };
    };
    if (req.method !== 'POST' || req.url !== '/api/refresh')
      return refused('invalid_request', 404, 'not_found', 'Only POST /api/refresh exists here');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return refused('invalid_request', 400, 'invalid_request', 'The body is not JSON');
    }
    const str = (name: string) => (typeof body[name] === 'string' ? body[name] : undefined);
    const refreshToken = str('refresh_token');
    if (!refreshToken || !str('user_id'))
      return refused('invalid_request', 400, 'invalid_request', 'refresh_token and user_id are required', refreshToken);
    if (str('client_id') !== this._client.id || str('client_secret') !== this._client.secret) {
      return refused('invalid_client', 401, 'invalid_client', 'Unknown client or wrong client secret', refreshToken);
    }
    if (refreshToken !== this._refreshToken || str('user_id')!.toLowerCase() !== this._userId) {
      return refused(
        'invalid_grant',
        400,
        'invalid_grant',
        'The refresh token is unknown, revoked or already used',
        refreshToken,
      );
    }
    this._generation++;
    const access = `access-${this._generation}`;
    this._refreshToken = `refresh-${this._generation}`;
    this.calls.push({ refreshToken, outcome: 'rotated', issued: this._refreshToken });
    return {
      status: 200,
      json: {
        access_token: access,
        refresh_token: this._refreshToken,
        token_type: 'bearer',
        expires_in: this._expiresInSeconds,
      },
    };
  }
}
