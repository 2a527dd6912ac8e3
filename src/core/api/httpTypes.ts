/**
 * The transport contract between the API client, the auth layer and the undici implementation
 * (`createUndiciTransport` in transport.ts). Tests may use any implementation that speaks real HTTP.
 */

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  /** Absolute URL. The transport refuses anything outside its configured origin. */
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The whole body, read within the size cap. */
  readonly body: Buffer;
}

export interface HttpTransport {
  /** The only origin this transport sends requests (and so tokens) to. */
  readonly origin: string;
  send(request: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

/**
 * Supplies bearer tokens to the API client. Implemented by the auth layer (OAuth with refresh,
 * or a personal access token).
 */
export interface Credentials {
  /** A currently valid access token (refreshing ahead of expiry when needed). */
  getAccessToken(signal?: AbortSignal): Promise<string>;
  /**
   * Called once after a 401 for `rejectedToken`: refresh (single-flight) and return the new token,
   * or `undefined` when the grant is dead and the user must sign in again.
   */
  handleUnauthorized(rejectedToken: string, signal?: AbortSignal): Promise<string | undefined>;
}
