import type * as vscode from 'vscode';
import type { AreaModule } from '../areaModule';
import type { AccountsService } from '../auth/accountsContract';
import type { ShellHost } from '../servicesContract';

/** Placeholder until the explorer glue lands (owner: explorer area). */
export interface ExplorerModule extends AreaModule {
  revivePanel(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
}

export function createExplorerModule(_host: ShellHost, _deps: { accounts: AccountsService }): ExplorerModule {
  return {
    commands: {},
    revivePanel: async (panel) => panel.dispose(),
    dispose: () => undefined,
  };
}
