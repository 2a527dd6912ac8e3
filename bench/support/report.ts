import { performance } from 'perf_hooks';
import * as v8 from 'v8';
import * as vm from 'vm';

/** Shared helpers of the API benchmarks (B2–B6): timing, GC access and the verdict line. */

export function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/**
 * `B#: <metric> ratio X (target Y) PASS/MISS` (docs/performance.md, "How the benchmarks work"). A MISS also sets the
 * exit code to 1, which is how bench/run.js counts benchmarks that missed their targets.
 */
export function verdict(name: string, metric: string, ratio: number, target: string, pass: boolean): string {
  if (!pass) process.exitCode = 1;
  return `${name}: ${metric} ratio ${ratio.toFixed(3)} (target ${target}) ${pass ? 'PASS' : 'MISS'}`;
}

export async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export function timeSync(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** Samples heap use every `intervalMs` until stopped; returns the peak in bytes. */
export function heapSampler(intervalMs = 5): { stop(): number } {
  // v8's figure (the same as process.memoryUsage().heapUsed) without reading the resident size from the OS.
  const heapUsed = (): number => v8.getHeapStatistics().used_heap_size;
  let peak = heapUsed();
  const timer = setInterval(() => {
    peak = Math.max(peak, heapUsed());
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, heapUsed());
    },
  };
}

export const MB = 1024 * 1024;

export function environmentLine(): string {
  return `node ${process.versions.node}, v8 ${process.versions.v8}, ${process.platform}/${process.arch}`;
}
