import * as z from 'zod/mini';
import type { Logger } from '../ports';
import { lazySchema } from '../routes/lazySchema';
import { AuthError } from './errors';
import type { Subscription, TokenStore } from './tokenStore';
import { storedCredentialsSchema, type StoredCredentials } from './tokenSet';

/**
 * The part of VS Code's SecretStorage the store uses, as plain promises, so the store's logic runs
 * (and is tested) without VS Code. Every window sees the same values; each window gets the change
 * notices of every window, possibly late.
 */
export interface SecretBackend {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  onDidChange(listener: (key: string) => void): Subscription;
}

/** Each account's entry is this prefix and the account id. */
export const ACCOUNT_PREFIX = 'onetwentyone.account/';
/** A fingerprint of a refresh token the server refused, kept after its account entry is deleted. */
export const REFUSED_PREFIX = 'onetwentyone.refusedGrant/';
/** SecretStorage has no key listing in VS Code 1.100, so the account ids are kept in an index entry. */
const INDEX_KEY = 'onetwentyone.accountIndex';
const indexSchema = lazySchema(() => z.array(z.string().check(z.maxLength(500))).check(z.maxLength(1000)));
const fingerprintSchema = lazySchema(() => z.string().check(z.minLength(1), z.maxLength(200)));

/**
 * `TokenStore` over a SecretStorage: one entry per (environment, user) holding the whole
 * credential as one JSON value, zod-parsed on read. A corrupt entry is deleted and counts as signed
 * out. A failing SecretStorage is an error with guidance, never a fallback to settings, state or
 * files. Change notices keep other windows in sync, but they can arrive late, so `getFresh`
 * bypasses the cache for compare-and-swap.
 */
export class SecretStorageTokenStore implements TokenStore {
  private readonly _listeners = new Set<(accountId: string) => void>();
  private readonly _subscription: Subscription;
  /** Reads are cached until this or another window changes the entry. */
  private readonly _cache = new Map<string, Promise<StoredCredentials | undefined>>();

  constructor(
    private readonly _secrets: SecretBackend,
    private readonly _logger: Logger,
  ) {
    this._subscription = _secrets.onDidChange((key) => {
      if (key === INDEX_KEY) {
        this._fire('');
      } else if (key.startsWith(ACCOUNT_PREFIX)) {
        const accountId = key.slice(ACCOUNT_PREFIX.length);
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
    const cached = this._cache.get(accountId);
    // Absence is never answered from the cache: another window may have stored the account since,
    // and a stale "signed out" would end a session that is alive.
    return cached ? cached.then((c) => c ?? this.getFresh(accountId)) : this.getFresh(accountId);
  }

  getFresh(accountId: string): Promise<StoredCredentials | undefined> {
    const read = this._read(accountId);
    this._cache.set(accountId, read);
    read.catch(() => {
      if (this._cache.get(accountId) === read) this._cache.delete(accountId);
    });
    return read;
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
    await this._forgetRefusal(accountId);
    this._fire(accountId);
  }

  async delete(accountId: string): Promise<void> {
    await this._remove(accountId);
    await this._forgetRefusal(accountId);
    this._fire(accountId);
  }

  async deleteRefused(accountId: string, refreshTokenFingerprint: string): Promise<void> {
    // The marker goes first: a window that finds the entry gone must already find the marker.
    try {
      await this._secrets.store(REFUSED_PREFIX + accountId, refreshTokenFingerprint);
    } catch (error) {
      throw storageFailure('saved', error);
    }
    await this._remove(accountId);
    this._fire(accountId);
  }

  async refusedFingerprint(accountId: string): Promise<string | undefined> {
    let raw: string | undefined;
    try {
      raw = await this._secrets.get(REFUSED_PREFIX + accountId);
    } catch (error) {
      throw storageFailure('read', error);
    }
    const parsed = fingerprintSchema.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  }

  async list(): Promise<string[]> {
    return this._readIndex();
  }

  onDidChange(listener: (accountId: string) => void): Subscription {
    this._listeners.add(listener);
    return { dispose: () => this._listeners.delete(listener) };
  }

  private async _remove(accountId: string): Promise<void> {
    this._cache.set(accountId, Promise.resolve(undefined));
    try {
      await this._secrets.delete(ACCOUNT_PREFIX + accountId);
    } catch (error) {
      this._cache.delete(accountId);
      throw storageFailure('deleted', error);
    }
    await this._updateIndex((ids) => ids.filter((id) => id !== accountId));
  }

  private async _forgetRefusal(accountId: string): Promise<void> {
    // Read first: deleting an absent key would still notify every window.
    if ((await this._secrets.get(REFUSED_PREFIX + accountId).then(undefined, () => undefined)) === undefined) return;
    await this._secrets.delete(REFUSED_PREFIX + accountId).then(undefined, () => undefined);
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
    this._logger.warn(
      'A stored OneTwentyOne credential was unreadable and has been removed; that account is signed out.',
    );
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
