/**
 * Sleep records written the way 121 Health's own data export writes them, for the tests of what reads
 * them. Written here on their own (not with the sandbox's generator), so a fault there shows in the tests.
 */

/** Postgres's text form of a UTC time, as the export prints it: `2022-01-19 07:53:00+00`. */
export function exportTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ') + '+00';
}

/** One stage segment as the export writes it, from `log_method` (the phone or the watch). */
export interface ExportStage {
  stage: string;
  start: string;
  end: string;
  log_method: string;
}

/**
 * Makes the segments of one night: `from` and `to` count `unitMs` (a minute, an hour) from `bed`.
 * `segment('LIGHT', 0, 4, 'WATCH')` with an hour is the watch's light sleep in the night's first four hours.
 */
export function exportStages(
  bed: number,
  unitMs: number,
): (stage: string, from: number, to: number, logMethod: string) => ExportStage {
  return (stage, from, to, logMethod) => ({
    stage,
    start: exportTime(bed + from * unitMs),
    end: exportTime(bed + to * unitMs),
    log_method: logMethod,
  });
}
