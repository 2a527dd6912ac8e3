import * as assert from 'assert';
import { describeApiError } from '../../../src/core/api/errors';
import { canonicalMetric, closestMetric } from '../../../src/sandbox/metricSpellings';
import type { SandboxHandle } from '../../../src/sandbox/types';
import { messageFor } from '../../../src/vscode/userMessages';
import { expectApiError } from '../api/helpers';
import { connectSandbox, type SandboxConnection } from '../support/localApi';
import { ada, call } from './sandboxClient';

/** Where the docs fix no spelling of a metric both are served, and an unknown one is answered with the closest. */
suite('sandbox: metric spellings', () => {
  let connection: SandboxConnection;
  let h: SandboxHandle;
  suiteSetup(async () => {
    connection = await connectSandbox();
    h = connection.sandbox;
  });
  suiteTeardown(() => connection.close());

  const quantity = (metric: string): Promise<ReturnType<typeof call> extends Promise<infer R> ? R : never> =>
    call(h, `/api/v1/quantity/${ada(h).userId}/${metric}?pageSize=5`, { token: ada(h).pat });

  test('vO2Max and vo2Max serve the same records; uVExposure and uvExposure are both known, without data', async () => {
    const [lower, upper] = await Promise.all([quantity('vo2Max'), quantity('vO2Max')]);
    assert.strictEqual(lower.status, 200);
    assert.strictEqual(upper.status, 200);
    const data = (r: typeof lower): unknown[] => r.json<{ data: unknown[] }>().data;
    assert.strictEqual(data(lower).length, 5);
    assert.deepStrictEqual(data(upper), data(lower));
    for (const spelling of ['uvExposure', 'uVExposure']) {
      const reply = await quantity(spelling);
      assert.strictEqual(reply.status, 200, spelling);
      assert.deepStrictEqual(data(reply), []);
    }
  });

  test('an unknown metric is a 400 naming the closest known spelling', async () => {
    const cases: [string, string][] = [
      ['vo2max', 'Unknown metric "vo2max". Did you mean "vo2Max"?'],
      ['VO2MAX', 'Unknown metric "VO2MAX". Did you mean "vo2Max"?'],
      ['uvexposure', 'Unknown metric "uvexposure". Did you mean "uvExposure"?'],
      ['stepcount', 'Unknown metric "stepcount". Did you mean "stepCount"?'],
      ['stepCout', 'Unknown metric "stepCout". Did you mean "stepCount"?'],
      ['heartrate', 'Unknown metric "heartrate". Did you mean "heartRate"?'],
      [
        'sleepQuality',
        'Unknown metric "sleepQuality": not an allowed metric (names like stepCount, heartRate, vo2Max)',
      ],
    ];
    for (const [metric, description] of cases) {
      const reply = await quantity(metric);
      assert.strictEqual(reply.status, 400, metric);
      assert.deepStrictEqual(reply.json(), {
        error: 'invalid_request',
        error_description: description,
        parameter: 'metric',
      });
    }
  });

  test('the closest spelling: case first, then a few edits, nothing for a long or unrelated name', () => {
    assert.strictEqual(canonicalMetric('vO2Max'), 'vo2Max');
    assert.strictEqual(canonicalMetric('uVExposure'), 'uvExposure');
    assert.strictEqual(canonicalMetric('stepCount'), 'stepCount');
    assert.strictEqual(canonicalMetric('stepcount'), undefined);
    assert.strictEqual(closestMetric('Vo2Max'), 'vo2Max');
    assert.strictEqual(closestMetric('bodyMas'), 'bodyMass');
    assert.strictEqual(closestMetric('x'.repeat(500)), undefined);
    assert.strictEqual(closestMetric('toothbrushMinutes'), undefined);
  });

  test("the explorer shows the server's suggestion as it is", async () => {
    const client = connection.client(ada(h).pat);
    const err = await expectApiError(client.quantity(ada(h).userId, 'vo2max', { pageSize: 1 }), 'bad_request');
    assert.match(describeApiError(err), /Unknown metric "vo2max"\. Did you mean "vo2Max"\?$/);
    assert.match(messageFor(err).text, /Unknown metric "vo2max"\. Did you mean "vo2Max"\?$/);
  });
});
