/**
 * Deterministic pseudo-randomness addressed by (seed, index): every record can be computed on its own,
 * so page N of a five-year series costs the same as page 1 and nothing is held in memory.
 */
export function hash32(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Uniform in [0, 1). */
export function unit(seed: number, index: number): number {
  return hash32(seed, index) / 4294967296;
}

/** Roughly normal (sum of three uniforms), mean 0, range about ±1.5. */
export function wobble(seed: number, index: number): number {
  return unit(seed, index * 3) + unit(seed, index * 3 + 1) + unit(seed, index * 3 + 2) - 1.5;
}

export function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const HEX = '0123456789abcdef';

/** A version-4-shaped UUID derived from (seed, index): stable ids for generated records. */
export function seededUuid(seed: number, index: number): string {
  let out = '';
  for (let part = 0; part < 4; part++) {
    let word = hash32(seed + part * 0x1000193, index);
    for (let i = 0; i < 8; i++) {
      out += HEX[word & 15];
      word >>>= 4;
    }
  }
  const variant = HEX[8 + (hash32(seed, index ^ 0x5bd1e995) & 3)];
  return `${out.slice(0, 8)}-${out.slice(8, 12)}-4${out.slice(13, 16)}-${variant}${out.slice(17, 20)}-${out.slice(20, 32)}`;
}

export function pick<T>(items: readonly T[], seed: number, index: number): T {
  return items[hash32(seed, index) % items.length] as T;
}
