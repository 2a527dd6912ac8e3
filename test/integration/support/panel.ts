import type { HostToWebview } from '../../../src/shared/protocol';
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

/** Asks the panel for rows of its result as the webview's table does; resolves with the records sent back. */
export async function rowsOf(
  panel: QueryPanel,
  request: { requestId: number; resultId: number; offset: number; count: number },
): Promise<unknown[]> {
  await panel.handleWebviewMessage({ type: 'getRows', ...request });
  const reply = await waitFor(`rows of request ${request.requestId}`, () =>
    messagesOf(panel, 'getRows/result').find((m) => m.requestId === request.requestId),
  );
  return JSON.parse(reply.rowsJson) as unknown[];
}
