/** What B11's host runner measures in the extension host and prints for b11FirstUse.bench.ts. */
export const SCENARIOS = ['tree', 'getSession', 'panel'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** A file of the explorer's dist/ loaded for the first time during the action. */
export interface Loaded {
  file: string;
  bytes: number;
  /** Load and evaluation, including any bundle it requires in turn. */
  ms: number;
}

export interface Timing {
  /** From the call to the result being usable. */
  wallMs: number;
  /** The extension host's main-thread busy time from the call until quiet again. */
  busyMs: number;
}

export interface HostReport {
  scenario: Scenario;
  vscode: string;
  minimal: Timing;
  explorer: Timing;
  /** What the action loaded. */
  loaded: Loaded[];
  /** What was loaded after activation and before the action (by the workbench itself, for example). */
  beforeAction: Loaded[];
}
