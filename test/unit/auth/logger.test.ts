import * as assert from 'assert';
import { maskSecrets } from '../../../src/vscode/util/logger';

suite('auth: log masking backstop (docs/reliability.md, "Tokens and secrets")', () => {
  const cases: [string, string][] = [
    ['GET /x Authorization: Bearer sbx_at_abc.def-123', 'GET /x Authorization: Bearer [redacted]'],
    ['{"access_token":"abc","refresh_token":"def"}', '{"access_token":"[redacted]","refresh_token":"[redacted]"}'],
    ['callback ?code=xyz&state=s1', 'callback ?code=[redacted]&state=s1'],
    ['callback ?state=s1&code=xyz', 'callback ?state=s1&code=[redacted]'],
    ['client_secret=shh token: t0k', 'client_secret=[redacted] token: [redacted]'],
    ['{"id_token":"eyJ.x.y"}', '{"id_token":"[redacted]"}'],
    ['Refreshing the access token of account 123e4567.', 'Refreshing the access token of account 123e4567.'],
  ];
  for (const [input, expected] of cases) {
    test(`masks ${JSON.stringify(input)}`, () => assert.strictEqual(maskSecrets(input), expected));
  }
});
