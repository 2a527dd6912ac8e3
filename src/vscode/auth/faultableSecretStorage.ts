import type * as vscode from 'vscode';

/**
 * The extension's SecretStorage with a switch the integration tests flip to simulate a missing
 * or locked keyring (reliability case 45). Off, it forwards every call unchanged.
 */
export class FaultableSecretStorage implements vscode.SecretStorage {
  failing = false;

  constructor(private readonly _inner: vscode.SecretStorage) {}

  get onDidChange(): vscode.Event<vscode.SecretStorageChangeEvent> {
    return this._inner.onDidChange;
  }

  get(key: string): Thenable<string | undefined> {
    return this._guard(() => this._inner.get(key));
  }

  store(key: string, value: string): Thenable<void> {
    return this._guard(() => this._inner.store(key, value));
  }

  delete(key: string): Thenable<void> {
    return this._guard(() => this._inner.delete(key));
  }

  private _guard<T>(call: () => Thenable<T>): Thenable<T> {
    if (this.failing) return Promise.reject(new Error('Cannot create an item in a locked collection'));
    return call();
  }
}
