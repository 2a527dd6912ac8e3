/** A request the sandbox refuses, with the status and the JSON error body to send. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }

  body(): string {
    return JSON.stringify({ error: this.error, error_description: this.description, ...this.extra });
  }
}

export function badParameter(parameter: string, description: string): HttpError {
  return new HttpError(400, 'invalid_request', description, { parameter });
}

/** Quotes a client-supplied value for an error message, cut short so a 1 MB value is not echoed back. */
export function quoted(value: string): string {
  const cut = value.length > 64 ? `${value.slice(0, 64)}…` : value;
  return JSON.stringify(cut);
}

/** `decodeURIComponent` that answers 400 instead of throwing on malformed percent-encoding. */
export function decodeOr400(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new HttpError(400, 'invalid_request', `${what} is not valid percent-encoding`);
  }
}
