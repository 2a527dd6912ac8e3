import * as vscode from 'vscode';

/** A SecretStorage whose keyring is missing or locked: every call fails, as the OS keyring's does. */
export class LockedSecretStorage implements vscode.SecretStorage {
  private readonly _onDidChange = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this._onDidChange.event;

  get(_key: string): Thenable<string | undefined> {
    return locked();
  }

  store(_key: string, _value: string): Thenable<void> {
    return locked();
  }

  delete(_key: string): Thenable<void> {
    return locked();
  }

  dispose(): void {
    this._onDidChange.dispose();
  }
}

function locked(): Promise<never> {
  return Promise.reject(new Error('Cannot create an item in a locked collection'));
}

/** A Memento in memory, standing in for a window's globalState. */
export class MemoryMemento implements vscode.Memento {
  private readonly _values = new Map<string, unknown>();

  keys(): readonly string[] {
    return [...this._values.keys()];
  }

  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  get<T>(key: string, defaultValue?: T): T | undefined {
    return this._values.has(key) ? (this._values.get(key) as T) : defaultValue;
  }

  update(key: string, value: unknown): Thenable<void> {
    if (value === undefined) this._values.delete(key);
    else this._values.set(key, value);
    return Promise.resolve();
  }

  snapshot(): string {
    return JSON.stringify([...this._values]);
  }
}
