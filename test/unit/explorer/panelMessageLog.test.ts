import * as assert from 'assert';
import type { HostToWebview } from '../../../src/shared/protocol';
import { PanelMessageLogs } from '../../../src/vscode/explorer/panelMessageLog';

suite('explorer: the test hooks keep each query panel its own message log', () => {
  test('per panel, both ways, newest last, the last 300 only', () => {
    const logs = new PanelMessageLogs();
    const first = {};
    const second = {};
    for (let i = 0; i < 310; i++) logs.received(first, { type: 'cancel', requestId: i });
    logs.sent(second, { type: 'didClearResult' });
    const received = logs.of(first).received as { requestId: number }[];
    assert.strictEqual(received.length, 300);
    assert.strictEqual(received[0]?.requestId, 10);
    assert.strictEqual(received[299]?.requestId, 309);
    assert.deepStrictEqual(logs.of(first).sent, []);
    assert.deepStrictEqual(logs.of(second).sent, [{ type: 'didClearResult' }] satisfies HostToWebview[]);
    assert.deepStrictEqual(logs.of({}).received, []);
  });
});
