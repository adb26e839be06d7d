// Small statistics for latencies and rates.

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** Runs `fn` n times in sequence; returns each duration in milliseconds. */
export async function timeEach(n: number, fn: (i: number) => Promise<unknown> | unknown): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  return times;
}

/** Runs `workers` loops of `fn` until `durationMs` has passed; counts completions and errors. */
export async function closedLoop(
  workers: number,
  durationMs: number,
  fn: (worker: number) => Promise<void>,
): Promise<{ ops: number; errors: number; elapsedMs: number; latencies: number[]; firstError: unknown }> {
  let ops = 0;
  let errors = 0;
  let firstError: unknown;
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + durationMs;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        try {
          await fn(w);
          ops++;
          latencies.push(performance.now() - t);
        } catch (err) {
          errors++;
          firstError ??= err;
          // A broken worker stops rather than spinning on errors.
          return;
        }
      }
    }),
  );
  return { ops, errors, elapsedMs: performance.now() - start, latencies, firstError };
}
