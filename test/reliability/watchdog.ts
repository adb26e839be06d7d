// A hang detector for in-process fuzzing. A parser stuck in a loop (or a regular expression
// backtracking for ever) blocks the thread that runs it, so no timer there can fire; a worker
// thread watches instead. The fuzzer ticks it before each input (and hands it the input's
// bytes); when one input runs longer than the budget, the watchdog writes that input to
// test/artifacts/hang-<label>.bin, says so on standard error, and kills the process, which
// fails the test file — rather than leaving CI waiting for its global timeout.
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

const ARTIFACTS = resolve(import.meta.dirname, '../artifacts');
const MAX_INPUT = 1024 * 1024;

const WATCHER = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const state = new Int32Array(workerData.shared, 0, 2);
const bytes = new Uint8Array(workerData.shared, 8);
let last = -2;
let since = Date.now();
const timer = setInterval(() => {
  const tick = Atomics.load(state, 0);
  if (tick === -1) return clearInterval(timer);
  if (tick !== last) {
    last = tick;
    since = Date.now();
    return;
  }
  if (tick === 0 || Date.now() - since <= workerData.budgetMs) return;
  const input = Buffer.from(bytes.slice(0, Atomics.load(state, 1)));
  fs.mkdirSync(workerData.dir, { recursive: true });
  fs.writeFileSync(workerData.file, input);
  fs.writeSync(2, '\\nwatchdog: ' + workerData.label + ': input #' + tick + ' has run for more than ' + workerData.budgetMs + ' ms (a hang); saved to ' + workerData.file + ':\\n' + JSON.stringify(input.toString('latin1').slice(0, 1000)) + '\\n');
  process.kill(process.pid, 'SIGKILL');
}, 100);
`;

export interface Watchdog {
  /** Call before each input: starts its clock and keeps its bytes in case it never returns. */
  tick(input: Buffer): void;
  /** Between inputs (while the test awaits something legitimately slow). */
  pause(): void;
  stop(): Promise<void>;
}

export function startWatchdog(label: string, budgetMs: number): Watchdog {
  const shared = new SharedArrayBuffer(8 + MAX_INPUT);
  const state = new Int32Array(shared, 0, 2);
  const bytes = new Uint8Array(shared, 8);
  const file = resolve(ARTIFACTS, `hang-${label}.bin`);
  const worker = new Worker(WATCHER, { eval: true, workerData: { shared, budgetMs, label, dir: ARTIFACTS, file } });
  worker.unref();
  let n = 0;
  return {
    tick(input) {
      const length = Math.min(input.length, MAX_INPUT);
      bytes.set(input.subarray(0, length));
      Atomics.store(state, 1, length);
      // Never 0 (paused) or -1 (stopped).
      n = n >= 2 ** 30 ? 1 : n + 1;
      Atomics.store(state, 0, n);
    },
    pause() {
      Atomics.store(state, 0, 0);
    },
    async stop() {
      Atomics.store(state, 0, -1);
      await worker.terminate();
    },
  };
}
