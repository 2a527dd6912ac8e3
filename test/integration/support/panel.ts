import type { HostToWebview, WebviewToHost } from '../../../src/shared/protocol';
import { parseRowLines } from '../../../src/shared/rowLines';
import type { QueryPanel } from '../../../src/vscode/explorer/queryPanel';
import { waitFor } from '../../support/waitFor';
import { hooks, loadedHooks } from './extension';

/** What the panel posted to its webview, newest last. */
export function sentTo(panel: QueryPanel): readonly HostToWebview[] {
  return loadedHooks().messagesOf(panel).sent;
}

/** What the panel's webview posted to it, newest last (unchecked: what the webview sent). */
export function receivedFrom(panel: QueryPanel): readonly unknown[] {
  return loadedHooks().messagesOf(panel).received;
}

/** The messages of one type the panel posted to its webview. */
export function messagesOf<K extends HostToWebview['type']>(
  panel: QueryPanel,
  type: K,
): Extract<HostToWebview, { type: K }>[] {
  return sentTo(panel).filter((m): m is Extract<HostToWebview, { type: K }> => m.type === type);
}

/** How many times the panel's webview said ready (it does once per load). */
export function readyCount(panel: QueryPanel): number {
  return receivedFrom(panel).filter((m) => (m as { type?: unknown }).type === 'ready').length;
}

/** The query panel once its real webview has loaded and said ready (before that, nothing is posted to it). */
export async function readyPanel(timeoutMs = 30_000): Promise<QueryPanel> {
  const h = await hooks();
  const panel = await waitFor('the query panel', () => h.panel());
  await waitFor('the webview ready handshake', () => readyCount(panel) > 0, timeoutMs);
  return panel;
}

/** Sends the panel a request as its webview does; resolves with the reply of `replyType` to it. */
export async function askPanel<K extends HostToWebview['type']>(
  panel: QueryPanel,
  request: WebviewToHost & { readonly requestId: number },
  replyType: K,
  timeoutMs = 30_000,
): Promise<Extract<HostToWebview, { type: K }>> {
  await panel.handleWebviewMessage(request);
  return waitFor(
    `the ${replyType} of request ${request.requestId}`,
    () => messagesOf(panel, replyType).find((m) => (m as { requestId?: unknown }).requestId === request.requestId),
    timeoutMs,
  );
}

/** Asks the panel for rows of its result as the webview's table does; resolves with the records sent back. */
export async function rowsOf(
  panel: QueryPanel,
  request: { requestId: number; resultId: number; offset: number; count: number },
): Promise<unknown[]> {
  const reply = await askPanel(panel, { type: 'getRows', ...request }, 'getRows/result');
  return parseRowLines(reply.rowLines);
}
