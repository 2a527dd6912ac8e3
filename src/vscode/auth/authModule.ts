import * as vscode from 'vscode';
import type { AreaModule } from '../areaModule';
import type { SandboxModule } from '../sandbox/sandboxModule';
import type { ShellHost } from '../servicesContract';
import type { AccountsService } from './accountsContract';

/** Placeholder until the auth glue lands (owner: auth area). */
export interface AuthModule extends AreaModule {
  readonly accounts: AccountsService;
  readonly authProvider: vscode.AuthenticationProvider;
}

export function createAuthModule(_host: ShellHost, _deps: { sandbox: SandboxModule }): AuthModule {
  const changed = new vscode.EventEmitter<void>();
  const signedOut = new vscode.EventEmitter<string>();
  const sessions = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  const accounts: AccountsService = {
    onDidChange: changed.event,
    onDidSignOut: signedOut.event,
    list: () => [],
    get: () => undefined,
    activeAccount: undefined,
    setActive: () => undefined,
    credentialsFor: () => { throw new Error('No accounts yet.'); },
    signalFor: () => new AbortController().signal,
  };
  return {
    commands: {},
    accounts,
    authProvider: {
      onDidChangeSessions: sessions.event,
      getSessions: async () => [],
      createSession: async () => { throw new Error('Sign-in is not available in this build yet.'); },
      removeSession: async () => undefined,
    },
    dispose: () => { changed.dispose(); signedOut.dispose(); sessions.dispose(); },
  };
}
