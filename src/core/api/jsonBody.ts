import { ApiError } from './errors';
import type { HttpResponse } from './httpTypes';

/**
 * Reading JSON bodies safely, shared by the API client and the auth layer's token POSTs
 * (docs/reliability.md, "Responses and paging"): the content type is checked before parsing, the
 * bytes must be valid UTF-8, and a parse failure is its own error that never echoes the body.
 */

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** `application/json`, `application/problem+json` and other `+json` types, any parameters. */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const essence = (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
  return essence === 'application/json' || (essence.startsWith('application/') && essence.endsWith('+json'));
}

export interface JsonBodyContext {
  /** Route label for the error (never a URL with query values). */
  readonly route?: string;
  readonly secrets?: readonly string[];
}

/** Fails with `unexpected_content_type` unless the response declares JSON. */
export function requireJsonContentType(response: HttpResponse, context: JsonBodyContext = {}): void {
  const contentType = response.headers['content-type'];
  if (isJsonContentType(contentType)) return;
  const shown = contentType ? (contentType.split(';', 1)[0] ?? '').trim().slice(0, 60) : 'none';
  throw new ApiError('unexpected_content_type', `Expected JSON but the server sent content type ${shown}.`, {
    status: response.status,
    route: context.route,
    secrets: context.secrets,
  });
}

/**
 * Decodes the body as strict UTF-8. A byte-order mark is kept, so JSON.parse refuses it: the API
 * never sends one, and one in front of JSON means something rewrote the response.
 */
export function decodeUtf8(body: Buffer, context: JsonBodyContext = {}): string {
  try {
    return strictUtf8.decode(body);
  } catch (cause) {
    throw new ApiError('invalid_response', 'The body is not valid UTF-8.', {
      route: context.route,
      cause,
      secrets: context.secrets,
    });
  }
}

/** Parses JSON text; the error says where parsing failed but never quotes the body. */
export function parseJsonText(text: string, context: JsonBodyContext = {}): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const detail =
      text.length === 0
        ? 'the body is empty'
        : text.charCodeAt(0) === 0xfeff
          ? 'the body starts with a byte-order mark'
          : `the JSON is malformed or truncated (${text.length} characters)`;
    throw new ApiError('invalid_response', `Not valid JSON: ${detail}.`, {
      route: context.route,
      secrets: context.secrets,
    });
  }
}

/** Content type check, strict UTF-8 decoding and JSON parsing in one step; returns the text too. */
export function readJsonBody(
  response: HttpResponse,
  context: JsonBodyContext = {},
): { readonly json: unknown; readonly text: string } {
  requireJsonContentType(response, context);
  const text = decodeUtf8(response.body, context);
  return { json: parseJsonText(text, context), text };
}
