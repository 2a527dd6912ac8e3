import { z } from 'zod';

/**
 * Longest value accepted per OAuth parameter, in characters. Values the sandbox keeps (a pending
 * consent's state and redirect URI) would otherwise let one request pin kilobytes of memory; the
 * rest are capped so that no parameter is unbounded. Generous next to what clients send: the
 * extension's state is 43 characters and its callback refuses more than 1024.
 */
export const AUTHORIZE_PARAM_CAPS = {
  response_type: 32,
  client_id: 256,
  redirect_uri: 2048,
  state: 1024,
  scope: 256,
  code_challenge: 128,
  code_challenge_method: 32,
} as const;

export const CONSENT_FORM_CAPS = {
  ticket: 64,
  decision: 16,
  user_id: 64,
  scope: 32,
} as const;

export const TOKEN_PARAM_CAPS = {
  grant_type: 64,
  client_id: 256,
  client_secret: 256,
  code: 256,
  redirect_uri: 2048,
  code_verifier: 128,
  refresh_token: 256,
  user_id: 64,
} as const;

/** Any parameter not listed: still bounded, since it is parsed even though it is then ignored. */
const OTHER_PARAM_CAP = 2048;

interface TooLong {
  readonly parameter: string;
  readonly max: number;
}

function schemaFor(caps: Readonly<Record<string, number>>): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, max] of Object.entries(caps)) shape[name] = z.array(z.string().max(max));
  return z
    .object(shape)
    .partial()
    .catchall(z.array(z.string().max(OTHER_PARAM_CAP)));
}

const schemas = new WeakMap<object, z.ZodType>();

/** The first parameter whose value is longer than its cap, or undefined when all fit. */
export function findTooLong(
  entries: Iterable<readonly [string, string]>,
  caps: Readonly<Record<string, number>>,
): TooLong | undefined {
  let schema = schemas.get(caps);
  if (!schema) {
    schema = schemaFor(caps);
    schemas.set(caps, schema);
  }
  const grouped = new Map<string, string[]>();
  for (const [name, value] of entries) {
    const values = grouped.get(name);
    if (values) values.push(value);
    else grouped.set(name, [value]);
  }
  const result = schema.safeParse(Object.fromEntries(grouped));
  if (result.success) return undefined;
  const name = String(result.error.issues[0]?.path[0] ?? '');
  const max = Object.hasOwn(caps, name) ? caps[name]! : OTHER_PARAM_CAP;
  // An unknown name is the client's text: never echo more of it than an error message needs.
  return { parameter: name.length > 64 ? `${name.slice(0, 64)}…` : name, max };
}

export function tooLongMessage(t: TooLong): string {
  return `${t.parameter} is longer than ${t.max} characters, the most this sandbox accepts`;
}
