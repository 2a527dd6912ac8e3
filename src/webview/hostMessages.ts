/**
 * Routes what the host posts: replies settle their request's promise (by `requestId`), notifications
 * go to the page. Only what the protocol allows gets through: the host is trusted, but checks cost little.
 */
import { assertNever, hostToWebview, isReply, type HostToWebview } from '../shared/protocol';
import type { QueryPage } from './queryPage';

/** Past this many messages in one second, the rest of that second's are dropped unread. */
const MAX_MESSAGES_PER_SECOND = 2000;

export function listenToHost(page: QueryPage): void {
  let received = 0;
  let windowStart = Date.now();
  window.addEventListener('message', (event: MessageEvent) => {
    if (++received > MAX_MESSAGES_PER_SECOND) {
      if (Date.now() - windowStart < 1000) return;
      received = 0;
      windowStart = Date.now();
    }
    const parsed = hostToWebview.safeParse(event.data);
    if (parsed.success) route(page, parsed.data);
  });
}

function route(page: QueryPage, msg: HostToWebview): void {
  if (msg.type === 'didFail' && msg.requestId === undefined) {
    // A failure that names no request is the panel's own to show.
    page.showFailure(msg.message);
    return;
  }
  if (isReply(msg)) {
    page.client.receive(msg);
    return;
  }
  switch (msg.type) {
    case 'didInit':
      return page.init(msg);
    case 'didChangeAccounts':
      return page.setAccounts(msg);
    case 'didChangeQuota':
      return page.setQuota(msg.quota);
    case 'setForm':
      return page.setForm(msg.form, msg.run);
    case 'didStartRequest':
      return page.runStarted(msg);
    case 'didReceiveResponse':
      return page.runSucceeded(msg);
    case 'didFailRequest':
      return page.runFailed(msg);
    case 'didClearResult':
      return page.clearResult();
    case 'didUpdateResult':
      return page.resultUpdated(msg);
    case 'didChangeExport':
      return page.exportChanged(msg);
    default:
      assertNever(msg);
  }
}
