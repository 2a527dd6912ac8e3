import { z } from 'zod';
import type { RouteId } from '../routes';

/**
 * zod 4 schemas of what the API sends (as its public docs show it; record shapes as the sandbox
 * serves them, docs/sandbox.md). Strict where the docs are clear (the envelope, `pagination`, `limit`,
 * labs and profile records), tolerant where they are not (quantity, sleep, workout, supplement and
 * medication records). Unknown fields are always kept: validation only *checks* the parsed JSON and
 * the caller keeps the original objects, so nothing is dropped or coerced. That is also why the
 * record schemas are plain `z.object` (unknown keys ignored by the check, not copied: zod's fast
 * path) while the token schemas, whose parsed output the auth layer uses, are `z.looseObject`.
 *
 * Drift is reported as warnings with JSON paths (`data[3].value: expected number, got string`),
 * not failures. Only a body the client cannot use at all (not an object, `data` missing or of the
 * wrong kind) is a `schema` error.
 *
 * Speed (docs/performance.md, B3: ≤ 1.0 × JSON.parse of the same page): the checks run as one array schema per page on
 * zod's fast path; every record, timestamp and UUID is checked.
 */

// ---------------------------------------------------------------------------------------------
// Envelope

export const paginationSchema = z.looseObject({
  current_page: z.number().int().min(1),
  has_more: z.boolean(),
  // The pagination page says "only included if …", the examples always send null: accept both.
  next_page: z.string().nullable().optional(),
  prev_page: z.string().nullable().optional(),
});
export type Pagination = z.infer<typeof paginationSchema>;

export const limitSchema = z.looseObject({
  'X-RateLimit-Limit': z.number().int().nonnegative(),
  'X-RateLimit-Remaining': z.number().int().nonnegative(),
  'X-RateLimit-Reset': z.number().int().nonnegative(),
});
export type LimitObject = z.infer<typeof limitSchema>;

/** Error bodies: RFC 6749 §5.2 style (`error`, `error_description`) as the sandbox sends, or a `message`. */
export const errorBodySchema = z.looseObject({
  error: z.string().optional(),
  error_description: z.string().optional(),
  message: z.string().optional(),
});

// ---------------------------------------------------------------------------------------------
// Token responses (used by the auth layer)

/**
 * Seconds until the access token expires. The docs show a number; some servers send a numeric
 * string ("3600"), which means the same. Zero, negative or non-numeric is refused, not guessed.
 */
export const expiresInSchema = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^\d+(\.\d+)?$/)
      .transform(Number),
  ])
  .pipe(z.number().positive().finite());

const tokenTypeSchema = z.string().refine((t) => t.toLowerCase() === 'bearer', 'token_type must be bearer');
const scopeSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((s) => (typeof s === 'string' ? s.split(/[\s,]+/) : s).filter(Boolean));
const tokenFields = {
  access_token: z.string().min(1).max(8192),
  refresh_token: z.string().min(1).max(8192).optional(),
  token_type: tokenTypeSchema.optional(),
  expires_in: expiresInSchema.optional(),
  scope: scopeSchema.optional(),
  user_id: z.guid().optional(),
};

/** `POST /api/refresh`: a new `access_token`; without a rotated `refresh_token` the old one stays valid. */
export const refreshResponseSchema = z.looseObject(tokenFields);
export type RefreshResponse = z.infer<typeof refreshResponseSchema>;

/** `POST /api/token`: the grant is useless without its `refresh_token`. */
export const tokenResponseSchema = z.looseObject({ ...tokenFields, refresh_token: z.string().min(1).max(8192) });
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Records (every record of every page is checked; B3 measured the cost at about half a JSON.parse)

const str = z.string();
const optStr = z.string().optional();
const optNum = z.number().nullable().optional();
/** Timestamps must carry a zone (`Z` or `+00:00`, both documented); a bare local time is drift. */
const isoDateTime = z.iso.datetime({ offset: true });
const optIsoDateTime = isoDateTime.optional();
const uuid = z.guid();
const valueWithUnit = z.object({ value: z.number(), unit: z.string() });

export const quantityRecordSchema = z.object({
  value: z.number(),
  unit: optStr,
  start_date: isoDateTime,
  end_date: optIsoDateTime,
  source: z.string().nullable().optional(),
});

export const sleepRecordSchema = z.object({
  id: uuid,
  start_date: isoDateTime,
  end_date: isoDateTime,
  time_in_bed: optNum,
  time_asleep: optNum,
  source: z.string().nullable().optional(),
  stages: z.array(z.object({ stage: str, start_date: isoDateTime, end_date: isoDateTime })).optional(),
  metrics: z.record(z.string(), z.number().nullable()).optional(),
});

export const workoutRecordSchema = z.object({
  id: uuid,
  type: str,
  start_date: isoDateTime,
  end_date: isoDateTime,
  duration: optNum,
  active_energy_burned: valueWithUnit.nullable().optional(),
  distance: valueWithUnit.nullable().optional(),
  average_heart_rate: optNum,
  max_heart_rate: optNum,
  source: z.string().nullable().optional(),
});

const intakeLog = z.object({ id: uuid, created_at: optIsoDateTime });

export const supplementRecordSchema = z.object({
  id: uuid,
  // servings and upc are strings in the docs' supplements example; numbers would be drift.
  details: z.object({ brand: optStr, servings: optStr, id: optStr, name: optStr, upc: optStr }),
  logs: z.array(intakeLog).optional(),
});

export const medicationRecordSchema = z.object({
  id: uuid,
  details: z.object({ name: optStr, active_ingredient: optStr }),
  logs: z.array(intakeLog).optional(),
});

/** Labs are documented field by field: every field required. */
export const labRecordSchema = z.object({
  display_name: str,
  fhir_id: str,
  user_id: uuid,
  loinc: str,
  unit_string: str,
  value: z.number(),
  lab_metric: str,
  sample_type: str,
  date: isoDateTime,
});

/** Profile is documented; its "additional data fields" are kept (the check ignores them). */
export const profileSchema = z.object({
  user_id: uuid,
  created_at: isoDateTime,
  home_timezone: str,
  scopes: z.array(z.string()),
});

export const RECORD_SCHEMAS: Readonly<Record<RouteId, z.ZodType>> = {
  quantity: quantityRecordSchema,
  sleep: sleepRecordSchema,
  workout: workoutRecordSchema,
  supplements: supplementRecordSchema,
  medications: medicationRecordSchema,
  labs: labRecordSchema,
  profile: profileSchema,
};
