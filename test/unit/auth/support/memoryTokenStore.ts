import type { StoredCredentials } from '../../../../src/core/auth/tokenSet';
import type { Subscription, TokenStore } from '../../../../src/core/auth/tokenStore';

/** In-memory `TokenStore`, also for modelling several windows sharing one store. */
export class MemoryTokenStore implements TokenStore {
  private readonly _entries = new Map<string, string>();
  private readonly _refused = new Map<string, string>();
  private readonly _listeners = new Set<(accountId: string) => void>();
  /** Counts writes, so tests can prove that nothing was written. */
  writes = 0;

  async get(accountId: string): Promise<StoredCredentials | undefined> {
    const raw = this._entries.get(accountId);
    return raw === undefined ? undefined : (JSON.parse(raw) as StoredCredentials);
  }

  getFresh(accountId: string): Promise<StoredCredentials | undefined> {
    return this.get(accountId);
  }

  async set(accountId: string, credentials: StoredCredentials): Promise<void> {
    this.writes++;
    this._refused.delete(accountId);
    this._entries.set(accountId, JSON.stringify(credentials));
    this._fire(accountId);
  }

  async delete(accountId: string): Promise<void> {
    this._refused.delete(accountId);
    if (this._entries.delete(accountId)) this._fire(accountId);
  }

  async deleteRefused(accountId: string, refreshTokenFingerprint: string): Promise<void> {
    this._refused.set(accountId, refreshTokenFingerprint);
    if (this._entries.delete(accountId)) this._fire(accountId);
  }

  async refusedFingerprint(accountId: string): Promise<string | undefined> {
    return this._refused.get(accountId);
  }

  async list(): Promise<string[]> {
    return [...this._entries.keys()];
  }

  onDidChange(listener: (accountId: string) => void): Subscription {
    this._listeners.add(listener);
    return { dispose: () => this._listeners.delete(listener) };
  }

  private _fire(accountId: string): void {
    for (const listener of [...this._listeners]) listener(accountId);
  }
}
