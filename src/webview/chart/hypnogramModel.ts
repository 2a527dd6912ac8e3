/** Sleep sessions and their stage segments arranged for a step chart. DOM-free. */
import { readStage } from '../../core/dataset/recordReading';
import type { WebviewStringKey } from '../../shared/webviewStrings';
import { t } from '../l10n';

export interface StageSegment {
  readonly stage: string;
  readonly start: number;
  readonly end: number;
}

export interface SleepSession {
  readonly start: number;
  readonly end: number;
}

export interface StageRow {
  readonly key: string;
  /** The stage's name in the webview's table. */
  readonly label: WebviewStringKey;
  /** Theme colour for the stage's band. */
  readonly color: string;
}

/** Top to bottom: lighter to deeper sleep, as a hypnogram is read; the last rows only when present. */
const MAIN_ROWS: readonly StageRow[] = [
  { key: 'awake', label: 'stage.awake', color: 'var(--vscode-charts-orange)' },
  { key: 'asleepREM', label: 'stage.asleepREM', color: 'var(--vscode-charts-blue)' },
  { key: 'asleepCore', label: 'stage.asleepCore', color: 'var(--vscode-charts-purple)' },
  { key: 'asleepDeep', label: 'stage.asleepDeep', color: 'var(--vscode-charts-green)' },
];
const IN_BED_ROW: StageRow = { key: 'inBed', label: 'stage.inBed', color: 'var(--vscode-charts-yellow)' };
const ASLEEP_UNSPECIFIED_ROW: StageRow = {
  key: 'asleepUnspecified',
  label: 'stage.asleepUnspecified',
  color: 'var(--vscode-charts-foreground, var(--vscode-foreground))',
};
const OTHER_ROW: StageRow = { key: 'other', label: 'stage.other', color: 'var(--vscode-descriptionForeground)' };

/** The stage's HealthKit name, whatever convention it came in (`LIGHT`, `asleepCore`, …), or "other". */
export function stageKey(stage: string): string {
  return readStage(stage) ?? 'other';
}

/** The rows a session's chart shows: always the four sleep stages, plus the others it uses. */
export function stageRows(segments: readonly StageSegment[]): StageRow[] {
  const used = new Set(segments.map((s) => stageKey(s.stage)));
  const rows: StageRow[] = [];
  if (used.has('inBed')) rows.push(IN_BED_ROW);
  rows.push(...MAIN_ROWS);
  if (used.has('asleepUnspecified')) rows.push(ASLEEP_UNSPECIFIED_ROW);
  if (used.has('other')) rows.push(OTHER_ROW);
  return rows;
}

/** Human name of a stage value: "asleepREM" → "REM"; unknown names as they came. */
export function stageLabel(stage: string): string {
  const key = stageKey(stage);
  if (key === 'other') return stage;
  const row = [...MAIN_ROWS, IN_BED_ROW, ASLEEP_UNSPECIFIED_ROW].find((r) => r.key === key);
  return row ? t(row.label) : stage;
}

/** Time span the chart covers: the session, widened to any segment sticking out of it. */
export function sessionExtent(session: SleepSession, segments: readonly StageSegment[]): [number, number] {
  let start = session.start;
  let end = session.end;
  for (const s of segments) {
    if (s.start < start) start = s.start;
    if (s.end > end) end = s.end;
  }
  if (end <= start) end = start + 60_000;
  return [start, end];
}

/** Minutes spent in each stage key across the segments. */
export function stageTotals(segments: readonly StageSegment[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const s of segments) {
    const key = stageKey(s.stage);
    totals.set(key, (totals.get(key) ?? 0) + Math.max(0, s.end - s.start));
  }
  return totals;
}
