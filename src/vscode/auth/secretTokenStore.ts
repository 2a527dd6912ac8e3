import type * as vscode from 'vscode';
import { z } from 'zod';
import { AuthError } from '../../core/auth/errors';
import type { Logger } from '../../core/ports';
import type { Subscription, TokenStore } from '../../core/auth/tokenStore';
import { storedCredentialsSchema, type StoredCredentials } from '../../core/auth/tokenSet';

const ACCOUNT_PREFIX = 'onetwentyone.account/';
/** SecretStorage has no key listing in VS Code 1.100, so the account ids are kept in an index entry. */
const INDEX_KEY = 'onetwentyone.accountIndex';
const indexSchema = z.array(z.string().max(500)).max(1000);

/**
 * `TokenStore` over VS Code's SecretStorage: one entry per (environment, user) holding the whole
 * credential as one JSON value, zod-parsed on read. A corrupt entry is deleted and counts as signed
 * out (reliability case 46). A failing SecretStorage is an error with guidance, never a fallback to
 * settings, state or files (case 45). `secrets.onDidChange` keeps other windows in sync.
 */
export class SecretTokenStore implements TokenStore {
  private readonly _listeners = new Set<(accountId: string) => void>();
  private readonly _subscription: vscode.Disposable;
  /** Reads are cached until this or another window changes the entry. */
  private readonly _cache = new Map<string, Promise<StoredCredentials | undefined>>();

  constructor(private readonly _secrets: vscode.SecretStorage, private readonly _logger: Logger) {
    this._subscription = _secrets.onDidChange((e) => {
      if (e.key === INDEX_KEY) {
        this._fire('');
      } else if (e.key.startsWith(ACCOUNT_PREFIX)) {
        const accountId = e.key.slice(ACCOUNT_PREFIX.length);
        this._cache.delete(accountId);
        this._fire(accountId);
      }
    });
  }

  dispose(): void {
    this._subscription.dispose();
    this._listeners.clear();
  }

  get(accountId: string): Promise<StoredCredentials | undefined> {
    let cached = this._cache.get(accountId);
    if (!cached) {
      cached = this._read(accountId);
      this._cache.set(accountId, cached);
      cached.catch(() => this._cache.delete(accountId));
    }
    return cached;
  }

  async set(accountId: string, credentials: StoredCredentials): Promise<void> {
    const value = JSON.stringify(storedCredentialsSchema.parse(credentials));
    try {
      await this._secrets.store(ACCOUNT_PREFIX + accountId, value);
    } catch (error) {
      throw storageFailure('saved', error);
    }
    this._cache.set(accountId, Promise.resolve(credentials));
    await this._updateIndex((ids) => (ids.includes(accountId) ? ids : [...ids, accountId]));
    this._fire(accountId);
  }

  async delete(accountId: string): Promise<void> {
    this._cache.set(accountId, Promise.resolve(undefined));
    try {
      await this._secrets.delete(ACCOUNT_PREFIX + accountId);
    } catch (error) {
      this._cache.delete(accountId);
      throw storageFailure('deleted', error);
    }
    await this._updateIndex((ids) => ids.filter((id) => id !== accountId));
    this._fire(accountId);
  }

  async list(): Promise<string[]> {
    return this._readIndex();
  }

  onDidChange(listener: (accountId: string) => void): Subscription {
    this._listeners.add(listener);
    return { dispose: () => this._listeners.delete(listener) };
  }

  private async _read(accountId: string): Promise<StoredCredentials | undefined> {
    let raw: string | undefined;
    try {
      raw = await this._secrets.get(ACCOUNT_PREFIX + accountId);
    } catch (error) {
      throw storageFailure('read', error);
    }
    if (raw === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      json = undefined;
    }
    const parsed = storedCredentialsSchema.safeParse(json);
    if (parsed.success) return parsed.data;
    // Unreadable credentials are useless and would fail forever: remove them, as GitHub sign-in does.
    this._logger.warn('A stored OneTwentyOne credential was unreadable and has been removed; that account is signed out.');
    await this._secrets.delete(ACCOUNT_PREFIX + accountId).then(undefined, () => undefined);
    await this._updateIndex((ids) => ids.filter((id) => id !== accountId)).catch(() => undefined);
    return undefined;
  }

  private async _readIndex(): Promise<string[]> {
    let raw: string | undefined;
    try {
      raw = await this._secrets.get(INDEX_KEY);
    } catch (error) {
      throw storageFailure('read', error);
    }
    if (!raw) return [];
    try {
      const parsed = indexSchema.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
    } catch {
      // fall through: a corrupt index is rebuilt empty
    }
    this._logger.warn('The stored account list was unreadable and has been reset.');
    await this._secrets.delete(INDEX_KEY).then(undefined, () => undefined);
    return [];
  }

  private async _updateIndex(change: (ids: string[]) => string[]): Promise<void> {
    const before = await this._readIndex();
    const after = change(before);
    if (after.length === before.length && after.every((id, i) => id === before[i])) return;
    try {
      await this._secrets.store(INDEX_KEY, JSON.stringify(after));
    } catch (error) {
      throw storageFailure('saved', error);
    }
  }

  private _fire(accountId: string): void {
    for (const listener of [...this._listeners]) listener(accountId);
  }
}

function storageFailure(verb: 'read' | 'saved' | 'deleted', cause: unknown): AuthError {
  return new AuthError('storage_failure', `Credentials could not be ${verb} in VS Code's secret storage.`, { cause });
}
