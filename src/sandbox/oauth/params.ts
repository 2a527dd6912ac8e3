import type { IncomingMessage } from 'http';
import { decodeOr400, HttpError } from '../errors';
import { findTooLong, TOKEN_PARAM_CAPS, tooLongMessage } from './paramLimits';

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

function addAll(into: Map<string, string>, entries: Iterable<[string, string]>): void {
  for (const [key, value] of entries) {
    const before = into.get(key);
    if (before !== undefined && before !== value)
      throw new HttpError(400, 'invalid_request', `${key} was given twice with different values`);
    into.set(key, value);
  }
}

function stringEntries(object: Record<string, unknown>): [string, string][] {
  return Object.entries(object).map(([key, value]) => {
    if (typeof value !== 'string') throw new HttpError(400, 'invalid_request', `${key} must be a string`);
    return [key, value];
  });
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
 * Parameters that grant or prove something. A query string is written to access logs, proxy logs
 * and shell history, so these are read only from the body (or, for the client secret, HTTP Basic).
 */
const BODY_ONLY_PARAMS: readonly string[] = ['client_secret', 'refresh_token', 'code_verifier', 'code'];

function queryEntries(url: URL): [string, string][] {
  const entries: [string, string][] = [];
  for (const segment of url.search.slice(1).split('&')) {
    if (!segment) continue;
    const decoded = decodeOr400(segment.replace(/\+/g, ' '), 'The query string');
    if (decoded.trimStart().startsWith('{')) entries.push(...stringEntries(jsonObject(decoded)));
    else entries.push(...new URLSearchParams(segment));
  }
  const secret = entries.find(([name]) => BODY_ONLY_PARAMS.includes(name));
  if (secret) {
    throw new HttpError(
      400,
      'invalid_request',
      `${secret[0]} is accepted only in the POST body (client_secret also as HTTP Basic), never in the query string`,
      { parameter: secret[0] },
    );
  }
  return entries;
}

async function bodyEntries(req: IncomingMessage): Promise<[string, string][]> {
  const body = (await readBody(req)).toString('utf8');
  if (!body.trim()) return [];
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const looksJson = type.includes('json') || (!type.includes('form') && body.trimStart().startsWith('{'));
  return looksJson ? stringEntries(jsonObject(body)) : [...new URLSearchParams(body)];
}

/**
 * The token routes' parameters: the query string (non-secret ones only, including the docs'
 * `curl -G -d '{"user_id": "…"}'` form, whose query segments are JSON objects), a JSON body or a
 * form-encoded body. The same name with two different values is refused rather than guessed.
 */
export async function tokenParams(req: IncomingMessage, url: URL): Promise<Map<string, string>> {
  const fromQuery = queryEntries(url);
  const fromBody = await bodyEntries(req);
  const tooLong = findTooLong([...fromQuery, ...fromBody], TOKEN_PARAM_CAPS);
  if (tooLong) throw new HttpError(400, 'invalid_request', tooLongMessage(tooLong), { parameter: tooLong.parameter });
  const params = new Map<string, string>();
  addAll(params, fromQuery);
  addAll(params, fromBody);
  return params;
}

/**
 * The parameters as a server that parses only form bodies sees them: an
 * `application/x-www-form-urlencoded` body, nothing else (a JSON body reads as empty; the query
 * string is not read, though a secret there is still refused). Every name in `required` must be in it.
 */
export async function formOnlyParams(
  req: IncomingMessage,
  url: URL,
  required: readonly string[],
): Promise<Map<string, string>> {
  queryEntries(url);
  const body = (await readBody(req)).toString('utf8');
  const isForm = (req.headers['content-type'] ?? '').toLowerCase().includes('application/x-www-form-urlencoded');
  const entries: [string, string][] = isForm ? [...new URLSearchParams(body)] : [];
  const tooLong = findTooLong(entries, TOKEN_PARAM_CAPS);
  if (tooLong) throw new HttpError(400, 'invalid_request', tooLongMessage(tooLong), { parameter: tooLong.parameter });
  const params = new Map<string, string>();
  addAll(params, entries);
  const missing = required.filter((name) => !params.get(name));
  if (missing.length > 0)
    throw new HttpError(
      400,
      'invalid_request',
      `Missing required parameter${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
    );
  return params;
}

/** HTTP Basic client credentials (RFC 6749 §2.3.1), if the client used them. */
export function basicCredentials(req: IncomingMessage): { id: string; secret: string } | undefined {
  const header = req.headers.authorization;
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return {
    id: decodeOr400(decoded.slice(0, colon), 'The Basic client id'),
    secret: decodeOr400(decoded.slice(colon + 1), 'The Basic client secret'),
  };
}
