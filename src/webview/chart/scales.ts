/** Linear scales and "nice" value ticks for the charts. DOM-free so plain Node can test it. */

import { fmt } from '../l10n';

export interface LinearScale {
  (value: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  invert(pixel: number): number;
}

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  // A zero-width domain would divide by zero: map everything to the middle of the range.
  const span = d1 - d0;
  const scale = ((value: number) =>
    span === 0 ? (r0 + r1) / 2 : r0 + ((value - d0) / span) * (r1 - r0)) as LinearScale;
  Object.defineProperty(scale, 'domain', { value: [d0, d1] });
  Object.defineProperty(scale, 'range', { value: [r0, r1] });
  Object.defineProperty(scale, 'invert', {
    value: (pixel: number) => (r1 === r0 ? d0 : d0 + ((pixel - r0) / (r1 - r0)) * span),
  });
  return scale;
}

export interface NiceTicks {
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly ticks: number[];
}

/** 1, 2, 5 or 10 times a power of ten, the closest (round) or the next at least as large (ceil). */
export function niceNumber(value: number, round: boolean): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const exponent = Math.floor(Math.log10(value));
  const power = 10 ** exponent;
  const fraction = value / power;
  let nice: number;
  if (round) nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  else nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/**
 * Round tick values covering [min, max] with about `count` ticks; the returned min/max are the
 * first and last tick, so the axis ends on a labelled value.
 */
export function niceTicks(min: number, max: number, count = 5): NiceTicks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    min = 0;
    max = 1;
  }
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    // A flat series still needs a visible axis around its value.
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const step = niceNumber(niceNumber(max - min, false) / Math.max(1, count - 1), true);
  const first = Math.floor(min / step) * step;
  const last = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  const decimals = decimalsForStep(step);
  for (let i = 0, v = first; v <= last + step / 2 && i < 1000; i++, v = first + i * step)
    ticks.push(roundTo(v, decimals));
  return { min: roundTo(first, decimals), max: roundTo(last, decimals), step, ticks };
}

/** Fraction digits needed to tell ticks `step` apart (0 for whole steps). */
export function decimalsForStep(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  // Steps like 2.5 (2,500 shown in thousands) need a decimal even though they exceed 1.
  for (let d = 0; d < 10; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d;
  }
  return 10;
}

function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = Math.round(value * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

/** Number formats by locale and decimals (0 to 10, all that decimalsForStep asks for), made once each. */
const formats = new Map<string, Intl.NumberFormat>();

/** A value as a person reads it, in the user's locale: digit groups, as many decimals as the step needs. */
export function formatValue(value: number, decimals = 2): string {
  if (!Number.isFinite(value)) return String(value);
  const locale = fmt().locale;
  const key = `${locale}:${decimals}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: decimals, minimumFractionDigits: 0 });
    formats.set(key, format);
  }
  return format.format(value);
}

/** Short axis labels: 12,500 → "12.5k", 3,400,000 → "3.4M"; small values unchanged. */
export function formatTickValue(value: number, step: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6 && step >= 1e5) return `${formatValue(value / 1e6, decimalsForStep(step / 1e6))}M`;
  if (abs >= 1e4 && step >= 100) return `${formatValue(value / 1e3, decimalsForStep(step / 1e3))}k`;
  return formatValue(value, decimalsForStep(step));
}
