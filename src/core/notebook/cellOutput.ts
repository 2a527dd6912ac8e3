/**
 * What a query cell's run leaves as its output, for the renderer and, when the notebook saves
 * outputs, for the file: the records as received and what they are. Never a token, a URL or a
 * user ID: the account is named as the cell names it. No imports: the renderer (a browser bundle)
 * reads outputs with `parseCellOutput` too.
 */

export interface CellOutput {
  readonly route: string;
  readonly metric?: string | undefined;
  /** The account's name as the notebook names it. */
  readonly account: string;
  readonly status: number;
  /** When the run ended (ISO 8601). */
  readonly ranAt: string;
  /** Records (list routes) or the profile object, as received. */
  readonly records: unknown;
  /** Records the run fetched; more than `records` holds when an output would be too large. */
  readonly recordCount: number;
  /** How a fetch of all pages ended (its outcome's sentence), or why records were left out. */
  readonly note?: string | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A saved or posted output, if it has the shape of one (files are edited by hand). */
export function parseCellOutput(text: string): CellOutput | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const { route, metric, account, status, ranAt, records, recordCount, note } = value;
  if (typeof route !== 'string' || typeof account !== 'string' || typeof status !== 'number') return undefined;
  if (typeof ranAt !== 'string' || typeof recordCount !== 'number' || records === undefined) return undefined;
  return {
    route,
    ...(typeof metric === 'string' ? { metric } : {}),
    account,
    status,
    ranAt,
    records,
    recordCount,
    ...(typeof note === 'string' ? { note } : {}),
  };
}
