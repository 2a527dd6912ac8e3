import type { Scope } from '../../core/routes';
import type { ListedRecord, RecordSeries } from '../series';

/** A supplement or medication with its intake logs (ascending by time). */
export interface IntakeItem {
  readonly id: string;
  /** The `details` object as JSON text. */
  readonly detailsJson: string;
  readonly logs: readonly ListedRecord[];
}

export interface SleepOptions {
  readonly stages: boolean;
  readonly metrics: boolean;
}

/** Everything the data routes serve for one user. Known metric/type names only; routes validate first. */
export interface UserDataset {
  quantity(metric: string): RecordSeries;
  sleep(options: SleepOptions): RecordSeries;
  workouts(type: string | undefined): RecordSeries;
  labs(type: string | undefined): RecordSeries;
  supplements(): readonly IntakeItem[];
  medications(): readonly IntakeItem[];
  /** The profile `data` object as JSON text; `scopes` are those of the calling token. */
  profileJson(scopes: readonly Scope[]): string;
}

/** Computes a value once, on first use: most users never touch most collections. */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}
