/**
 * The query panel's script. The page is built from what the webview kept across reloads, then says
 * `ready`: the host sends nothing before that handshake.
 */
import { rememberFocus } from './focus';
import { listenToHost } from './hostMessages';
import { QueryPage } from './queryPage';
import { loadState, post } from './vscodeApi';

const page = new QueryPage(loadState());
listenToHost(page);
rememberFocus();
document.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
    e.preventDefault();
    page.focusFind();
  }
});
page.restore();
post({ type: 'ready' });
