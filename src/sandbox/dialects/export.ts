import type { SandboxDialect } from './dialect';
import { exportDataset } from './exportRecords';
import { STANDARD } from './standard';

/** Records shaped like 121 Health's own data export (see exportRecords.ts); the rest as standard. */
export const EXPORT: SandboxDialect = {
  ...STANDARD,
  name: 'export',
  summary:
    'sleep and quantity records shaped like 121 Health\'s data export (time_in_bed_*, PHONE and WATCH stages, "+00" timestamps, calculation_type)',
  records: exportDataset,
};
