import * as assert from 'assert';
import { EnvironmentError, parseBaseUrl } from '../../../src/core/environment';

suite('environment: parseBaseUrl', () => {
  const accepted: [string, string][] = [
    ['https://api.onetwentyone.ai', 'https://api.onetwentyone.ai'],
    ['https://api.onetwentyone.ai/', 'https://api.onetwentyone.ai'],
    ['  https://staging.example.com:8443 ', 'https://staging.example.com:8443'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
    ['http://localhost:4010/', 'http://localhost:4010'],
  ];
  for (const [raw, origin] of accepted) {
    test(`accepts ${raw.trim()}`, () => assert.strictEqual(parseBaseUrl(raw), origin));
  }
  const refused = [
    'not a url',
    'http://api.onetwentyone.ai',
    'https://user:pass@api.onetwentyone.ai',
    'https://api.onetwentyone.ai/api/v1',
    'https://api.onetwentyone.ai/?x=1',
    'ftp://api.onetwentyone.ai',
    'javascript:alert(1)',
  ];
  for (const raw of refused) {
    test(`refuses ${raw}`, () => assert.throws(() => parseBaseUrl(raw), EnvironmentError));
  }
});
