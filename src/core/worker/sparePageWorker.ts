import { openPageWorker, type PageWorker, type PageWorkerOptions } from './pageWorker';

/** Where a Fetch All run gets its page worker: a fresh one, or one started ahead of it. */
export interface PageWorkerSource {
  /** A worker for one run, which the run closes when it ends. */
  take(): PageWorker;
}

/** How long a spare worker waits for the Fetch All it was started for before it is closed. */
export const SPARE_PAGE_WORKER_IDLE_MS = 120_000;

/**
 * One page worker started before it is needed (docs/performance.md, B4): the worker takes a few
 * hundred milliseconds to load, and the pages requested meanwhile are received and read on the
 * extension host's main thread. Started when a first page with more after it is shown (Fetch All
 * Pages may follow), the spare is loaded by the time the user asks; taken by the next run, or
 * closed after `idleMs` without one. Its thread never keeps the process alive.
 */
export class SparePageWorker implements PageWorkerSource {
  private _spare: PageWorker | undefined;
  private _idleTimer: NodeJS.Timeout | undefined;
  private _disposed = false;

  constructor(
    private readonly _options: PageWorkerOptions = {},
    private readonly _idleMs = SPARE_PAGE_WORKER_IDLE_MS,
  ) {}

  /** Starts the spare unless one is waiting already; either way it waits `idleMs` from now. */
  warm(): void {
    if (this._disposed) return;
    this._spare ??= openPageWorker(this._options);
    clearTimeout(this._idleTimer);
    this._idleTimer = setTimeout(() => this._closeSpare(), this._idleMs);
    this._idleTimer.unref();
  }

  /** The spare when one waits (it is no longer the spare), else a worker started now. */
  take(): PageWorker {
    const worker = this._spare ?? openPageWorker(this._options);
    this._spare = undefined;
    clearTimeout(this._idleTimer);
    return worker;
  }

  /** A spare is waiting. */
  get waiting(): boolean {
    return this._spare !== undefined;
  }

  /** Resolves once the waiting spare has loaded: false when none waits or it could not start. */
  async loaded(): Promise<boolean> {
    return (await this._spare?.ready) ?? false;
  }

  dispose(): void {
    this._disposed = true;
    this._closeSpare();
  }

  private _closeSpare(): void {
    clearTimeout(this._idleTimer);
    const spare = this._spare;
    this._spare = undefined;
    void spare?.close();
  }
}
