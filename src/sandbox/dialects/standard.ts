import type { SandboxDialect } from './dialect';

/** The default: every choice listed in docs/sandbox.md. */
export const STANDARD: SandboxDialect = {
  name: 'standard',
  summary: 'the documented examples: JSON or form token bodies, null pagination links, one daily quota',
  paging: { omitAbsentLinks: false, absoluteLinks: false, nextLinkDropped: () => false },
  token: { reads: 'any', errorBody: (error) => error.body() },
  routeLimits: {},
  records: (standard) => standard,
};
