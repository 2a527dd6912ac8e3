import * as path from 'path';
import { REPO } from '../../support/repo';
import type { Browser, Page } from 'playwright-core';

export interface InstalledCodeServer {
  codeServer: string;
  vscode: string;
  entry: string;
  node: string;
}

export interface RunningCodeServer {
  base: string;
  host: string;
  port: number;
  workspace: string;
  userData: string;
  logFile: string;
  stop(): Promise<void>;
}

interface HarnessScripts {
  selectVersions(spec: string): { codeServer: string; vscode: string; nodeMajor: number }[];
  ensureCodeServer(version: { codeServer: string }): Promise<InstalledCodeServer>;
  startCodeServer(options: {
    installed: InstalledCodeServer;
    settings?: Record<string, unknown>;
    workspaceFiles?: Record<string, string>;
    locale?: string;
  }): Promise<RunningCodeServer>;
  workbenchUrl(codeServer: RunningCodeServer, options: { folder: string; extensionDevelopmentPath?: string }): string;
  launchBrowser(): Promise<Browser>;
  enableDevelopmentPayload(page: Page): Promise<void>;
}

/**
 * The plain-JS harness in scripts/codeServer/ (shared with the integration runner and `npm start`),
 * loaded from the repository at run time rather than bundled into each test file.
 */
export function harnessScripts(): HarnessScripts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a run-time path, deliberately not bundled
  const load = (file: string) => require(path.join(REPO, 'scripts', 'codeServer', file)) as Partial<HarnessScripts>;
  return {
    ...load('versions.js'),
    ...load('install.js'),
    ...load('server.js'),
    ...load('browser.js'),
  } as HarnessScripts;
}
