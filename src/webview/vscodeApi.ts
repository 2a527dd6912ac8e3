/**
 * The one handle on `acquireVsCodeApi()`, kept private to this module: it can post to the host, so no
 * other script gets it. `acquireVsCodeApi` may be called only once per page.
 */
import type { FormState, WebviewToHost } from '../shared/protocol';

/** What survives hide/show and reloads. UI state only: never records, values or tokens. */
export interface PersistedState {
  form?: FormState;
  tab?: InspectorTab;
  scrollTop?: Partial<Record<InspectorTab, number>>;
  expanded?: (string | number)[][];
  find?: { text: string; caseSensitive: boolean };
}

export type InspectorTab = 'tree' | 'table' | 'raw' | 'headers' | 'warnings' | 'chart';

const api = acquireVsCodeApi<PersistedState>();

export function post(message: WebviewToHost): void {
  api.postMessage(message);
}

export function loadState(): PersistedState {
  return api.getState() ?? {};
}

export function saveState(patch: Partial<PersistedState>): void {
  api.setState({ ...loadState(), ...patch });
}
