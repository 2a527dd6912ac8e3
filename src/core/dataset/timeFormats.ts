/**
 * ISO 8601 timestamp layouts a column can store as a number and print back character for character.
 * A value is only encoded when formatting it again gives the very same text, so nothing is lost.
 */

export type TimeLayout =
  | { readonly kind: 'secondsZ' }
  | { readonly kind: 'millisZ' }
  | { readonly kind: 'secondsOffset'; readonly suffix: string; readonly offsetMs: number }
  | { readonly kind: 'date' };

const SECONDS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const MILLIS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SECONDS_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-])(\d{2}):(\d{2})$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The layout of `text`, or undefined when it is not a timestamp this module can store exactly. */
export function detectTimeLayout(text: string): TimeLayout | undefined {
  let layout: TimeLayout | undefined;
  if (SECONDS_Z.test(text)) layout = { kind: 'secondsZ' };
  else if (MILLIS_Z.test(text)) layout = { kind: 'millisZ' };
  else if (DATE_ONLY.test(text)) layout = { kind: 'date' };
  else {
    const m = SECONDS_OFFSET.exec(text);
    if (m) {
      const minutes = Number(m[2]) * 60 + Number(m[3]);
      layout = { kind: 'secondsOffset', suffix: `${m[1]}${m[2]}:${m[3]}`, offsetMs: (m[1] === '-' ? -1 : 1) * minutes * 60_000 };
    }
  }
  return layout && encodeTime(layout, text) !== undefined ? layout : undefined;
}

/** Units of the stored integer: seconds, milliseconds or days. */
export function unitMs(layout: TimeLayout): number {
  switch (layout.kind) {
    case 'secondsZ':
    case 'secondsOffset': return 1000;
    case 'millisZ': return 1;
    case 'date': return 86_400_000;
  }
}

/** Epoch milliseconds of `text` in `layout`, or undefined if it does not print back identically. */
export function encodeTime(layout: TimeLayout, text: string): number | undefined {
  if (text.length < 10 || text.length > 29) return undefined;
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) return undefined;
  return formatTime(layout, ms) === text ? ms : undefined;
}

export function formatTime(layout: TimeLayout, ms: number): string {
  switch (layout.kind) {
    case 'secondsZ': return new Date(ms).toISOString().slice(0, 19) + 'Z';
    case 'millisZ': return new Date(ms).toISOString();
    case 'secondsOffset': return new Date(ms + layout.offsetMs).toISOString().slice(0, 19) + layout.suffix;
    case 'date': return new Date(ms).toISOString().slice(0, 10);
  }
}

const DATE_LITERAL = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * Epoch ms of a date literal typed in a filter (`2024-01-01`, `2024-01-01T10:00`, …), read as UTC
 * when it has no offset; undefined when it is not a date.
 */
export function parseDateLiteral(text: string): number | undefined {
  if (!DATE_LITERAL.test(text)) return undefined;
  const hasZone = /(Z|[+-]\d{2}:\d{2})$/.test(text) && text.includes('T');
  const ms = Date.parse(hasZone || !text.includes('T') ? text : `${text}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}
