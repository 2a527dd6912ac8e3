import type { SandboxDialect } from './dialect';
import { STANDARD } from './standard';

/**
 * A token endpoint built on a stock web framework: it parses only form-encoded bodies (a JSON body
 * reads as empty, so its parameters are "missing") and its refusals are `{"message": …}` without
 * RFC 6749's `error` code, a 401 included.
 */
export const FORM_ONLY: SandboxDialect = {
  ...STANDARD,
  name: 'form-only',
  summary: 'token routes read only form bodies and refuse with {"message"} (no RFC 6749 error code)',
  token: { reads: 'form', errorBody: (error) => JSON.stringify({ message: error.description }) },
};
