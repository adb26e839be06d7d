// Checkpoints of the server's WAL, off the event loop. SQLite copies the WAL back into the
// database file every 1,000 pages by itself, inside whichever COMMIT crosses the mark: a copy
// of 4 MiB and two fsyncs on the event loop, about ten times a second under a stream of
// deliveries (a fifth of the SMTP benchmark's CPU). The server's connection therefore leaves
// that to a worker thread with a connection of its own, which runs a PASSIVE checkpoint a few
// times a second: it copies what no reader still needs, blocking nobody. The server's own
// automatic checkpoint stays on at a much larger WAL, in case the worker cannot keep up.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../log.js';

/** The server connection's own automatic checkpoint, a safety net: 40 MiB of WAL. */
export const SAFETY_NET_PAGES = 10_000;

export class Checkpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private stopping: Promise<void> | null = null;

  constructor(file: string, log?: Logger, intervalMs = 200) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(new URL('./checkpoint-worker.cjs', import.meta.url), { workerData: { file, driver, intervalMs } });
    this.worker.on('message', (m: { error?: string }) => {
      if (m.error) log?.warn({ error: m.error }, 'WAL checkpoint failed; retrying');
    });
    this.worker.on('error', (err) => log?.error({ err }, 'WAL checkpoint worker failed; the server checkpoints by itself'));
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    // It must not keep a process alive that has nothing else to do.
    this.worker.unref();
  }

  /** Stops the worker and closes its connection (before the server's own connection closes). */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      // Waited for: the worker must keep the process alive until it has closed its connection.
      this.worker.ref();
      this.worker.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      await this.worker.terminate();
    })();
    return this.stopping;
  }
}
