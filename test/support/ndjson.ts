import * as assert from 'assert';

/** The values of NDJSON text, one a line; every line ends with a newline, and none is blank (asserted). */
export function parseNdjson(text: string): unknown[] {
  const lines = text.split('\n');
  assert.strictEqual(lines.pop(), '', 'the NDJSON ends with a newline');
  return lines.map((line) => JSON.parse(line) as unknown);
}
