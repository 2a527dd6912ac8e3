import type { ServerResponse } from 'http';
import type { FaultConfig, FaultTarget } from './types';

export type RequestKind = 'data' | 'token' | 'other';

/** Holds the active faults and spends the counted ones. */
export class FaultState {
  private _config: FaultConfig | undefined;
  private _serverErrorsLeft = 0;
  private _rateLimitedLeft = 0;

  set(config: FaultConfig | undefined): void {
    this._config = config ? { ...config } : undefined;
    this._serverErrorsLeft = config?.serverErrors?.count ?? 0;
    this._rateLimitedLeft = config?.rateLimited ? (config.rateLimited.count ?? Number.POSITIVE_INFINITY) : 0;
  }

  /** The faults that apply to a request of this kind, if any. */
  for(kind: RequestKind): FaultConfig | undefined {
    const config = this._config;
    if (!config || kind === 'other') return undefined;
    const target: FaultTarget = config.target ?? 'data';
    return target === 'all' || target === kind ? config : undefined;
  }

  takeServerError(): number | undefined {
    if (this._serverErrorsLeft <= 0) return undefined;
    this._serverErrorsLeft--;
    return this._config?.serverErrors?.status ?? 503;
  }

  takeRateLimited(): string | undefined {
    if (this._rateLimitedLeft <= 0) return undefined;
    this._rateLimitedLeft--;
    return this._config?.rateLimited?.retryAfter;
  }
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const CAPTIVE_PORTAL =
  '<!DOCTYPE html><html><head><title>Sign in to the network</title></head><body><h1>Welcome to Hotel Wi-Fi</h1><form><input name="room"></form></body></html>';

/** Waits until the socket can take more, or it closed; false when the peer is gone. */
function writeAndWait(res: ServerResponse, chunk: string | Buffer): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = (): void => done(true);
    const onClose = (): void => done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/**
 * Writes a JSON response, applying the body-level faults: wrong content type, malformed or
 * truncated JSON, a reset after N bytes, a slow trickle, or a huge streamed body.
 */
export async function sendWithFaults(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer,
  faults: FaultConfig | undefined,
): Promise<void> {
  if (!faults && typeof body !== 'string') {
    res.writeHead(status, {
      ...headers,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(body.length),
    });
    res.end(body);
    return;
  }
  let text = typeof body === 'string' ? body : body.toString('utf8');
  let contentType = 'application/json; charset=utf-8';
  if (faults?.hugeBodyBytes !== undefined && status === 200) {
    await streamHugeBody(res, headers, faults.hugeBodyBytes);
    return;
  }
  if (faults?.wrongContentType === 'html') {
    text = CAPTIVE_PORTAL;
    contentType = 'text/html; charset=utf-8';
  }
  if (faults?.wrongContentType === 'text') contentType = 'text/plain; charset=utf-8';
  if (faults?.malformedJson) text = text.replace(/\}$/, ',"value":NaN,}');
  let bytes = Buffer.from(text, 'utf8');
  if (faults?.truncatedJson) bytes = bytes.subarray(0, Math.floor(bytes.length / 2));
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': String(bytes.length) });
  if (faults?.resetAfterBytes !== undefined) {
    // Linux drops unread data when an RST arrives: wait until the partial body has left this
    // process and give the client a moment to read it, so it sees bytes and then the reset.
    const partial = bytes.subarray(0, Math.min(bytes.length, faults.resetAfterBytes));
    await new Promise<void>((resolve) => res.write(partial, () => resolve()));
    await delay(50);
    res.socket?.resetAndDestroy?.();
    res.destroy();
    return;
  }
  if (faults?.trickle) {
    const { chunkBytes, intervalMs } = faults.trickle;
    for (let at = 0; at < bytes.length; at += Math.max(1, chunkBytes)) {
      if (!(await writeAndWait(res, bytes.subarray(at, at + Math.max(1, chunkBytes))))) return;
      if (at + chunkBytes < bytes.length) await delay(intervalMs);
      if (res.destroyed) return;
    }
    res.end();
    return;
  }
  res.end(bytes);
}

/** A valid envelope of at least `minBytes`, generated chunk by chunk as the client reads it. */
async function streamHugeBody(res: ServerResponse, headers: Record<string, string>, minBytes: number): Promise<void> {
  res.writeHead(200, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
  const head = '{"pagination":{"current_page":1,"has_more":false,"next_page":null,"prev_page":null},"data":[';
  if (!(await writeAndWait(res, head))) return;
  let sent = head.length;
  let index = 0;
  while (sent < minBytes) {
    const records: string[] = [];
    for (let k = 0; k < 1000; k++, index++) {
      records.push(
        `{"value":${60 + (index % 40)},"unit":"count/min","start_date":"2020-01-01T00:00:00Z","end_date":"2020-01-01T00:00:00Z"}`,
      );
    }
    const chunk = (index > 1000 ? ',' : '') + records.join(',');
    sent += chunk.length;
    if (!(await writeAndWait(res, chunk))) return;
  }
  res.end(']}');
}
