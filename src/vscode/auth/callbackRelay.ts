import type * as vscode from 'vscode';
import type { CallbackOutcome } from '../../core/auth/authorizationFlows';
import type { Logger } from '../../core/ports';
import { Disposable } from '../util/lifecycle';

/**
 * Hands a sign-in callback to the VS Code window that started the sign-in. The operating system
 * delivers a `vscode://` redirect to one window, not necessarily the one waiting for it; that window
 * does not know the callback's `state`, so it passes the callback on through the secret storage,
 * which every window of this VS Code shares and announces changes of. The window whose sign-in owns
 * the state takes it and removes it. One slot: a newer callback replaces an older one, so a page
 * that fires redirects cannot fill the storage.
 */
export const RELAY_KEY = 'onetwentyone.relayedCallback';
/** A relayed callback older than this is stale: its sign-in has timed out by then. */
const RELAY_TTL_MS = 10 * 60_000;
const STATE_PATTERN = /^[A-Za-z0-9._~-]{1,1024}$/;

type Deliver = (params: URLSearchParams) => CallbackOutcome;

export class CallbackRelay extends Disposable {
  constructor(
    private readonly _secrets: vscode.SecretStorage,
    private readonly _deliver: Deliver,
    private readonly _logger: Logger,
    private readonly _now: () => number = Date.now,
  ) {
    super();
    this._register(
      _secrets.onDidChange((e) => {
        if (e.key === RELAY_KEY) void this._take();
      }),
    );
  }

  /** Delivers a callback here, or, when no sign-in of this window owns it, passes it to the others. */
  async receive(params: URLSearchParams): Promise<CallbackOutcome> {
    const outcome = this._deliver(params);
    const state = params.get('state') ?? '';
    if (outcome !== 'ignored' || !STATE_PATTERN.test(state)) return outcome;
    this._logger.info('A sign-in callback for a sign-in of another window was passed on.');
    await this._secrets.store(RELAY_KEY, JSON.stringify({ query: params.toString(), at: this._now() }));
    return outcome;
  }

  private async _take(): Promise<void> {
    const raw = await this._secrets.get(RELAY_KEY);
    if (!raw) return;
    let relayed: { query?: unknown; at?: unknown };
    try {
      relayed = JSON.parse(raw) as { query?: unknown; at?: unknown };
    } catch {
      relayed = {};
    }
    if (
      typeof relayed.query !== 'string' ||
      typeof relayed.at !== 'number' ||
      this._now() - relayed.at > RELAY_TTL_MS
    ) {
      await this._secrets.delete(RELAY_KEY);
      return;
    }
    // Not ours ('ignored'): another window's sign-in takes it.
    if (this._deliver(new URLSearchParams(relayed.query)) !== 'ignored') await this._secrets.delete(RELAY_KEY);
  }
}
