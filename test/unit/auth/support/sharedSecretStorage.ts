import type { SecretBackend } from '../../../../src/core/auth/secretStorageTokenStore';
import type { Subscription } from '../../../../src/core/auth/tokenStore';

/** A change notice on its way to one window. */
export interface Notice {
  readonly to: string;
  readonly key: string;
  deliver(): void;
}

/**
 * One secret storage shared by several "windows", like VS Code's SecretStorage across extension
 * hosts: a value written in one window is read at once by every other, but the change notice
 * reaches each window only when the test lets it (`route`), so notices can be late or reordered.
 * Reads and writes themselves complete immediately.
 */
export class SharedSecretStorage {
  readonly values = new Map<string, string>();
  private readonly _queues = new Map<string, Notice[]>();
  private readonly _listeners = new Map<string, Set<(key: string) => void>>();

  /** `route` decides when a notice arrives; by default it waits for `deliver`. */
  constructor(private readonly _route: (notice: Notice) => void = (n) => this._queue(n)) {}

  window(name: string): SecretBackend {
    const listeners = new Set<(key: string) => void>();
    this._listeners.set(name, listeners);
    return {
      get: async (key) => this.values.get(key),
      store: async (key, value) => {
        this.values.set(key, value);
        this._notify(key);
      },
      delete: async (key) => {
        if (this.values.delete(key)) this._notify(key);
      },
      onDidChange: (listener): Subscription => {
        listeners.add(listener);
        return { dispose: () => listeners.delete(listener) };
      },
    };
  }

  /** Delivers the queued notices of one window (or all), oldest first. */
  deliver(to?: string): void {
    for (const [name, queue] of this._queues) {
      if (to !== undefined && name !== to) continue;
      for (const notice of queue.splice(0)) notice.deliver();
    }
  }

  pending(to: string): number {
    return this._queues.get(to)?.length ?? 0;
  }

  /** The stored values whose key starts with `prefix`. */
  entries(prefix: string): [string, string][] {
    return [...this.values].filter(([key]) => key.startsWith(prefix));
  }

  private _notify(key: string): void {
    for (const [to, listeners] of this._listeners) {
      this._route({
        to,
        key,
        deliver: () => {
          for (const l of [...listeners]) l(key);
        },
      });
    }
  }

  private _queue(notice: Notice): void {
    const queue = this._queues.get(notice.to) ?? [];
    queue.push(notice);
    this._queues.set(notice.to, queue);
  }
}
