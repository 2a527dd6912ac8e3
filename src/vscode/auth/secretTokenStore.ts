import type * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import { SecretStorageTokenStore } from '../../core/auth/secretStorageTokenStore';

/**
 * The `TokenStore` of the extension: VS Code's SecretStorage, shared by every window. All of the
 * logic (cache, parsing, compare-and-swap support) lives in the core so plain Node tests can run
 * two windows against one storage; this only adapts the API.
 */
export class SecretTokenStore extends SecretStorageTokenStore {
  constructor(secrets: vscode.SecretStorage, logger: Logger) {
    super(
      {
        get: (key) => secrets.get(key),
        store: (key, value) => secrets.store(key, value),
        delete: (key) => secrets.delete(key),
        onDidChange: (listener) => secrets.onDidChange((e) => listener(e.key)),
      },
      logger,
    );
  }
}
