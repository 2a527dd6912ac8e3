import * as assert from 'assert';
import { maskSecrets } from '../../../src/vscode/util/logger';

suite('auth: log masking backstop (checklist 47)', () => {
  const cases: [string, string][] = [
    ['GET /x Authorization: Bearer sbx_at_abc.def-123', 'GET /x Authorization: Bearer ***'],
    ['{"access_token":"abc","refresh_token":"def"}', '{"access_token":"***","refresh_token":"***"}'],
    ['callback ?code=xyz&state=s1', 'callback ?code=***&state=s1'],
    ['client_secret=shh token: t0k', 'client_secret=*** token: ***'],
    ['Refreshing the access token of account 123e4567.', 'Refreshing the access token of account 123e4567.'],
  ];
  for (const [input, expected] of cases) {
    test(`masks ${JSON.stringify(input)}`, () => assert.strictEqual(maskSecrets(input), expected));
  }
});
