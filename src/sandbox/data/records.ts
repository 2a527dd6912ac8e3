import { DAY_MS, HOUR_MS, MINUTE_MS } from '../clock';
import { LAB_METRICS } from '../catalogue';
import { isoSeconds } from '../isoFormat';
import { hash32, seededUuid, unit, wobble } from '../seeded';
import type { ListedRecord } from '../series';
import type { IntakeItem } from './dataset';

export interface LabRecord extends ListedRecord {
  readonly metric: string;
}

const FHIR_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function fhirId(seed: number, index: number): string {
  let id = '';
  for (let i = 0; i < 22; i++) id += FHIR_ALPHABET[hash32(seed + i, index) % FHIR_ALPHABET.length];
  return id;
}

/** A blood panel every ~90 days: each lab metric once per panel, dated with a `+00:00` offset as in the docs. */
export function labRecords(seed: number, userId: string, days: number, endMs: number): LabRecord[] {
  const out: LabRecord[] = [];
  for (let panel = 0; panel * 90 < days; panel++) {
    const at = endMs - (days - panel * 90 - 5) * DAY_MS + 14 * HOUR_MS + Math.floor(50 * unit(seed, panel)) * MINUTE_MS;
    LAB_METRICS.forEach((m, k) => {
      const index = panel * 100 + k;
      const f = 10 ** m.decimals;
      const value = Math.round((m.typical + m.spread * wobble(seed, index)) * f) / f;
      const json =
        `{"display_name":${JSON.stringify(m.displayName)},"fhir_id":"${fhirId(seed, index)}","user_id":"${userId}",` +
        `"loinc":"${m.loinc}","unit_string":${JSON.stringify(m.unit)},"value":${value},"lab_metric":"${m.name}",` +
        `"sample_type":"http://loinc.org","date":"${isoSeconds(at, '+00:00')}"}`;
      out.push({ time: at, json, metric: m.name });
    });
  }
  return out;
}

interface IntakeSpec {
  readonly id: string;
  readonly details: Record<string, string>;
  /** Fraction of days with an intake. */
  readonly adherence: number;
  readonly hourLocal: number;
  readonly extra: string;
}

function intakeItems(seed: number, specs: readonly IntakeSpec[], days: number, endMs: number): IntakeItem[] {
  return specs.map((spec, s) => {
    const logs: ListedRecord[] = [];
    for (let d = 0; d < days; d++) {
      if (unit(seed + s, d) > spec.adherence) continue;
      const time =
        endMs -
        (days - d) * DAY_MS +
        (spec.hourLocal + 5) * HOUR_MS +
        Math.floor(40 * unit(seed + s, d + 1)) * MINUTE_MS;
      logs.push({
        time,
        json: `{"id":"${seededUuid(seed + s * 7919, d)}","created_at":"${isoSeconds(time)}",${spec.extra}}`,
      });
    }
    return { id: spec.id, detailsJson: JSON.stringify(spec.details), logs };
  });
}

/** The first supplement and medication use the docs' example ids so documented URLs work verbatim. */
export function supplementItems(seed: number, days: number, endMs: number): IntakeItem[] {
  const supplement = (
    id: string,
    brand: string,
    name: string,
    servings: string,
    upc: string,
  ): Record<string, string> => ({ brand, servings, id, name, upc });
  return intakeItems(
    seed ^ 0x51,
    [
      {
        id: '326aa713-a248-4c98-9a40-a5f39b25ca94',
        details: supplement(
          '326aa713-a248-4c98-9a40-a5f39b25ca94',
          'Qunol',
          'Mega Ubiquinol CoQ10 100 mg',
          '100',
          '6 57993 00227 1',
        ),
        adherence: 0.85,
        hourLocal: 8,
        extra: '"amount":1,"unit":"softgel"',
      },
      {
        id: seededUuid(seed, 9001),
        details: supplement(seededUuid(seed, 9001), 'Nature Made', 'Vitamin D3 2000 IU', '250', '0 31604 02692 4'),
        adherence: 0.7,
        hourLocal: 8,
        extra: '"amount":1,"unit":"tablet"',
      },
      {
        id: seededUuid(seed, 9002),
        details: supplement(seededUuid(seed, 9002), 'Thorne', 'Magnesium Bisglycinate', '60', '6 93749 00408 3'),
        adherence: 0.5,
        hourLocal: 21,
        extra: '"amount":1,"unit":"scoop"',
      },
    ],
    days,
    endMs,
  );
}

export function medicationItems(seed: number, days: number, endMs: number): IntakeItem[] {
  return intakeItems(
    seed ^ 0x3d,
    [
      {
        id: '2e49c0c7-eb90-4d5c-8d86-5b6bee1e352c',
        details: { name: 'TADALAFIL', active_ingredient: 'TADALAFIL' },
        adherence: 0.2,
        hourLocal: 19,
        extra: '"dose":"5 mg","status":"taken"',
      },
      {
        id: seededUuid(seed, 9101),
        details: { name: 'ATORVASTATIN', active_ingredient: 'ATORVASTATIN CALCIUM' },
        adherence: 0.92,
        hourLocal: 22,
        extra: '"dose":"20 mg","status":"taken"',
      },
    ],
    days,
    endMs,
  );
}
