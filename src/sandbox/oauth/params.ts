import type { IncomingMessage } from 'http';
import { decodeOr400, HttpError } from '../errors';

const MAX_BODY_BYTES = 64 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, 'invalid_request', 'The request body is larger than 64 KB'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function addAll(into: Map<string, string>, entries: Iterable<[string, unknown]>): void {
  for (const [key, value] of entries) {
    if (typeof value !== 'string') throw new HttpError(400, 'invalid_request', `${key} must be a string`);
    const before = into.get(key);
    if (before !== undefined && before !== value) throw new HttpError(400, 'invalid_request', `${key} was given twice with different values`);
    into.set(key, value);
  }
}

function jsonObject(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_request', 'The body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, 'invalid_request', 'The JSON body must be an object');
  }
  return parsed as Record<string, unknown>;
}

/**
 * The token routes' parameters from wherever the client put them: the query string (including the
 * docs' `curl -G -d '{"code": "…"}'` form, whose query segments are JSON objects), a JSON body or a
 * form-encoded body. The same name with two different values is refused rather than guessed.
 */
export async function tokenParams(req: IncomingMessage, url: URL): Promise<Map<string, string>> {
  const params = new Map<string, string>();
  for (const segment of url.search.slice(1).split('&')) {
    if (!segment) continue;
    const decoded = decodeOr400(segment.replace(/\+/g, ' '), 'The query string');
    if (decoded.trimStart().startsWith('{')) addAll(params, Object.entries(jsonObject(decoded)));
    else addAll(params, new URLSearchParams(segment));
  }
  const body = (await readBody(req)).toString('utf8');
  if (body.trim()) {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    const looksJson = type.includes('json') || (!type.includes('form') && body.trimStart().startsWith('{'));
    addAll(params, looksJson ? Object.entries(jsonObject(body)) : new URLSearchParams(body));
  }
  return params;
}

/** HTTP Basic client credentials (RFC 6749 §2.3.1), if the client used them. */
export function basicCredentials(req: IncomingMessage): { id: string; secret: string } | undefined {
  const header = req.headers.authorization;
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decodeOr400(decoded.slice(0, colon), 'The Basic client id'), secret: decodeOr400(decoded.slice(colon + 1), 'The Basic client secret') };
}
